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

/// One entry of [`SymbolTable`]'s index: where a full name sits in the name arena, and its symbol.
#[derive(Clone, Copy, Debug)]
struct Entry {
    /// Byte offset of the name in [`SymbolTable::names`].
    start: u32,
    /// Its length in bytes.
    len: u32,
    /// What it names.
    symbol: Symbol,
}

impl Entry {
    /// The byte range of the name in the arena.
    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// Every symbol of a compilation.
///
/// The full names live end to end in one string (the arena) and a hash table of `Entry`s
/// indexes them, so a symbol costs no allocation of its own.
#[derive(Clone, Default)]
pub struct SymbolTable {
    /// Every full name, concatenated.
    names: String,
    /// The symbols, hashed by full name.
    index: HashTable<Entry>,
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
    /// Builds the table for files given in dependency order, reporting names defined twice.
    pub fn build<'a>(
        files: impl IntoIterator<Item = (FileId, &'a ast::File)>,
    ) -> (SymbolTable, Vec<Diagnostic>) {
        let files: Vec<(FileId, &ast::File)> = files.into_iter().collect();
        let mut b = Builder {
            table: SymbolTable::default(),
            diags: Vec::new(),
            scope: String::new(),
        };
        // Sizing the index up front saves rehashing it as it grows.
        let count = files.iter().map(|(_, f)| count::file(f)).sum();
        b.table.index.reserve(count, |_| unreachable!("empty"));
        // Full names average a few dozen bytes: reserving the arena saves copying it as it
        // doubles (the slack is given back below, in place when it is under half).
        b.table.names.reserve(count * 40);
        for (id, file) in files {
            b.add_file(id, file);
        }
        // The table lives as long as the compilation: give back the arena's growth slack.
        b.table.names.shrink_to_fit();
        (b.table, b.diags)
    }

    /// The symbol with this fully qualified name (no leading dot).
    pub fn get(&self, full_name: &str) -> Option<&Symbol> {
        self.entry(full_name).map(|(_, s)| s)
    }

    /// The number of symbols.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether there are no symbols.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Every symbol, sorted by name (for deterministic iteration, e.g. did-you-mean).
    pub fn sorted(&self) -> Vec<(&str, &Symbol)> {
        let mut sorted: Vec<(&str, &Symbol)> = self
            .index
            .iter()
            .map(|e| (&self.names[e.range()], &e.symbol))
            .collect();
        sorted.sort_unstable_by_key(|&(name, _)| name);
        sorted
    }

    /// The stored copy of `full` and its symbol.
    fn entry(&self, full: &str) -> Option<(&str, &Symbol)> {
        let hash = self.hasher.hash_one(full);
        self.index
            .find(hash, |e| &self.names[e.range()] == full)
            .map(|e| (&self.names[e.range()], &e.symbol))
    }

    /// Adds `full` unless it is already there; returns the symbol already there.
    fn insert(&mut self, full: &str, symbol: Symbol) -> Option<Symbol> {
        let SymbolTable {
            names,
            index,
            hasher,
            ..
        } = self;
        let hash = hasher.hash_one(full);
        match index.entry(
            hash,
            |e| &names[e.range()] == full,
            |e| hasher.hash_one(&names[e.range()]),
        ) {
            hash_table::Entry::Occupied(e) => Some(e.get().symbol),
            hash_table::Entry::Vacant(v) => {
                let start = u32::try_from(names.len()).expect("symbol names exceed 4 GiB");
                names.push_str(full);
                v.insert(Entry {
                    start,
                    len: full.len() as u32,
                    symbol,
                });
                None
            }
        }
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

/// About the number of symbols of a file (enum and service options count too, groups in oneofs
/// do not), to size the table.
mod count {
    use crate::ast;

    /// The symbols `file` defines (packages counted per file).
    pub fn file(file: &ast::File) -> usize {
        file.items
            .iter()
            .map(|item| match item {
                ast::FileItem::Package(p) => p.name.parts.len(),
                ast::FileItem::Message(m) => message(m),
                ast::FileItem::Enum(e) => enum_(e),
                ast::FileItem::Extend(x) => extend(x),
                ast::FileItem::Service(s) => 1 + s.items.len(),
                _ => 0,
            })
            .sum()
    }

    fn message(m: &ast::Message) -> usize {
        1 + body(&m.items)
    }

    fn body(items: &[ast::MessageItem]) -> usize {
        items
            .iter()
            .map(|item| match item {
                ast::MessageItem::Field(f) => field(f),
                ast::MessageItem::Oneof(o) => 1 + o.items.len(),
                ast::MessageItem::Message(n) => message(n),
                ast::MessageItem::Enum(e) => enum_(e),
                ast::MessageItem::Extend(x) => extend(x),
                _ => 0,
            })
            .sum()
    }

    fn field(f: &ast::Field) -> usize {
        match &f.ty {
            ast::FieldType::Group { items, .. } => 2 + body(items),
            ast::FieldType::Map { .. } => 2,
            ast::FieldType::Named(_) => 1,
        }
    }

    fn enum_(e: &ast::Enum) -> usize {
        1 + e.items.len()
    }

    fn extend(x: &ast::Extend) -> usize {
        x.items.len()
    }
}

/// Builds a [`SymbolTable`], walking each file with the current scope in one buffer.
struct Builder {
    table: SymbolTable,
    diags: Vec<Diagnostic>,
    /// The full name of the current scope; a name is defined by appending it here.
    scope: String,
}

impl Builder {
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
    fn define_in_scope(&mut self, name: &str, kind: SymbolKind, file: FileId, span: Span) {
        let len = self.enter(name);
        self.define_scope(kind, file, span);
        self.leave(len);
    }

    /// Defines the current scope's full name.
    fn define_scope(&mut self, kind: SymbolKind, file: FileId, span: Span) {
        let full = std::mem::take(&mut self.scope);
        self.define(&full, kind, file, span);
        self.scope = full;
    }

    fn add_file(&mut self, file: FileId, ast: &ast::File) {
        let package = ast.items.iter().find_map(|i| match i {
            ast::FileItem::Package(p) => Some(p),
            _ => None,
        });
        self.scope.clear();
        if let Some(p) = package {
            for part in &p.name.parts {
                self.enter(&part.name);
                let scope = self.scope.as_str();
                match self.table.package_files.get_mut(scope) {
                    Some(files) => files.push(file),
                    None => {
                        self.table.package_files.insert(scope.into(), vec![file]);
                    }
                }
                let package = Symbol {
                    kind: SymbolKind::Package,
                    file,
                    span: part.span,
                };
                match self.table.get(scope) {
                    Some(s) if s.kind == SymbolKind::Package => {}
                    Some(_) => self.define_scope(SymbolKind::Package, file, part.span),
                    None => {
                        self.table.insert(scope, package);
                    }
                }
            }
        }
        for item in &ast.items {
            match item {
                ast::FileItem::Message(m) => self.add_message(file, m),
                ast::FileItem::Enum(e) => self.add_enum(file, e),
                ast::FileItem::Extend(x) => self.add_extend(file, x),
                ast::FileItem::Service(s) => {
                    let len = self.enter(&s.name.name);
                    self.define_scope(SymbolKind::Service, file, s.name.span);
                    for item in &s.items {
                        if let ast::ServiceItem::Rpc(r) = item {
                            self.define_in_scope(
                                &r.name.name,
                                SymbolKind::Method,
                                file,
                                r.name.span,
                            );
                        }
                    }
                    self.leave(len);
                }
                _ => {}
            }
        }
    }

    fn add_message(&mut self, file: FileId, m: &ast::Message) {
        let len = self.enter(&m.name.name);
        self.define_scope(SymbolKind::Message, file, m.name.span);
        self.add_message_body(file, &m.items);
        self.leave(len);
    }

    /// The members of the message whose full name is the current scope.
    fn add_message_body(&mut self, file: FileId, items: &[ast::MessageItem]) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.add_field(file, f, SymbolKind::Field),
                ast::MessageItem::Oneof(o) => {
                    self.define_in_scope(&o.name.name, SymbolKind::Oneof, file, o.name.span);
                    for item in &o.items {
                        if let ast::OneofItem::Field(f) = item {
                            self.add_field(file, f, SymbolKind::Field);
                        }
                    }
                }
                ast::MessageItem::Message(n) => self.add_message(file, n),
                ast::MessageItem::Enum(e) => self.add_enum(file, e),
                ast::MessageItem::Extend(x) => self.add_extend(file, x),
                _ => {}
            }
        }
    }

