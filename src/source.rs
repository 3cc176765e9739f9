//! Source files, spans, and the [`FileResolver`] through which the core reads files.
//!
//! The core never touches the file system: every file it reads comes through a resolver, so tests
//! and embedders can compile from memory ([`MemoryResolver`]) and the CLI can read from disk
//! ([`crate::fs::FsResolver`], which lives outside the core's pure stages).

use std::collections::BTreeMap;
use std::fmt;

/// The largest file read: spans are `u32` byte offsets.
pub const MAX_FILE_SIZE: usize = u32::MAX as usize - 1;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one source file. Two `u32`s, so it is `Copy` and cheap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The byte range, for slicing the source text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name protoc would give the file: its path relative to the include directory it was
    /// found in, with `/` separators (`zoo/animals.iproto`).
    pub name: String,
    /// Where it was read from, for messages (the path on disk, or the name for in-memory files).
    pub display_path: String,
    /// The text. Invalid UTF-8 is replaced by U+FFFD when loading (and reported by the lexer).
    pub text: String,
    /// Byte offset of the start of each line, for line/column lookups: computed on first use
    /// (only diagnostics and source info need it, and most compilations report nothing).
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl SourceFile {
    /// Makes a source file (its lines are indexed when first asked for).
    pub fn new(
        name: impl Into<String>,
        display_path: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        SourceFile {
            name: name.into(),
            display_path: display_path.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
        }
    }

    /// Zero-based (line, column) of a byte offset; the column counts UTF-8 bytes, as protoc's
    /// source info does (tabs are not expanded here).
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let starts = self.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        (line as u32, offset - starts[line])
    }

    /// Byte offsets at which lines start.
    pub fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = vec![0u32];
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i as u32 + 1));
            starts
        })
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }
}

/// All files of one compilation, indexed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// The first file of each name (a compilation reads each name once; a language server's
    /// maps may hold a name twice).
    by_name: std::collections::HashMap<String, FileId>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.by_name.entry(file.name.clone()).or_insert(id);
        self.files.push(file);
        id
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Looks a file up by its protoc name.
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.by_name.get(name).copied()
    }

    /// Every file, with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

/// What a resolver found for a name.
#[derive(Clone, Debug)]
pub struct ResolvedFile {
    /// The name relative to the include directory (what protoc calls the file).
    pub name: String,
    /// Where it came from, for diagnostics (a path on disk).
    pub display_path: String,
    /// Raw bytes; the loader decodes them.
    pub contents: Vec<u8>,
}

/// Why a resolver could not open a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResolveError {
    /// No include directory has it.
    NotFound,
    /// It exists but could not be read.
    Io(String),
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::NotFound => f.write_str("file not found"),
            ResolveError::Io(e) => f.write_str(e),
        }
    }
}

/// How the core finds files: by protoc name (`zoo/animals.iproto`, `google/protobuf/any.proto`).
///
/// Implement it to compile from a database, an archive or memory. The compiler asks for each
/// import by the name written in the `import` statement.
pub trait FileResolver {
    /// Opens the file that protoc would call `name`.
    fn open(&self, name: &str) -> Result<ResolvedFile, ResolveError>;

    /// Where it looks, for "not found" messages (`"proto", "."`). `None` when there is nothing
    /// useful to say.
    fn search_description(&self) -> Option<String> {
        None
    }
}

/// Files held in memory, keyed by protoc name. Useful in tests and for embedders.
#[derive(Clone, Debug, Default)]
pub struct MemoryResolver {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemoryResolver {
    /// An empty resolver.
    pub fn new() -> Self {
        MemoryResolver::default()
    }

    /// Adds (or replaces) a file.
    pub fn add(&mut self, name: impl Into<String>, contents: impl Into<Vec<u8>>) -> &mut Self {
        self.files.insert(name.into(), contents.into());
        self
    }
}

impl FileResolver for MemoryResolver {
    fn open(&self, name: &str) -> Result<ResolvedFile, ResolveError> {
        self.files
            .get(name)
            .map(|c| ResolvedFile {
                name: name.to_string(),
                display_path: name.to_string(),
                contents: c.clone(),
            })
            .ok_or(ResolveError::NotFound)
    }
}

/// Where each element of a built `FileDescriptorProto` was written: keyed by the element's path
/// exactly as in `SourceCodeInfo.location.path` (e.g. `[4, 0, 2, 1]` is the second field of the
/// first message; `[4, 0, 2, 1, 3]` its number). Validation uses it to put diagnostics on the
/// user's source.
///
/// Built once per file with one entry per element and read only when a diagnostic needs a
/// location, so it is stored compactly: every path back to back in one byte arena (each
/// component as a varint, almost always one byte), plus one start offset and one span per
/// insertion. The hash index over the paths is built on the first lookup. As with a map,
/// inserting a path again replaces its span.
#[derive(Clone, Debug, Default)]
pub struct SpanMap {
    /// Every inserted path, back to back, components as varints.
    arena: Vec<u8>,
    /// Where each insertion's path starts in `arena` (it ends where the next one starts).
    starts: Vec<u32>,
    /// Each insertion's span.
    spans: Vec<Span>,
    /// Entry indices by path (the last insertion of each path), built on first lookup.
    index: std::sync::OnceLock<hashbrown::HashTable<u32>>,
}

impl SpanMap {
    /// An empty map.
    pub fn new() -> Self {
        SpanMap::default()
    }

