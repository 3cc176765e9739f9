//! The file-system side: reading files from include directories, turning command-line paths into
//! the names protoc gives files, and writing outputs atomically. The compiler core never calls
//! into this module; the CLI and [`crate::Config`] do.
// The shell around the core: it does the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::Diagnostic;
use crate::source::{FileResolver, ResolveError, ResolvedFile};

/// Reads files from include directories, searched in order (protoc's `-I`).
///
/// A name is looked for in each directory in turn, as protoc does; with many directories most of
/// those lookups fail, usually because the directory has nothing under the name's first
/// component (`google/…` under a project's own root). The resolver remembers, per directory,
/// which first components are not subdirectories there, and skips those without a system call
/// (for its lifetime: a clone starts afresh and sees directories created since).
#[derive(Debug)]
pub struct FsResolver {
    /// Include directories, searched in order.
    pub includes: Vec<PathBuf>,
    /// `(include index, first component)` → whether it is a directory there.
    subdirs: Mutex<HashMap<(usize, String), bool>>,
}

impl FsResolver {
    /// A resolver for these include directories, searched in order.
    pub fn new(includes: Vec<PathBuf>) -> Self {
        FsResolver {
            includes,
            subdirs: Mutex::default(),
        }
    }

    /// Whether include directory `i` can hold `name`: false when the name's first component is
    /// not a subdirectory there.
    fn may_hold(&self, i: usize, dir: &Path, name: &str) -> bool {
        let Some((first, _)) = name.split_once('/') else {
            return true;
        };
        let mut subdirs = self.subdirs.lock().unwrap_or_else(|e| e.into_inner());
        *subdirs
            .entry((i, first.to_string()))
            .or_insert_with(|| dir.join(first).is_dir())
    }
}

impl Clone for FsResolver {
    fn clone(&self) -> Self {
        FsResolver::new(self.includes.clone())
    }
}

impl FileResolver for FsResolver {
    fn open(&self, name: &str) -> Result<ResolvedFile, ResolveError> {
        if !is_safe_name(name) {
            // protoc refuses names that climb out of the include directory.
            return Err(ResolveError::NotFound);
        }
        for (i, dir) in self.includes.iter().enumerate() {
            if !self.may_hold(i, dir, name) {
                continue;
            }
            let path = dir.join(name);
            match read_regular_file(&path) {
                Ok(contents) => {
                    return Ok(ResolvedFile {
                        name: name.to_string(),
                        display_path: display(&path),
                        contents,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound || path.is_dir() => continue,
                Err(e) => return Err(ResolveError::Io(format!("{}: {}", display(&path), e))),
            }
        }
        Err(ResolveError::NotFound)
    }

    fn search_description(&self) -> Option<String> {
        let dirs: Vec<String> = self
            .includes
            .iter()
            .map(|d| format!("\"{}\"", display(d)))
            .collect();
        Some(format!(
            "{} (then the built-in google/protobuf files)",
            dirs.join(", ")
        ))
    }
}

/// Reads a schema file: a regular file (through any symlinks) of at most
/// [`crate::source::MAX_FILE_SIZE`] bytes. A FIFO, a device or a socket is refused without
/// being read: it was opened non-blocking, so a FIFO with no writer cannot hang the compile,
/// and `/dev/zero` cannot be read until memory runs out. The size is checked before reading, and
/// the read stops past the limit, should the file grow meanwhile.
fn read_regular_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a directory",
        ));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a pipe, device or socket): schema files must be regular files",
        ));
    }
    let limit = crate::source::MAX_FILE_SIZE as u64;
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut contents = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut contents)?;
    if contents.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(contents)
}

fn too_large() -> std::io::Error {
    std::io::Error::other("the file is larger than 4 GiB, the most iprotoc reads")
}

/// A path for messages: as given, with `./` dropped.
fn display(path: &Path) -> String {
    let s = path.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// A relative name with no `..`, no root, no empty parts: safe to join under a directory.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains('\\')
        && Path::new(name)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        && !name.split('/').any(str::is_empty)
}

/// Maps command-line inputs to the names protoc would give them, for one list of include
/// directories. Each directory is canonicalized once, however many inputs there are, and no file
/// is read: the compile reads them.
pub struct InputNamer<'a> {
    includes: &'a [PathBuf],
    canonical: std::cell::OnceCell<Vec<Option<PathBuf>>>,
    /// Each directory of an input canonicalized so far (`None`: it could not be).
    parents: std::cell::RefCell<HashMap<PathBuf, Option<PathBuf>>>,
}

