//! The symbol table of a compilation and protobuf's name lookup rules.
//!
//! Every named element gets a fully qualified name (without the leading dot): packages (and each
//! of their prefixes), messages, enums, enum values (siblings of their enum, C++ scoping), fields,
//! oneofs, extensions, services and methods. Groups define a field and a message; map fields
//! define a nested `…Entry` message.
//!
//! [`SymbolTable::lookup`] follows protoc (`DescriptorBuilder::LookupSymbolNoPlaceholder`):
//! a relative name is searched from the innermost scope outwards by its *first* component; once
//! that component is found as an aggregate (message, enum, package, service), the rest of the name
//! must be inside it, or the lookup fails with "resolved to X, which is not defined" — it does not
//! keep searching outwards. Symbols from files that the looking-up file cannot see (not itself, a
//! direct import, or a public import of one, transitively) are not found, and the failure names the
//! file that defines them.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use foldhash::HashMap;
use hashbrown::hash_table::{self, HashTable};

use crate::ast::{self, FullIdent};
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// What a symbol names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A package or a prefix of one.
    Package,
    /// A message (including groups' and map entries' messages).
    Message,
    /// An enum.
    Enum,
    /// An enum value (defined in its enum's enclosing scope).
    EnumValue,
    /// A field of a message.
    Field,
    /// A oneof.
    Oneof,
    /// An extension field.
    Extension,
    /// A service.
    Service,
    /// An rpc of a service.
    Method,
}

impl SymbolKind {
    /// Can contain other symbols (protoc's `IsAggregate`).
    pub fn is_aggregate(self) -> bool {
        matches!(
            self,
            SymbolKind::Package | SymbolKind::Message | SymbolKind::Enum | SymbolKind::Service
        )
    }

    /// Is a type (message or enum).
    pub fn is_type(self) -> bool {
        matches!(self, SymbolKind::Message | SymbolKind::Enum)
    }

    /// How protoc describes it in messages.
    pub fn describe(self) -> &'static str {
        match self {
            SymbolKind::Package => "package",
            SymbolKind::Message => "message",
            SymbolKind::Enum => "enum",
            SymbolKind::EnumValue => "enum value",
            SymbolKind::Field => "field",
            SymbolKind::Oneof => "oneof",
            SymbolKind::Extension => "extension",
            SymbolKind::Service => "service",
            SymbolKind::Method => "method",
        }
    }
}

/// One defined name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// What it is.
    pub kind: SymbolKind,
    /// The file that defines it (for packages: the first file seen with that package).
    pub file: FileId,
    /// The name's span in that file.
    pub span: Span,
}

/// What a lookup is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupMode {
    /// Any symbol.
    Any,
    /// Only messages and enums count as a match for the whole name (a field type, a base class);
    /// protoc keeps searching outwards past other symbols of the same name.
    Types,
}

/// The result of a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Found: the fully qualified name (no leading dot) and the symbol.
    Found(String, Symbol),
    /// The first component resolved to an aggregate but the whole name is not in it:
    /// protoc's `"X" is resolved to "Y", which is not defined.`
    Undefined {
        /// The fully qualified name that was tried.
        resolved: String,
    },
    /// A matching symbol exists but in a file the looking-up file does not import.
    NotImported {
        /// Its fully qualified name.
        full_name: String,
        /// The file that defines it.
        file: FileId,
    },
    /// Nothing by that name.
    NotFound,
}

/// How many parts [`SymbolTable`]'s index is split into, by name hash, so that the parts can be
/// built on different cores. Fixed (not the thread count), so that nothing about the table
/// depends on the machine. 4 measured faster than 8 (fewer lists per file and fewer tasks: 11
/// against 13.5 ms at 10,000 messages, 1.0 against 1.3 ms at 1,000) and as fast as 2.
const SHARDS: usize = 4;

/// The shard of a name's hash: bits that hashbrown uses neither for the bucket index (the low
/// bits) nor for the control tag (the top 7), so each shard's table still sees well-spread hashes.
fn shard_of(hash: u64) -> usize {
    (hash >> 32) as usize % SHARDS
}

/// One entry of [`SymbolTable`]'s index: where a full name sits in the name arenas, and its
/// symbol.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Which of [`SymbolTable::arenas`] holds the name (the defining file's, by position).
    arena: u32,
    /// Byte offset of the name in that arena.
    start: u32,
    /// Its length in bytes.
    len: u32,
    /// What it names.
    symbol: Symbol,
}

