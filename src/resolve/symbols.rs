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

pub use crate::protobuf::qualify;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use foldhash::HashMap;
use hashbrown::hash_table::{self, HashTable};

use crate::ast::{self, FullIdent};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names::map_entry_name;
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
        let mut b = Builder::for_count(files.iter().map(|(_, f)| count::file(f)).sum());
        for (id, file) in files {
            b.add_file(id, file);
        }
        let diags = b.index_definitions();
        // The table lives as long as the compilation: give back the arena's growth slack.
        b.table.names.shrink_to_fit();
        (b.table, diags)
    }

    /// Adds the symbols `new` defines (reporting any name already defined): the table is then
    /// the one [`SymbolTable::build`] makes of the trees with `new`'s items in them.
    pub fn add(&mut self, new: NewSymbols) -> Vec<Diagnostic> {
        let mut b = new.0;
        let offset = u32::try_from(self.names.len()).expect("symbol names exceed 4 GiB");
        self.names.push_str(&b.table.names);
        for d in b
            .definitions
            .slots
            .iter_mut()
            .chain(&mut b.definitions.overflow)
        {
            d.start += offset;
        }
        for e in &mut b.enum_names {
            e.0 += offset;
        }
        b.table = std::mem::take(self);
        let diags = b.index_definitions();
        *self = b.table;
        diags
    }

    /// The symbol with this fully qualified name (no leading dot).
    pub fn get(&self, full_name: &str) -> Option<&Symbol> {
        self.entry(full_name).map(|(_, s)| s)
    }

    /// The number of symbols.
    pub fn count(&self) -> usize {
        self.index.len()
    }

    /// Every symbol, in no particular order (a caller that picks one must break ties by name to
    /// stay deterministic).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Symbol)> {
        self.index
            .iter()
            .map(|e| (&self.names[e.range()], &e.symbol))
    }

    /// Every symbol, sorted by name (for deterministic iteration).
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

    /// Adds `full` unless it is already there; returns the symbol already there (the builder
    /// indexes its definitions in bulk instead: [`Builder::index_definitions`]).
    #[cfg(test)]
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
        // Lowering adds at most 6 names for a subclass (its extension or oneof field and its
        // `TYPE_` value; for its root `Type`, `TYPE_UNSPECIFIED`, `type` and `subtype`): room
        // for them, since they are added to this table (`SymbolTable::add`).
        1 + body(&m.items) + if m.base.is_some() { 6 } else { 0 }
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
            ast::FieldType::Map(_) => 2,
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

/// Symbols defined by message items added to trees after their table was built (lowering's
/// generated items), to add to it with [`SymbolTable::add`] instead of building it again.
pub struct NewSymbols(Builder);

impl Default for NewSymbols {
    fn default() -> Self {
        NewSymbols(Builder::for_count(0))
    }
}

impl NewSymbols {
    /// Records the symbols of `items`, members of the message whose full name is `scope`, in
    /// file `file`.
    pub fn add_items(&mut self, file: FileId, scope: &str, items: &[ast::MessageItem]) {
        let b = &mut self.0;
        b.scope.clear();
        b.scope.push_str(scope);
        b.add_message_body(file, items);
    }
}

/// One definition met by [`Builder`]'s walk, waiting to be indexed.
#[derive(Clone, Copy)]
struct Definition {
    /// The hash of the full name.
    hash: u64,
    /// Byte offset of the full name in the arena.
    start: u32,
    /// Its length in bytes.
    len: u32,
    /// What it defines.
    symbol: Symbol,
    /// Its place in the walk (duplicates are reported in this order).
    order: u32,
    /// For an enum value: its enum's entry in [`Builder::enum_names`] (for the note on C++ scoping);
    /// `u32::MAX` otherwise.
    enum_of: u32,
}

/// Which region of the table a definition lands in. hashbrown places an entry at its hash modulo
/// the number of buckets (a power of two, 8/7 of the capacity) and probes from there; the
/// regions split the buckets into equal runs, in table order.
#[derive(Clone, Copy)]
struct Regions {
    mask: usize,
    shift: u32,
}

