//! Finding the hierarchies of a file and allocating their tags.
//!
//! [`analyze`] walks the file in source order (depth first, so a nested message comes right after
//! the start of its parent), resolves every base name, rejects cycles and hierarchies split across
//! files, gives each class with subclasses its subclass range, and allocates one tag to every class
//! but the root. The order of the walk is the declaration order that tag allocation and the `Type`
//! enum follow, so the result depends only on the text of the file.

use std::collections::HashMap;

use crate::ast::{self, FullIdent, Ident};
use crate::diagnostics::{Diagnostic, LISTED_AT_MOST};
use crate::lower::cross::Cross;
use crate::protobuf;
use crate::resolve::symbols::{qualify, Lookup, LookupMode, SymbolKind, SymbolTable};
use crate::source::{FileId, Span};

/// The largest field number (and so the largest tag), as lowering counts tags.
pub const MAX_FIELD_NUMBER: u32 = protobuf::MAX_FIELD_NUMBER as u32;
/// Where the default subclass range starts: `extensions 100 to max;`.
pub const DEFAULT_RANGE_START: u32 = 100;
/// Field numbers protobuf reserves for its implementation; never a tag.
pub const IMPLEMENTATION_RESERVED: (u32, u32) = (
    protobuf::FIRST_RESERVED_NUMBER as u32,
    protobuf::LAST_RESERVED_NUMBER as u32,
);

/// An inclusive range of field numbers, with the text it came from (or the text that caused it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumRange {
    /// First number.
    pub lo: u32,
    /// Last number, inclusive.
    pub hi: u32,
    /// Where it was written.
    pub span: Span,
}

impl NumRange {
    /// Whether `n` is in the range.
    pub fn contains(&self, n: u32) -> bool {
        self.lo <= n && n <= self.hi
    }

    /// `100 to max`, `1000 to 2000`, `105`: as a user writes it.
    pub fn describe(&self) -> String {
        match (self.lo == self.hi, self.hi == MAX_FIELD_NUMBER) {
            (true, _) => self.lo.to_string(),
            (false, true) => format!("{} to max", self.lo),
            (false, false) => format!("{} to {}", self.lo, self.hi),
        }
    }
}

/// Describes a list of ranges: `100 to 104, 106 to max`.
///
/// At most [`LISTED_AT_MOST`] ranges are named, then "and N more": the text goes into a
/// message per subclass, which must not grow with the number of ranges too.
pub fn describe_ranges(ranges: &[NumRange]) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .take(LISTED_AT_MOST)
        .map(NumRange::describe)
        .collect();
    let mut text = parts.join(", ");
    if ranges.len() > LISTED_AT_MOST {
        text.push_str(&format!(" and {} more", ranges.len() - LISTED_AT_MOST));
    }
    text
}

/// A message of the file, seen as a (possible) class.
#[derive(Debug)]
pub struct Class<'a> {
    /// The declaration.
    pub msg: &'a ast::Message,
    /// Fully qualified name without the leading dot (`zoo.Outer.Cat`).
    pub full: String,
    /// The scope enclosing it (`zoo.Outer`), where its base name is looked up.
    pub scope: String,
    /// Its direct parent, when its base resolved to a message of this file.
    pub parent: Option<usize>,
    /// The root of its hierarchy (itself for a root), when its chain of bases is sound.
    pub root: Option<usize>,
    /// Its direct subclasses, in declaration order.
    pub children: Vec<usize>,
    /// Its tag, once allocated (never for a root).
    pub tag: Option<u32>,
    /// For a class with subclasses: the numbers its subclasses' tags come from, ascending.
    pub ranges: Vec<NumRange>,
    /// Whether `ranges` are the author's `extensions` statements (else the default range).
    pub declared_ranges: bool,
    /// Its direct parent, when its base resolved to a message of another file (DESIGN.md
    /// section 3a): the head of this file's part of a hierarchy rooted elsewhere.
    pub external: Option<External>,
    /// Whether its tag is the one its root registered (`subclass full.Name = TAG;`).
    pub registered: bool,
    /// The root's registry: its `subclass full.Name = TAG;` statements, in source order.
    pub registry: Vec<&'a ast::Subclass>,
}

/// A parent declared in another file.
#[derive(Clone, Debug)]
pub struct External {
    /// Its full name.
    pub full: String,
    /// The file that declares it.
    pub file: FileId,
    /// Its name's span in that file.
    pub span: Span,
}

impl Class<'_> {
    /// The message's own name.
    pub fn name(&self) -> &str {
        &self.msg.name.name
    }
}

/// A type name written in the file, with the scope it is looked up from.
#[derive(Debug)]
pub struct TypeRef<'a> {
    /// The name as written.
    pub name: &'a FullIdent,
    /// The scope of the declaration that uses it.
    pub scope: String,
}

/// The hierarchies of one file.
#[derive(Debug)]
pub struct Analysis<'a> {
    /// The file's package (empty when none).
    pub package: String,
    /// Every message of the file, in declaration order; none when no message has a base (a
    /// file without hierarchies).
    pub classes: Vec<Class<'a>>,
    /// Every relative type name written in the file (field types, map values, extendees) whose
    /// first part is `Type`: the names a generated `Type` enum could capture.
    pub refs: Vec<TypeRef<'a>>,
    /// The classes of each hierarchy (or part of one), by root (or head), in declaration order:
    /// [`Analysis::members`] without a scan of every class.
    groups: HashMap<usize, Vec<usize>>,
}

impl Analysis<'_> {
    /// Roots of hierarchies (classes with at least one sound subclass of this file, or with a
    /// registry of subclasses in other files), in declaration order.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.classes.len())
            .filter(|&i| {
                let c = &self.classes[i];
                c.root == Some(i)
                    && c.external.is_none()
                    && (!c.children.is_empty() || !c.registry.is_empty())
            })
            .collect()
    }

    /// Heads of this file's parts of hierarchies rooted in other files (classes whose parent is
    /// declared in another file), in declaration order.
    pub fn heads(&self) -> Vec<usize> {
        (0..self.classes.len())
            .filter(|&i| self.classes[i].root == Some(i) && self.classes[i].external.is_some())
            .collect()
    }

    /// The classes of the hierarchy rooted at `root`, root excluded, in declaration order.
    pub fn members(&self, root: usize) -> Vec<usize> {
        self.groups.get(&root).map_or_else(Vec::new, |g| {
            g.iter().copied().filter(|&i| i != root).collect()
        })
    }

    /// A class's name for messages: its full name without the package (`Outer.Cat`).
    pub fn display(&self, class: usize) -> &str {
        let full = &self.classes[class].full;
        if self.package.is_empty() {
            full
        } else {
            full.strip_prefix(&self.package)
                .and_then(|s| s.strip_prefix('.'))
                .unwrap_or(full)
        }
    }
}

/// Finds the hierarchies of `ast`, allocates tags, and reports every inheritance error about
/// bases, cycles, ranges and tags, knowing nothing of the other files' hierarchies: a class
/// whose parent is in another file gets no tag (see [`analyze_with`]).
pub fn analyze<'a>(
    file: FileId,
    ast: &'a ast::File,
    symbols: &SymbolTable,
    visible: &dyn Fn(FileId) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> Analysis<'a> {
    analyze_with(file, ast, symbols, visible, &Cross::default(), diags)
}