impl Entry {
    /// The byte range of the name in its arena.
    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// Every symbol of a compilation.
///
/// The full names live end to end in one string per file (the arenas) and hash tables of
/// `Entry`s index them, so a symbol costs no allocation of its own. The index is split into
/// [`SHARDS`] tables by name hash (equal names always share a shard).
#[derive(Clone, Default)]
pub struct SymbolTable {
    /// Every full name, concatenated, one string per file given to [`SymbolTable::build`].
    arenas: Vec<String>,
    /// The symbols, hashed by full name, in the shard [`shard_of`] their hash.
    shards: [HashTable<Entry>; SHARDS],
    /// Hashes full names (fixed, so runs are reproducible).
    hasher: FixedState,
    /// For each package (and prefix), the files declaring it or a sub-package.
    package_files: HashMap<Box<str>, Vec<FileId>>,
}

impl std::fmt::Debug for SymbolTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.sorted()).finish()
    }
}

impl SymbolTable {
    /// Builds the table for files given in dependency order, reporting names defined twice (in
    /// the order of a walk of the files in that order, the first definition winning).
    /// `work_bytes` is the files' source size, for [`crate::parallel::map`]: each file is walked
    /// on its own (its names and symbols listed by shard), then each shard's table is built from
    /// every file's list for it, in file order.
    pub fn build<'a>(
        files: impl IntoIterator<Item = (FileId, &'a ast::File)>,
        work_bytes: usize,
    ) -> (SymbolTable, Vec<Diagnostic>) {
        let files: Vec<(FileId, &ast::File)> = files.into_iter().collect();
        let hasher = FixedState::default();
        let package_files = package_files(&files);
        let walked: Vec<FileSymbols> =
            crate::parallel::map(files, work_bytes, |(id, ast)| walk(id, ast, hasher));
        let built: Vec<Shard> = crate::parallel::map((0..SHARDS).collect(), work_bytes, |shard| {
            build_shard(&walked, shard, hasher)
        });
        let mut shards: [HashTable<Entry>; SHARDS] = Default::default();
        let mut found = Vec::new();
        for (slot, (index, diags)) in shards.iter_mut().zip(built) {
            *slot = index;
            found.extend(diags);
        }
        // Each record reports at most once: (file, walk position) is the serial walk's order.
        found.sort_unstable_by_key(|&(file, seq, _)| (file, seq));
        let table = SymbolTable {
            arenas: walked.into_iter().map(|w| w.names).collect(),
            shards,
            hasher,
            package_files,
        };
        (table, found.into_iter().map(|(_, _, d)| d).collect())
    }

    /// The symbol with this fully qualified name (no leading dot).
    pub fn get(&self, full_name: &str) -> Option<&Symbol> {
        self.entry(full_name).map(|(_, s)| s)
    }

    /// The number of symbols.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.len()).sum()
    }

    /// Whether there are no symbols.
    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|s| s.is_empty())
    }

    /// Every symbol, sorted by name (for deterministic iteration, e.g. did-you-mean).
    pub fn sorted(&self) -> Vec<(&str, &Symbol)> {
        let mut sorted: Vec<(&str, &Symbol)> = self
            .shards
            .iter()
            .flat_map(|s| s.iter())
            .map(|e| (self.name(e), &e.symbol))
            .collect();
        sorted.sort_unstable_by_key(|&(name, _)| name);
        sorted
    }

    /// The full name of an entry.
    fn name(&self, e: &Entry) -> &str {
        &self.arenas[e.arena as usize][e.range()]
    }

    /// The stored copy of `full` and its symbol.
    fn entry(&self, full: &str) -> Option<(&str, &Symbol)> {
        let hash = self.hasher.hash_one(full);
        self.shards[shard_of(hash)]
            .find(hash, |e| self.name(e) == full)
            .map(|e| (self.name(e), &e.symbol))
    }

    /// Adds `full` unless it is already there; returns the symbol already there. (Tables are
    /// built by [`SymbolTable::build`]; this is for tests that make one by hand.)
    #[cfg(test)]
    fn insert(&mut self, full: &str, symbol: Symbol) -> Option<Symbol> {
        if let Some(&prev) = self.get(full) {
            return Some(prev);
        }
        if self.arenas.is_empty() {
            self.arenas.push(String::new());
        }
        let arena = &mut self.arenas[0];
        let entry = Entry {
            arena: 0,
            start: arena.len() as u32,
            len: full.len() as u32,
            symbol,
        };
        arena.push_str(full);
        let hash = self.hasher.hash_one(full);
        let (arenas, hasher) = (&self.arenas, &self.hasher);
        self.shards[shard_of(hash)].insert_unique(hash, entry, |e| {
            hasher.hash_one(&arenas[e.arena as usize][e.range()])
        });
        None
    }

    /// Looks `name` up from `scope` (the fully qualified name of the innermost enclosing scope:
    /// for a field of `pkg.Outer.Inner`, the scope is `pkg.Outer.Inner`; for a top-level
    /// declaration, the package; empty for no package). `visible` says which files the
    /// looking-up file can see.
    pub fn lookup(
        &self,
        name: &FullIdent,
        scope: &str,
        mode: LookupMode,
        visible: &dyn Fn(FileId) -> bool,
    ) -> Lookup {
        let parts = &name.parts;
        let name_len: usize = parts.iter().map(|p| p.name.len() + 1).sum();
        // Every candidate is built in this one buffer.
        let mut buf = String::with_capacity(scope.len() + name_len);
        let mut hidden = None;
        let found = |hit: Option<(&str, Symbol)>, hidden| match hit {
            Some((n, s)) => Lookup::Found(n.to_string(), s),
            None => not_found(hidden),
        };
        if name.absolute {
            push_parts(&mut buf, parts);
            return found(self.find(&buf, visible, &mut hidden), hidden);
        }
        let first = parts[0].name.as_str();
        let mut scope = scope;
        loop {
            buf.clear();
            if scope.is_empty() {
                // The outermost scope: protoc looks the whole name up as is.
                push_parts(&mut buf, parts);
                return found(self.find(&buf, visible, &mut hidden), hidden);
            }
            buf.push_str(scope);
            buf.push('.');
            buf.push_str(first);
            if let Some((found_name, sym)) = self.find(&buf, visible, &mut hidden) {
                if parts.len() > 1 {
                    if sym.kind.is_aggregate() {
                        for p in &parts[1..] {
                            buf.push('.');
                            buf.push_str(&p.name);
                        }
                        return match self.find(&buf, visible, &mut hidden) {
                            Some((n, s)) => Lookup::Found(n.to_string(), s),
                            None => Lookup::Undefined { resolved: buf },
                        };
                    }
                } else if mode == LookupMode::Any || sym.kind.is_type() {
                    return Lookup::Found(found_name.to_string(), sym);
                }
            }
            scope = &scope[..scope.rfind('.').unwrap_or(0)];
        }
    }

    /// A visible symbol by exact full name (returned as the table's copy of the name); remembers
    /// a hidden one for the error message.
    fn find(
        &self,
        full: &str,
        visible: &dyn Fn(FileId) -> bool,
        hidden: &mut Option<(String, FileId)>,
    ) -> Option<(&str, Symbol)> {
        let (name, &sym) = self.entry(full)?;
        if visible(sym.file) {
            return Some((name, sym));
        }
        if sym.kind == SymbolKind::Package {
            // A package may be declared by several files: it is visible if any visible file
            // declares it (or a sub-package).
            if self
                .package_files
                .get(full)
                .is_some_and(|fs| fs.iter().any(|&f| visible(f)))
            {
                return Some((name, sym));
            }
        }
        if hidden.is_none() {
            *hidden = Some((full.to_string(), sym.file));
        }
        None
    }
}

