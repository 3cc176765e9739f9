//! `DISCRIMINATOR_IMPLICIT`: a hierarchy root whose discriminator field is generated.

use super::{Context, Group, LintFile, Rule};
use crate::ast::{self, Origin};
use crate::diagnostics::Diagnostic;
use crate::source::Span;

pub(super) const RULE: Rule = Rule {
    id: "DISCRIMINATOR_IMPLICIT",
    group: Group::Iproto,
    summary: "declare the discriminator (`optional Type type = 99;`) in every root so its number is pinned",
    doc: DOC,
    check,
};

const DOC: &str = r#"**What:** the root of a hierarchy that does not declare its discriminator, so the compiler
generates `optional Type type = N;` with N one below the start of the subclass range (99 for the
default `extensions 100 to max`).

**Why:** the discriminator's number then depends on the subclass range: declare a different range
later (say `extensions 1000 to max;` to make room for fields) and the discriminator moves from 99 to
999. Readers compiled before the change no longer find out which subclass a message holds. A field
you declare yourself — any field of the root whose type is the generated `Type` — is used as
written, so its number is pinned.

**Example:**

```proto
message Animal { optional float weight = 1; }          // warning: discriminator is `type = 99`
message Dog : Animal = 105 { optional uint32 bones = 1; }
```

**Fix:** add the line the warning's `help:` shows to the root (the same name and number the
compiler generates today, so nothing changes on the wire):

```proto
message Animal {
  optional float weight = 1;
  optional Type type = 99;
}
```"#;

/// The lowered message whose name was written at `name_span`.
fn lowered_message(items: &[ast::FileItem], name_span: Span) -> Option<&ast::Message> {
    fn search(m: &ast::Message, span: Span) -> Option<&ast::Message> {
        if m.name.span == span && m.origin == Origin::Source {
            return Some(m);
        }
        m.items.iter().find_map(|i| match i {
            ast::MessageItem::Message(n) => search(n, span),
            _ => None,
        })
    }
    items.iter().find_map(|i| match i {
        ast::FileItem::Message(m) => search(m, name_span),
        _ => None,
    })
}

fn generated_discriminator(m: &ast::Message) -> Option<&ast::Field> {
    m.items.iter().find_map(|i| match i {
        ast::MessageItem::Field(f) if f.origin == Origin::Generated => Some(f),
        _ => None,
    })
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        check_file(f, out);
    }
}

fn check_file(f: &LintFile<'_>, out: &mut Vec<Diagnostic>) {
    let Some(lowered) = f.input.lowered else {
        return;
    };
    let a = &f.analysis;
    for root in a.roots() {
        let c = &a.classes[root];
        let Some(field) =
            lowered_message(&lowered.items, c.msg.name.span).and_then(generated_discriminator)
        else {
            continue;
        };
        let Some(n) = field.number.value else {
            continue;
        };
        let label = match field.label {
            Some((ast::Label::Optional, _)) => "optional ",
            _ => "",
        };
        let line = format!("{label}Type {} = {n};", field.name.name);
        let root_name = a.display(root);
        let range = if c.declared_ranges {
            "its declared subclass range"
        } else {
            "the default subclass range `100 to max`"
        };
        out.push(
            Diagnostic::warning(
                RULE.id,
                format!("the discriminator of `{root_name}` is generated as `{line}`: its number follows the subclass range"),
            )
            .at(f.id(), c.msg.name.span, format!("root of a hierarchy; discriminator {n} is implicit"))
            .note(format!("{n} is one below {range}; if the range changes, the discriminator moves and old readers lose track of the subclass"))
            .help(format!("declare it in `{root_name}` to pin the number: `{line}`")),
        );
    }
}