impl<'a> InputNamer<'a> {
    /// A namer for these include directories, in search order.
    pub fn new(includes: &'a [PathBuf]) -> Self {
        InputNamer {
            includes,
            canonical: std::cell::OnceCell::new(),
            parents: Default::default(),
        }
    }

    /// `file.canonicalize()`, resolving each directory once however many inputs it holds: the
    /// canonical path of a file that is not a symbolic link is its directory's canonical path and
    /// its name. (Resolving every component of every input again cost a system call per
    /// component: a third of the one-threaded start of a 7,000-file compile.)
    fn canonical_file(&self, file: &Path, link: bool) -> std::io::Result<PathBuf> {
        let (Some(parent), Some(name)) = (file.parent(), file.file_name()) else {
            return file.canonicalize();
        };
        if link {
            return file.canonicalize();
        }
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let mut parents = self.parents.borrow_mut();
        let dir = match parents.get(parent) {
            Some(dir) => dir.clone(),
            None => {
                let dir = parent.canonicalize().ok();
                parents.insert(parent.to_path_buf(), dir.clone());
                dir
            }
        };
        match dir {
            Some(dir) => Ok(dir.join(name)),
            None => file.canonicalize(),
        }
    }

    /// The first include directory's file of that name, as protoc's search finds it, and
    /// whether that path is a symbolic link.
    fn find(&self, name: &str) -> Option<(PathBuf, bool)> {
        self.includes.iter().find_map(|dir| {
            let path = dir.join(name);
            is_file(&path).map(|link| (path, link))
        })
    }

    /// The name of one input.
    ///
    /// An existing path is named relative to the first include directory that contains it
    /// (compared after resolving `.`/`..` and symlinks, so `./proto/a.iproto` and an absolute path
    /// both work); a path that is not on disk is taken as a name relative to the include
    /// directories (`iprotoc -I proto zoo.iproto`), to be looked up by the compile. A file
    /// shadowed by an earlier include directory is an error, as in protoc.
    pub fn name(&self, input: &str) -> Result<String, Box<Diagnostic>> {
        let path = Path::new(input);
        let Some(link) = is_file(path) else {
            // A name: the compile looks it up (and says where it searched if it is not there).
            let name = input.strip_prefix("./").unwrap_or(input).replace('\\', "/");
            if is_safe_name(&name) {
                return Ok(name);
            }
            return Err(Box::new(input_error(input, "no such file")));
        };
        let canonical = self
            .canonical_file(path, link)
            .map_err(|e| input_error(input, &e.to_string()))?;
        let dirs = self.canonical.get_or_init(|| {
            self.includes
                .iter()
                .map(|d| d.canonicalize().ok())
                .collect()
        });
        for dir_canonical in dirs.iter().flatten() {
            let Ok(rest) = canonical.strip_prefix(dir_canonical) else {
                continue;
            };
            let name = rest
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            // protoc: the name must find this very file, not one in an earlier directory.
            if let Some((found, link)) = self.find(&name) {
                if self.canonical_file(&found, link).ok().as_deref() != Some(canonical.as_path()) {
                    return Err(Box::new(Diagnostic::error(
                        "INPUT_SHADOWED",
                        format!("{input}: input is shadowed in the include path by \"{}\"", display(&found)),
                    )
                    .help("either use the latter file as your input or reorder the -I directories so that the former file's directory comes first")));
                }
            }
            return Ok(name);
        }
        let dirs: Vec<String> = self
            .includes
            .iter()
            .map(|d| format!("\"{}\"", display(d)))
            .collect();
        Err(Box::new(
            Diagnostic::error(
                "INPUT_OUTSIDE_INCLUDE_PATH",
                format!("{input}: file does not reside within any include directory"),
            )
            .help(format!(
                "the include directories are {}; add one that contains this file with -I",
                dirs.join(", ")
            )),
        ))
    }
}

/// Whether `path` is a file (`Path::is_file`: following symbolic links) and, if so, whether the
/// path itself is a symbolic link. One `lstat` for a plain file.
fn is_file(path: &Path) -> Option<bool> {
    let meta = path.symlink_metadata().ok()?;
    if meta.file_type().is_symlink() {
        path.is_file().then_some(true)
    } else {
        meta.is_file().then_some(false)
    }
}