/// Appends the parts of a name, joined by dots.
fn push_parts(buf: &mut String, parts: &[ast::Ident]) {
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            buf.push('.');
        }
        buf.push_str(&p.name);
    }
}

fn not_found(hidden: Option<(String, FileId)>) -> Lookup {
    match hidden {
        Some((full_name, file)) => Lookup::NotImported { full_name, file },
        None => Lookup::NotFound,
    }
}

/// Joins a scope and a name.
pub fn qualify(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

/// protoc's `ToJsonName`: the JSON name of a field, its name without underscores and with the
/// letter after each one upper-cased (`foo_bar_baz` → `fooBarBaz`, `_foo` → `Foo`,
/// `foo__bar` → `fooBar`). The descriptor builder fills `json_name` with it; validation and
/// lowering compare fields by it.
pub fn json_name(field: &str) -> String {
    // Bytewise, part by part between underscores (found with memchr): upper-casing only ever
    // changes an ASCII letter, and the first byte of a multi-byte character is never one, so
    // this is the same as working on chars.
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut start = 0;
    for end in memchr::memchr_iter(b'_', bytes).chain(std::iter::once(bytes.len())) {
        if let [first, rest @ ..] = &bytes[start..end] {
            out.push(if start > 0 {
                first.to_ascii_uppercase()
            } else {
                *first
            });
            out.extend_from_slice(rest);
        }
        start = end + 1;
    }
    String::from_utf8(out).expect("dropping '_' and upper-casing ASCII keeps UTF-8 valid")
}

/// Whether `json` is [`json_name`]`(field)`, without building it (for callers that only compare).
pub fn is_json_name(field: &str, json: &str) -> bool {
    is_camel_of(field, json, false)
}

/// Whether `camel` is `name` with every `_` dropped and the letter after it upper-cased (the
/// first letter too with `upper_first`), without building it: [`json_name`]'s rule, and with
/// `upper_first` the map entry's (`to_camel_case` in validation).
pub(crate) fn is_camel_of(name: &str, camel: &str, upper_first: bool) -> bool {
    let mut camel = camel.bytes();
    let mut upper = upper_first;
    for b in name.bytes() {
        if b == b'_' {
            upper = true;
            continue;
        }
        // Upper-casing only ever changes an ASCII letter, so bytes compare like chars.
        let want = if upper { b.to_ascii_uppercase() } else { b };
        upper = false;
        if camel.next() != Some(want) {
            return false;
        }
    }
    camel.next().is_none()
}

/// The name protoc gives a map field's entry message: `my_field` → `MyFieldEntry`.
pub fn map_entry_name(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 5);
    push_map_entry_name(&mut out, field);
    out
}