/// [`analyze`], with the hierarchies of the whole compilation (`cross`): a class whose parent is
/// declared in another file takes the tag its root registered, and is checked against the
/// registry and its parent's range.
pub fn analyze_with<'a>(
    file: FileId,
    ast: &'a ast::File,
    symbols: &SymbolTable,
    visible: &dyn Fn(FileId) -> bool,
    cross: &Cross,
    diags: &mut Vec<Diagnostic>,
) -> Analysis<'a> {
    let package = ast.package_name();
    if !has_inheritance(&ast.items) {
        return Analysis {
            package,
            classes: Vec::new(),
            refs: Vec::new(),
            groups: HashMap::new(),
        };
    }
    let mut found = Discovery::default();
    for item in &ast.items {
        match item {
            ast::FileItem::Message(m) => found.message(m, &package),
            ast::FileItem::Extend(x) => found.extend(x, &package),
            _ => {}
        }
    }
    for (f, scope) in &found.bare_subclass {
        let ast::FieldType::Named(ty) = &f.ty else {
            continue;
        };
        if matches!(
            symbols.lookup(ty, scope, LookupMode::Types, visible),
            Lookup::Found(..)
        ) {
            continue; // a field of the type `subclass`
        }
        let guess = qualify(&package, &f.name.name);
        diags.push(
            Diagnostic::error(
                "SUBCLASS_NAME_NOT_QUALIFIED",
                format!("`subclass {} = …;` registers a class by its fully qualified name, and `{}` is not one", f.name.name, f.name.name),
            )
            .at(file, f.name.span, "not a fully qualified name")
            .note("a registry statement names a class of another file, which the root's file does not import: only its full name identifies it")
            .help(format!("write its full name, e.g. `subclass {guess} = {};`", number(&f.number).map_or("N".to_string(), |n| n.to_string()))),
        );
    }
    let mut a = Analysis {
        package,
        classes: found.classes,
        refs: found.refs,
        groups: HashMap::new(),
    };
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, c) in a.classes.iter().enumerate() {
        index.entry(c.full.clone()).or_insert(i);
    }
    resolve_bases(&mut a, &index, file, symbols, visible, diags);
    check_registries(&a, &index, file, symbols, diags);
    if cross.is_known() {
        crate::lower::cross::check_registered_roots(&a, cross, file, diags);
    }
    find_roots(&mut a, file, diags);
    for i in 0..a.classes.len() {
        if let Some(r) = a.classes[i].root {
            a.groups.entry(r).or_default().push(i);
        }
    }
    for i in 0..a.classes.len() {
        if let (Some(p), Some(_)) = (a.classes[i].parent, a.classes[i].root) {
            a.classes[p].children.push(i);
        }
    }
    // Numbers of the user's own extensions of each class in this file: tags must avoid them.
    let mut user_extensions: HashMap<usize, Vec<(u32, Span)>> = HashMap::new();
    for (extend, scope) in &found.extends {
        if let Lookup::Found(full, _) =
            symbols.lookup(&extend.extendee, scope, LookupMode::Any, visible)
        {
            if let Some(&i) = index.get(&full) {
                for item in &extend.items {
                    if let ast::ExtendItem::Field(f) = item {
                        if let Some(n) = number(&f.number) {
                            user_extensions
                                .entry(i)
                                .or_default()
                                .push((n, f.number.span));
                        }
                    }
                }
            }
        }
    }
    for root in a.roots() {
        let mut parents = vec![root];
        parents.extend(
            a.members(root)
                .into_iter()
                .filter(|&m| has_subclasses(&a, m, cross)),
        );
        for &p in &parents {
            set_ranges(&mut a.classes[p]);
            check_parent(&a, p, file, diags);
        }
        allocate_tags(&mut a, root, &user_extensions, file, diags);
    }
    let mut suggested = HashMap::new();
    for head in a.heads() {
        let mut parents: Vec<usize> = a
            .members(head)
            .into_iter()
            .filter(|&m| has_subclasses(&a, m, cross))
            .collect();
        if has_subclasses(&a, head, cross) {
            parents.insert(0, head);
        }
        for &p in &parents {
            set_ranges(&mut a.classes[p]);
            check_parent(&a, p, file, diags);
        }
        crate::lower::cross::assign_registered(&mut a, head, cross, file, &mut suggested, diags);
    }
    a
}

/// Whether class `c` has subclasses, in this file or (as far as `cross` knows) in others.
fn has_subclasses(a: &Analysis<'_>, c: usize, cross: &Cross) -> bool {
    !a.classes[c].children.is_empty() || !cross.external_children(&a.classes[c].full).is_empty()
}

/// Whether any message of the file (at any depth, groups' and extensions' included) has a base.
/// Without one, lowering plans nothing and reports nothing.
pub fn has_inheritance(items: &[ast::FileItem]) -> bool {
    fn field(f: &ast::Field) -> bool {
        f.is_bare_subclass() || matches!(&f.ty, ast::FieldType::Group { items, .. } if body(items))
    }
    fn extend(x: &ast::Extend) -> bool {
        x.items
            .iter()
            .any(|i| matches!(i, ast::ExtendItem::Field(f) if field(f)))
    }
    fn message(m: &ast::Message) -> bool {
        m.base.is_some() || body(&m.items)
    }
    fn body(items: &[ast::MessageItem]) -> bool {
        items.iter().any(|item| match item {
            ast::MessageItem::Field(f) => field(f),
            ast::MessageItem::Oneof(o) => o
                .items
                .iter()
                .any(|i| matches!(i, ast::OneofItem::Field(f) if field(f))),
            ast::MessageItem::Message(m) => message(m),
            ast::MessageItem::Extend(x) => extend(x),
            ast::MessageItem::Subclass(_) => true,
            _ => false,
        })
    }
    items.iter().any(|item| match item {
        ast::FileItem::Message(m) => message(m),
        ast::FileItem::Extend(x) => extend(x),
        _ => false,
    })
}

#[derive(Default)]
struct Discovery<'a> {
    classes: Vec<Class<'a>>,
    bare_subclass: Vec<(&'a ast::Field, String)>,
    refs: Vec<TypeRef<'a>>,
    extends: Vec<(&'a ast::Extend, String)>,
}

impl<'a> Discovery<'a> {
    fn message(&mut self, m: &'a ast::Message, scope: &str) {
        let full = qualify(scope, &m.name.name);
        self.classes.push(Class {
            msg: m,
            full: full.clone(),
            scope: scope.to_string(),
            parent: None,
            root: None,
            children: Vec::new(),
            tag: None,
            ranges: Vec::new(),
            declared_ranges: false,
            external: None,
            registered: false,
            registry: m
                .items
                .iter()
                .filter_map(|i| match i {
                    ast::MessageItem::Subclass(s) => Some(s),
                    _ => None,
                })
                .collect(),
        });
        self.body(&m.items, &full);
    }

    fn body(&mut self, items: &'a [ast::MessageItem], scope: &str) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.field(f, scope),
                ast::MessageItem::Oneof(o) => {
                    for item in &o.items {
                        if let ast::OneofItem::Field(f) = item {
                            self.field(f, scope);
                        }
                    }
                }
                ast::MessageItem::Message(n) => self.message(n, scope),
                ast::MessageItem::Extend(x) => self.extend(x, scope),
                _ => {}
            }
        }
    }

    fn field(&mut self, f: &'a ast::Field, scope: &str) {
        if f.is_bare_subclass() {
            self.bare_subclass.push((f, scope.to_string()));
        }
        match &f.ty {
            ast::FieldType::Named(name) => self.type_ref(name, scope),
            ast::FieldType::Map(map) => self.type_ref(&map.value, scope),
            ast::FieldType::Group { items, .. } => self.body(items, &qualify(scope, &f.name.name)),
        }
    }

    /// Records a type name if it is one of [`Analysis::refs`].
    fn type_ref(&mut self, name: &'a FullIdent, scope: &str) {
        if !name.absolute && name.parts.first().is_some_and(|p| p.name == "Type") {
            self.refs.push(TypeRef {
                name,
                scope: scope.to_string(),
            });
        }
    }

    fn extend(&mut self, x: &'a ast::Extend, scope: &str) {
        self.type_ref(&x.extendee, scope);
        self.extends.push((x, scope.to_string()));
        for item in &x.items {
            if let ast::ExtendItem::Field(f) = item {
                self.field(f, scope);
            }
        }
    }
}

