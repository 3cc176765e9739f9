//! What the language server knows of the workspace at one moment: every file parsed (through the
//! shared [`ParseCache`], so only changed texts are parsed), one symbol table, every declaration
//! and every name that refers to one, resolved with protoc's rules, and the class hierarchies
//! across files. Requests are answered from the last one built; it never changes once built.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use crate::ast::{self, FullIdent};
use crate::driver::ParseCache;
use crate::fs::FsResolver;
use crate::lines::LineIndex;
use crate::load::{self, CommentPolicy, Visible};
use crate::lower::hierarchy;
use crate::protobuf::names::json_name;
use crate::resolve::symbols::{qualify, Lookup, LookupMode, SymbolKind, SymbolTable};
use crate::source::{FileId, FileResolver, ResolveError, ResolvedFile, SourceMap, Span};

/// The texts the server works on: every schema file of the workspace as on disk, with the open
/// documents' unsaved texts in their place.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Text by protoc name (the path relative to the include directory it was found in).
    pub files: BTreeMap<String, Arc<str>>,
    /// Where each file of `files` lives on disk.
    pub paths: HashMap<String, PathBuf>,
    /// The include directories, in order.
    pub includes: Vec<PathBuf>,
    /// Counts the changes: each new text makes a new generation.
    pub generation: u64,
}

/// A [`FileResolver`] over a snapshot: its texts first, then the include directories on disk.
pub struct SnapshotResolver<'a> {
    snapshot: &'a Snapshot,
    disk: FsResolver,
}

impl<'a> SnapshotResolver<'a> {
    /// Resolves through `snapshot`, then its include directories.
    pub fn new(snapshot: &'a Snapshot) -> Self {
        SnapshotResolver {
            snapshot,
            disk: FsResolver::new(snapshot.includes.clone()),
        }
    }
}

impl FileResolver for SnapshotResolver<'_> {
    fn open(&self, name: &str) -> Result<ResolvedFile, ResolveError> {
        match self.snapshot.files.get(name) {
            Some(text) => Ok(ResolvedFile {
                name: name.to_string(),
                display_path: self
                    .snapshot
                    .paths
                    .get(name)
                    .map_or_else(|| name.to_string(), |p| p.display().to_string()),
                contents: text.as_bytes().to_vec(),
            }),
            None => self.disk.open(name),
        }
    }

    fn search_description(&self) -> Option<String> {
        self.disk.search_description()
    }
}

/// A declaration.
#[derive(Clone, Debug)]
pub struct Def {
    /// Fully qualified, without the leading dot.
    pub full: String,
    /// What it is.
    pub kind: SymbolKind,
    /// Index in [`Analysis::files`].
    pub file: usize,
    /// Its name.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// The enclosing declaration (index in [`Analysis::defs`]).
    pub container: Option<usize>,
    /// Its doc comment: the leading comment, else the trailing one.
    pub doc: Option<String>,
    /// A field's or enum value's number.
    pub number: Option<i128>,
    /// A field's JSON name (its `json_name` option, else protoc's default).
    pub json_name: Option<String>,
    /// One line saying what it is, as written (`optional bool declawed = 1`).
    pub detail: String,
}

/// A name written in a file that resolved to a declaration.
#[derive(Clone, Debug)]
pub struct Ref {
    /// Each dotted part, with the full name it stands for (`zoo.Animal`: `zoo`, `zoo.Animal`).
    pub parts: Vec<(Span, String)>,
}

/// An import statement.
#[derive(Clone, Debug)]
pub struct ImportRef {
    /// The quoted path.
    pub span: Span,
    /// The whole statement.
    pub statement: Span,
    /// The imported file (index in [`Analysis::files`]), when found.
    pub target: Option<usize>,
}

/// Where a class's tag comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagSource {
    /// Written by the author: `message Dog : Animal = 105`.
    Pinned,
    /// Given by the compiler: the lowest free number of the parent's range.
    Allocated,
    /// Registered by the root: `subclass zoo.cats.Cat = 100;`.
    Registered,
}