impl Regions {
    /// 256 regions, so that each run of a table larger than the L2 cache fits in it (a table
    /// that fits anyway gains nothing: one region).
    fn for_capacity(capacity: usize) -> Regions {
        const MIN_BUCKETS: usize = 1 << 16;
        let buckets = (capacity / 7 * 8).max(1).next_power_of_two();
        if buckets < MIN_BUCKETS {
            return Regions { mask: 0, shift: 0 };
        }
        Regions {
            mask: buckets - 1,
            shift: buckets.trailing_zeros() - 8,
        }
    }

    fn count(self) -> usize {
        (self.mask >> self.shift) + 1
    }

    fn of(self, hash: u64) -> usize {
        (hash as usize & self.mask) >> self.shift
    }
}

/// The definitions of a walk, grouped by region, in walk order within each: one block of
/// equal slots per region (sized from the estimated count, so one allocation, freed whole), and
/// the definitions of full regions after them, in walk order.
struct Recorded {
    slots: Vec<Definition>,
    /// Slots per region.
    per_region: usize,
    /// Slots used in each region.
    used: Vec<usize>,
    overflow: Vec<Definition>,
}

impl Recorded {
    /// Room for about `count` definitions over `regions`.
    fn new(regions: Regions, count: usize) -> Recorded {
        let per_region = if count == 0 {
            0
        } else {
            count / regions.count() * 9 / 8 + 8
        };
        let filler = Definition {
            hash: 0,
            start: 0,
            len: 0,
            symbol: Symbol {
                kind: SymbolKind::Package,
                file: FileId(0),
                span: Span::default(),
            },
            order: 0,
            enum_of: u32::MAX,
        };
        Recorded {
            slots: vec![filler; per_region * regions.count()],
            per_region,
            used: vec![0; regions.count()],
            overflow: Vec::new(),
        }
    }

    fn push(&mut self, region: usize, d: Definition) {
        let used = &mut self.used[region];
        if *used < self.per_region {
            self.slots[region * self.per_region + *used] = d;
            *used += 1;
        } else {
            self.overflow.push(d);
        }
    }

    /// Region by region, then the overflow: every region's definitions stay in walk order.
    fn iter(&self) -> impl Iterator<Item = &Definition> {
        let slots = self.slots.chunks(self.per_region.max(1));
        slots
            .zip(&self.used)
            .flat_map(|(chunk, &used)| &chunk[..used])
            .chain(&self.overflow)
    }
}

/// Builds a [`SymbolTable`], walking each file with the current scope in one buffer.
///
/// The walk only records definitions (names go to the arena, in walk order), sorted by the
/// region of the table they will land in; they are indexed afterwards, region by region:
/// [`Builder::index_definitions`].
struct Builder {
    table: SymbolTable,
    /// The regions of the table.
    regions: Regions,
    /// The definitions met so far.
    definitions: Recorded,
    /// How many definitions the walk has met.
    defined: u32,
    /// Where each enum's full name sits in the arena (start, length), for enum values' notes.
    enum_names: Vec<(u32, u32)>,
    /// The full name of the current scope; a name is defined by appending it here.
    scope: String,
}

impl Builder {
    /// A builder with room for about `count` definitions: the table and the arena are sized up
    /// front, which saves copying them as they double (full names average a few dozen bytes;
    /// the slack is given back at the end).
    fn for_count(count: usize) -> Builder {
        let mut table = SymbolTable::default();
        table.index.reserve(count, |_| unreachable!("empty"));
        table.names.reserve(count * 40);
        let regions = Regions::for_capacity(table.index.capacity());
        Builder {
            definitions: Recorded::new(regions, count),
            regions,
            table,
            defined: 0,
            enum_names: Vec::new(),
            scope: String::new(),
        }
    }

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
                self.define_scope(SymbolKind::Package, file, part.span);
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
            ast::FieldType::Map(_) => {
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
        let start = self.table.names.len();
        self.define_in_scope(&e.name.name, SymbolKind::Enum, file, e.name.span);
        let enum_of = self.enum_names.len() as u32;
        self.enum_names
            .push((start as u32, (self.table.names.len() - start) as u32));
        for item in &e.items {
            if let ast::EnumItem::Value(v) = item {
                // C++ scoping: values are siblings of their enum.
                let len = self.enter(&v.name.name);
                let full = std::mem::take(&mut self.scope);
                let symbol = Symbol {
                    kind: SymbolKind::EnumValue,
                    file,
                    span: v.name.span,
                };
                self.record(&full, symbol, enum_of);
                self.scope = full;
                self.leave(len);
            }
        }
    }

