//! `FIELD_SHADOWS_BASE_FIELD`: a subclass field with the name (or JSON name) of a field of one
//! of its ancestors.

use foldhash::{HashMap, HashMapExt};

use super::field_of_subclass_type::{each_subclass, short};
use super::{Check, Context, Group, Rule};
use crate::ast::{self, OptionNamePart};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;
use crate::resolve::symbols::qualify;
use crate::source::FileId;

pub(super) const RULE: Rule = Rule {
    id: "FIELD_SHADOWS_BASE_FIELD",
    group: Group::Inheritance,
    summary: "give a subclass's fields names (and JSON names) no ancestor's field has: readers that flatten a class see two",
    doc: DOC,
    check: Check::Source(check),
};

const DOC: &str = r#"**What:** a field of a subclass whose name, or JSON name, is the name or JSON name of a
field of one of its ancestors (its parent, its parent's parent, … up to the root).

**Why:** it compiles — after lowering the two fields live in different messages (the root and
the subclass part) — but every reader that presents a class as one object sees two fields of
that name: a JSON mapping that flattens the parts into one object gets the key twice (and keeps
one), generated accessors clash in languages that merge the parts, and a person reading
`cat.name` cannot tell which one is meant.

**Example:**

```proto
message Animal { optional string name = 1; }
message Cat : Animal = 100 {
  optional string name = 1;        // warning: `Animal` has `name` too
  optional int32 lives_left = 2;
  optional int32 livesLeft2 = 3;
}
```

**Fix:** rename the subclass's field (`cat_name`), or drop it and use the inherited one."#;

/// A field as the rule compares it.
struct Own<'a> {
    field: &'a ast::Field,
    json: String,
}

