//! `FIELD_SHADOWS_BASE_FIELD`: a subclass field with the name (or JSON name) of a field of one
//! of its ancestors.

use foldhash::{HashMap, HashMapExt};

use super::field_of_subclass_type::short;
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

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Each class's parent, over every file.
    let mut parent_of: HashMap<String, String> = HashMap::new();
    let mut any_input_subclass = false;
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
            any_input_subclass |= f.input.is_input;
            parent_of.insert(c.full.clone(), parent);
        }
    }
    if !any_input_subclass {
        return;
    }
    let mut messages = HashMap::new();
    for f in &cx.files {
        collect(&f.input.ast.items, f.package(), f.id(), &mut messages);
    }
    for f in cx.inputs() {
        for c in &f.analysis.classes {
            if c.root.is_none() || !parent_of.contains_key(&c.full) {
                continue;
            }
            let mine = own_fields(c.msg);
            if mine.is_empty() {
                continue;
            }
            // Ancestors, nearest first (bounded: a cycle is an error reported elsewhere).
            let mut ancestors = Vec::new();
            let mut at = &c.full;
            while let Some(p) = parent_of.get(at) {
                if ancestors.len() > parent_of.len() {
                    break;
                }
                ancestors.push(p);
                at = p;
            }
            for field in &mine {
                'ancestors: for anc in &ancestors {
                    let Some(&(anc_file, anc_msg)) = messages.get(anc.as_str()) else {
                        continue;
                    };
                    for theirs in own_fields(anc_msg) {
                        let same_name = theirs.field.name.name == field.field.name.name;
                        if !same_name && theirs.json != field.json {
                            continue;
                        }
                        let anc_name = short(anc, f.package());
                        let message = if same_name {
                            format!(
                                "field `{}` of `{}` has the name of a field of its ancestor `{anc_name}`",
                                field.field.name.name,
                                c.name()
                            )
                        } else {
                            format!(
                                "field `{}` of `{}` has the JSON name `{}` of field `{}` of its ancestor `{anc_name}`",
                                field.field.name.name,
                                c.name(),
                                field.json,
                                theirs.field.name.name
                            )
                        };
                        out.push(
                            Diagnostic::warning(RULE.id, message)
                                .at(f.id(), field.field.name.span, "declared again here")
                                .also(
                                    anc_file,
                                    theirs.field.name.span,
                                    format!("`{anc_name}`'s field"),
                                )
                                .note(format!(
                                    "a reader that shows a `{}` as one object (a JSON mapping that flattens its parts, an accessor per field) sees two fields called `{}`",
                                    c.name(),
                                    if same_name { &field.field.name.name } else { &field.json }
                                ))
                                .help("rename the subclass's field, or drop it and use the inherited one"),
                        );
                        break 'ancestors;
                    }
                }
            }
        }
    }
}