/// Appends [`map_entry_name`]`(field)` to `out`: each part between underscores with its first
/// letter upper-cased, then `Entry`. Part by part (found with memchr) rather than char by char:
/// `_` is ASCII, so splitting the bytes at it keeps every part valid UTF-8.
fn push_map_entry_name(out: &mut String, field: &str) {
    let mut start = 0;
    for end in memchr::memchr_iter(b'_', field.as_bytes()).chain(std::iter::once(field.len())) {
        let part = &field[start..end];
        start = end + 1;
        let mut chars = part.chars();
        let Some(first) = chars.next() else {
            continue;
        };
        if first.is_ascii() {
            out.push(first.to_ascii_uppercase());
        } else {
            out.extend(first.to_uppercase());
        }
        out.push_str(chars.as_str());
    }
    out.push_str("Entry");
}

/// For each package (and prefix), the files declaring it or a sub-package, in file order.
fn package_files(files: &[(FileId, &ast::File)]) -> HashMap<Box<str>, Vec<FileId>> {
    let mut map: HashMap<Box<str>, Vec<FileId>> = HashMap::default();
    let mut name = String::new();
    for &(file, ast) in files {
        let Some(package) = package(ast) else {
            continue;
        };
        name.clear();
        for part in &package.name.parts {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&part.name);
            match map.get_mut(name.as_str()) {
                Some(files) => files.push(file),
                None => {
                    map.insert(name.as_str().into(), vec![file]);
                }
            }
        }
    }
    map
}

/// A file's package statement (the first one, if it has several).
fn package(ast: &ast::File) -> Option<&ast::Package> {
    ast.items.iter().find_map(|i| match i {
        ast::FileItem::Package(p) => Some(p),
        _ => None,
    })
}

/// One definition made by a file: its full name (in the file's arena), hash and symbol (the
/// file is [`FileSymbols::file`]). 32 bytes: there is one per symbol, written by the walk and
/// read back once.
struct Record {
    /// The full name's hash.
    hash: u64,
    /// Byte offset of the full name in [`FileSymbols::names`].
    start: u32,
    /// Its length in bytes.
    len: u32,
    /// The name's span.
    span: Span,
    /// Its position among the file's definitions, in walk order (diagnostics' order).
    seq: u32,
    /// What it names.
    kind: SymbolKind,
}