fn resolve_bases(
    a: &mut Analysis<'_>,
    index: &HashMap<String, usize>,
    file: FileId,
    symbols: &SymbolTable,
    visible: &dyn Fn(FileId) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    for i in 0..a.classes.len() {
        let Some(base) = &a.classes[i].msg.base else {
            continue;
        };
        let written = base.name.to_text();
        let sub = a.display(i).to_string();
        match symbols.lookup(&base.name, &a.classes[i].scope, LookupMode::Types, visible) {
            Lookup::Found(full, sym) => {
                if sym.kind != SymbolKind::Message {
                    diags.push(
                        Diagnostic::error(
                            "BASE_NOT_A_MESSAGE",
                            format!(
                                "`{sub}` inherits from `{written}`, which is {} {}, not a message",
                                article(sym.kind.describe()),
                                sym.kind.describe()
                            ),
                        )
                        .at(
                            file,
                            base.name.span,
                            format!("resolves to the {} `{full}`", sym.kind.describe()),
                        )
                        .also(sym.file, sym.span, format!("`{full}` is declared here"))
                        .help("a message can only inherit from another message"),
                    );
                } else if sym.file != file {
                    a.classes[i].external = Some(External {
                        full,
                        file: sym.file,
                        span: sym.span,
                    });
                } else if let Some(&p) = index.get(&full) {
                    a.classes[i].parent = Some(p);
                } else {
                    diags.push(
                        Diagnostic::error(
                            "BASE_NOT_A_MESSAGE",
                            format!(
                                "`{sub}` inherits from `{full}`, which is the message of a group or a map entry"
                            ),
                        )
                        .at(file, base.name.span, "a group or map entry")
                        .also(sym.file, sym.span, format!("`{full}` is declared here"))
                        .help("inherit from a message declared with `message`"),
                    );
                }
            }
            Lookup::NotImported {
                full_name,
                file: other,
            } => {
                let mut d = Diagnostic::error(
                    "BASE_NOT_IMPORTED",
                    format!("`{sub}` inherits from `{full_name}`, whose file is not imported here"),
                )
                .at(
                    file,
                    base.name.span,
                    "declared in a file this file does not import",
                );
                if let Some(s) = symbols.get(&full_name) {
                    d = d.also(other, s.span, format!("`{full_name}` is declared here"));
                }
                diags.push(d.help("import the file that declares the base"));
            }
            Lookup::Undefined { resolved } => {
                let first = base.name.parts.first().map_or("", |p| p.name.as_str());
                diags.push(
                    Diagnostic::error(
                        "UNKNOWN_BASE",
                        format!("base class `{written}` of `{sub}` is not defined"),
                    )
                    .at(
                        file,
                        base.name.span,
                        format!("resolves to `{resolved}`, which is not defined"),
                    )
                    .note(format!(
                        "protobuf looks a dotted name up by its first part: `{first}` was found, so \
                         the rest must be inside it"
                    ))
                    .help("write the fully qualified name of the base, with a leading dot"),
                );
            }
            Lookup::NotFound => {
                let last = base.name.parts.last().map_or("", |p| p.name.as_str());
                let guesses: Vec<String> = a
                    .classes
                    .iter()
                    .filter(|c| c.name() == last)
                    .map(|c| format!("`.{}`", c.full))
                    .collect();
                let typo =
                    crate::diagnostics::did_you_mean(last, a.classes.iter().map(|c| c.name()));
                let help = if let (true, Some(close)) = (guesses.is_empty(), typo) {
                    format!("did you mean `{close}`?")
                } else if guesses.is_empty() {
                    format!(
                        "declare `message {written}` in this file, or check the spelling of the base"
                    )
                } else {
                    format!("did you mean {}?", guesses.join(" or "))
                };
                diags.push(
                    Diagnostic::error(
                        "UNKNOWN_BASE",
                        format!("base class `{written}` of `{sub}` is not defined"),
                    )
                    .at(file, base.name.span, "not found")
                    .help(help),
                );
            }
        }
    }
}

/// A registry statement's tag, when it is a valid field number outside 19000–19999 (the others
/// are reported by [`check_registries`]).
pub fn registry_tag(s: &ast::Subclass) -> Option<u32> {
    s.tag
        .as_i128()
        .filter(|v| (1..=MAX_FIELD_NUMBER as i128).contains(v))
        .map(|v| v as u32)
        .filter(|n| !(IMPLEMENTATION_RESERVED.0..=IMPLEMENTATION_RESERVED.1).contains(n))
}

/// A registry statement's class name, as a full name (without the leading dot).
pub fn registry_name(s: &ast::Subclass) -> String {
    let mut t = s.name.to_text();
    if s.name.absolute {
        t.remove(0);
    }
    t
}

