//! Loading: the inputs and every file they import, read through the [`FileResolver`] (else
//! taken from the built-in well-known types), decoded, lexed and parsed, in dependency order.
//!
//! Files are read breadth first and parsed on all cores as they arrive ([`preload`]); the
//! depth-first walk that follows gives each file its [`FileId`] in the order protoc visits them
//! (each file after the files it imports), so ids, and the order of everything downstream, do not
//! depend on thread timing. Missing imports and import cycles are reported here.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::ast::{self, FileItem, ImportKind};
use crate::diagnostics::Diagnostic;
use crate::source::{
    FileId, FileResolver, ResolveError, SourceFile, SourceMap, Span, MAX_FILE_SIZE,
};
use crate::{parse, wkt};

/// What loading produced besides the trees.
#[derive(Default)]
pub(crate) struct LoadLog {
    /// Every file read, for rendering diagnostics.
    pub sources: SourceMap,
    /// Where each file was read from (not the built-in well-known types).
    pub files_read: Vec<String>,
    /// Unreadable and undecodable files, syntax errors, missing imports, import cycles.
    pub diagnostics: Vec<Diagnostic>,
}

/// Which parsed trees get their comments attached: read only by source info and by the `.proto`
/// printer, so other trees are parsed without them.
#[derive(Clone, Copy)]
pub(crate) struct CommentPolicy {
    /// Every file (source info).
    pub all: bool,
    /// When a `.proto` tree is printed: which parsed files lowering changes. Their lowered text
    /// is printed, so they need comments: every `.iproto` file, and each `.proto` file this says
    /// lowering changes (rare, and known only once it is parsed: it is parsed again).
    pub printed: Option<fn(&ast::File) -> bool>,
}

impl CommentPolicy {
    /// Whether to attach comments when parsing `name`.
    fn before_parsing(self, name: &str) -> bool {
        self.all || (self.printed.is_some() && name.ends_with(".iproto"))
    }

    /// Whether a tree parsed without comments must be parsed again with them.
    fn again(self, tree: &ast::File) -> bool {
        self.printed
            .is_some_and(|changed_by_lowering| changed_by_lowering(tree))
    }
}

/// Parsed trees by file content, kept between compilations (a language server compiles on every
/// keystroke): a file whose text did not change is not parsed again. Trees are parsed with their
/// comments, so one entry serves every [`CommentPolicy`]. Entries not used since the last
/// [`ParseCache::sweep`] are dropped by it, so the cache holds what the last compilations read.
#[derive(Default)]
pub struct ParseCache {
    entries: Mutex<HashMap<u64, CacheEntry>>,
}

/// One parsed text.
struct CacheEntry {
    text: String,
    ast: ast::File,
    /// Located in [`PROVISIONAL`].
    diags: Vec<Diagnostic>,
    /// Used since the last sweep.
    used: bool,
}

impl ParseCache {
    /// An empty cache.
    pub fn new() -> ParseCache {
        ParseCache::default()
    }

    /// The tree and parse diagnostics of `text`, parsed now unless already cached.
    fn parse(&self, text: &str) -> (ast::File, Vec<Diagnostic>) {
        use std::hash::BuildHasher;
        let key = foldhash::fast::FixedState::with_seed(0).hash_one(text);
        let entries = || self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = entries().get_mut(&key).filter(|e| e.text == text) {
            e.used = true;
            return (e.ast.clone(), e.diags.clone());
        }
        let (ast, diags) =
            parse::parse_with(PROVISIONAL, text, parse::ParseOptions { comments: true });
        entries().insert(
            key,
            CacheEntry {
                text: text.to_string(),
                ast: ast.clone(),
                diags: diags.clone(),
                used: true,
            },
        );
        (ast, diags)
    }

    /// Drops the entries not used since the last sweep.
    pub fn sweep(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|_, e| std::mem::replace(&mut e.used, false));
    }
}

/// A loaded, parsed file.
pub(crate) struct LoadedFile {
    pub id: FileId,
    /// The name protoc knows it by (`zoo/animals.iproto`).
    pub name: String,
    /// Taken from iprotoc's own well-known types (the resolver did not have it).
    pub builtin: bool,
    /// The tree as parsed; lowering takes it.
    pub ast: ast::File,
    /// Its import statements, in order.
    pub imports: Vec<ResolvedImport>,
}

/// An import statement and the file it names.
pub(crate) struct ResolvedImport {
    pub kind: ImportKind,
    /// Index into `Loaded::files`; `None` when missing (already reported).
    pub target: Option<usize>,
}