impl Record {
    /// The byte range of the full name in the file's arena.
    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// What walking one file found: every definition's full name, and its records by shard.
struct FileSymbols {
    /// The file.
    file: FileId,
    /// Every full name the file defines, concatenated (packages' once per file).
    names: String,
    /// The definitions, by the shard of their hash, in walk order within each.
    shards: [Vec<Record>; SHARDS],
    /// Each enum's walk position and the byte range of its full name in `names`, in walk order
    /// (an enum value's enum is the last one before it), for the C++ scoping note.
    enums: Vec<(u32, u32, u32)>,
}

/// Lists the definitions of one file (phase 1 of [`SymbolTable::build`]).
fn walk(file: FileId, ast: &ast::File, hasher: FixedState) -> FileSymbols {
    let mut w = Walker {
        out: FileSymbols {
            file,
            names: String::new(),
            shards: Default::default(),
            enums: Vec::new(),
        },
        hasher,
        scope: String::new(),
        seq: 0,
    };
    w.add_file(ast);
    w.out
}

/// One shard's table, and the names defined again in it: each error with its file's position
/// and its walk position in that file.
type Shard = (HashTable<Entry>, Vec<(usize, u32, Diagnostic)>);

/// Builds one shard's table from every file's records for it, in file order, and reports the
/// names defined again.
fn build_shard(files: &[FileSymbols], shard: usize, hasher: FixedState) -> Shard {
    let count = files.iter().map(|f| f.shards[shard].len()).sum();
    let mut index: HashTable<Entry> = HashTable::with_capacity(count);
    let mut diags = Vec::new();
    let name = |e: &Entry| &files[e.arena as usize].names[e.range()];
    for (i, f) in files.iter().enumerate() {
        for r in &f.shards[shard] {
            let full = &f.names[r.range()];
            match index.entry(r.hash, |e| name(e) == full, |e| hasher.hash_one(name(e))) {
                hash_table::Entry::Occupied(e) => {
                    if let Some(d) = duplicate(f, r, full, e.get().symbol) {
                        diags.push((i, r.seq, d));
                    }
                }
                hash_table::Entry::Vacant(v) => {
                    v.insert(Entry {
                        arena: i as u32,
                        start: r.start,
                        len: r.len,
                        symbol: Symbol {
                            kind: r.kind,
                            file: f.file,
                            span: r.span,
                        },
                    });
                }
            }
        }
    }
    (index, diags)
}

/// The error for `r` (named `full`, in file `f`) when `prev` already has its name; none for a
/// package declared again.
fn duplicate(f: &FileSymbols, r: &Record, full: &str, prev: Symbol) -> Option<Diagnostic> {
    let (kind, file, span) = (r.kind, f.file, r.span);
    match kind {
        SymbolKind::Package if prev.kind == SymbolKind::Package => None,
        SymbolKind::EnumValue => {
            let msg = format!("\"{full}\" is already defined");
            let mut d = Diagnostic::error("DUPLICATE_NAME", msg)
                .at(file, span, "defined again here")
                .also(prev.file, prev.span, "first defined here");
            if prev.kind == SymbolKind::EnumValue {
                let (scope, value) = split_last(full);
                let i = f.enums.partition_point(|&(seq, _, _)| seq < r.seq);
                let (_, start, end) = f.enums[i - 1];
                let enum_full = &f.names[start as usize..end as usize];
                let enum_ = split_last(enum_full).1;
                let where_ = if scope.is_empty() {
                    "the global scope".to_string()
                } else {
                    format!("\"{scope}\"")
                };
                d = d.note(format!(
                    "enum values use C++ scoping rules: they are siblings of their type, not children of it, so \"{value}\" must be unique within {where_}, not just within \"{enum_}\""
                ));
            }
            Some(d)
        }
        _ => {
            let message = if prev.kind == SymbolKind::Package {
                format!("\"{full}\" is already defined (as something other than a package)")
            } else {
                format!("\"{full}\" is already defined")
            };
            Some(
                Diagnostic::error("DUPLICATE_NAME", message)
                    .at(
                        file,
                        span,
                        format!("this {} is defined again here", kind.describe()),
                    )
                    .also(
                        prev.file,
                        prev.span,
                        format!("first defined here as a {}", prev.kind.describe()),
                    )
                    .help("rename one of them"),
            )
        }
    }
}

/// A full name's scope and last component (`a.b.C` → `a.b`, `C`; `C` → ``, `C`).
fn split_last(full: &str) -> (&str, &str) {
    match full.rfind('.') {
        Some(dot) => (&full[..dot], &full[dot + 1..]),
        None => ("", full),
    }
}

/// Walks a file with the current scope in one buffer, listing each definition's full name.
struct Walker {
    /// What the walk found so far.
    out: FileSymbols,
    /// Hashes full names, as the table does.
    hasher: FixedState,
    /// The full name of the current scope; a name is defined by appending it here.
    scope: String,
    /// The number of definitions listed so far.
    seq: u32,
}

impl Walker {
    /// Appends `.name` (or `name` at the top) to the scope; returns the length to go back to.
    fn enter(&mut self, name: &str) -> usize {
        let len = self.scope.len();
        if len > 0 {
            self.scope.push('.');
        }
        self.scope.push_str(name);
        len
    }

    /// Goes back to the scope `enter` left.
    fn leave(&mut self, len: usize) {
        self.scope.truncate(len);
    }

    /// Defines `scope.name` as a leaf (a symbol nothing is declared inside of).
    fn define_in_scope(&mut self, name: &str, kind: SymbolKind, span: Span) {
        self.define(Some(name), kind, span);
    }

    /// Defines the current scope's full name.
    fn define_scope(&mut self, kind: SymbolKind, span: Span) {
        self.define(None, kind, span);
    }

    /// Lists the definition of `scope.name` (or of the scope itself); returns the byte range of
    /// its full name in the arena.
    fn define(&mut self, name: Option<&str>, kind: SymbolKind, span: Span) -> (u32, u32) {
        let names = &mut self.out.names;
        let start = names.len();
        names.push_str(&self.scope);
        if let Some(name) = name {
            if !self.scope.is_empty() {
                names.push('.');
            }
            names.push_str(name);
        }
        let full = &names[start..];
        let hash = self.hasher.hash_one(full);
        let start = u32::try_from(start).expect("a file's symbol names exceed 4 GiB");
        let len = full.len() as u32;
        self.out.shards[shard_of(hash)].push(Record {
            hash,
            start,
            len,
            span,
            seq: self.seq,
            kind,
        });
        self.seq += 1;
        (start, start + len)
    }

    fn add_file(&mut self, ast: &ast::File) {
        self.scope.clear();
        if let Some(p) = package(ast) {
            for part in &p.name.parts {
                self.enter(&part.name);
                self.define_scope(SymbolKind::Package, part.span);
            }
        }
        for item in &ast.items {
            match item {
                ast::FileItem::Message(m) => self.add_message(m),
                ast::FileItem::Enum(e) => self.add_enum(e),
                ast::FileItem::Extend(x) => self.add_extend(x),
                ast::FileItem::Service(s) => {
                    let len = self.enter(&s.name.name);
                    self.define_scope(SymbolKind::Service, s.name.span);
                    for item in &s.items {
                        if let ast::ServiceItem::Rpc(r) = item {
                            self.define_in_scope(&r.name.name, SymbolKind::Method, r.name.span);
                        }
                    }
                    self.leave(len);
                }
                _ => {}
            }
        }
    }