/// Checks every registry of the file on its own: only a root registers; each name once, each
/// tag once, each a valid tag outside 19000–19999 and the root's reserved numbers; a registered
/// name is not a class of this file, nor anything but a message.
fn check_registries(
    a: &Analysis<'_>,
    index: &HashMap<String, usize>,
    file: FileId,
    symbols: &SymbolTable,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, c) in a.classes.iter().enumerate() {
        if c.registry.is_empty() {
            continue;
        }
        let owner = a.display(i).to_string();
        if let Some(base) = &c.msg.base {
            let s = c.registry[0];
            diags.push(
                Diagnostic::error(
                    "REGISTRY_NOT_IN_ROOT",
                    format!("`{owner}` registers subclasses, but it is not the root of its hierarchy"),
                )
                .at(file, s.span, "a registry outside the root")
                .also(file, base.span, format!("`{owner}` inherits from `{}`", base.name.to_text()))
                .note("the root's `Type` enum lists every class of the hierarchy, so the registry of classes in other files lives in the root")
                .help("move the `subclass` statements into the root of the hierarchy"),
            );
            continue;
        }
        let reserved = reserved_ranges(c.msg);
        // Made once, for the first registered tag out of range: a walk over the root's items
        // per registration was quadratic.
        let range_hint = std::cell::OnceCell::new();
        let mut names: HashMap<String, &ast::Subclass> = HashMap::new();
        let mut tags: HashMap<u32, &ast::Subclass> = HashMap::new();
        for &s in &c.registry {
            let name = registry_name(s);
            if let Some(first) = names.get(&name) {
                diags.push(
                    Diagnostic::error(
                        "DUPLICATE_REGISTRATION",
                        format!("`{name}` is registered twice in `{owner}`"),
                    )
                    .at(file, s.span, "registered again here")
                    .also(file, first.span, "first registered here")
                    .help("keep one `subclass` line per class"),
                );
                continue;
            }
            names.insert(name.clone(), s);
            if let Some(&local) = index.get(&name) {
                diags.push(
                    Diagnostic::error(
                        "REGISTERED_IN_ROOT_FILE",
                        format!("`{name}` is registered in `{owner}`, but it is declared in the root's own file"),
                    )
                    .at(file, s.name.span, "registered here")
                    .also(file, a.classes[local].msg.name.span, "declared in this file")
                    .note("the registry is for classes of other files; a class of the root's file gets its tag where it is declared")
                    .help(format!("remove this line, and pin the tag on the class if you want it fixed: `: {} = {}`", owner, int_text(&s.tag))),
                );
                continue;
            }
            if let Some(sym) = symbols.get(&name) {
                if sym.kind != SymbolKind::Message {
                    diags.push(
                        Diagnostic::error(
                            "REGISTERED_NOT_A_MESSAGE",
                            format!(
                                "`{name}` is registered as a subclass of `{owner}`, but it is {} {}",
                                article(sym.kind.describe()),
                                sym.kind.describe()
                            ),
                        )
                        .at(file, s.name.span, "not a message")
                        .also(sym.file, sym.span, format!("`{name}` is declared here"))
                        .help("register a message by its fully qualified name: `subclass pkg.Message = TAG;`"),
                    );
                    continue;
                }
            }
            let value = s
                .tag
                .as_i128()
                .filter(|v| (1..=MAX_FIELD_NUMBER as i128).contains(v))
                .map(|v| v as u32);
            let d = match value {
                None => Some(
                    Diagnostic::error(
                        "TAG_OUT_OF_RANGE",
                        format!("registered tag of `{name}` must be between 1 and {MAX_FIELD_NUMBER}"),
                    )
                    .at(file, s.tag.span, "not a valid field number")
                    .help(format!("register a tag inside the subclass range of its parent (`{}` for a direct subclass of `{owner}`)", range_hint.get_or_init(|| describe_default_or(c)))),
                ),
                Some(n) if (IMPLEMENTATION_RESERVED.0..=IMPLEMENTATION_RESERVED.1).contains(&n) => Some(
                    Diagnostic::error(
                        "TAG_IN_RESERVED_RANGE",
                        format!("registered tag {n} of `{name}` is in 19000 to 19999, which protobuf reserves for its implementation"),
                    )
                    .at(file, s.tag.span, "reserved by protobuf")
                    .help("register a tag outside 19000 to 19999"),
                ),
                Some(n) => match reserved.iter().find(|r| r.contains(n)) {
                    Some(r) => Some(
                        Diagnostic::error(
                            "TAG_RESERVED",
                            format!("registered tag {n} of `{name}` is reserved in `{owner}`"),
                        )
                        .at(file, s.tag.span, "a reserved number")
                        .also(file, r.span, "reserved here")
                        .note("a reserved tag usually belonged to a retired subclass; reusing it would make old data read as the wrong class")
                        .help("register a tag that is not reserved"),
                    ),
                    None => match tags.get(&n) {
                        Some(first) => Some(
                            Diagnostic::error(
                                "DUPLICATE_TAG",
                                format!("tag {n} is registered for both `{}` and `{name}`", registry_name(first)),
                            )
                            .at(file, s.tag.span, "used again here")
                            .also(file, first.span, format!("first registered here for `{}`", registry_name(first)))
                            .help(format!("give every class of the hierarchy of `{owner}` its own tag")),
                        ),
                        None => {
                            tags.insert(n, s);
                            None
                        }
                    },
                },
            };
            diags.extend(d);
        }
    }
}

/// `100 to max`, or the class's declared ranges.
fn describe_default_or(c: &Class<'_>) -> String {
    let mut declared = Vec::new();
    for item in &c.msg.items {
        if let ast::MessageItem::Extensions(x) = item {
            declared.extend(x.ranges.iter().filter_map(num_range));
        }
    }
    if declared.is_empty() {
        format!("{DEFAULT_RANGE_START} to max")
    } else {
        describe_ranges(&declared)
    }
}

/// An integer literal as written.
fn int_text(lit: &ast::IntLit) -> String {
    match lit.value {
        Some(v) if lit.negative => format!("-{v}"),
        Some(v) => v.to_string(),
        None => "?".into(),
    }
}

/// "a" or "an" before a word (by its first letter, either case: `an Opened`, `a Cat`).
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// Follows each chain of bases to its root; reports each cycle once.
fn find_roots(a: &mut Analysis<'_>, file: FileId, diags: &mut Vec<Diagnostic>) {
    // None: not visited yet; Some(None): no sound root; Some(Some(r)): root r.
    let mut state: Vec<Option<Option<usize>>> = vec![None; a.classes.len()];
    // The walk (by its start) whose path holds each class: "is it on the path" in one step, so a
    // chain of n classes declared leaf first costs n, not n² (the path is searched only for a
    // cycle, once).
    let mut on_path: Vec<usize> = vec![usize::MAX; a.classes.len()];
    for start in 0..a.classes.len() {
        let mut path = Vec::new();
        let mut cur = start;
        let result = loop {
            if let Some(known) = state[cur] {
                break known;
            }
            if on_path[cur] == start {
                let pos = path.iter().position(|&p| p == cur).unwrap_or(0);
                report_cycle(a, &path[pos..], file, diags);
                break None;
            }
            on_path[cur] = start;
            path.push(cur);
            match (a.classes[cur].parent, &a.classes[cur].msg.base) {
                (Some(p), _) => cur = p,
                (None, None) => break Some(cur),
                (None, Some(_)) if a.classes[cur].external.is_some() => break Some(cur),
                // The base did not resolve; that was reported.
                (None, Some(_)) => break None,
            }
        };
        for p in path {
            state[p] = Some(result);
        }
    }
    for (c, s) in a.classes.iter_mut().zip(state) {
        c.root = s.flatten();
    }
}

fn report_cycle(a: &Analysis<'_>, cycle: &[usize], file: FileId, diags: &mut Vec<Diagnostic>) {
    // Start the story at the class declared first.
    let first = (0..cycle.len())
        .min_by_key(|&k| cycle[k])
        .expect("a cycle has members");
    let ordered: Vec<usize> = cycle[first..]
        .iter()
        .chain(&cycle[..first])
        .copied()
        .collect();
    let base_span = |c: usize| {
        a.classes[c]
            .msg
            .base
            .as_ref()
            .expect("in a cycle")
            .name
            .span
    };
    let head = ordered[0];
    let d = if ordered.len() == 1 {
        Diagnostic::error(
            "INHERITANCE_CYCLE",
            format!("`{}` inherits from itself", a.display(head)),
        )
        .at(file, base_span(head), "this is the message itself")
    } else {
        let mut chain: Vec<String> = ordered
            .iter()
            .map(|&c| format!("`{}`", a.display(c)))
            .collect();
        chain.push(format!("`{}`", a.display(head)));
        let mut d = Diagnostic::error(
            "INHERITANCE_CYCLE",
            format!("inheritance cycle: {}", chain.join(" -> ")),
        );
        for (k, &c) in ordered.iter().enumerate() {
            let next = ordered[(k + 1) % ordered.len()];
            let label = format!("`{}` inherits from `{}`", a.display(c), a.display(next));
            d = if k == 0 {
                d.at(file, base_span(c), label)
            } else {
                d.also(file, base_span(c), label)
            };
        }
        d
    };
    diags.push(d.help(
        "a hierarchy needs a root that inherits from nothing: remove the base of one of these messages",
    ));
}

/// The numbers of an integer literal, if it is a valid positive `u32`.
fn number(lit: &ast::IntLit) -> Option<u32> {
    match lit.as_i128() {
        Some(v) if (0..=u32::MAX as i128).contains(&v) => Some(v as u32),
        _ => None,
    }
}