impl TagSource {
    /// How hover says it.
    pub fn describe(self) -> &'static str {
        match self {
            TagSource::Pinned => "pinned",
            TagSource::Allocated => "allocated",
            TagSource::Registered => "registered by the root",
        }
    }
}

/// A root's registry statement: `subclass zoo.cats.Cat = 100;`.
#[derive(Clone, Debug)]
pub struct Registration {
    /// The registered class's full name (no leading dot).
    pub class: String,
    /// The root that registers it (the message whose body holds the statement).
    pub root: String,
    /// Its tag, when it is a valid one (the others are reported by the compiler).
    pub tag: Option<u32>,
    /// The file of the statement (index in [`Analysis::files`]).
    pub file: usize,
    /// The whole statement.
    pub span: Span,
    /// The class's name in it.
    pub name_span: Span,
}

/// A message seen as a class: its place in a hierarchy (across files).
#[derive(Clone, Debug, Default)]
pub struct ClassInfo {
    /// Its direct parent's full name.
    pub parent: Option<String>,
    /// Its direct subclasses' full names, in file and declaration order.
    pub children: Vec<String>,
    /// Its tag and where the tag comes from (never for a root).
    pub tag: Option<(u32, TagSource)>,
}

/// One file of the analysis.
pub struct FileInfo {
    /// Its id in [`Analysis::sources`].
    pub id: FileId,
    /// Its protoc name.
    pub name: String,
    /// Where it is on disk (`None` for the built-in well-known types).
    pub path: Option<PathBuf>,
    /// The tree as parsed.
    pub ast: ast::File,
    /// Its package (empty for none).
    pub package: String,
    /// Its line index.
    pub lines: LineIndex,
    /// Its import statements.
    pub imports: Vec<ImportRef>,
    /// Every name in it that resolved, in source order.
    pub refs: Vec<Ref>,
    /// Its declarations (indices in [`Analysis::defs`]), in source order.
    pub defs: Vec<usize>,
}

/// The whole workspace, analysed.
pub struct Analysis {
    /// The generation of the snapshot it was built from.
    pub generation: u64,
    /// Every file read.
    pub sources: SourceMap,
    /// The files, each after the files it imports.
    pub files: Vec<FileInfo>,
    /// File index by protoc name.
    pub by_name: HashMap<String, usize>,
    /// Every declaration.
    pub defs: Vec<Def>,
    /// Declaration index by full name (the first declaration of a name).
    pub by_full: HashMap<String, usize>,
    /// Classes by full name: every message with a base or a subclass.
    pub classes: HashMap<String, ClassInfo>,
    /// Every registry statement of the workspace, in file and source order.
    pub registrations: Vec<Registration>,
    /// Which files each file can see.
    visible: Vec<Visible>,
    /// File index by file id.
    index_of: HashMap<FileId, usize>,
    /// The symbol table of every file.
    pub symbols: SymbolTable,
}

