//! `FIELD_OF_SUBCLASS_TYPE`: a field whose type is a class that inherits from another.

use foldhash::{HashMap, HashMapExt, HashSet};

use super::{Check, Context, Group, LintFile, Rule};
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::lower::hierarchy::Class;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "FIELD_OF_SUBCLASS_TYPE",
    group: Group::Inheritance,
    summary: "type fields with the root of a hierarchy, not a subclass: a subclass message lacks the inherited fields",
    doc: DOC,
    check: Check::Source(check),
};

const DOC: &str = r#"**What:** a field (or map value) whose type is a subclass — a message that inherits from
another — instead of the root of its hierarchy.

**Why:** after lowering, the message `Cat` holds only the fields declared in `Cat` (and the parts
of its own subclasses); the fields it inherits live in `Animal`, and a whole cat is an `Animal`
with `type = TYPE_CAT` and its `Cat` part attached. A field of type `Cat` therefore carries no
`weight`, which is almost never what was meant. It compiles, so this rule warns.

**Example:**

```proto
message Animal { optional float weight = 1; }
message Cat : Animal = 100 { optional bool declawed = 1; }
message Owner { optional Cat pet = 1; }                 // warning: holds no `weight`
```

**Fix:** declare the field with the root type, and check `type` (here `TYPE_CAT`) where a cat is
required:

```proto
message Owner { optional Animal pet = 1; }
```"#;

/// A subclass: its root and the `TYPE_` value that identifies it.
pub(super) struct Subclass {
    /// The root's full name.
    pub root: String,
    /// The `TYPE_…` value of the root's `Type` enum that identifies it.
    pub value: String,
    /// Its own name.
    pub name: String,
}

/// Calls `visit` with every subclass of every file of the compilation (in a sound hierarchy), its
/// file and its parent's full name (in its file or another: a hierarchy across files).
pub(super) fn each_subclass<'a>(
    cx: &'a Context<'_>,
    mut visit: impl FnMut(&'a LintFile<'a>, &'a Class<'a>, String),
) {
    for f in &cx.files {
        let a = &f.analysis;
        for c in &a.classes {
            let parent = match (c.parent, &c.external) {
                (Some(p), _) => a.classes[p].full.clone(),
                (None, Some(e)) => e.full.clone(),
                (None, None) => continue,
            };
            if c.root.is_none() {
                continue;
            }
            visit(f, c, parent);
        }
    }
}

/// Every subclass of every file of the compilation (in a sound hierarchy), by full name.
pub(super) fn subclasses(cx: &Context<'_>) -> HashMap<String, Subclass> {
    let mut subclasses: HashMap<String, Subclass> = HashMap::new();
    // Each subclass's parent: roots are found by following parents over every file.
    let mut parent_of: HashMap<String, String> = HashMap::new();
    each_subclass(cx, |_, c, parent| {
        parent_of.insert(c.full.clone(), parent);
        subclasses.insert(
            c.full.clone(),
            Subclass {
                root: String::new(),
                value: format!("TYPE_{}", names::generated_upper_snake(c.name())),
                name: c.name().to_string(),
            },
        );
    });
    let roots = roots(&parent_of);
    for (full, sub) in subclasses.iter_mut() {
        if let Some(root) = roots.get(full.as_str()) {
            sub.root = root.to_string();
        }
    }
    subclasses
}

/// The root of every class of `parent_of` (class → parent): the last ancestor, the one without a
/// parent. Linear: each class's chain is walked once and every class on it gets the answer, so a
/// chain of `n` classes costs `n` steps, not `n²`. A cycle (an error reported elsewhere) ends
/// where it closes.
pub(super) fn roots(parent_of: &HashMap<String, String>) -> HashMap<&str, &str> {
    let mut root_of: HashMap<&str, &str> = HashMap::with_capacity(parent_of.len());
    let mut path: Vec<&str> = Vec::new();
    let mut on_path: HashSet<&str> = HashSet::default();
    for start in parent_of.keys() {
        let mut at = start.as_str();
        let root = loop {
            if let Some(&r) = root_of.get(at) {
                break r;
            }
            if !on_path.insert(at) {
                break at; // a cycle
            }
            path.push(at);
            match parent_of.get(at) {
                Some(p) => at = p.as_str(),
                None => break at,
            }
        };
        for c in path.drain(..) {
            root_of.insert(c, root);
        }
        on_path.clear();
    }
    root_of
}

/// `full` as written in `package`: without the package prefix.
pub(super) fn short(full: &str, package: &str) -> String {
    full.strip_prefix(package)
        .and_then(|s| s.strip_prefix('.'))
        .unwrap_or(full)
        .to_string()
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let subclasses = subclasses(cx);
    if subclasses.is_empty() {
        return;
    }
    // A name resolves to a full name ending in its own last part: only a name ending in a
    // subclass's simple name can resolve to a subclass, so other names skip the lookup.
    let simple_names: HashSet<&str> = subclasses.values().map(|s| s.name.as_str()).collect();
    for f in cx.inputs() {
        for d in &f.decls.fields {
            let ty = match &d.field.ty {
                ast::FieldType::Named(t) => t,
                ast::FieldType::Map(map) => &map.value,
                ast::FieldType::Group { .. } => continue,
            };
            if ty
                .parts
                .last()
                .is_none_or(|p| !simple_names.contains(p.name.as_str()))
            {
                continue;
            }
            let Some(full) = cx.resolve_type(f, ty, &d.scope) else {
                continue;
            };
            let Some(sub) = subclasses.get(&full) else {
                continue;
            };
            let root = short(&sub.root, f.package());
            out.push(
                Diagnostic::warning(
                    RULE.id,
                    format!(
                        "field `{}` has type `{}`, a subclass of `{root}`: it holds only the fields `{}` declares, not the ones it inherits",
                        d.field.name.name,
                        ty.to_text(),
                        sub.name
                    ),
                )
                .at(f.id(), ty.span, format!("a subclass of `{root}`"))
                .note(format!(
                    "after lowering, a whole `{}` is the root message `{root}` with `type = {}`; the `{}` message is only its subclass part",
                    sub.name, sub.value, sub.name
                ))
                .help(format!("declare the field as `{root}` and check its `type` where a `{}` is required", sub.name)),
            );
        }
    }
}