/// A range as written, when valid (`100 to max`, `5`).
fn num_range(r: &ast::Range) -> Option<NumRange> {
    let lo = number(&r.start)?;
    let hi = match &r.end {
        None => lo,
        Some(ast::RangeEnd::Int(i)) => number(i)?.min(MAX_FIELD_NUMBER),
        Some(ast::RangeEnd::Max(_)) => MAX_FIELD_NUMBER,
    };
    (lo <= hi).then_some(NumRange {
        lo,
        hi,
        span: r.span,
    })
}

/// Every field of a message body: plain fields, groups, map fields and oneof members.
pub fn fields(items: &[ast::MessageItem]) -> Vec<&ast::Field> {
    let mut out = Vec::new();
    for item in items {
        match item {
            ast::MessageItem::Field(f) => out.push(f),
            ast::MessageItem::Oneof(o) => out.extend(o.items.iter().filter_map(|i| match i {
                ast::OneofItem::Field(f) => Some(f),
                _ => None,
            })),
            _ => {}
        }
    }
    out
}

/// The numbers a message reserves.
pub fn reserved_ranges(msg: &ast::Message) -> Vec<NumRange> {
    let mut out = Vec::new();
    for item in &msg.items {
        if let ast::MessageItem::Reserved(ast::Reserved {
            kind: ast::ReservedKind::Ranges(ranges),
            ..
        }) = item
        {
            out.extend(ranges.iter().filter_map(num_range));
        }
    }
    out
}

/// The field names a message reserves.
pub fn reserved_names(msg: &ast::Message) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for item in &msg.items {
        if let ast::MessageItem::Reserved(ast::Reserved {
            kind: ast::ReservedKind::Names(names),
            ..
        }) = item
        {
            for n in names {
                out.push(match n {
                    ast::ReservedName::Quoted(s) => (s.to_text(), s.span),
                    ast::ReservedName::Bare(i) => (i.name.clone(), i.span),
                });
            }
        }
    }
    out
}

/// What the pinned tags of a parent's subclasses are checked against, indexed once per parent.
struct PinLookups {
    /// The parent's reserved ranges, then the root's, each with its owner.
    reserved: Vec<(NumRange, usize)>,
    /// The first of `reserved` that holds each number.
    first_reserved: crate::lower::ranges::FirstRange,
    /// Which of the parent's subclass ranges holds each number.
    in_range: crate::lower::ranges::FirstRange,
    /// The first extension of the parent the user declared with each number, and where.
    extensions: HashMap<u32, Span>,
}

impl PinLookups {
    fn new(
        a: &Analysis<'_>,
        p: usize,
        root: usize,
        root_reserved: &[NumRange],
        exts: &[(u32, Span)],
    ) -> Self {
        let reserved: Vec<(NumRange, usize)> = reserved_ranges(a.classes[p].msg)
            .into_iter()
            .map(|r| (r, p))
            .chain(root_reserved.iter().map(|&r| (r, root)))
            .collect();
        let bounds = |r: &NumRange| (r.lo as i64, r.hi as i64);
        let mut extensions = HashMap::new();
        for &(e, span) in exts {
            extensions.entry(e).or_insert(span);
        }
        PinLookups {
            first_reserved: crate::lower::ranges::FirstRange::new(
                reserved.iter().map(|(r, _)| bounds(r)),
            ),
            in_range: crate::lower::ranges::FirstRange::new(a.classes[p].ranges.iter().map(bounds)),
            reserved,
            extensions,
        }
    }

    /// The first reserved range (the parent's, then the root's) that holds `n`, and its owner.
    fn reserved_in(&self, n: u32) -> Option<(NumRange, usize)> {
        self.first_reserved
            .get(n as i64)
            .map(|i| self.reserved[i])
    }
}

/// The subclass range of a class with subclasses: its `extensions` statements, else
/// `100 to max` minus the numbers it reserves.
fn set_ranges(c: &mut Class<'_>) {
    let mut declared = Vec::new();
    for item in &c.msg.items {
        if let ast::MessageItem::Extensions(x) = item {
            declared.extend(x.ranges.iter().filter_map(num_range));
        }
    }
    c.declared_ranges = !declared.is_empty();
    c.ranges = if declared.is_empty() {
        let mut reserved = reserved_ranges(c.msg);
        reserved.sort_by_key(|r| r.lo);
        let span = c.msg.name.span;
        let mut out = Vec::new();
        let mut lo = DEFAULT_RANGE_START;
        for r in reserved {
            if r.hi < lo {
                continue;
            }
            if r.lo > lo {
                out.push(NumRange {
                    lo,
                    hi: r.lo - 1,
                    span,
                });
            }
            lo = r.hi.saturating_add(1);
            if lo > MAX_FIELD_NUMBER {
                break;
            }
        }
        if lo <= MAX_FIELD_NUMBER {
            out.push(NumRange {
                lo,
                hi: MAX_FIELD_NUMBER,
                span,
            });
        }
        out
    } else {
        declared.sort_by_key(|r| r.lo);
        declared
    };
}

/// Checks a class with subclasses: no message set, no field inside its subclass range.
fn check_parent(a: &Analysis<'_>, p: usize, file: FileId, diags: &mut Vec<Diagnostic>) {
    let c = &a.classes[p];
    let name = a.display(p);
    for item in &c.msg.items {
        if let ast::MessageItem::Option(o) = item {
            let is_message_set = matches!(&o.option.name.parts[..],
                [ast::OptionNamePart::Field(Ident { name, .. })] if name == "message_set_wire_format")
                && matches!(&o.option.value, ast::Constant::Ident { name, .. } if name.to_text() == "true");
            if is_message_set {
                // A subclass of this file, or (only in other files) the class itself.
                let (at, who) = match c.children.first() {
                    Some(&child) => (
                        a.classes[child]
                            .msg
                            .base
                            .as_ref()
                            .expect("a child has a base")
                            .name
                            .span,
                        format!("`{}` inherits from it here", a.display(child)),
                    ),
                    None => (
                        c.msg.name.span,
                        "it has subclasses in other files".to_string(),
                    ),
                };
                diags.push(
                    Diagnostic::error(
                        "MESSAGE_SET_BASE",
                        format!("`{name}` uses the message set wire format, so it cannot have subclasses"),
                    )
                    .at(file, o.span, "this makes it a message set")
                    .also(file, at, who)
                    .note("a message set holds nothing but extensions, while lowering gives a base class a subclass range and its root a `type` field")
                    .help(format!("remove the option, or declare the subclasses of `{name}` as ordinary messages")),
                );
            }
        }
    }
    let range_text = describe_ranges(&c.ranges);
    // Indexed once: a pass over the ranges per field was quadratic.
    let in_range =
        crate::lower::ranges::FirstRange::new(c.ranges.iter().map(|r| (r.lo as i64, r.hi as i64)));
    for f in fields(&c.msg.items) {
        let Some(n) = number(&f.number) else { continue };
        let Some(r) = in_range.get(n as i64).map(|i| &c.ranges[i]) else {
            continue;
        };
        let mut d = Diagnostic::error(
            "FIELD_IN_SUBCLASS_RANGE",
            format!(
                "field `{}` = {n} of `{name}` is inside its subclass range ({range_text})",
                f.name.name
            ),
        )
        .at(file, f.number.span, "inside the subclass range");
        d = if c.declared_ranges {
            d.also(file, r.span, "subclass tags come from this range")
                .help(format!(
                    "renumber the field outside {range_text}, or change the range"
                ))
        } else {
            d.note(format!(
                "`{name}` has subclasses, so its numbers from 100 up are its subclasses' tags"
            ))
            .help(format!(
                "renumber the field below {DEFAULT_RANGE_START}, or declare a different range for the subclass tags in `{name}`, e.g. `extensions 1000 to max;`"
            ))
        };
        diags.push(d);
    }
}