fn input_error(input: &str, why: &str) -> Diagnostic {
    Diagnostic::error("INPUT_NOT_FOUND", format!("{input}: {why}"))
}

/// One file to write: its place and its bytes. See [`write_all_atomically`] for how each kind
/// of place is treated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// The output directory the file belongs to (`--proto_out DIR`, a plugin's `--NAME_out=DIR`,
    /// [`crate::Config::out_dir`]), or `None` for a path named on its own (`-o FILE`).
    pub dir: Option<PathBuf>,
    /// With a `dir`: the file's name inside it, relative, `/`-separated, without `..`
    /// ([`is_safe_name`]). Without: the path itself.
    pub name: String,
    /// The contents.
    pub bytes: Vec<u8>,
}

impl OutputFile {
    /// A file of an output directory: `name` is relative to `dir` and may not leave it.
    pub fn in_dir(dir: impl Into<PathBuf>, name: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            dir: Some(dir.into()),
            name: name.into(),
            bytes,
        }
    }

    /// A file named on its own, such as `-o FILE`.
    pub fn at(path: impl AsRef<Path>, bytes: Vec<u8>) -> Self {
        OutputFile {
            dir: None,
            name: path.as_ref().to_string_lossy().into_owned(),
            bytes,
        }
    }

    /// Where the file goes.
    pub fn path(&self) -> PathBuf {
        match &self.dir {
            Some(dir) => dir.join(&self.name),
            None => PathBuf::from(&self.name),
        }
    }
}

/// How one output is written, decided before anything is.
enum Plan {
    /// Staged in a temporary beside the target, then renamed onto it. `mode` is the permission
    /// bits of the regular file being replaced, if one is.
    Replace { mode: Option<u32> },
    /// Opened and written in place: a device, a pipe, or a path naming an open file descriptor.
    Through,
}

/// Writes every output, all or nothing.
///
/// **Phases.** First every target is checked, and nothing is written if one is unfit (below).
/// Then each output is staged in a temporary file in its target's directory (creating the
/// directories it needs); then the outputs that are written in place (devices, pipes) are
/// written; then the temporaries are renamed onto their targets. An error before the renames
/// removes the temporaries and leaves every target as it was (directories created for the
/// outputs stay, empty). A rename is checked beforehand as far as that can be (the target is not
/// a directory, the directory is writable, a sticky directory lets the caller replace the file),
/// so what can still fail there is what changes meanwhile (a directory removed, a disk that
/// fails); such an error names the file, the outputs renamed before it are new, the others old,
/// and no temporary is left.
///
/// **Output directories** (`dir` set). The output stays inside the directory: every directory on
/// the way from `dir` to the file must be a directory inside `dir` (a symlink to a directory
/// elsewhere is refused), and a symlink where the file goes is replaced by the file, not written
/// through. A directory, FIFO, device or socket where the file goes is refused: such a tree is
/// never written into a pipe and never waits for a reader.
///
/// **Paths named on their own** (`-o FILE`). A regular file or a symlink is replaced (the symlink
/// itself, not what it points to). A FIFO, device or socket is written to in place, after every
/// other output is staged and before any is renamed: renaming over it would replace it with a
/// plain file. A path in `/dev` or `/proc` (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`) is
/// written in place too, whatever it leads to: it names a file the caller opened (stdout
/// redirected to a file is truncated and written, as protoc does), and is never replaced.
/// A directory is refused.
///
/// **Permissions.** A new file gets `rw-r--r--` (less the umask); a replaced regular file's
/// permission bits (`0o777`) are kept, never its setuid, setgid or sticky bits, which would give
/// the caller's new file privileges it was not created with.
///
/// **Temporaries** are named `.iprotoc-PID.HOST.XXXXXX` ([`temporary_prefix`]): the writing
/// process's id and a hash of the machine's name. A process killed before its renames (SIGKILL,
/// a crash) leaves them behind; every later write into the same directory removes those of a
/// process of this machine that is no longer running. Temporaries of a running process, of
/// another machine (a shared network directory) or of older iprotoc versions (`.iprotoc-XXXXXX`,
/// which say nothing of their writer) are left alone.
///
/// The temporaries are not `fsync`ed before the rename. The rename makes the outputs atomic
/// against a failed or killed compile, which is the guarantee a build needs; surviving a power
/// cut is not (protoc, rustc and cargo do not sync their outputs either), and a sync costs a
/// disk flush on every compile (0.4 ms per run on this machine's /tmp, milliseconds on a real disk).
pub fn write_all_atomically(files: &[OutputFile]) -> Result<(), String> {
    // Check every target before writing anything.
    let mut plans = Vec::with_capacity(files.len());
    // Directories of output trees found to be directories inside their tree: a large tree's
    // files share most of theirs, and each is looked at once.
    let mut checked = std::collections::HashSet::new();
    for f in files {
        plans.push(match &f.dir {
            Some(dir) => plan_in_dir(dir, &f.name, &mut checked)?,
            None => plan_path(Path::new(&f.name))?,
        });
    }
    // Stage.
    let prefix = temporary_prefix(std::process::id());
    let mut cleaned: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut staged = Vec::with_capacity(files.len());
    let mut through = Vec::new();
    for (f, plan) in files.iter().zip(plans) {
        let path = f.path();
        let mode = match plan {
            Plan::Through => {
                through.push((path, &f.bytes));
                continue;
            }
            Plan::Replace { mode } => mode,
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create directory \"{}\": {e}", display(&dir)))?;
        if cleaned.insert(dir.clone()) {
            remove_stale_temporaries(&dir);
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        // tempfile creates files readable by their owner only: outputs get ordinary permissions.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let mut tmp = builder
            .tempfile_in(&dir)
            .map_err(|e| format!("cannot write in \"{}\": {e}", display(&dir)))?;
        #[cfg(unix)]
        if let Some(mode) = mode {
            // Exactly the replaced file's bits (the umask applied to the creation mode above).
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode & 0o777))
                .map_err(|e| format!("cannot write \"{}\": {e}", display(&path)))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        tmp.write_all(&f.bytes)
            .map_err(|e| format!("cannot write \"{}\": {e}", display(&path)))?;
        staged.push((tmp, path));
    }
    for (path, bytes) in through {
        std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| format!("cannot write \"{}\": {e}", display(&path)))?;
    }
    // Commit. A failure here drops the remaining temporaries, which removes them.
    for (tmp, path) in staged {
        tmp.persist(&path)
            .map_err(|e| format!("cannot write \"{}\": {}", display(&path), e.error))?;
    }
    Ok(())
}