/// The fields a message declares itself (oneof members and groups included), with their JSON
/// names (`json_name` when set, else the default).
fn own_fields(m: &ast::Message) -> Vec<Own<'_>> {
    let mut out = Vec::new();
    for item in &m.items {
        match item {
            ast::MessageItem::Field(f) => out.push(own(f)),
            ast::MessageItem::Oneof(o) => {
                for item in &o.items {
                    if let ast::OneofItem::Field(f) = item {
                        out.push(own(f));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn own(f: &ast::Field) -> Own<'_> {
    let explicit = f
        .options
        .iter()
        .find_map(|o| match (o.name.parts.as_slice(), &o.value) {
            ([OptionNamePart::Field(n)], ast::Constant::String(s)) if n.name == "json_name" => {
                Some(s.to_text())
            }
            _ => None,
        });
    Own {
        field: f,
        json: explicit.unwrap_or_else(|| names::json_name(&f.name.name)),
    }
}

/// Every message of `items` (nested ones too) by full name.
fn collect<'a>(
    items: &'a [ast::FileItem],
    package: &str,
    file: FileId,
    out: &mut HashMap<String, (FileId, &'a ast::Message)>,
) {
    fn nested<'a>(
        m: &'a ast::Message,
        scope: &str,
        file: FileId,
        out: &mut HashMap<String, (FileId, &'a ast::Message)>,
    ) {
        let full = qualify(scope, &m.name.name);
        for item in &m.items {
            if let ast::MessageItem::Message(n) = item {
                nested(n, &full, file, out);
            }
        }
        out.insert(full, (file, m));
    }
    for item in items {
        if let ast::FileItem::Message(m) = item {
            nested(m, package, file, out);
        }
    }
}

/// A field of a class on the path from the root, as the scoped name maps hold it.
#[derive(Clone, Copy)]
struct Declared<'a> {
    /// How far from the root its class is (the nearest ancestor has the largest).
    depth: usize,
    class: &'a str,
    file: FileId,
    field: &'a ast::Field,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Each class's parent, over every file, and the subclasses of the input files to report on.
    let mut parent_of: HashMap<String, String> = HashMap::new();
    let mut reported: HashMap<String, (FileId, &str, &str)> = HashMap::new();
    each_subclass(cx, |f, c, parent| {
        if f.input.is_input {
            reported.insert(c.full.clone(), (f.id(), f.package(), c.name()));
        }
        parent_of.insert(c.full.clone(), parent);
    });
    if reported.is_empty() {
        return;
    }
    let mut messages = HashMap::new();
    for f in &cx.files {
        collect(&f.input.ast.items, f.package(), f.id(), &mut messages);
    }
    // The classes as a forest, walked from each root with the fields of the path in scope: each
    // field is looked up once and pushed once, so a chain of `n` classes costs `n`, not `n²`.
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for (class, parent) in &parent_of {
        children
            .entry(parent.as_str())
            .or_default()
            .push(class.as_str());
    }
    let mut tops: Vec<&str> = children
        .keys()
        .copied()
        .filter(|p| !parent_of.contains_key(*p))
        .collect();
    tops.sort_unstable();
    let mut by_name: HashMap<&str, Vec<Declared<'_>>> = HashMap::new();
    let mut by_json: HashMap<String, Vec<Declared<'_>>> = HashMap::new();
    // `Some(class)`: enter it; `None`: leave the class entered last (its fields go out of scope).
    let mut stack: Vec<Option<(&str, usize)>> = tops.into_iter().map(|t| Some((t, 0))).collect();
    let mut entered: Vec<Vec<Own<'_>>> = Vec::new();
    while let Some(step) = stack.pop() {
        let Some((class, depth)) = step else {
            for own in entered.pop().unwrap_or_default() {
                if let Some(v) = by_name.get_mut(own.field.name.name.as_str()) {
                    v.pop();
                }
                if let Some(v) = by_json.get_mut(&own.json) {
                    v.pop();
                }
            }
            continue;
        };
        let Some(&(file, msg)) = messages.get(class) else {
            continue;
        };
        let mine = own_fields(msg);
        if let Some(&(at, package, name)) = reported.get(class) {
            for field in &mine {
                let named = by_name
                    .get(field.field.name.name.as_str())
                    .and_then(|v| v.last());
                let json = by_json.get(&field.json).and_then(|v| v.last());
                let theirs = match (named, json) {
                    (Some(n), Some(j)) if j.depth > n.depth => j,
                    (Some(n), _) => n,
                    (None, Some(j)) => j,
                    (None, None) => continue,
                };
                report(field, theirs, at, package, name, out);
            }
        }
        for own in &mine {
            let declared = Declared {
                depth,
                class,
                file,
                field: own.field,
            };
            by_name
                .entry(own.field.name.name.as_str())
                .or_default()
                .push(declared);
            by_json.entry(own.json.clone()).or_default().push(declared);
        }
        entered.push(mine);
        stack.push(None);
        if let Some(kids) = children.get(class) {
            let mut kids = kids.clone();
            kids.sort_unstable();
            stack.extend(kids.into_iter().rev().map(|k| Some((k, depth + 1))));
        }
    }
}

/// Reports `field` of the class `name` (in file `at`, package `package`) for having the name or
/// JSON name of `theirs`, a field of an ancestor.
fn report(
    field: &Own<'_>,
    theirs: &Declared<'_>,
    at: FileId,
    package: &str,
    name: &str,
    out: &mut Vec<Diagnostic>,
) {
    let same_name = theirs.field.name.name == field.field.name.name;
    let anc_name = short(theirs.class, package);
    let message = if same_name {
        format!(
            "field `{}` of `{name}` has the name of a field of its ancestor `{anc_name}`",
            field.field.name.name,
        )
    } else {
        format!(
            "field `{}` of `{name}` has the JSON name `{}` of field `{}` of its ancestor `{anc_name}`",
            field.field.name.name, field.json, theirs.field.name.name
        )
    };
    out.push(
        Diagnostic::warning(RULE.id, message)
            .at(at, field.field.name.span, "declared again here")
            .also(theirs.file, theirs.field.name.span, format!("`{anc_name}`'s field"))
            .note(format!(
                "a reader that shows a `{name}` as one object (a JSON mapping that flattens its parts, an accessor per field) sees two fields called `{}`",
                if same_name { &field.field.name.name } else { &field.json }
            ))
            .help("rename the subclass's field, or drop it and use the inherited one"),
    );
}