    fn add_message(&mut self, m: &ast::Message) {
        let len = self.enter(&m.name.name);
        self.define_scope(SymbolKind::Message, m.name.span);
        self.add_message_body(&m.items);
        self.leave(len);
    }

    /// The members of the message whose full name is the current scope.
    fn add_message_body(&mut self, items: &[ast::MessageItem]) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.add_field(f, SymbolKind::Field),
                ast::MessageItem::Oneof(o) => {
                    self.define_in_scope(&o.name.name, SymbolKind::Oneof, o.name.span);
                    for item in &o.items {
                        if let ast::OneofItem::Field(f) = item {
                            self.add_field(f, SymbolKind::Field);
                        }
                    }
                }
                ast::MessageItem::Message(n) => self.add_message(n),
                ast::MessageItem::Enum(e) => self.add_enum(e),
                ast::MessageItem::Extend(x) => self.add_extend(x),
                _ => {}
            }
        }
    }

    fn add_extend(&mut self, x: &ast::Extend) {
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                self.add_field(f, SymbolKind::Extension);
            }
        }
    }

    fn add_field(&mut self, f: &ast::Field, kind: SymbolKind) {
        match &f.ty {
            ast::FieldType::Group { items, .. } => {
                // A group is a field named in lower case and a message named as written.
                let field_name = f.name.name.to_ascii_lowercase();
                self.define_in_scope(&field_name, kind, f.name.span);
                let len = self.enter(&f.name.name);
                self.define_scope(SymbolKind::Message, f.name.span);
                self.add_message_body(items);
                self.leave(len);
            }
            ast::FieldType::Map { .. } => {
                self.define_in_scope(&f.name.name, kind, f.name.span);
                // The entry message lives in the message's scope (maps cannot be extensions).
                self.define_in_scope(
                    &map_entry_name(&f.name.name),
                    SymbolKind::Message,
                    f.name.span,
                );
            }
            ast::FieldType::Named(_) => self.define_in_scope(&f.name.name, kind, f.name.span),
        }
    }

    fn add_enum(&mut self, e: &ast::Enum) {
        let seq = self.seq;
        let (start, end) = self.define(Some(&e.name.name), SymbolKind::Enum, e.name.span);
        self.out.enums.push((seq, start, end));
        for item in &e.items {
            if let ast::EnumItem::Value(v) = item {
                // C++ scoping: values are siblings of their enum.
                self.define(Some(&v.name.name), SymbolKind::EnumValue, v.name.span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Ident;

    fn ident(text: &str) -> FullIdent {
        let absolute = text.starts_with('.');
        let parts = text
            .trim_start_matches('.')
            .split('.')
            .map(|p| Ident {
                name: p.to_string(),
                span: Span::default(),
            })
            .collect();
        FullIdent {
            absolute,
            parts,
            span: Span::default(),
        }
    }

    fn table(names: &[(&str, SymbolKind)]) -> SymbolTable {
        let mut t = SymbolTable::default();
        for (n, k) in names {
            t.insert(
                n,
                Symbol {
                    kind: *k,
                    file: FileId(0),
                    span: Span::default(),
                },
            );
        }
        t
    }

    #[test]
    fn relative_names_search_outwards() {
        use SymbolKind::*;
        let t = table(&[
            ("pkg", Package),
            ("pkg.A", Message),
            ("pkg.Outer", Message),
            ("pkg.Outer.A", Message),
        ]);
        let all = |_: FileId| true;
        assert_eq!(
            t.lookup(&ident("A"), "pkg.Outer", LookupMode::Types, &all),
            Lookup::Found("pkg.Outer.A".into(), *t.get("pkg.Outer.A").unwrap())
        );
        assert_eq!(
            t.lookup(&ident("A"), "pkg", LookupMode::Types, &all),
            Lookup::Found("pkg.A".into(), *t.get("pkg.A").unwrap())
        );
        assert_eq!(
            t.lookup(&ident(".pkg.A"), "pkg.Outer", LookupMode::Types, &all),
            Lookup::Found("pkg.A".into(), *t.get("pkg.A").unwrap())
        );
        assert_eq!(
            t.lookup(&ident("pkg.A"), "", LookupMode::Types, &all),
            Lookup::Found("pkg.A".into(), *t.get("pkg.A").unwrap())
        );
    }

    #[test]
    fn compound_names_stop_at_the_first_aggregate_match() {
        use SymbolKind::*;
        // `Outer.B` from inside pkg.Outer.Inner finds pkg.Outer first and must not look further.
        let t = table(&[
            ("pkg", Package),
            ("pkg.Outer", Message),
            ("pkg.Outer.Inner", Message),
            ("Outer", Message),
            ("Outer.B", Message),
        ]);
        let all = |_: FileId| true;
        assert_eq!(
            t.lookup(
                &ident("Outer.B"),
                "pkg.Outer.Inner",
                LookupMode::Types,
                &all
            ),
            Lookup::Undefined {
                resolved: "pkg.Outer.B".into()
            }
        );
    }

    #[test]
    fn type_lookups_skip_fields_of_the_same_name() {
        use SymbolKind::*;
        let t = table(&[
            ("pkg", Package),
            ("pkg.Foo", Message),
            ("pkg.M", Message),
            ("pkg.M.Foo", Field),
        ]);
        let all = |_: FileId| true;
        assert_eq!(
            t.lookup(&ident("Foo"), "pkg.M", LookupMode::Types, &all),
            Lookup::Found("pkg.Foo".into(), *t.get("pkg.Foo").unwrap())
        );
        assert_eq!(
            t.lookup(&ident("Foo"), "pkg.M", LookupMode::Any, &all),
            Lookup::Found("pkg.M.Foo".into(), *t.get("pkg.M.Foo").unwrap())
        );
    }

    #[test]
    fn symbols_of_unimported_files_are_reported_as_such() {
        use SymbolKind::*;
        let mut t = table(&[("pkg", Package)]);
        t.insert(
            "pkg.Far",
            Symbol {
                kind: Message,
                file: FileId(3),
                span: Span::default(),
            },
        );
        let only0 = |f: FileId| f == FileId(0);
        assert_eq!(
            t.lookup(&ident("Far"), "pkg", LookupMode::Types, &only0),
            Lookup::NotImported {
                full_name: "pkg.Far".into(),
                file: FileId(3)
            }
        );
    }

    /// Files whose names clash within and across files: with packages (a package over a message,
    /// a message over a package), enum values (in a package and at the top), a map entry, a
    /// group, methods and extensions.
    const CLASHING: [&str; 5] = [
        r#"syntax = "proto2"; package a.b;
           message M {
             optional int32 x = 1;
             enum E { A = 0; B = 1; }
             enum F { A = 0; }
             map<string, int32> m = 2;
             message MEntry {}
             optional group Grp = 3 { optional int32 y = 1; }
             optional int32 grp = 4;
             oneof x { int32 z = 5; }
           }
           service S { rpc R(M) returns (M); rpc R(M) returns (M); }
           extend M { optional int32 ext = 10; }"#,
        r#"syntax = "proto2"; package a;
           message b {}
           enum G { C = 0; }
           enum H { C = 0; }
           extend a.b.M { optional int32 ext = 11; }
           message M2 { message b {} }"#,
        r#"syntax = "proto3";
           message x {}
           enum G1 { Z = 0; }
           enum G2 { Z = 0; }
           message a {}"#,
        r#"syntax = "proto3"; package x.y;
           message M {}
           message M {}"#,
        r#"syntax = "proto3"; package a.b.M;
           message S {}"#,
    ];

    /// Builds the table of [`CLASHING`] (parsed without errors) with `bytes` as its work size.
    fn clashing(bytes: usize) -> (SymbolTable, Vec<Diagnostic>) {
        let files: Vec<ast::File> = CLASHING
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let (file, errors) = crate::parse::parse(FileId(i as u32), text);
                assert!(errors.is_empty(), "{errors:?}");
                file
            })
            .collect();
        SymbolTable::build(
            files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f)),
            bytes,
        )
    }

    /// A diagnostic on one line: code, message, labels (file:start..end), notes and help.
    fn one_line(d: &Diagnostic) -> String {
        let label = |l: &crate::diagnostics::Label| {
            let loc = &l.location;
            format!(
                "{}:{}..{} {}",
                loc.file.0, loc.span.start, loc.span.end, l.message
            )
        };
        let mut out = format!(
            "{} {} @{}",
            d.code,
            d.message,
            label(d.primary.as_ref().unwrap())
        );
        for l in &d.secondary {
            out += &format!(" / {}", label(l));
        }
        for n in &d.notes {
            out += &format!(" / note: {n}");
        }
        for h in &d.help {
            out += &format!(" / help: {h}");
        }
        out
    }

    /// Names defined twice are reported exactly as a walk of the files in order reports them:
    /// the first definition wins, and the errors come in file order, then walk order.
    #[test]
    fn duplicates_are_reported_in_walk_order() {
        let (table, diags) = clashing(0);
        let got: Vec<String> = diags.iter().map(one_line).collect();
        // What the serial walk (one table, filled file by file) reported.
        let expected = [
            r#"DUPLICATE_NAME "a.b.M.A" is already defined @0:150..151 defined again here / 0:112..113 first defined here / note: enum values use C++ scoping rules: they are siblings of their type, not children of it, so "A" must be unique within "a.b.M", not just within "F""#,
            r#"DUPLICATE_NAME "a.b.M.MEntry" is already defined @0:219..225 this message is defined again here / 0:191..192 first defined here as a message / help: rename one of them"#,
            r#"DUPLICATE_NAME "a.b.M.grp" is already defined @0:319..322 this field is defined again here / 0:257..260 first defined here as a field / help: rename one of them"#,
            r#"DUPLICATE_NAME "a.b.M.x" is already defined @0:347..348 this oneof is defined again here / 0:83..84 first defined here as a field / help: rename one of them"#,
            r#"DUPLICATE_NAME "a.b.S.R" is already defined @0:428..429 this method is defined again here / 0:406..407 first defined here as a method / help: rename one of them"#,
            r#"DUPLICATE_NAME "a.b" is already defined (as something other than a package) @1:49..50 this message is defined again here / 0:29..30 first defined here as a package / help: rename one of them"#,
            r#"DUPLICATE_NAME "a.C" is already defined @1:103..104 defined again here / 1:74..75 first defined here / note: enum values use C++ scoping rules: they are siblings of their type, not children of it, so "C" must be unique within "a", not just within "H""#,
            r#"DUPLICATE_NAME "Z" is already defined @2:94..95 defined again here / 2:64..65 first defined here / note: enum values use C++ scoping rules: they are siblings of their type, not children of it, so "Z" must be unique within the global scope, not just within "G2""#,
            r#"DUPLICATE_NAME "a" is already defined (as something other than a package) @2:122..123 this message is defined again here / 0:27..28 first defined here as a package / help: rename one of them"#,
            r#"DUPLICATE_NAME "x" is already defined @3:27..28 this package is defined again here / 2:38..39 first defined here as a message / help: rename one of them"#,
            r#"DUPLICATE_NAME "x.y.M" is already defined @3:75..76 this message is defined again here / 3:51..52 first defined here as a message / help: rename one of them"#,
            r#"DUPLICATE_NAME "a.b.M" is already defined @4:31..32 this package is defined again here / 0:51..52 first defined here as a message / help: rename one of them"#,
        ];
        assert_eq!(got, expected, "{got:#?}");
        assert_eq!(table.get("a.b").unwrap().kind, SymbolKind::Package);
        assert_eq!(table.get("a.b.M.grp").unwrap().kind, SymbolKind::Field);
        assert_eq!(table.get("a.b.M.MEntry").unwrap().kind, SymbolKind::Message);
        assert_eq!(table.package_files["a"], [FileId(0), FileId(1), FileId(4)]);
        assert_eq!(table.package_files["a.b.M"], [FileId(4)]);
        let sorted = table.sorted();
        assert_eq!(sorted.len(), table.len());
        assert!(sorted.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// The table and its errors do not depend on the number of threads building them.
    #[test]
    fn tables_do_not_depend_on_the_thread_count() {
        let build = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            // A work size over the threshold, so that several threads are used when there are.
            pool.install(|| {
                let (table, diags) = clashing(crate::parallel::MIN_PARALLEL_BYTES);
                (format!("{table:?}"), diags)
            })
        };
        let one = build(1);
        assert!(!one.1.is_empty());
        for threads in [2, 3, 8] {
            assert_eq!(build(threads), one, "{threads} threads");
        }
        let (table, diags) = clashing(0);
        assert_eq!((format!("{table:?}"), diags), one);
    }

    #[test]
    fn json_names_follow_protoc() {
        for (field, json) in [
            ("foo_bar_baz", "fooBarBaz"),
            ("_foo", "Foo"),
            ("foo__bar", "fooBar"),
            ("foo_", "foo"),
            ("foo_1", "foo1"),
            ("FooBar", "FooBar"),
            ("", ""),
            ("_", ""),
            ("a_\u{e9}t\u{e9}", "a\u{e9}t\u{e9}"),
        ] {
            assert_eq!(json_name(field), json, "{field}");
            assert!(is_json_name(field, json), "{field}");
            assert!(!is_json_name(field, &format!("{json}x")), "{field}");
        }
        assert!(!is_json_name("foo_bar", "foobar"));
        assert!(!is_json_name("foo_bar", "fooBa"));
        assert!(!is_json_name("foo", ""));
    }

    #[test]
    fn map_entry_names_follow_protoc() {
        assert_eq!(map_entry_name("my_field"), "MyFieldEntry");
        assert_eq!(map_entry_name("values"), "ValuesEntry");
        assert_eq!(map_entry_name("a__b"), "ABEntry");
        assert_eq!(map_entry_name("_x_"), "XEntry");
        assert_eq!(map_entry_name(""), "Entry");
        assert_eq!(map_entry_name("Already"), "AlreadyEntry");
        assert_eq!(
            map_entry_name("\u{e9}t\u{e9}_\u{df}x"),
            "\u{c9}t\u{e9}SSxEntry"
        );
    }
}