/// The plan for `name` inside the output directory `dir`, refusing any target that would put
/// the file elsewhere or that is not a file.
fn plan_in_dir(
    dir: &Path,
    name: &str,
    checked: &mut std::collections::HashSet<PathBuf>,
) -> Result<Plan, String> {
    if !is_safe_name(name) {
        return Err(format!(
            "refusing to write \"{name}\": the name leaves the output directory"
        ));
    }
    let target = dir.join(name);
    let parent = target.parent().map(Path::to_path_buf).unwrap_or_default();
    if !checked.contains(&parent) {
        match check_directories(dir, name, &target)? {
            true => {
                checked.insert(parent);
            }
            // The directory will be created, and so will the file.
            false => return Ok(Plan::Replace { mode: None }),
        }
    }
    match std::fs::symlink_metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Plan::Replace { mode: None }),
        Err(e) => Err(format!("cannot write \"{}\": {e}", display(&target))),
        // The link itself is replaced, so the write stays here.
        Ok(m) if m.file_type().is_symlink() => Ok(Plan::Replace { mode: None }),
        Ok(m) if m.is_file() => {
            check_replaceable(&target, &m)?;
            Ok(Plan::Replace { mode: mode_of(&m) })
        }
        Ok(m) => Err(format!(
            "refusing to write \"{}\": it is {}, not a regular file",
            display(&target),
            kind_of(&m)
        )),
    }
}