/// Every file of the compilation, in dependency order (each after the files it imports).
#[derive(Default)]
pub(crate) struct Loaded {
    pub files: Vec<LoadedFile>,
    /// `Loaded::files` index of each input, in command-line order (deduplicated).
    pub input_indices: Vec<usize>,
    /// The same indices as a set, for [`Loaded::is_input`].
    input_set: HashSet<usize>,
    /// `Loaded::files` index of each file id.
    pub index_of: HashMap<FileId, usize>,
}

impl Loaded {
    /// Whether `Loaded::files[i]` is an input (named on the command line).
    pub fn is_input(&self, i: usize) -> bool {
        self.input_set.contains(&i)
    }

    /// Records `Loaded::files[i]` as an input, once.
    fn add_input(&mut self, i: usize) {
        if self.input_set.insert(i) {
            self.input_indices.push(i);
        }
    }
}

/// A file being visited by the depth-first load.
struct Pending {
    id: FileId,
    name: String,
    builtin: bool,
    ast: ast::File,
    /// The import statements: kind, name as written, span of the name.
    imports: Vec<(ImportKind, String, Span)>,
    /// Resolved so far (by position in `imports`).
    resolved: Vec<ResolvedImport>,
}

/// Reads and parses the inputs and everything they import, depth-first with an explicit stack (a
/// long import chain cannot overflow the call stack), reporting missing files and cycles.
/// Comments are attached to the trees `comments` asks for.
/// With a `cache`, files whose text it holds are not parsed again.
pub(crate) fn load(
    resolver: &dyn FileResolver,
    inputs: &[String],
    comments: CommentPolicy,
    cache: Option<&ParseCache>,
) -> (Loaded, LoadLog) {
    let mut log_value = LoadLog::default();
    let log = &mut log_value;
    let mut preloaded = preload(resolver, inputs, comments, cache);
    let mut loaded = Loaded::default();
    // State of each name: being loaded (on the stack) or done (index into loaded.files).
    let mut done: HashMap<String, usize> = HashMap::new();
    let mut on_stack: Vec<Pending> = Vec::new();
    // The position of each name on `on_stack`, so an import cycle is found in constant time (a
    // scan of the stack made a long import chain quadratic).
    let mut stack_pos: HashMap<String, usize> = HashMap::new();
    let mut missing: HashSet<String> = HashSet::new();

    for input in inputs {
        if let Some(&i) = done.get(input.as_str()) {
            loaded.add_input(i);
            continue;
        }
        match open(resolver, &mut preloaded, input, comments, cache, log) {
            Ok(p) => {
                stack_pos.insert(p.name.clone(), on_stack.len());
                on_stack.push(p);
            }
            Err(e) => {
                let mut d = Diagnostic::error("INPUT_NOT_FOUND", format!("{input}: {e}"));
                if e == ResolveError::NotFound {
                    d = d.help(resolver_help(resolver, input));
                }
                log.diagnostics.push(d);
                continue;
            }
        }
        while let Some(top) = on_stack.last() {
            let next = top.resolved.len();
            if next == top.imports.len() {
                let p = on_stack.pop().expect("stack is not empty");
                stack_pos.remove(&p.name);
                let index = loaded.files.len();
                done.insert(p.name.clone(), index);
                loaded.index_of.insert(p.id, index);
                loaded.files.push(LoadedFile {
                    id: p.id,
                    name: p.name,
                    builtin: p.builtin,
                    ast: p.ast,
                    imports: p.resolved,
                });
                continue;
            }
            let (kind, name, span) = top.imports[next].clone();
            let file = top.id;
            let target = if let Some(&j) = done.get(&name) {
                Some(j)
            } else if let Some(&pos) = stack_pos.get(&name) {
                let mut chain: Vec<&str> =
                    on_stack[pos..].iter().map(|p| p.name.as_str()).collect();
                chain.push(&name);
                log.diagnostics.push(
                    Diagnostic::error("IMPORT_CYCLE", format!("file recursively imports itself: {}", chain.join(" -> ")))
                        .at(file, span, "this import closes the cycle")
                        .help("protobuf imports cannot form a cycle: move the shared definitions into a file both can import"),
                );
                None
            } else if missing.contains(&name) {
                log.diagnostics.push(missing_import(
                    resolver,
                    file,
                    span,
                    &name,
                    &ResolveError::NotFound,
                ));
                None
            } else {
                match open(resolver, &mut preloaded, &name, comments, cache, log) {
                    Ok(p) => {
                        // Visit the import first; this statement is resolved when it is done.
                        stack_pos.insert(p.name.clone(), on_stack.len());
                        on_stack.push(p);
                        continue;
                    }
                    Err(e) => {
                        log.diagnostics
                            .push(missing_import(resolver, file, span, &name, &e));
                        missing.insert(name);
                        None
                    }
                }
            };
            on_stack
                .last_mut()
                .expect("stack is not empty")
                .resolved
                .push(ResolvedImport { kind, target });
        }
        if let Some(&i) = done.get(input.as_str()) {
            loaded.add_input(i);
        }
    }
    (loaded, log_value)
}

