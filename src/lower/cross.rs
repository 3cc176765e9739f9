//! Hierarchies across files (DESIGN.md section 3a): what lowering one file needs to know about
//! the hierarchies of the others.
//!
//! A root registers every class of its hierarchy declared outside its file
//! (`subclass zoo.cats.Cat = 100;`), so the root's output depends only on the root's file. A
//! class whose parent is declared in another file takes its registered tag; this module gathers,
//! before lowering, the facts of every class of the compilation ([`Facts`]: parent, subclass
//! range, reserved numbers, registry, the tags of the root's own file) into one map ([`Cross`]),
//! and [`assign_registered`] checks each class of another file against them.
//!
//! Everything is keyed by full name in hash maps: building is linear in the number of classes
//! and registry entries, and each check is a constant number of lookups (plus the walk up a
//! chain of parents, whose length is the depth of the hierarchy).

use std::collections::HashMap;
use std::rc::Rc;

use crate::ast;
use crate::diagnostics::{Diagnostic, LISTED_AT_MOST};
use crate::resolve::symbols::{qualify, SymbolTable};
use crate::source::{FileId, Span};

use super::ranges::FirstRange;
use super::hierarchy::{
    self, describe_ranges, registry_name, registry_tag, Analysis, Blocked, NumRange, Taken,
    DEFAULT_RANGE_START, IMPLEMENTATION_RESERVED, MAX_FIELD_NUMBER,
};

/// One registry entry of a root with a valid tag.
#[derive(Clone, Debug)]
pub struct Registered {
    /// The class's full name (no leading dot).
    pub name: String,
    /// Its tag.
    pub tag: u32,
    /// The whole `subclass` statement.
    pub span: Span,
}

/// What other files need to know about one message of the compilation.
#[derive(Clone, Debug)]
pub struct Facts {
    /// The file that declares it.
    pub file: FileId,
    /// Its full name.
    pub full: String,
    /// Its name's span.
    pub name_span: Span,
    /// Its direct parent's full name (in its file or another), when its base resolved.
    pub parent: Option<String>,
    /// Its subclass range in its own file: declared, or the default one because it has
    /// subclasses there or a registry; empty when it has none.
    pub ranges: Vec<NumRange>,
    /// Whether `ranges` are declared `extensions` statements.
    pub declared_ranges: bool,
    /// The numbers it reserves.
    pub reserved: Vec<NumRange>,
    /// For a root: its registry, valid entries only, in source order.
    pub registry: Vec<Registered>,
    /// For a root: the tags its own file gives its classes.
    pub tags: Vec<u32>,
}

/// A class declared in another file than its parent.
#[derive(Clone, Debug)]
pub struct ExternalChild {
    /// Its full name.
    pub full: String,
    /// Its file.
    pub file: FileId,
    /// Its name's span.
    pub span: Span,
}

/// The facts of every class of a compilation, by full name.
#[derive(Debug, Default)]
pub struct Cross {
    /// Whether the facts were gathered (without them, classes of other files are not checked).
    known: bool,
    classes: HashMap<String, Facts>,
    /// (root, class) → index in the root's registry.
    registered: HashMap<(String, String), usize>,
    /// Parent → its direct subclasses declared in other files (in file and source order; oneof
    /// style lists them by tag).
    children: HashMap<String, Vec<ExternalChild>>,
    /// Each file's name as loaded, and after lowering.
    names: HashMap<FileId, (String, String)>,
}

impl Cross {
    /// Links the facts of every file (each file's list as [`facts_of_file`] returns it).
    pub fn build(files: impl IntoIterator<Item = Vec<Facts>>) -> Cross {
        let mut cross = Cross {
            known: true,
            ..Cross::default()
        };
        for facts in files.into_iter().flatten() {
            cross.classes.entry(facts.full.clone()).or_insert(facts);
        }
        for f in cross.classes.values() {
            for (k, r) in f.registry.iter().enumerate() {
                cross
                    .registered
                    .entry((f.full.clone(), r.name.clone()))
                    .or_insert(k);
            }
        }
        for f in cross.classes.values() {
            let Some(p) = &f.parent else { continue };
            if cross.classes.get(p).is_none_or(|pf| pf.file != f.file) {
                cross
                    .children
                    .entry(p.clone())
                    .or_default()
                    .push(ExternalChild {
                        full: f.full.clone(),
                        file: f.file,
                        span: f.name_span,
                    });
            }
        }
        for list in cross.children.values_mut() {
            list.sort_by_key(|c| (c.file, c.span.start));
        }
        cross
    }