/// Checks the directories from `dir` to the file `name` in it (`target`): each that exists must
/// be a directory inside `dir` (`dir` itself may be a symlink: the caller named it). True when
/// all exist; false when one is missing (it and those below will be created).
fn check_directories(dir: &Path, name: &str, target: &Path) -> Result<bool, String> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(format!(
                "cannot write \"{}\": \"{}\" is not a directory",
                display(target),
                display(dir)
            ))
        }
        // The directory and everything under it will be created.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(format!("cannot write in \"{}\": {e}", display(dir))),
        Ok(_) => {}
    }
    // Every directory on the way must be one, inside `dir`.
    let mut canonical_dir = None;
    let parts: Vec<&str> = name.split('/').collect();
    let mut at = dir.to_path_buf();
    for part in &parts[..parts.len() - 1] {
        at.push(part);
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(format!("cannot write in \"{}\": {e}", display(&at))),
        };
        if meta.is_dir() {
            continue;
        }
        if meta.file_type().is_symlink() {
            let root = match &canonical_dir {
                Some(root) => root,
                None => canonical_dir.insert(
                    dir.canonicalize()
                        .map_err(|e| format!("cannot write in \"{}\": {e}", display(dir)))?,
                ),
            };
            let inside = at
                .canonicalize()
                .ok()
                .filter(|t| t.starts_with(&*root) && t.is_dir());
            if inside.is_some() {
                continue;
            }
            return Err(format!(
                "refusing to write \"{}\": \"{}\" is a symlink that does not lead to a directory inside \"{}\"",
                display(target),
                display(&at),
                display(dir)
            ));
        }
        return Err(format!(
            "cannot write \"{}\": \"{}\" is not a directory",
            display(target),
            display(&at)
        ));
    }
    Ok(true)
}

/// The plan for a path named on its own (`-o FILE`).
fn plan_path(path: &Path) -> Result<Plan, String> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Plan::Replace { mode: None })
        }
        Err(e) => return Err(format!("cannot write \"{}\": {e}", display(path))),
        Ok(m) => m,
    };
    let names_open_file = meta.file_type().is_symlink() && in_dev_or_proc(path);
    if names_open_file {
        // `/dev/stdout` and its kind: what the link leads to is written, never the link replaced.
        return match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Err(format!(
                "cannot write \"{}\": it is a directory",
                display(path)
            )),
            Ok(_) => Ok(Plan::Through),
            Err(e) => Err(format!("cannot write \"{}\": {e}", display(path))),
        };
    }
    if meta.is_dir() {
        return Err(format!(
            "cannot write \"{}\": it is a directory",
            display(path)
        ));
    }
    if meta.file_type().is_symlink() {
        return Ok(Plan::Replace { mode: None });
    }
    if meta.is_file() {
        check_replaceable(path, &meta)?;
        return Ok(Plan::Replace {
            mode: mode_of(&meta),
        });
    }
    Ok(Plan::Through)
}

/// Whether `path` is a name in `/dev` or `/proc` (after resolving the directory it is in), where
/// symlinks name open files (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`).
fn in_dev_or_proc(path: &Path) -> bool {
    let parent = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    parent
        .canonicalize()
        .is_ok_and(|d| d.starts_with("/dev") || d.starts_with("/proc"))
}

/// The permission bits of a file being replaced.
fn mode_of(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// What a file that is not a regular file is, for messages.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    "not a regular file"
}

/// Refuses, before anything is written, a rename the system would refuse: replacing another
/// user's file in a sticky directory (`/tmp`) that the caller does not own either.
fn check_replaceable(target: &Path, meta: &std::fs::Metadata) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        if me == 0 || meta.uid() == me {
            return Ok(());
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if let Ok(d) = std::fs::metadata(dir) {
            if d.mode() & 0o1000 != 0 && d.uid() != me {
                return Err(format!(
                    "cannot replace \"{}\": it belongs to another user, in a sticky directory",
                    display(target)
                ));
            }
        }
    }
    let _ = (target, meta);
    Ok(())
}

/// The name prefix of the temporaries that process `pid` of this machine writes:
/// `.iprotoc-PID.HOST.`, where `HOST` is a hash of the machine's name (8 hex digits), so that a
/// later write can tell a stale temporary of a dead process from one being written.
pub fn temporary_prefix(pid: u32) -> String {
    format!(".iprotoc-{pid}.{:08x}.", host_hash())
}

/// FNV-1a of the host name: the same in every process of the machine, and not tied to the
/// hasher of one Rust version.
fn host_hash() -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in host_name().as_slice() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

fn host_name() -> Vec<u8> {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its length; the name is NUL-terminated on success
        // (the last byte stays 0 if it was truncated).
        if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) } == 0 {
            let len = buf.iter().position(|&b| b == 0).unwrap_or(0);
            return buf[..len].to_vec();
        }
    }
    Vec::new()
}