fn missing_import(
    resolver: &dyn FileResolver,
    file: FileId,
    span: Span,
    name: &str,
    e: &ResolveError,
) -> Diagnostic {
    match e {
        ResolveError::NotFound => Diagnostic::error(
            "IMPORT_NOT_FOUND",
            format!("import \"{name}\" was not found"),
        )
        .at(file, span, "no include directory has this file")
        .help(resolver_help(resolver, name)),
        ResolveError::Io(msg) => Diagnostic::error(
            "IMPORT_UNREADABLE",
            format!("import \"{name}\" could not be read: {msg}"),
        )
        .at(file, span, "this file could not be read"),
    }
}

fn resolver_help(resolver: &dyn FileResolver, name: &str) -> String {
    match resolver.search_description() {
        Some(dirs) => {
            format!("looked for \"{name}\" in {dirs}; add the directory that holds it with -I")
        }
        None => format!("make \"{name}\" available to the resolver"),
    }
}

/// A file read, decoded and parsed ahead of the depth-first load, which only has to give it its
/// [`FileId`] (in the same order as without preloading, so diagnostics sort the same).
struct Preloaded {
    display_path: String,
    builtin: bool,
    text: String,
    /// Offset of the first byte that is not UTF-8.
    bad_utf8: Option<usize>,
    ast: ast::File,
    /// Located in [`PROVISIONAL`]: the loader moves them to the file's id.
    diags: Vec<Diagnostic>,
}

/// The file id parse diagnostics carry until the loader assigns the real one.
const PROVISIONAL: FileId = FileId(u32::MAX);

/// Reads every file the inputs reach through imports, breadth first, and parses each wave of
/// newly discovered files on all cores. Reading goes through the resolver on this thread (it need
/// not be `Sync`), while helper threads parse what is read ([`crate::parallel::map_as_produced`]);
/// the results are keyed by name, so they do not depend on thread timing.
/// Comments are attached to the trees `comments` asks for.
fn preload(
    resolver: &dyn FileResolver,
    inputs: &[String],
    comments: CommentPolicy,
    cache: Option<&ParseCache>,
) -> HashMap<String, Result<Preloaded, ResolveError>> {
    let mut done: HashMap<String, Result<Preloaded, ResolveError>> = HashMap::new();
    let mut wave: Vec<String> = Vec::new();
    // Every name ever put in a wave.
    let mut queued: HashSet<String> = HashSet::new();
    for i in inputs {
        if queued.insert(i.clone()) {
            wave.push(i.clone());
        }
    }
    while !wave.is_empty() {
        // Files are parsed on helper threads while this thread reads the rest of the wave.
        let mut failed = Vec::new();
        let read = wave
            .drain(..)
            .filter_map(|name| match read_file(resolver, &name) {
                Ok(r) => {
                    let size = r.text.len();
                    Some(((name, r), size))
                }
                Err(e) => {
                    failed.push((name, e));
                    None
                }
            });
        let parsed = crate::parallel::map_as_produced(read, |(name, r)| {
            let p = parse_one(&name, r, comments, cache);
            (name, p)
        });
        for (name, e) in failed {
            done.insert(name, Err(e));
        }
        let mut next: Vec<String> = Vec::new();
        for (name, p) in parsed {
            for item in &p.ast.items {
                if let FileItem::Import(imp) = item {
                    let target = imp.path.to_text();
                    if !queued.contains(&target) {
                        queued.insert(target.clone());
                        next.push(target);
                    }
                }
            }
            done.insert(name, Ok(p));
        }
        wave = next;
    }
    done
}

/// A file as read: display path, text, whether built in, and where UTF-8 decoding failed.
struct Read {
    display_path: String,
    builtin: bool,
    text: String,
    bad_utf8: Option<usize>,
}