/// Validates pinned tags, then gives every unpinned class the lowest free number of its
/// parent's range, in declaration order.
fn allocate_tags(
    a: &mut Analysis<'_>,
    root: usize,
    user_extensions: &HashMap<usize, Vec<(u32, Span)>>,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) {
    let members = a.members(root);
    let root_reserved = reserved_ranges(a.classes[root].msg);
    // tag -> (class, where it was pinned or named)
    let mut used: HashMap<u32, (usize, Span)> = HashMap::new();
    // The registry's tags (checked by `check_registries`): same-file classes skip them.
    let mut registered: HashMap<u32, &ast::Subclass> = HashMap::new();
    for s in &a.classes[root].registry {
        if let Some(n) = registry_tag(s) {
            registered.entry(n).or_insert(s);
        }
    }
    let no_extensions = Vec::new();
    let mut lookups: HashMap<usize, PinLookups> = HashMap::new();
    for &c in &members {
        let base = a.classes[c].msg.base.as_ref().expect("members have a base");
        let Some(lit) = &base.tag else { continue };
        let p = a.classes[c].parent.expect("members have a parent");
        let sub = a.display(c).to_string();
        let parent = a.display(p).to_string();
        let ranges = &a.classes[p].ranges;
        let range_text = describe_ranges(ranges);
        // What each pinned tag is checked against, indexed once per parent: a pass over the
        // parent's items, ranges and extensions for each subclass was quadratic.
        let look = lookups.entry(p).or_insert_with(|| {
            let exts = user_extensions.get(&p).unwrap_or(&no_extensions);
            PinLookups::new(a, p, root, &root_reserved, exts)
        });
        let reserved_in = |n: u32| look.reserved_in(n);
        let value = lit
            .as_i128()
            .filter(|v| (1..=MAX_FIELD_NUMBER as i128).contains(v))
            .map(|v| v as u32);
        let d = match value {
            None => Some(
                Diagnostic::error(
                    "TAG_OUT_OF_RANGE",
                    format!("tag of `{sub}` must be between 1 and {MAX_FIELD_NUMBER}"),
                )
                .at(file, lit.span, "not a valid field number")
                .help(format!("pin a tag inside the subclass range of `{parent}` ({range_text})")),
            ),
            Some(n) if (IMPLEMENTATION_RESERVED.0..=IMPLEMENTATION_RESERVED.1).contains(&n) => Some(
                Diagnostic::error(
                    "TAG_IN_RESERVED_RANGE",
                    format!("tag {n} of `{sub}` is in 19000 to 19999, which protobuf reserves for its implementation"),
                )
                .at(file, lit.span, "reserved by protobuf")
                .help("pin a tag outside 19000 to 19999"),
            ),
            Some(n) if reserved_in(n).is_some() => {
                let (r, owner) = reserved_in(n).expect("checked");
                Some(
                    Diagnostic::error(
                        "TAG_RESERVED",
                        format!("tag {n} of `{sub}` is reserved in `{}`", a.display(owner)),
                    )
                    .at(file, lit.span, "a reserved number")
                    .also(file, r.span, "reserved here")
                    .note("a reserved tag usually belonged to a retired subclass; reusing it would make old data read as the wrong class")
                    .help("pin a tag that is not reserved"),
                )
            }
            Some(n) if look.in_range.get(n as i64).is_none() => {
                let mut d = Diagnostic::error(
                    "TAG_OUT_OF_RANGE",
                    format!("tag {n} of `{sub}` is outside the subclass range of `{parent}` ({range_text})"),
                )
                .at(file, lit.span, format!("not in {range_text}"));
                if a.classes[p].declared_ranges {
                    for r in ranges.iter().take(LISTED_AT_MOST) {
                        d = d.also(file, r.span, "the subclass range is declared here");
                    }
                }
                Some(d.help(format!(
                    "pin a tag inside {range_text}, or declare a range in `{parent}` that contains {n}"
                )))
            }
            Some(n) if registered.contains_key(&n) => {
                let s = registered[&n];
                Some(
                    Diagnostic::error(
                        "DUPLICATE_TAG",
                        format!(
                            "tag {n} of `{sub}` is already registered for `{}` in `{}`",
                            registry_name(s),
                            a.display(root)
                        ),
                    )
                    .at(file, lit.span, "used again here")
                    .also(file, s.span, format!("registered here for `{}`", registry_name(s)))
                    .help(format!(
                        "give every class of the hierarchy of `{}` its own tag: pin another one, or \
                         drop `= {n}` to let iprotoc allocate the lowest free tag",
                        a.display(root)
                    )),
                )
            }
            Some(n) if used.contains_key(&n) => {
                let (first, span) = used[&n];
                Some(
                    Diagnostic::error(
                        "DUPLICATE_TAG",
                        format!("tag {n} is used by both `{}` and `{sub}`", a.display(first)),
                    )
                    .at(file, lit.span, "used again here")
                    .also(file, span, format!("first used here by `{}`", a.display(first)))
                    .help(format!(
                        "give every class of the hierarchy of `{}` its own tag: pin another one, or \
                         drop `= {n}` to let iprotoc allocate the lowest free tag",
                        a.display(root)
                    )),
                )
            }
            Some(n) if look.extensions.contains_key(&n) => {
                let span = look.extensions[&n];
                Some(
                    Diagnostic::error(
                        "DUPLICATE_TAG",
                        format!("tag {n} of `{sub}` is already the number of an extension of `{parent}`"),
                    )
                    .at(file, lit.span, "used again here")
                    .also(file, span, "first used here")
                    .help("pin a tag that no extension of the parent uses"),
                )
            }
            Some(n) => {
                used.insert(n, (c, lit.span));
                a.classes[c].tag = Some(n);
                None
            }
        };
        diags.extend(d);
    }
    // Tags given out are skipped through `taken`; `blocked` holds only the parent's own fixed
    // exclusions, so allocating n classes stays near-linear (20,000 subclasses is a test).
    let mut taken = Taken::default();
    for &n in used.keys().chain(registered.keys()) {
        taken.insert(n);
    }
    let mut free_scans: HashMap<usize, (Blocked, (usize, u32))> = HashMap::new();
    for &c in &members {
        if a.classes[c]
            .msg
            .base
            .as_ref()
            .is_some_and(|b| b.tag.is_some())
        {
            continue;
        }
        let p = a.classes[c].parent.expect("members have a parent");
        // Built once per parent, and each parent's scan resumes where its last one ended: per
        // subclass, re-reading the parent's items and rescanning its range was quadratic.
        let (blocked, from) = free_scans.entry(p).or_insert_with(|| {
            let mut blocked: Vec<(u32, u32)> = vec![IMPLEMENTATION_RESERVED];
            blocked.extend(
                reserved_ranges(a.classes[p].msg)
                    .iter()
                    .chain(&root_reserved)
                    .map(|r| (r.lo, r.hi)),
            );
            blocked.extend(
                user_extensions
                    .get(&p)
                    .unwrap_or(&no_extensions)
                    .iter()
                    .map(|&(n, _)| (n, n)),
            );
            (Blocked::new(blocked), (0, 0))
        });
        let found = blocked.lowest_free(&a.classes[p].ranges, *from, &mut taken);
        if let Some((at, _)) = found {
            *from = at;
        }
        match found.map(|(_, n)| n) {
            Some(n) => {
                taken.insert(n);
                used.insert(n, (c, a.classes[c].msg.name.span));
                a.classes[c].tag = Some(n);
            }
            None => {
                let parent = a.display(p).to_string();
                diags.push(
                    Diagnostic::error(
                        "NO_FREE_TAG",
                        format!(
                            "no free tag left for `{}` in the subclass range of `{parent}` ({})",
                            a.display(c),
                            describe_ranges(&a.classes[p].ranges)
                        ),
                    )
                    .at(file, a.classes[c].msg.name.span, "needs a tag")
                    .help(format!("widen the `extensions` range of `{parent}`")),
                );
            }
        }
    }
}