/// Removes from `dir` the temporaries of processes of this machine that no longer run (a
/// killed compile's). Best effort: a directory that cannot be listed, or a file that cannot be
/// removed, is left as it is.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let host = format!("{:08x}", host_hash());
    let me = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(".iprotoc-")) else {
            continue;
        };
        let mut parts = rest.split('.');
        let (Some(pid), Some(h), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if h != host || pid == me || process_runs(pid) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process `pid` runs on this machine (in this PID namespace). Where that cannot be
/// told, it is taken to run.
fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        if pid <= 0 {
            return true;
        }
        // SAFETY: signal 0 only checks that the process exists.
        if unsafe { libc::kill(pid, 0) } == 0 {
            return true;
        }
        std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_names_are_refused() {
        assert!(is_safe_name("zoo/a.proto"));
        assert!(!is_safe_name("../a.proto"));
        assert!(!is_safe_name("/etc/passwd"));
        assert!(!is_safe_name("a//b.proto"));
        assert!(!is_safe_name("a\\b.proto"));
        assert!(!is_safe_name("./a.proto"));
    }

    #[test]
    fn include_directories_are_searched_in_order_skipping_those_without_the_subdirectory() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            tmp.path().join("a"),
            tmp.path().join("b"),
            tmp.path().join("c"),
        );
        std::fs::create_dir_all(a.join("other")).unwrap();
        // In `b`, the first component is a file, not a directory: skipped, not an error.
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(b.join("pkg"), "not a directory").unwrap();
        std::fs::create_dir_all(c.join("pkg")).unwrap();
        std::fs::write(c.join("pkg/x.proto"), "c").unwrap();
        std::fs::write(a.join("top.proto"), "a").unwrap();
        let r = FsResolver::new(vec![a.clone(), b, c.clone()]);
        for _ in 0..2 {
            // The second lookup answers from what the first learnt.
            let found = r.open("pkg/x.proto").unwrap();
            assert_eq!(found.contents, b"c");
            assert_eq!(found.display_path, display(&c.join("pkg/x.proto")));
        }
        assert_eq!(r.open("top.proto").unwrap().contents, b"a");
        assert_eq!(r.open("pkg/y.proto").unwrap_err(), ResolveError::NotFound);
        // A directory that appears in `a` later is not seen by this resolver, but is by a clone.
        std::fs::create_dir_all(a.join("pkg")).unwrap();
        std::fs::write(a.join("pkg/x.proto"), "a").unwrap();
        assert_eq!(r.open("pkg/x.proto").unwrap().contents, b"c");
        assert_eq!(r.clone().open("pkg/x.proto").unwrap().contents, b"a");
    }

    #[cfg(unix)]
    #[test]
    fn a_tree_is_checked_whole_before_any_file_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let (gen, outside) = (tmp.path().join("gen"), tmp.path().join("outside"));
        std::fs::create_dir_all(gen.join("ok")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(gen.join("ok/a.proto"), "old").unwrap();
        std::os::unix::fs::symlink(&outside, gen.join("ok/out")).unwrap();
        let files = [
            OutputFile::in_dir(&gen, "ok/a.proto", b"new".to_vec()),
            OutputFile::in_dir(&gen, "ok/b.proto", b"new".to_vec()),
            OutputFile::in_dir(&gen, "ok/out/c.proto", b"new".to_vec()),
        ];
        let err = write_all_atomically(&files).unwrap_err();
        assert!(err.contains("is a symlink"), "{err}");
        assert_eq!(std::fs::read(gen.join("ok/a.proto")).unwrap(), b"old");
        assert!(!gen.join("ok/b.proto").exists());
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        // A name that leaves the directory is refused the same way.
        let err = write_all_atomically(&[
            OutputFile::in_dir(&gen, "ok/a.proto", b"new".to_vec()),
            OutputFile::in_dir(&gen, "../x.proto", b"new".to_vec()),
        ])
        .unwrap_err();
        assert!(err.contains("leaves the output directory"), "{err}");
        assert_eq!(std::fs::read(gen.join("ok/a.proto")).unwrap(), b"old");
        // Without the stray file, the rest is written.
        write_all_atomically(&files[..2]).unwrap();
        assert_eq!(std::fs::read(gen.join("ok/b.proto")).unwrap(), b"new");
    }

    #[test]
    fn temporaries_name_their_process_and_machine() {
        let prefix = temporary_prefix(std::process::id());
        assert!(prefix.starts_with(&format!(".iprotoc-{}.", std::process::id())));
        assert_eq!(prefix, temporary_prefix(std::process::id()));
        assert!(process_runs(std::process::id()));
    }
}
