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
/// [`crate::compile::MAX_FILE_SIZE`] bytes. A FIFO, a device or a socket is refused without
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
    let limit = crate::compile::MAX_FILE_SIZE as u64;
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
}

impl<'a> InputNamer<'a> {
    /// A namer for these include directories, in search order.
    pub fn new(includes: &'a [PathBuf]) -> Self {
        InputNamer {
            includes,
            canonical: std::cell::OnceCell::new(),
        }
    }

    /// The first include directory's file of that name, as protoc's search finds it.
    fn find(&self, name: &str) -> Option<PathBuf> {
        self.includes
            .iter()
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
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
        if !path.is_file() {
            // A name: the compile looks it up (and says where it searched if it is not there).
            let name = input.strip_prefix("./").unwrap_or(input).replace('\\', "/");
            if is_safe_name(&name) {
                return Ok(name);
            }
            return Err(Box::new(input_error(input, "no such file")));
        }
        let canonical = path
            .canonicalize()
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
            if let Some(found) = self.find(&name) {
                if found.canonicalize().ok().as_deref() != Some(canonical.as_path()) {
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

fn input_error(input: &str, why: &str) -> Diagnostic {
    Diagnostic::error("INPUT_NOT_FOUND", format!("{input}: {why}"))
}

/// Writes every `(path, bytes)` atomically: each goes to a temporary file in its target directory,
/// and only when all are written are they renamed into place. On failure the temporaries are
/// removed and no target is touched (short of a rename failing half-way, which only a full disk
/// or a vanished directory can cause).
///
/// The temporaries are not `fsync`ed before the rename. The rename makes the outputs atomic
/// against a failed or killed compile, which is the guarantee a build needs; surviving a power
/// cut is not (protoc, rustc and cargo do not sync their outputs either), and a sync costs a
/// disk flush on every compile (0.4 ms per run on this machine's /tmp, milliseconds on a real disk).
///
/// A target that exists and is not a regular file or a directory — `/dev/null`, `/dev/stdout`, a
/// named pipe — is written to directly, after every other output is staged and before any is
/// renamed: renaming a temporary over it would replace the device or pipe with a plain file.
pub fn write_all_atomically(files: &[(PathBuf, Vec<u8>)]) -> Result<(), String> {
    let mut staged = Vec::with_capacity(files.len());
    let mut special = Vec::new();
    for (path, bytes) in files {
        let existing = std::fs::metadata(path).ok();
        if existing
            .as_ref()
            .is_some_and(|m| !m.is_file() && !m.is_dir())
        {
            special.push((path, bytes));
            continue;
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create directory \"{}\": {e}", display(&dir)))?;
        let mut builder = tempfile::Builder::new();
        builder.prefix(".iprotoc-");
        // tempfile creates files readable by their owner only; outputs get ordinary permissions
        // (those of the file being replaced, else rw-r--r--).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = existing.map_or(0o644, |m| m.permissions().mode() & 0o7777);
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let mut tmp = builder
            .tempfile_in(&dir)
            .map_err(|e| format!("cannot write in \"{}\": {e}", display(&dir)))?;
        tmp.write_all(bytes)
            .map_err(|e| format!("cannot write \"{}\": {e}", display(path)))?;
        staged.push((tmp, path));
    }
    for (path, bytes) in special {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| format!("cannot write \"{}\": {e}", display(path)))?;
    }
    for (tmp, path) in staged {
        tmp.persist(path)
            .map_err(|e| format!("cannot write \"{}\": {}", display(path), e.error))?;
    }
    Ok(())
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
}