impl Analysis {
    /// Parses (through `cache`) and analyses every file of `snapshot`.
    pub fn build(snapshot: &Snapshot, cache: &ParseCache) -> Analysis {
        let resolver = SnapshotResolver::new(snapshot);
        let names: Vec<String> = snapshot.files.keys().cloned().collect();
        let policy = CommentPolicy {
            all: true,
            printed: None,
        };
        let (mut loaded, log) = load::load(&resolver, &names, policy, Some(cache));
        // Past the bound on public re-exports the check reports it; here the rest see less.
        let (visible, _) = load::visible_files(&loaded.files);
        let (symbols, _) = SymbolTable::build(loaded.files.iter().map(|f| (f.id, &f.ast)));
        let sources = log.sources;
        let mut files = Vec::with_capacity(loaded.files.len());
        let mut by_name = HashMap::new();
        for (i, f) in std::mem::take(&mut loaded.files).into_iter().enumerate() {
            let source = sources.get(f.id);
            let path = if f.builtin {
                None
            } else {
                Some(
                    snapshot
                        .paths
                        .get(&f.name)
                        .cloned()
                        .unwrap_or_else(|| PathBuf::from(&source.display_path)),
                )
            };
            let package = f.ast.package_name();
            let mut targets = f.imports.iter().map(|imp| imp.target);
            let imports = f
                .ast
                .items
                .iter()
                .filter_map(|item| match item {
                    ast::FileItem::Import(imp) => Some(ImportRef {
                        span: imp.path.span,
                        statement: imp.span,
                        target: targets.next().flatten(),
                    }),
                    _ => None,
                })
                .collect();
            by_name.insert(f.name.clone(), i);
            files.push(FileInfo {
                id: f.id,
                name: f.name,
                path,
                lines: LineIndex::new(&source.text),
                ast: f.ast,
                package,
                imports,
                refs: Vec::new(),
                defs: Vec::new(),
            });
        }
        let mut a = Analysis {
            generation: snapshot.generation,
            sources,
            files,
            by_name,
            defs: Vec::new(),
            by_full: HashMap::new(),
            classes: HashMap::new(),
            registrations: Vec::new(),
            visible,
            index_of: loaded.index_of,
            symbols,
        };
        a.index();
        a
    }

    /// The file index of a file id.
    pub fn file_of(&self, id: FileId) -> Option<usize> {
        self.index_of.get(&id).copied()
    }

    /// The text of file `i`.
    pub fn text(&self, i: usize) -> &str {
        &self.sources.get(self.files[i].id).text
    }

    /// Whether file `i` can see file `j` (itself, its imports, their public imports).
    pub fn can_see(&self, i: usize, j: usize) -> bool {
        self.visible[i].contains(j)
    }

    /// Every file that imports file `i`, directly or not.
    pub fn importers(&self, i: usize) -> Vec<usize> {
        let mut importers_of: Vec<Vec<usize>> = vec![Vec::new(); self.files.len()];
        for (k, f) in self.files.iter().enumerate() {
            for imp in &f.imports {
                if let Some(j) = imp.target {
                    importers_of[j].push(k);
                }
            }
        }
        let mut out = vec![false; self.files.len()];
        let mut stack = vec![i];
        while let Some(j) = stack.pop() {
            for &k in &importers_of[j] {
                if !std::mem::replace(&mut out[k], true) {
                    stack.push(k);
                }
            }
        }
        (0..self.files.len())
            .filter(|&k| out[k] && k != i)
            .collect()
    }