    /// Records `span` at `path`, replacing any span recorded there before (for the tests).
    #[cfg(any(test, feature = "internals"))]
    pub fn insert(&mut self, path: impl AsRef<[i32]>, span: Span) {
        self.insert_parts(path.as_ref(), &[], span);
    }

    /// Records `span` at the path `base` followed by `more`, without building that path first.
    pub fn insert_parts(&mut self, base: &[i32], more: &[i32], span: Span) {
        self.starts.push(self.arena.len() as u32);
        encode_path(&mut self.arena, base);
        encode_path(&mut self.arena, more);
        self.spans.push(span);
        self.index.take();
    }

    /// Frees the room kept for further insertions (a map that is complete, kept for long).
    pub fn shrink_to_fit(&mut self) {
        self.arena.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.spans.shrink_to_fit();
    }

    /// The span recorded at exactly `path`.
    pub fn get(&self, path: &[i32]) -> Option<&Span> {
        let mut key = Vec::with_capacity(path.len() * 2);
        encode_path(&mut key, path);
        let index = self.index.get_or_init(|| self.build_index());
        index
            .find(hash_path(&key), |&i| self.path(i) == key.as_slice())
            .map(|&i| &self.spans[i as usize])
    }

    /// Whether exactly `path` was recorded.
    pub fn contains_key(&self, path: &[i32]) -> bool {
        self.get(path).is_some()
    }

    /// How many distinct paths are recorded.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.index.get_or_init(|| self.build_index()).len()
    }

    /// The encoded path of entry `i`.
    fn path(&self, i: u32) -> &[u8] {
        let start = self.starts[i as usize] as usize;
        let end = self
            .starts
            .get(i as usize + 1)
            .map_or(self.arena.len(), |&e| e as usize);
        &self.arena[start..end]
    }

    /// Indexes every entry by its path; a later insertion of a path replaces an earlier one.
    fn build_index(&self) -> hashbrown::HashTable<u32> {
        let mut index = hashbrown::HashTable::with_capacity(self.spans.len());
        for i in 0..self.spans.len() as u32 {
            let path = self.path(i);
            let hash = hash_path(path);
            match index.entry(
                hash,
                |&j| self.path(j) == path,
                |&j| hash_path(self.path(j)),
            ) {
                hashbrown::hash_table::Entry::Occupied(mut o) => *o.get_mut() = i,
                hashbrown::hash_table::Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        index
    }
}

impl std::ops::Index<&[i32]> for SpanMap {
    type Output = Span;

    /// The span at `path`; panics when it was not recorded.
    fn index(&self, path: &[i32]) -> &Span {
        self.get(path).expect("no span recorded at this path")
    }
}

/// Appends path components as varints (of their `u32` bits), so equal paths have equal bytes.
fn encode_path(out: &mut Vec<u8>, path: &[i32]) {
    for &c in path {
        let mut v = c as u32;
        while v >= 0x80 {
            out.push(v as u8 | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
}

/// An encoded path's hash for the [`SpanMap`] index.
fn hash_path(path: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_map_looks_up_exact_paths_and_keeps_the_last_insertion() {
        let mut m = SpanMap::new();
        m.insert(vec![4, 0], Span::new(0, 10));
        m.insert_parts(&[4, 0], &[2, 1], Span::new(2, 3));
        m.insert(vec![4, 0, 7, 50000], Span::new(4, 5));
        m.insert(vec![], Span::new(0, 99));
        assert_eq!(m.get(&[4, 0]), Some(&Span::new(0, 10)));
        assert_eq!(m.get(&[4, 0, 2, 1]), Some(&Span::new(2, 3)));
        assert_eq!(m[&[4, 0, 7, 50000][..]], Span::new(4, 5));
        assert_eq!(m.get(&[]), Some(&Span::new(0, 99)));
        assert!(!m.contains_key(&[4, 0, 2]));
        assert!(!m.contains_key(&[4, 0, 7, 50000, 0]));
        // Inserting again replaces, also after a lookup built the index.
        m.insert(vec![4, 0, 2, 1], Span::new(6, 7));
        assert_eq!(m.get(&[4, 0, 2, 1]), Some(&Span::new(6, 7)));
        assert_eq!(m.len(), 4);
    }
}