/// Reads one file from the resolver, else the built-in well-known types, and decodes it.
fn read_file(resolver: &dyn FileResolver, name: &str) -> Result<Read, ResolveError> {
    let (display_path, contents, builtin) = match resolver.open(name) {
        Ok(f) => (f.display_path, f.contents, false),
        Err(ResolveError::NotFound) => match wkt::get(name) {
            Some(text) => (format!("<built-in>/{name}"), text.as_bytes().to_vec(), true),
            None => return Err(ResolveError::NotFound),
        },
        Err(e) => return Err(e),
    };
    if contents.len() > MAX_FILE_SIZE {
        return Err(ResolveError::Io(format!(
            "{display_path}: the file is larger than 4 GiB, the most iprotoc reads"
        )));
    }
    let (text, bad_utf8) = match String::from_utf8(contents) {
        Ok(t) => (t, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    };
    Ok(Read {
        display_path,
        builtin,
        text,
        bad_utf8,
    })
}

/// Parses one file as read, attaching comments if `comments` asks for them.
fn parse_one(
    name: &str,
    r: Read,
    comments: CommentPolicy,
    cache: Option<&ParseCache>,
) -> Preloaded {
    let (ast, diags) = if let Some(cache) = cache {
        cache.parse(&r.text)
    } else {
        let first = comments.before_parsing(name);
        let options = parse::ParseOptions { comments: first };
        let (ast, diags) = parse::parse_with(PROVISIONAL, &r.text, options);
        if !first && !r.builtin && comments.again(&ast) {
            parse::parse_with(PROVISIONAL, &r.text, parse::ParseOptions { comments: true })
        } else {
            (ast, diags)
        }
    };
    Preloaded {
        display_path: r.display_path,
        builtin: r.builtin,
        text: r.text,
        bad_utf8: r.bad_utf8,
        ast,
        diags,
    }
}

/// Opens one file: takes it from the preloaded files (else reads and parses it now), gives it
/// its id and reports undecodable bytes.
fn open(
    resolver: &dyn FileResolver,
    preloaded: &mut HashMap<String, Result<Preloaded, ResolveError>>,
    name: &str,
    comments: CommentPolicy,
    cache: Option<&ParseCache>,
    log: &mut LoadLog,
) -> Result<Pending, ResolveError> {
    let p = match preloaded.remove(name) {
        Some(p) => p?,
        None => parse_one(name, read_file(resolver, name)?, comments, cache),
    };
    if !p.builtin {
        log.files_read.push(p.display_path.clone());
    }
    let id = log
        .sources
        .add(SourceFile::new(name, p.display_path, p.text));
    if let Some(at) = p.bad_utf8 {
        log.diagnostics.push(
            Diagnostic::error("INVALID_UTF8", "the file is not valid UTF-8")
                // The text holds U+FFFD (3 bytes) where the bad byte was; the prefix is unchanged.
                .at(id, Span::new(at, at + char::REPLACEMENT_CHARACTER.len_utf8()), "this byte is not UTF-8")
                .help("protobuf files are UTF-8 text: save the file as UTF-8 (use escapes such as \\xFF for bytes in strings)"),
        );
    }
    let tree = p.ast;
    log.diagnostics.extend(p.diags.into_iter().map(|mut d| {
        for label in d.primary.iter_mut().chain(d.secondary.iter_mut()) {
            label.location.file = id;
        }
        d
    }));
    check_package_length(id, &tree, log);
    let imports = tree
        .items
        .iter()
        .filter_map(|item| match item {
            FileItem::Import(imp) => Some((imp.kind, imp.path.to_text(), imp.path.span)),
            _ => None,
        })
        .collect();
    Ok(Pending {
        id,
        name: name.to_string(),
        builtin: p.builtin,
        ast: tree,
        imports,
        resolved: Vec::new(),
    })
}

/// The most components a package name may have. Every prefix of a package is a symbol (as in
/// protoc), so the symbol table holds a quadratic number of bytes in the package's length: 50,000
/// components took minutes and gigabytes. Real packages have a handful.
pub const MAX_PACKAGE_COMPONENTS: usize = 1000;

fn check_package_length(id: FileId, tree: &ast::File, log: &mut LoadLog) {
    for item in &tree.items {
        let FileItem::Package(p) = item else { continue };
        if let Some(first_extra) = p.name.parts.get(MAX_PACKAGE_COMPONENTS) {
            let end = p.name.parts.last().map_or(first_extra.span, |l| l.span);
            log.diagnostics.push(
                Diagnostic::error(
                    "PACKAGE_TOO_LONG",
                    format!(
                        "the package name has {} components; iprotoc reads at most {MAX_PACKAGE_COMPONENTS}",
                        p.name.parts.len()
                    ),
                )
                .at(id, first_extra.span.to(end), "too many components"),
            );
        }
    }
}

/// How many more files public imports may make visible, over all files together, than the
/// files and import statements themselves (see [`visible_files`]): a chain of `n` files each
/// importing the next publicly makes file `i` see the `n - i` after it, `n²/2` in all. Each file
/// and import statement adds [`VISIBLE_PER_IMPORT`] to this allowance, so no real schema set
/// meets it (googleapis needs none); an attacker's chain stops at about 3,000 files.
pub const MAX_PUBLIC_VISIBILITY: usize = 1 << 22;

/// What each file and import statement adds to [`MAX_PUBLIC_VISIBILITY`].
pub const VISIBLE_PER_IMPORT: usize = 64;

/// Which files (by `Loaded::files` index) each file can see: itself, its imports, and their
/// public imports, transitively. Kept as a sorted list per file, so memory and time follow the
/// imports (a bitmap per file over all files was `n²`: 10 GB for 100,000 files).
///
/// The lists of public re-exports are bounded by [`MAX_PUBLIC_VISIBILITY`]: past it, the second
/// value is the index of the file whose list went over, and that file and the ones after it
/// see only themselves and their direct imports (the driver reports the file and stops).
pub(crate) fn visible_files(files: &[LoadedFile]) -> (Vec<Visible>, Option<usize>) {
    let files_and_imports: usize = files.iter().map(|f| 1 + f.imports.len()).sum();
    let mut allowance =
        MAX_PUBLIC_VISIBILITY.saturating_add(files_and_imports.saturating_mul(VISIBLE_PER_IMPORT));
    let mut over = None;
    // One scratch bitmap for all files, cleared after each through the list it produced.
    let mut seen = vec![false; files.len()];
    let mut stack = Vec::new();
    let lists = (0..files.len())
        .map(|i| {
            let mut list = vec![i as u32];
            seen[i] = true;
            let imports = files[i].imports.iter().filter_map(|imp| imp.target);
            stack.extend(imports);
            let direct = stack.len();
            while let Some(j) = stack.pop() {
                if std::mem::replace(&mut seen[j], true) {
                    continue;
                }
                list.push(j as u32);
                if over.is_some() {
                    continue; // direct imports only
                }
                stack.extend(
                    files[j]
                        .imports
                        .iter()
                        .filter(|imp| imp.kind == ImportKind::Public)
                        .filter_map(|imp| imp.target),
                );
            }
            for &j in &list {
                seen[j as usize] = false;
            }
            let extra = list.len().saturating_sub(1 + direct);
            if over.is_none() {
                match allowance.checked_sub(extra) {
                    Some(left) => allowance = left,
                    None => over = Some(i),
                }
            }
            list.sort_unstable();
            Visible(list)
        })
        .collect();
    (lists, over)
}

/// The error for `file`, whose public imports took the files' visible sets past
/// [`MAX_PUBLIC_VISIBILITY`] (see [`visible_files`]), at its first public import.
pub(crate) fn too_visible(file: &LoadedFile) -> Diagnostic {
    let at = file.ast.items.iter().find_map(|item| match item {
        ast::FileItem::Import(imp) if imp.kind == ImportKind::Public => Some(imp.span),
        _ => None,
    });
    let d = Diagnostic::error(
        "PUBLIC_IMPORTS_TOO_DEEP",
        format!(
            "public imports make too many files visible: at `{}` the files re-exported to other \
             files pass {MAX_PUBLIC_VISIBILITY} (plus {VISIBLE_PER_IMPORT} per file and import), \
             the most iprotoc follows",
            file.name
        ),
    )
    .note("each file sees every file its imports re-export with `import public`, transitively; a long chain of public imports makes that grow with the square of its length")
    .help("import the files a file uses directly instead of through chains of `import public`");
    match at {
        Some(span) => d.at(file.id, span, "a public import of a long chain"),
        None => d.at(file.id, Span::new(0, 0), "this file sees too many files"),
    }
}

/// The files one file can see, by `Loaded::files` index (see [`visible_files`]).
pub(crate) struct Visible(Vec<u32>);

impl Visible {
    pub fn contains(&self, j: usize) -> bool {
        self.0.binary_search(&(j as u32)).is_ok()
    }
}