    /// Walks every file: declarations, references, classes.
    fn index(&mut self) {
        let mut defs = Vec::new();
        let mut per_file_refs = Vec::with_capacity(self.files.len());
        let mut per_file_defs = Vec::with_capacity(self.files.len());
        let mut bases: Vec<(String, Option<String>)> = Vec::new();
        let mut registrations = Vec::new();
        for i in 0..self.files.len() {
            let file = &self.files[i];
            let visible = |id: FileId| {
                self.file_of(id)
                    .is_some_and(|j| self.visible[i].contains(j))
            };
            let mut w = Walker {
                file: i,
                text: &self.sources.get(file.id).text,
                symbols: &self.symbols,
                visible: &visible,
                defs: &mut defs,
                refs: Vec::new(),
                own: Vec::new(),
                bases: &mut bases,
                registrations: &mut registrations,
            };
            w.file(&file.ast, &file.package);
            per_file_refs.push(w.refs);
            per_file_defs.push(w.own);
        }
        for (f, (refs, own)) in self
            .files
            .iter_mut()
            .zip(per_file_refs.into_iter().zip(per_file_defs))
        {
            f.refs = refs;
            f.defs = own;
        }
        for (i, d) in defs.iter().enumerate() {
            self.by_full.entry(d.full.clone()).or_insert(i);
        }
        self.defs = defs;
        self.registrations = registrations;
        // The class graph, across files.
        for (class, parent) in &bases {
            self.classes.entry(class.clone()).or_default().parent = parent.clone();
            if let Some(p) = parent {
                self.classes
                    .entry(p.clone())
                    .or_default()
                    .children
                    .push(class.clone());
            }
        }
        // Tags, as lowering gives them: each file's hierarchy analysis.
        for i in 0..self.files.len() {
            let file = &self.files[i];
            if !hierarchy::has_inheritance(&file.ast.items) {
                continue;
            }
            let visible = |id: FileId| {
                self.file_of(id)
                    .is_some_and(|j| self.visible[i].contains(j))
            };
            let mut ignored = Vec::new();
            let found =
                hierarchy::analyze(file.id, &file.ast, &self.symbols, &visible, &mut ignored);
            for c in &found.classes {
                let Some(tag) = c.tag else { continue };
                let source = if c.msg.base.as_ref().is_some_and(|b| b.tag.is_some()) {
                    TagSource::Pinned
                } else {
                    TagSource::Allocated
                };
                if let Some(info) = self.classes.get_mut(&c.full) {
                    info.tag = Some((tag, source));
                }
            }
        }
        // A class its root registers takes the registered tag (a file's own analysis gives
        // none to a class whose parent is in another file). A registration of a class that is
        // not in the root's hierarchy (a mistake the diagnostics report) gives nothing.
        let mut tags = Vec::new();
        for r in &self.registrations {
            if let Some(tag) = r.tag {
                let elsewhere = self.def(&r.class).is_some_and(|d| d.file != r.file);
                if elsewhere
                    && self.classes.contains_key(&r.class)
                    && self.root_of(&r.class) == r.root
                {
                    tags.push((r.class.clone(), tag));
                }
            }
        }
        for (class, tag) in tags {
            if let Some(info) = self.classes.get_mut(&class) {
                info.tag = Some((tag, TagSource::Registered));
            }
        }
    }

    /// The registry statement of a class, in its root.
    pub fn registration(&self, class: &str) -> Option<&Registration> {
        let root = self.root_of(class);
        self.registrations
            .iter()
            .find(|r| r.class == class && r.root == root)
    }

    /// The classes `root` registers that no file of the workspace declares.
    pub fn registered_not_declared(&self, root: &str) -> Vec<&Registration> {
        self.registrations
            .iter()
            .filter(|r| r.root == root && self.def(&r.class).is_none())
            .collect()
    }

    /// The root of a class's hierarchy (itself for a root), following parents (a cycle stops).
    pub fn root_of(&self, class: &str) -> String {
        let mut at = class.to_string();
        let mut seen = vec![at.clone()];
        while let Some(p) = self.classes.get(&at).and_then(|c| c.parent.clone()) {
            if seen.contains(&p) {
                break;
            }
            seen.push(p.clone());
            at = p;
        }
        at
    }

    /// What is at byte `offset` of file `i`: a reference's part, an import, or a declaration's
    /// name.
    pub fn at(&self, i: usize, offset: u32) -> Option<Target> {
        let inside = |s: &Span| s.start <= offset && offset <= s.end;
        let f = &self.files[i];
        for r in &f.refs {
            for (span, full) in &r.parts {
                if inside(span) {
                    return Some(Target::Name {
                        full: full.clone(),
                        span: *span,
                    });
                }
            }
        }
        for (k, r) in self.registrations.iter().enumerate() {
            if r.file == i && inside(&r.name_span) {
                return Some(Target::Registration(k));
            }
        }
        for imp in &f.imports {
            if inside(&imp.span) {
                return Some(Target::Import {
                    target: imp.target,
                    span: imp.span,
                });
            }
        }
        // The innermost declaration whose name holds the offset.
        f.defs
            .iter()
            .map(|&d| &self.defs[d])
            .filter(|d| inside(&d.name_span))
            .min_by_key(|d| d.name_span.end - d.name_span.start)
            .map(|d| Target::Name {
                full: d.full.clone(),
                span: d.name_span,
            })
    }