/// A message's declared `extensions` ranges, sorted.
pub(crate) fn declared_ranges(msg: &ast::Message) -> Vec<NumRange> {
    let mut out: Vec<NumRange> = msg
        .items
        .iter()
        .filter_map(|i| match i {
            ast::MessageItem::Extensions(x) => Some(x.ranges.iter()),
            _ => None,
        })
        .flatten()
        .filter_map(num_range)
        .collect();
    out.sort_by_key(|r| r.lo);
    out
}

/// The numbers a class's subclasses may be tagged with, retired ones included. Without declared
/// `extensions` ranges: the default `100 to max` (whether or not it has subclasses today: a class
/// whose only subclass was retired has none left). With them: the declared ranges, each widened by
/// the reserved ranges that overlap or touch it, transitively, since protoc rejects a reserved
/// number inside an extension range, so a tag retired at the edge of a declared range (or
/// between two) is reserved just outside it (`extensions 1001 to 1999; reserved 1000;`).
fn subclass_space(msg: &ast::Message) -> Vec<(u32, u32)> {
    let declared: Vec<(u32, u32)> = declared_ranges(msg)
        .into_iter()
        .map(|r| (r.lo, r.hi))
        .collect();
    if declared.is_empty() {
        return vec![(DEFAULT_RANGE_START, MAX_FIELD_NUMBER)];
    }
    // Connected stretches of declared and reserved numbers; keep those holding a declared range.
    let mut all: Vec<(u32, u32, bool)> = declared
        .into_iter()
        .map(|(lo, hi)| (lo, hi, true))
        .chain(
            reserved_ranges(msg)
                .into_iter()
                .map(|r| (r.lo, r.hi, false)),
        )
        .collect();
    all.sort_unstable();
    let mut stretches: Vec<(u32, u32, bool)> = Vec::new();
    for (lo, hi, declared) in all {
        match stretches.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => {
                last.1 = last.1.max(hi);
                last.2 |= declared;
            }
            _ => stretches.push((lo, hi, declared)),
        }
    }
    stretches
        .into_iter()
        .filter(|s| s.2)
        .map(|(lo, hi, _)| (lo, hi))
        .collect()
}

/// The retired tags of the hierarchy rooted at `root` (DESIGN.md section 3: to retire a subclass,
/// delete it and `reserved` its tag): every number a class of this file's part of the hierarchy
/// reserves inside its own subclass space (see [`subclass_space`]), and every number the root
/// reserves inside any of those spaces (the root's reservations block tags throughout the
/// hierarchy; a registered class is retired that way). Numbers in `live` (the tags of the `Type`
/// enum's values) are left out, so the result can be reserved in the generated `Type` enum.
/// Sorted, disjoint, adjacent ranges merged: a function of the file's text only.
pub fn retired_tags(a: &Analysis<'_>, root: usize, live: &[u32]) -> Vec<(u32, u32)> {
    let mut classes = vec![root];
    classes.extend(a.members(root));
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut all_spaces = Vec::new();
    for &c in &classes {
        let space = subclass_space(a.classes[c].msg);
        for r in reserved_ranges(a.classes[c].msg) {
            out.extend(intersect((r.lo, r.hi), &space));
        }
        all_spaces.extend(space);
    }
    // Both sides merged (sorted, disjoint), so that each part is found once.
    let all_spaces = merge(all_spaces);
    let root_reserved = merge(
        reserved_ranges(a.classes[root].msg)
            .into_iter()
            .map(|r| (r.lo, r.hi))
            .collect(),
    );
    for r in root_reserved {
        out.extend(intersect(r, &all_spaces));
    }
    let mut live = live.to_vec();
    live.sort_unstable();
    live.dedup();
    subtract(merge(out), &live)
}

/// Classes whose pinned tag another class of the hierarchy retired: a number a class reserves inside
/// its own subclass space is a retired tag of the whole hierarchy (the root's `Type` enum
/// reserves it, [`retired_tags`]), so a class tagged with it under *another* parent would be
/// named by the retired class's old `Type` value, and old data of the retired class would read
/// as the new one. (A tag reserved by the class's own parent or by the root is refused, or
/// skipped by allocation, where tags are given.) Each: the class, its tag, the class that
/// reserves it and where.
pub fn retired_elsewhere(a: &Analysis<'_>, root: usize) -> Vec<(usize, u32, usize, Span)> {
    let mut classes = vec![root];
    classes.extend(a.members(root));
    // Every class's reservations inside its own space, with their owner, sorted by start.
    let mut reserved: Vec<(u32, u32, usize, Span)> = Vec::new();
    for &c in &classes {
        let space = subclass_space(a.classes[c].msg);
        for r in reserved_ranges(a.classes[c].msg) {
            reserved.extend(intersect((r.lo, r.hi), &space).map(|(lo, hi)| (lo, hi, c, r.span)));
        }
    }
    if reserved.is_empty() {
        return Vec::new();
    }
    reserved.sort_unstable_by_key(|&(lo, hi, c, _)| (lo, hi, c));
    // The furthest end reached so far, at each position, so that a binary search on the starts
    // finds a range holding `tag` among those that begin at or before it.
    let reach: Vec<u32> = reserved
        .iter()
        .scan(0, |top, &(_, hi, _, _)| {
            *top = (*top).max(hi);
            Some(*top)
        })
        .collect();
    let mut out = Vec::new();
    for &m in &classes[1..] {
        let c = &a.classes[m];
        // Pinned tags only (written, or registered by the root): the author chose the number.
        // An allocated tag is left alone: a class without subclasses may reserve numbers of its
        // own fields at 100 and above, and refusing what allocation gives would make such a
        // schema fail for a reason its author did not write.
        let pinned = c.registered || c.msg.base.as_ref().is_some_and(|b| b.tag.is_some());
        let Some(tag) = c.tag.filter(|_| pinned) else {
            continue;
        };
        let end = reserved.partition_point(|&(lo, ..)| lo <= tag);
        // Walk back over the ranges that start at or before the tag while they can still hold
        // it: at most the ranges holding it, plus one.
        let mut i = end;
        while i > 0 && reach[i - 1] >= tag {
            i -= 1;
            let (lo, hi, owner, span) = reserved[i];
            if lo <= tag
                && tag <= hi
                && owner != root
                && Some(owner) != a.classes[m].parent
                && owner != m
            {
                out.push((m, tag, owner, span));
                break;
            }
        }
    }
    out
}