    fn define(&mut self, full: &str, kind: SymbolKind, file: FileId, span: Span) {
        self.record(full, Symbol { kind, file, span }, u32::MAX);
    }

    /// Appends `full` to the arena and records its definition.
    fn record(&mut self, full: &str, symbol: Symbol, enum_of: u32) {
        let names = &mut self.table.names;
        let start = u32::try_from(names.len()).expect("symbol names exceed 4 GiB");
        names.push_str(full);
        let hash = self.table.hasher.hash_one(full);
        self.definitions.push(
            self.regions.of(hash),
            Definition {
                hash,
                start,
                len: full.len() as u32,
                symbol,
                order: self.defined,
                enum_of,
            },
        );
        self.defined += 1;
    }

    /// Indexes the recorded definitions; returns the names defined twice, in walk order.
    ///
    /// The first definition of a name wins. A later one is an error, except a package declared
    /// again. Which definitions clash depends only on the definitions of each name in walk
    /// order, so they can be indexed in any order that keeps those: they are indexed by where
    /// they land in the table, region by region. Inserting them in walk order writes all over a
    /// table larger than the cache, a cache miss per symbol (the largest part of this stage on
    /// 10,000 messages).
    fn index_definitions(&mut self) -> Vec<Diagnostic> {
        let definitions = std::mem::replace(
            &mut self.definitions,
            Recorded::new(Regions::for_capacity(0), 0),
        );
        let SymbolTable {
            names,
            index,
            hasher,
            ..
        } = &mut self.table;
        // This only resizes the table if the estimate was short (the regions then no longer
        // match it: slower, the same result).
        index.reserve(self.defined as usize, |e| {
            hasher.hash_one(&names[e.range()])
        });
        let bytes = names.as_bytes();
        let mut clashes: Vec<(u32, Diagnostic)> = Vec::new();
        for d in definitions.iter() {
            // The name is read only to compare it with an entry of the same tag: reading it
            // for every definition would be a cache miss each, in this order.
            let range = d.start as usize..(d.start + d.len) as usize;
            match index.entry(
                d.hash,
                |e| e.len == d.len && bytes[e.range()] == bytes[range.clone()],
                |e| hasher.hash_one(&names[e.range()]),
            ) {
                hash_table::Entry::Occupied(e) => {
                    let prev = e.get().symbol;
                    if d.symbol.kind == SymbolKind::Package && prev.kind == SymbolKind::Package {
                        continue;
                    }
                    let enum_name = self.enum_names.get(d.enum_of as usize).map(|&(s, l)| {
                        let name = &names[s as usize..(s + l) as usize];
                        name.rsplit('.').next().unwrap_or(name)
                    });
                    let full = &names[range];
                    clashes.push((d.order, duplicate(full, d.symbol, prev, enum_name)));
                }
                hash_table::Entry::Vacant(v) => {
                    v.insert(Entry {
                        start: d.start,
                        len: d.len,
                        symbol: d.symbol,
                    });
                }
            }
        }
        clashes.sort_unstable_by_key(|&(order, _)| order);
        clashes.into_iter().map(|(_, d)| d).collect()
    }
}