    /// The declaration of a full name.
    pub fn def(&self, full: &str) -> Option<&Def> {
        self.by_full.get(full).map(|&d| &self.defs[d])
    }

    /// Every reference part naming `full`, as (file, span).
    pub fn references(&self, full: &str) -> Vec<(usize, Span)> {
        let mut out = Vec::new();
        for (i, f) in self.files.iter().enumerate() {
            for r in &f.refs {
                for (span, name) in &r.parts {
                    if name == full {
                        out.push((i, *span));
                    }
                }
            }
        }
        out
    }

    /// The innermost message scope at `offset` of file `i` (its package outside any message).
    pub fn scope_at(&self, i: usize, offset: u32) -> String {
        let f = &self.files[i];
        f.defs
            .iter()
            .map(|&d| &self.defs[d])
            .filter(|d| {
                d.kind == SymbolKind::Message && d.span.start < offset && offset < d.span.end
            })
            .min_by_key(|d| d.span.end - d.span.start)
            .map_or_else(|| f.package.clone(), |d| d.full.clone())
    }

    /// Looks a name up as a field type written at `scope` in file `i`.
    pub fn lookup_type(&self, i: usize, name: &FullIdent, scope: &str) -> Lookup {
        let visible = |id: FileId| {
            self.file_of(id)
                .is_some_and(|j| self.visible[i].contains(j))
        };
        self.symbols
            .lookup(name, scope, LookupMode::Types, &visible)
    }
}

/// What a position names.
#[derive(Clone, Debug)]
pub enum Target {
    /// A declaration, by full name (at its declaration, or through a reference to it).
    Name {
        /// Its full name.
        full: String,
        /// The text at the position that names it.
        span: Span,
    },
    /// A registry statement's name that names no declaration of the workspace (index in
    /// [`Analysis::registrations`]).
    Registration(usize),
    /// An import statement's path.
    Import {
        /// The imported file.
        target: Option<usize>,
        /// The quoted path.
        span: Span,
    },
}

/// Collects one file's declarations and references.
struct Walker<'a> {
    file: usize,
    text: &'a str,
    symbols: &'a SymbolTable,
    visible: &'a dyn Fn(FileId) -> bool,
    defs: &'a mut Vec<Def>,
    refs: Vec<Ref>,
    own: Vec<usize>,
    /// Every class with a base: (full name, its parent's full name when it resolved).
    bases: &'a mut Vec<(String, Option<String>)>,
    /// Every registry statement.
    registrations: &'a mut Vec<Registration>,
}