    fn add_extend(&mut self, file: FileId, x: &ast::Extend) {
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                self.add_field(file, f, SymbolKind::Extension);
            }
        }
    }

    fn add_field(&mut self, file: FileId, f: &ast::Field, kind: SymbolKind) {
        match &f.ty {
            ast::FieldType::Group { items, .. } => {
                // A group is a field named in lower case and a message named as written.
                let field_name = f.name.name.to_ascii_lowercase();
                self.define_in_scope(&field_name, kind, file, f.name.span);
                let len = self.enter(&f.name.name);
                self.define_scope(SymbolKind::Message, file, f.name.span);
                self.add_message_body(file, items);
                self.leave(len);
            }
            ast::FieldType::Map { .. } => {
                self.define_in_scope(&f.name.name, kind, file, f.name.span);
                // The entry message lives in the message's scope (maps cannot be extensions).
                self.define_in_scope(
                    &map_entry_name(&f.name.name),
                    SymbolKind::Message,
                    file,
                    f.name.span,
                );
            }
            ast::FieldType::Named(_) => self.define_in_scope(&f.name.name, kind, file, f.name.span),
        }
    }

    fn add_enum(&mut self, file: FileId, e: &ast::Enum) {
        self.define_in_scope(&e.name.name, SymbolKind::Enum, file, e.name.span);
        for item in &e.items {
            if let ast::EnumItem::Value(v) = item {
                // C++ scoping: values are siblings of their enum.
                let len = self.enter(&v.name.name);
                let symbol = Symbol {
                    kind: SymbolKind::EnumValue,
                    file,
                    span: v.name.span,
                };
                if let Some(prev) = self.table.insert(&self.scope, symbol) {
                    let scope = &self.scope[..len];
                    let value_full = &self.scope;
                    let msg = format!("\"{value_full}\" is already defined");
                    let mut d = Diagnostic::error("DUPLICATE_NAME", msg)
                        .at(file, v.name.span, "defined again here")
                        .also(prev.file, prev.span, "first defined here");
                    if prev.kind == SymbolKind::EnumValue {
                        let where_ = if scope.is_empty() {
                            "the global scope".to_string()
                        } else {
                            format!("\"{scope}\"")
                        };
                        d = d.note(format!(
                            "enum values use C++ scoping rules: they are siblings of their type, not children of it, so \"{}\" must be unique within {where_}, not just within \"{}\"",
                            v.name.name, e.name.name
                        ));
                    }
                    self.diags.push(d);
                }
                self.leave(len);
            }
        }
    }

    fn define(&mut self, full: &str, kind: SymbolKind, file: FileId, span: Span) {
        let Some(prev) = self.table.insert(full, Symbol { kind, file, span }) else {
            return;
        };
        let message = if prev.kind == SymbolKind::Package {
            format!("\"{full}\" is already defined (as something other than a package)")
        } else {
            format!("\"{full}\" is already defined")
        };
        self.diags.push(
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
        );
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