/// The error for `full` defined again as `symbol` after `prev` (`enum_name`: for an enum value,
/// its enum's name).
fn duplicate(full: &str, symbol: Symbol, prev: Symbol, enum_name: Option<&str>) -> Diagnostic {
    if let Some(enum_name) = enum_name {
        let (scope, value) = full.rsplit_once('.').unwrap_or(("", full));
        let mut d = Diagnostic::error("DUPLICATE_NAME", format!("\"{full}\" is already defined"))
            .at(symbol.file, symbol.span, "defined again here")
            .also(prev.file, prev.span, "first defined here");
        if prev.kind == SymbolKind::EnumValue {
            let where_ = if scope.is_empty() {
                "the global scope".to_string()
            } else {
                format!("\"{scope}\"")
            };
            d = d.note(format!(
                "enum values use C++ scoping rules: they are siblings of their type, not children of it, so \"{value}\" must be unique within {where_}, not just within \"{enum_name}\""
            ));
        }
        return d;
    }
    let message = if prev.kind == SymbolKind::Package {
        format!("\"{full}\" is already defined (as something other than a package)")
    } else {
        format!("\"{full}\" is already defined")
    };
    Diagnostic::error("DUPLICATE_NAME", message)
        .at(
            symbol.file,
            symbol.span,
            format!("this {} is defined again here", symbol.kind.describe()),
        )
        .also(
            prev.file,
            prev.span,
            format!("first defined here as a {}", prev.kind.describe()),
        )
        .help("rename one of them")
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

    /// The builder indexes its definitions region by region, not in walk order. On a table
    /// large enough to be split, the clashes must be those of inserting the definitions one by
    /// one in walk order (first wins; a package again is fine), reported in that order.
    #[test]
    fn bulk_indexing_finds_the_clashes_of_walk_order() {
        use std::fmt::Write as _;
        let mut a = String::from("syntax = \"proto2\";\npackage p.q;\n");
        for i in 0..30_000 {
            writeln!(a, "message M{i} {{ optional int32 f = 1; }}").unwrap();
            if i % 2000 == 7 {
                // A message again, an enum value clashing with another enum's, a field clash.
                writeln!(
                    a,
                    "message M{} {{ optional int32 f = 1; optional int32 f = 2; }}",
                    i - 3
                )
                .unwrap();
                writeln!(a, "enum E{i} {{ V{i} = 0; }} enum F{i} {{ V{i} = 0; }}").unwrap();
            }
        }
        writeln!(a, "message r {{}}").unwrap();
        // Packages again (fine), a package where a message is, messages where packages are.
        let b = "syntax = \"proto2\";\npackage p.q.r.s;\nmessage M9 {}\nmessage s {}\n";
        let c = "syntax = \"proto2\";\nmessage p {}\npackage p.q;\n";
        let files: Vec<ast::File> = [a.as_str(), b, c]
            .iter()
            .enumerate()
            .map(|(i, text)| crate::parse::parse(FileId(i as u32), text).0)
            .collect();

        let mut b = Builder::for_count(files.iter().map(count::file).sum());
        assert!(b.regions.count() > 1, "the table is split");
        for (i, f) in files.iter().enumerate() {
            b.add_file(FileId(i as u32), f);
        }
        let mut walk: Vec<Definition> = b.definitions.iter().copied().collect();
        walk.sort_by_key(|d| d.order);
        let names = b.table.names.clone();
        let diags = b.index_definitions();

        // The model: a plain map, filled in walk order.
        let mut model: HashMap<&str, Symbol> = HashMap::default();
        let mut expected = Vec::new();
        for d in &walk {
            let full = &names[d.start as usize..(d.start + d.len) as usize];
            match model.get(full) {
                Some(prev)
                    if prev.kind == SymbolKind::Package && d.symbol.kind == SymbolKind::Package => {
                }
                Some(prev) => expected.push((full, d.symbol, *prev)),
                None => {
                    model.insert(full, d.symbol);
                }
            }
        }
        assert!(expected.len() > 30, "{}", expected.len());
        let location = |l: &crate::diagnostics::Label| (l.location.file, l.location.span);
        let found: Vec<_> = diags
            .iter()
            .map(|d| {
                (
                    location(d.primary.as_ref().unwrap()),
                    location(&d.secondary[0]),
                )
            })
            .collect();
        let wanted: Vec<_> = expected
            .iter()
            .map(|(_, s, prev)| ((s.file, s.span), (prev.file, prev.span)))
            .collect();
        assert_eq!(found, wanted);
        for (d, (full, _, _)) in diags.iter().zip(&expected) {
            assert!(d.message.contains(&format!("\"{full}\"")), "{}", d.message);
        }
        // Every first definition is in the table.
        assert_eq!(b.table.count(), model.len());
        for (full, symbol) in &model {
            assert_eq!(b.table.get(full), Some(symbol), "{full}");
        }
    }
}