impl Walker<'_> {
    fn def(&mut self, def: Def) -> usize {
        self.defs.push(def);
        let d = self.defs.len() - 1;
        self.own.push(d);
        d
    }

    #[allow(clippy::too_many_arguments)]
    fn new_def(
        &self,
        full: String,
        kind: SymbolKind,
        name_span: Span,
        span: Span,
        container: Option<usize>,
        comments: &ast::Comments,
    ) -> Def {
        let doc = comments
            .leading
            .clone()
            .or_else(|| comments.trailing.clone())
            .map(|d| d.trim_end().to_string());
        let first_line = self
            .text
            .get(span.range())
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .trim_end_matches('{')
            .trim_end_matches(';')
            .trim()
            .to_string();
        Def {
            full,
            kind,
            file: self.file,
            name_span,
            span,
            container,
            doc,
            number: None,
            json_name: None,
            detail: first_line,
        }
    }

    /// Resolves a name and records it (its parts too) when it resolves.
    fn reference(&mut self, name: &FullIdent, scope: &str, mode: LookupMode) {
        if let Lookup::Found(full, _) = self.symbols.lookup(name, scope, mode, self.visible) {
            self.record(name, full);
        }
    }

    fn record(&mut self, name: &FullIdent, full: String) -> String {
        let components: Vec<&str> = full.split('.').collect();
        let n = name.parts.len();
        let mut parts = Vec::with_capacity(n);
        for (k, p) in name.parts.iter().enumerate() {
            let up = n - 1 - k;
            if up < components.len() {
                parts.push((p.span, components[..components.len() - up].join(".")));
            }
        }
        self.refs.push(Ref { parts });
        full
    }

    fn options(&mut self, options: &[ast::OptionAssign], scope: &str) {
        for o in options {
            self.option_name(&o.name, scope);
        }
    }

    fn option_name(&mut self, name: &ast::OptionName, scope: &str) {
        for part in &name.parts {
            if let ast::OptionNamePart::Extension(ext, _) = part {
                self.reference(ext, scope, LookupMode::Any);
            }
        }
    }

    fn file(&mut self, f: &ast::File, package: &str) {
        for item in &f.items {
            match item {
                ast::FileItem::Option(o) => self.option_name(&o.option.name, package),
                ast::FileItem::Message(m) => self.message(m, package, None),
                ast::FileItem::Enum(e) => self.enumeration(e, package, None),
                ast::FileItem::Extend(x) => self.extend(x, package, None),
                ast::FileItem::Service(s) => self.service(s, package),
                _ => {}
            }
        }
    }

    fn message(&mut self, m: &ast::Message, scope: &str, container: Option<usize>) {
        let full = qualify(scope, &m.name.name);
        let def = self.new_def(
            full.clone(),
            SymbolKind::Message,
            m.name.span,
            m.span,
            container,
            &m.comments,
        );
        let d = self.def(def);
        if let Some(base) = &m.base {
            let parent =
                match self
                    .symbols
                    .lookup(&base.name, scope, LookupMode::Types, self.visible)
                {
                    Lookup::Found(p, sym) if sym.kind == SymbolKind::Message => {
                        Some(self.record(&base.name, p))
                    }
                    _ => None,
                };
            self.bases.push((full.clone(), parent));
        }
        self.message_items(&m.items, &full, Some(d));
    }

    fn message_items(&mut self, items: &[ast::MessageItem], full: &str, container: Option<usize>) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => {
                    self.field(f, full, full, SymbolKind::Field, container)
                }
                ast::MessageItem::Oneof(o) => {
                    let def = self.new_def(
                        qualify(full, &o.name.name),
                        SymbolKind::Oneof,
                        o.name.span,
                        o.span,
                        container,
                        &o.comments,
                    );
                    let od = self.def(def);
                    for item in &o.items {
                        match item {
                            ast::OneofItem::Field(f) => {
                                self.field(f, full, full, SymbolKind::Field, Some(od))
                            }
                            ast::OneofItem::Option(opt) => self.option_name(&opt.option.name, full),
                            ast::OneofItem::Empty(_) => {}
                        }
                    }
                }
                ast::MessageItem::Message(m) => self.message(m, full, container),
                ast::MessageItem::Enum(e) => self.enumeration(e, full, container),
                ast::MessageItem::Extend(x) => self.extend(x, full, container),
                ast::MessageItem::Option(o) => self.option_name(&o.option.name, full),
                ast::MessageItem::Extensions(x) => self.options(&x.options, full),
                ast::MessageItem::Subclass(s) => self.registration(s, full),
                _ => {}
            }
        }
    }

    /// A registry statement in `root`'s body: its name is a full name, looked up in every file
    /// (the root's file cannot import the files that declare its registered classes).
    fn registration(&mut self, s: &ast::Subclass, root: &str) {
        let class = hierarchy::registry_name(s);
        if let Lookup::Found(full, sym) =
            self.symbols
                .lookup(&s.name, "", LookupMode::Types, &|_: FileId| true)
        {
            if sym.kind == SymbolKind::Message {
                self.record(&s.name, full);
            }
        }
        self.registrations.push(Registration {
            class,
            root: root.to_string(),
            tag: hierarchy::registry_tag(s),
            file: self.file,
            span: s.span,
            name_span: s.name.span,
        });
    }

    /// A field of a message (`scope` = the message) or an extension (`scope` = the extend
    /// block's scope); `owner` is where its name is defined.
    fn field(
        &mut self,
        f: &ast::Field,
        scope: &str,
        owner: &str,
        kind: SymbolKind,
        container: Option<usize>,
    ) {
        let mut def = self.new_def(
            qualify(owner, &f.name.name),
            kind,
            f.name.span,
            f.span,
            container,
            &f.comments,
        );
        def.number = f.number.as_i128();
        let json = f
            .options
            .iter()
            .find_map(|o| match (&o.name.parts[..], &o.value) {
                ([ast::OptionNamePart::Field(n)], ast::Constant::String(s))
                    if n.name == "json_name" =>
                {
                    Some(s.to_text())
                }
                _ => None,
            });
        def.json_name = Some(json.unwrap_or_else(|| json_name(&f.name.name)));
        match &f.ty {
            ast::FieldType::Named(ty) => {
                self.reference(ty, scope, LookupMode::Types);
                self.def(def);
            }
            ast::FieldType::Map(map) => {
                self.reference(&map.value, scope, LookupMode::Types);
                self.def(def);
            }
            ast::FieldType::Group { items, .. } => {
                // A group is a message named as the field is written, and a field.
                def.kind = SymbolKind::Message;
                def.full = qualify(scope, &f.name.name);
                let group_full = def.full.clone();
                let d = self.def(def);
                self.message_items(items, &group_full, Some(d));
            }
        }
        self.options(&f.options, scope);
    }

    fn enumeration(&mut self, e: &ast::Enum, scope: &str, container: Option<usize>) {
        let full = qualify(scope, &e.name.name);
        let def = self.new_def(
            full.clone(),
            SymbolKind::Enum,
            e.name.span,
            e.span,
            container,
            &e.comments,
        );
        let d = self.def(def);
        for item in &e.items {
            match item {
                ast::EnumItem::Value(v) => {
                    // Enum values are defined beside their enum (C++ scoping).
                    let mut def = self.new_def(
                        qualify(scope, &v.name.name),
                        SymbolKind::EnumValue,
                        v.name.span,
                        v.span,
                        Some(d),
                        &v.comments,
                    );
                    def.number = v.number.as_i128();
                    self.def(def);
                    self.options(&v.options, &full);
                }
                ast::EnumItem::Option(o) => self.option_name(&o.option.name, &full),
                _ => {}
            }
        }
    }

    fn extend(&mut self, x: &ast::Extend, scope: &str, container: Option<usize>) {
        self.reference(&x.extendee, scope, LookupMode::Types);
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                self.field(f, scope, scope, SymbolKind::Extension, container);
            }
        }
    }

    fn service(&mut self, s: &ast::Service, scope: &str) {
        let full = qualify(scope, &s.name.name);
        let def = self.new_def(
            full.clone(),
            SymbolKind::Service,
            s.name.span,
            s.span,
            None,
            &s.comments,
        );
        let d = self.def(def);
        for item in &s.items {
            match item {
                ast::ServiceItem::Rpc(r) => {
                    let def = self.new_def(
                        qualify(&full, &r.name.name),
                        SymbolKind::Method,
                        r.name.span,
                        r.span,
                        Some(d),
                        &r.comments,
                    );
                    self.def(def);
                    self.reference(&r.input, &full, LookupMode::Types);
                    self.reference(&r.output, &full, LookupMode::Types);
                    if let Some(body) = &r.body {
                        for o in &body.options {
                            self.option_name(&o.option.name, &full);
                        }
                    }
                }
                ast::ServiceItem::Option(o) => self.option_name(&o.option.name, &full),
            }
        }
    }
}