    /// The parents whose facts are missing, sorted: messages of files without inheritance that a
    /// class of another file inherits from ([`plain_facts`] gives theirs).
    pub fn missing_parents(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .classes
            .values()
            .filter_map(|f| f.parent.as_ref())
            .filter(|p| !self.classes.contains_key(*p))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Records each file's name as loaded and after lowering (for the imports oneof style adds
    /// and drops).
    pub fn set_names(&mut self, names: impl IntoIterator<Item = (FileId, String, String)>) {
        self.names = names.into_iter().map(|(f, a, b)| (f, (a, b))).collect();
    }

    /// A file's name as loaded (as imports name it).
    pub fn name(&self, file: FileId) -> Option<&str> {
        self.names.get(&file).map(|(n, _)| n.as_str())
    }

    /// A file's name after lowering.
    pub fn lowered_name(&self, file: FileId) -> Option<&str> {
        self.names.get(&file).map(|(_, n)| n.as_str())
    }

    /// Whether some class has a subclass in another file.
    pub fn spans_files(&self) -> bool {
        !self.children.is_empty()
    }

    /// `SUBCLASS_REGISTERED_NOT_FOUND` (a warning) for each registry entry of a root in a file
    /// `is_input` accepts whose class no file of the compilation declares, in file and source
    /// order.
    pub fn registered_not_found(&self, is_input: impl Fn(FileId) -> bool) -> Vec<Diagnostic> {
        let mut roots: Vec<&Facts> = self
            .classes
            .values()
            .filter(|f| !f.registry.is_empty() && f.parent.is_none() && is_input(f.file))
            .collect();
        roots.sort_by_key(|f| (f.file, f.name_span.start));
        let mut out = Vec::new();
        for root in roots {
            for r in &root.registry {
                if self.classes.contains_key(&r.name) {
                    continue;
                }
                out.push(
                    Diagnostic::warning(
                        "SUBCLASS_REGISTERED_NOT_FOUND",
                        format!("`{}` is registered in `{}`, but no file of this compilation declares it", r.name, root.full),
                    )
                    .at(root.file, r.span, "registered here")
                    .note("checked because of `--require-complete-hierarchies`: the files given should hold the whole hierarchy")
                    .help(format!("add the file that declares `{}` to the files checked, or remove this line if the class is gone (and `reserved` its tag)", r.name)),
                );
            }
        }
        out
    }

    /// Whether the facts of the compilation were gathered.
    pub fn is_known(&self) -> bool {
        self.known
    }

    /// The facts of a message, by full name.
    pub fn get(&self, full: &str) -> Option<&Facts> {
        self.classes.get(full)
    }

    /// Adds the facts of a message of a file without inheritance that a class of another file
    /// inherits from (see [`parents_of`]).
    pub fn add(&mut self, facts: Facts) {
        // Its subclasses in other files were recorded by `build` already.
        self.classes.entry(facts.full.clone()).or_insert(facts);
    }

    /// The root of the hierarchy of `full`: the end of its chain of parents.
    pub fn root_of<'s>(&'s self, full: &'s str) -> &'s str {
        let mut cur = full;
        for _ in 0..=self.classes.len() {
            match self.classes.get(cur).and_then(|f| f.parent.as_deref()) {
                Some(p) => cur = p,
                None => return cur,
            }
        }
        cur
    }

    /// The entry of `root`'s registry for `class`.
    pub fn registered(&self, root: &str, class: &str) -> Option<&Registered> {
        let k = *self
            .registered
            .get(&(root.to_string(), class.to_string()))?;
        self.classes.get(root).map(|f| &f.registry[k])
    }

    /// The direct subclasses of `parent` declared in other files than it.
    pub fn external_children(&self, parent: &str) -> &[ExternalChild] {
        self.children.get(parent).map_or(&[], Vec::as_slice)
    }
}

/// The facts of every message of a file with inheritance or a registry (an empty list for a
/// file without either), from its own analysis, which knows nothing of other files.
pub fn facts_of_file(
    file: FileId,
    tree: &ast::File,
    symbols: &SymbolTable,
    visible: &dyn Fn(FileId) -> bool,
) -> Vec<Facts> {
    if !hierarchy::has_inheritance(&tree.items) {
        return Vec::new();
    }
    let mut ignored = Vec::new();
    let a = hierarchy::analyze(file, tree, symbols, visible, &mut ignored);
    let mut out = Vec::with_capacity(a.classes.len());
    for (i, c) in a.classes.iter().enumerate() {
        let parent = c
            .parent
            .map(|p| a.classes[p].full.clone())
            .or_else(|| c.external.as_ref().map(|e| e.full.clone()));
        let is_root = c.root == Some(i) && c.external.is_none() && c.msg.base.is_none();
        let (ranges, declared_ranges) = if !c.ranges.is_empty() {
            (c.ranges.clone(), c.declared_ranges)
        } else {
            let declared = hierarchy::declared_ranges(c.msg);
            let d = !declared.is_empty();
            (declared, d)
        };
        let registry = if is_root {
            c.registry
                .iter()
                .filter_map(|s| {
                    Some(Registered {
                        name: registry_name(s),
                        tag: registry_tag(s)?,
                        span: s.span,
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let tags = if is_root {
            a.members(i)
                .iter()
                .filter_map(|&m| a.classes[m].tag)
                .collect()
        } else {
            Vec::new()
        };
        out.push(Facts {
            file,
            full: c.full.clone(),
            name_span: c.msg.name.span,
            parent,
            ranges,
            declared_ranges,
            reserved: hierarchy::reserved_ranges(c.msg),
            registry,
            tags,
        });
    }
    out
}

/// The facts of the message `full` of a file without inheritance (a root without a registry,
/// or a message with only declared ranges), if the file declares it with `message`.
pub fn plain_facts(file: FileId, tree: &ast::File, full: &str) -> Option<Facts> {
    /// The message `full` among `messages`, declared in `scope`, at any depth.
    fn find<'t>(
        messages: &mut dyn Iterator<Item = &'t ast::Message>,
        scope: &str,
        full: &str,
    ) -> Option<&'t ast::Message> {
        for m in messages {
            let name = qualify(scope, &m.name.name);
            if name == full {
                return Some(m);
            }
            if full
                .strip_prefix(name.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
            {
                let mut nested = m.items.iter().filter_map(|i| match i {
                    ast::MessageItem::Message(n) => Some(n),
                    _ => None,
                });
                if let Some(found) = find(&mut nested, &name, full) {
                    return Some(found);
                }
            }
        }
        None
    }
    let mut top = tree.items.iter().filter_map(|i| match i {
        ast::FileItem::Message(m) => Some(m),
        _ => None,
    });
    let msg = find(&mut top, &tree.package_name(), full)?;
    let ranges = hierarchy::declared_ranges(msg);
    Some(Facts {
        file,
        full: full.to_string(),
        name_span: msg.name.span,
        parent: None,
        declared_ranges: !ranges.is_empty(),
        ranges,
        reserved: hierarchy::reserved_ranges(msg),
        registry: Vec::new(),
        tags: Vec::new(),
    })
}

/// A root's registry names classes of its own hierarchy: a registered class that the
/// compilation declares with another root is `REGISTERED_IN_ANOTHER_HIERARCHY`, at the registry
/// line and the class.
pub fn check_registered_roots(
    a: &Analysis<'_>,
    cross: &Cross,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, c) in a.classes.iter().enumerate() {
        if c.registry.is_empty() || c.msg.base.is_some() {
            continue;
        }
        for s in &c.registry {
            let name = registry_name(s);
            let Some(facts) = cross.get(&name) else {
                continue;
            };
            if facts.file == file {
                continue; // REGISTERED_IN_ROOT_FILE
            }
            let root = cross.root_of(&name);
            if root == c.full {
                continue;
            }
            let what = if facts.parent.is_none() {
                "inherits from nothing".to_string()
            } else {
                format!("belongs to the hierarchy of `{root}`")
            };
            diags.push(
                Diagnostic::error(
                    "REGISTERED_IN_ANOTHER_HIERARCHY",
                    format!("`{name}` is registered in `{}`, but it {what}", a.display(i)),
                )
                .at(file, s.name.span, "registered here")
                .also(facts.file, facts.name_span, format!("`{name}` is declared here"))
                .note("a root registers the classes of its own hierarchy: its `Type` enum lists them")
                .help(format!("remove this line, or make `{name}` inherit from `{}` (or one of its subclasses)", c.full)),
            );
        }
    }
}

/// What a class of this file knows of its parent: its name, range and reserved numbers.
struct ParentView {
    full: String,
    ranges: Vec<NumRange>,
    declared: bool,
    reserved: Vec<NumRange>,
    at: (FileId, Span),
    /// Which of `ranges` holds each number.
    in_range: FirstRange,
    /// The first of `reserved` that holds each number.
    first_reserved: FirstRange,
}

impl ParentView {
    fn new(
        full: String,
        ranges: Vec<NumRange>,
        declared: bool,
        reserved: Vec<NumRange>,
        at: (FileId, Span),
    ) -> Self {
        let bounds = |r: &NumRange| (r.lo as i64, r.hi as i64);
        ParentView {
            in_range: FirstRange::new(ranges.iter().map(bounds)),
            first_reserved: FirstRange::new(reserved.iter().map(bounds)),
            full,
            ranges,
            declared,
            reserved,
            at,
        }
    }
}

/// Gives the part of a hierarchy rooted in another file (`head` and its subclasses in this file)
/// the tags the root registered, and reports what does not match the registry: a class not
/// registered (`SUBCLASS_NOT_REGISTERED`, whose help is the line to add, with the lowest free
/// tag), a pinned tag that differs from the registered one, a parent without a subclass range,
/// a registered tag outside the parent's range or reserved there.
///
/// `suggested` holds, per root, the tags given out so far (its own and the ones suggested to
/// unregistered classes), built on first need and shared by the heads of a file, so that the
/// work stays linear in the classes and registry entries.
pub fn assign_registered(
    a: &mut Analysis<'_>,
    head: usize,
    cross: &Cross,
    file: FileId,
    suggested: &mut HashMap<String, Taken>,
    diags: &mut Vec<Diagnostic>,
) {
    if !cross.is_known() {
        return;
    }
    let ext = a.classes[head]
        .external
        .clone()
        .expect("a head has an external parent");
    let Some(parent_facts) = cross.get(&ext.full) else {
        let base = a.classes[head]
            .msg
            .base
            .as_ref()
            .expect("a head has a base");
        diags.push(
            Diagnostic::error(
                "BASE_NOT_A_MESSAGE",
                format!(
                    "`{}` inherits from `{}`, which is the message of a group or a map entry",
                    a.display(head),
                    ext.full
                ),
            )
            .at(file, base.name.span, "a group or map entry")
            .also(
                ext.file,
                ext.span,
                format!("`{}` is declared here", ext.full),
            )
            .help("inherit from a message declared with `message`"),
        );
        return;
    };
    let root_full = cross.root_of(&ext.full).to_string();
    let root = cross.get(&root_full);
    let root_reserved: &[NumRange] = root.map_or(&[], |r| &r.reserved);
    let mut fragment = vec![head];
    fragment.extend(a.members(head));
    // One view per parent, shared by its subclasses: built per subclass, it copied the parent's
    // ranges and re-read its items each time (quadratic in subclasses × the parent's size).
    let mut views: HashMap<Option<usize>, Rc<ParentView>> = HashMap::new();
    let mut registered_names: HashMap<String, HashMap<String, usize>> = HashMap::new();
    let mut scans: HashMap<Option<usize>, (Blocked, (usize, u32))> = HashMap::new();
    for c in fragment {
        let parent = views
            .entry(a.classes[c].parent)
            .or_insert_with(|| {
                Rc::new(match a.classes[c].parent {
                    Some(p) => ParentView::new(
                        a.classes[p].full.clone(),
                        a.classes[p].ranges.clone(),
                        a.classes[p].declared_ranges,
                        hierarchy::reserved_ranges(a.classes[p].msg),
                        (file, a.classes[p].msg.name.span),
                    ),
                    None => ParentView::new(
                        parent_facts.full.clone(),
                        parent_facts.ranges.clone(),
                        parent_facts.declared_ranges,
                        parent_facts.reserved.clone(),
                        (parent_facts.file, parent_facts.name_span),
                    ),
                })
            })
            .clone();
        let class = &a.classes[c];
        let full = class.full.clone();
        let base = class.msg.base.as_ref().expect("subclasses have a base");
        let sub = a.display(c).to_string();
        let root_at = root.map_or(parent.at, |r| (r.file, r.name_span));
        let Some(entry) = cross.registered(&root_full, &full) else {
            // Suggest the lowest tag free in the parent's range (the default one if it has none
            // yet), outside the root's tags and the numbers the parent or the root reserve.
            let default = [NumRange {
                lo: DEFAULT_RANGE_START,
                hi: MAX_FIELD_NUMBER,
                span: Span::default(),
            }];
            let ranges: &[NumRange] = if parent.ranges.is_empty() {
                &default
            } else {
                &parent.ranges
            };
            // Sorted once per parent; each scan resumes where the parent's last one ended.
            let (blocked, from) = scans.entry(a.classes[c].parent).or_insert_with(|| {
                let mut blocked = vec![IMPLEMENTATION_RESERVED];
                blocked.extend(
                    parent
                        .reserved
                        .iter()
                        .chain(root_reserved)
                        .map(|r| (r.lo, r.hi)),
                );
                (Blocked::new(blocked), (0, 0))
            });
            let taken = suggested.entry(root_full.clone()).or_insert_with(|| {
                let mut taken = Taken::default();
                if let Some(r) = root {
                    for n in r
                        .registry
                        .iter()
                        .map(|e| e.tag)
                        .chain(r.tags.iter().copied())
                    {
                        taken.insert(n);
                    }
                }
                taken
            });
            let found = blocked.lowest_free(ranges, *from, taken);
            if let Some((at, _)) = found {
                *from = at;
            }
            let free = found.map(|(_, n)| n);
            if let Some(n) = free {
                taken.insert(n);
            }
            let line = format!(
                "subclass {full} = {};",
                free.map_or("TAG".into(), |n| n.to_string())
            );
            let mut d = Diagnostic::error(
                "SUBCLASS_NOT_REGISTERED",
                format!("`{sub}` is declared outside the file of its root `{root_full}`, which does not register it"),
            )
            .at(file, base.name.span, format!("a subclass of `{}`, not registered in `{root_full}`", parent.full))
            .also(root_at.0, root_at.1, format!("the root `{root_full}` is declared here"));
            // The first registered name that ends `full` after a dot: looked up by each such
            // ending of `full`, in a map of the registry built once per root (a pass over the
            // registry per unregistered class was quadratic).
            let similar = root.and_then(|r| {
                let first = registered_names
                    .entry(root_full.clone())
                    .or_insert_with(|| {
                        let mut first = HashMap::new();
                        for (i, e) in r.registry.iter().enumerate() {
                            first.entry(e.name.clone()).or_insert(i);
                        }
                        first
                    });
                full.match_indices('.')
                    .filter_map(|(dot, _)| first.get(&full[dot + 1..]).copied())
                    .min()
                    .map(|i| &r.registry[i])
            });
            let help = match similar {
                Some(similar) => {
                    d = d
                        .also(
                            root_at.0,
                            similar.span,
                            format!("`{}` is registered here", similar.name),
                        )
                        .note(format!(
                            "registered names are full names: `{}` does not name `{full}`",
                            similar.name
                        ));
                    format!(
                        "write the full name in the registry of `{root_full}`: `subclass {full} = {};`",
                        similar.tag
                    )
                }
                None => format!("add this line to `{root_full}`: `{line}`"),
            };
            diags.push(
                d.note("the root lists every class of its hierarchy in its `Type` enum; a class of another file is listed by the root's registry, so that the root's output depends only on its own file")
                    .help(help),
            );
            continue;
        };
        let n = entry.tag;
        let reg_at = (root_at.0, entry.span);
        if let Some(lit) = &base.tag {
            if lit.as_i128() != Some(n as i128) {
                diags.push(
                    Diagnostic::error(
                        "REGISTERED_TAG_MISMATCH",
                        format!("`{sub}` pins tag {}, but `{root_full}` registers it with tag {n}", lit_text(lit)),
                    )
                    .at(file, lit.span, "pinned here")
                    .also(reg_at.0, reg_at.1, format!("registered here with {n}"))
                    .help(format!("pin the registered tag (`= {n}`), or drop the pin: a registered class takes its registered tag")),
                );
                continue;
            }
        }
        if parent.ranges.is_empty() {
            let pname = parent.full.clone();
            diags.push(
                Diagnostic::error(
                    "SUBCLASS_RANGE_MISSING",
                    format!("`{pname}` has a subclass in another file, but no subclass range in its own file"),
                )
                .at(file, base.name.span, format!("`{sub}` inherits from `{pname}` here"))
                .also(parent.at.0, parent.at.1, format!("`{pname}` is declared here, without `extensions`"))
                .note("a parent's subclass range must be visible in its own file: it is the range its subclasses' tags, and their extensions, come from")
                .help(format!("declare a subclass range in `{pname}`: `extensions {DEFAULT_RANGE_START} to max;`")),
            );
            continue;
        }
        if parent.in_range.get(n as i64).is_none() {
            let text = describe_ranges(&parent.ranges);
            let mut d = Diagnostic::error(
                "TAG_OUT_OF_RANGE",
                format!(
                    "tag {n} registered for `{sub}` is outside the subclass range of `{}` ({text})",
                    parent.full
                ),
            )
            .at(
                file,
                base.name.span,
                format!("a subclass of `{}`", parent.full),
            )
            .also(reg_at.0, reg_at.1, format!("registered here with {n}"));
            if parent.declared {
                for r in parent.ranges.iter().take(LISTED_AT_MOST) {
                    d = d.also(parent.at.0, r.span, "the subclass range is declared here");
                }
            }
            diags.push(d.help(format!("register a tag inside {text}")));
            continue;
        }
        if let Some(r) = parent.first_reserved.get(n as i64).map(|i| &parent.reserved[i]) {
            diags.push(
                Diagnostic::error(
                    "TAG_RESERVED",
                    format!(
                        "tag {n} registered for `{sub}` is reserved in `{}`",
                        parent.full
                    ),
                )
                .at(
                    file,
                    base.name.span,
                    format!("a subclass of `{}`", parent.full),
                )
                .also(reg_at.0, reg_at.1, format!("registered here with {n}"))
                .also(parent.at.0, r.span, "reserved here")
                .help("register a tag that is not reserved"),
            );
            continue;
        }
        a.classes[c].tag = Some(n);
        a.classes[c].registered = true;
    }
}

fn lit_text(lit: &ast::IntLit) -> String {
    match lit.value {
        Some(v) if lit.negative => format!("-{v}"),
        Some(v) => v.to_string(),
        None => "?".into(),
    }
}