/// The parts of `r` inside `spaces` (sorted, disjoint): found by binary search, so that `n`
/// reserved ranges against `m` spaces cost `n log m` plus what they share, not `n · m`.
fn intersect(r: (u32, u32), spaces: &[(u32, u32)]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let first = spaces.partition_point(|&(_, hi)| hi < r.0);
    spaces[first..]
        .iter()
        .take_while(move |&&(lo, _)| lo <= r.1)
        .map(move |&(lo, hi)| (lo.max(r.0), hi.min(r.1)))
}

/// Sorts inclusive ranges and merges the overlapping and adjacent ones.
fn merge(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// `ranges` (sorted, disjoint) without the numbers of `points` (sorted, distinct).
fn subtract(ranges: Vec<(u32, u32)>, points: &[u32]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(ranges.len());
    for (mut lo, hi) in ranges {
        let first = points.partition_point(|&p| p < lo);
        for &p in points[first..].iter().take_while(|&&p| p <= hi) {
            if p > lo {
                out.push((lo, p - 1));
            }
            lo = p + 1; // p <= hi <= MAX_FIELD_NUMBER: no overflow
        }
        if lo <= hi {
            out.push((lo, hi));
        }
    }
    out
}

/// Numbers already given out in a hierarchy, as a union-find over the integers: each taken
/// number links to a candidate above it, and lookups compress the path, so finding the lowest
/// free number from any start is amortised constant time however many are taken.
#[derive(Debug, Default)]
pub struct Taken {
    next: HashMap<u32, u32>,
}

impl Taken {
    /// Marks `n` as taken.
    pub fn insert(&mut self, n: u32) {
        self.next.insert(n, n.saturating_add(1));
    }

    /// The lowest number at or above `n` that is not taken (`u32::MAX` saturates).
    fn first_free(&mut self, n: u32) -> u32 {
        let mut free = n;
        let mut path = Vec::new();
        while let Some(&up) = self.next.get(&free) {
            if up == free {
                break;
            }
            path.push(free);
            free = up;
        }
        for m in path {
            self.next.insert(m, free);
        }
        free
    }
}

/// The first number of `ranges` (in their order) in none of the `blocked` intervals and not
/// `taken` (what [`Blocked::lowest_free`] answers on a first call, for tests).
#[cfg(test)]
pub fn lowest_free(ranges: &[NumRange], blocked: &[(u32, u32)], taken: &mut Taken) -> Option<u32> {
    Blocked::new(blocked.to_vec())
        .lowest_free(ranges, (0, 0), taken)
        .map(|(_, n)| n)
}

/// Numbers a parent's subclasses may not take (its reserved numbers and extensions, the root's
/// reserved numbers, 19000–19999), sorted once for every tag allocated in the parent's range.
pub struct Blocked {
    /// The intervals (inclusive), by start.
    intervals: Vec<(u32, u32)>,
    /// The furthest end among the intervals up to each one: whether one of those starting at
    /// or below n covers it is one lookup, not a pass over them.
    reach: Vec<u32>,
}

impl Blocked {
    /// Sorts and indexes intervals.
    pub fn new(mut intervals: Vec<(u32, u32)>) -> Self {
        intervals.sort_unstable();
        let reach = intervals
            .iter()
            .scan(0, |max, &(_, hi)| {
                *max = hi.max(*max);
                Some(*max)
            })
            .collect();
        Blocked { intervals, reach }
    }

    /// The end of a blocked interval that holds `n`, if one does (the furthest reaching).
    fn cover(&self, n: u32) -> Option<u32> {
        let below = self.intervals.partition_point(|&(lo, _)| lo <= n);
        below
            .checked_sub(1)
            .map(|k| self.reach[k])
            .filter(|&hi| hi >= n)
    }

    /// The first number of `ranges` (in their order), from position `from` on (a range's index
    /// and a number in it), that is neither blocked nor taken, with its position. Each step
    /// passes a blocked interval or a run of taken numbers; a caller that asks again from the last
    /// answer (which only moves forward while tags are only taken) passes each blocked interval
    /// of each range once in all.
    pub fn lowest_free(
        &self,
        ranges: &[NumRange],
        from: (usize, u32),
        taken: &mut Taken,
    ) -> Option<((usize, u32), u32)> {
        for (i, r) in ranges.iter().enumerate().skip(from.0) {
            let mut n = if i == from.0 { r.lo.max(from.1) } else { r.lo };
            'scan: while n <= r.hi {
                let free = taken.first_free(n);
                if free != n {
                    n = free;
                    continue 'scan;
                }
                if let Some(hi) = self.cover(n) {
                    n = hi.checked_add(1)?;
                    continue 'scan;
                }
                return Some(((i, n), n));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(lo: u32, hi: u32) -> NumRange {
        NumRange {
            lo,
            hi,
            span: Span::default(),
        }
    }

    #[test]
    fn retired_ranges_are_merged_and_live_tags_left_out() {
        assert_eq!(
            merge(vec![
                (105, 105),
                (100, 101),
                (102, 103),
                (200, 300),
                (250, 260)
            ]),
            vec![(100, 103), (105, 105), (200, 300)]
        );
        assert_eq!(
            subtract(
                vec![(100, 103), (105, 105), (200, 300)],
                &[100, 102, 105, 300]
            ),
            vec![(101, 101), (103, 103), (200, 299)]
        );
        assert_eq!(
            subtract(vec![(100, MAX_FIELD_NUMBER)], &[MAX_FIELD_NUMBER]),
            vec![(100, MAX_FIELD_NUMBER - 1)]
        );
        assert_eq!(
            intersect((50, 150), &[(1, 10), (100, 120), (140, MAX_FIELD_NUMBER)])
                .collect::<Vec<_>>(),
            vec![(100, 120), (140, 150)]
        );
    }

    #[test]
    fn lowest_free_skips_blocked_numbers() {
        let ranges = [r(100, MAX_FIELD_NUMBER)];
        let t = &mut Taken::default();
        assert_eq!(lowest_free(&ranges, &[], t), Some(100));
        assert_eq!(
            lowest_free(&ranges, &[(100, 100), (101, 101)], t),
            Some(102)
        );
        assert_eq!(
            lowest_free(&ranges, &[(101, 101), (100, 100)], t),
            Some(102)
        );
        assert_eq!(lowest_free(&ranges, &[(100, 200)], t), Some(201));
        assert_eq!(
            lowest_free(&ranges, &[(100, 200), (150, 150)], t),
            Some(201)
        );
        t.insert(100);
        t.insert(102);
        assert_eq!(lowest_free(&ranges, &[], t), Some(101));
        assert_eq!(lowest_free(&ranges, &[(101, 101)], t), Some(103));
        t.insert(101);
        t.insert(103);
        assert_eq!(lowest_free(&ranges, &[(104, 110)], t), Some(111));
    }

    #[test]
    fn lowest_free_moves_on_to_the_next_range() {
        let ranges = [r(100, 101), r(19_000, 20_000)];
        let t = &mut Taken::default();
        assert_eq!(
            lowest_free(&ranges, &[(100, 101), IMPLEMENTATION_RESERVED], t),
            Some(20_000)
        );
        assert_eq!(
            lowest_free(&ranges, &[(100, 101), (19_000, 20_000)], t),
            None
        );
        t.insert(20_000);
        assert_eq!(
            lowest_free(&ranges, &[(100, 101), IMPLEMENTATION_RESERVED], t),
            None
        );
    }

    #[test]
    fn ranges_are_described_as_written() {
        assert_eq!(
            describe_ranges(&[r(100, 104), r(106, MAX_FIELD_NUMBER), r(7, 7)]),
            "100 to 104, 106 to max, 7"
        );
    }
}
