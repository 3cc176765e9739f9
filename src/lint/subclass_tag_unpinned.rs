//! `SUBCLASS_TAG_UNPINNED`: a subclass whose tag the compiler allocates.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "SUBCLASS_TAG_UNPINNED",
    group: Group::Inheritance,
    summary: "pin every subclass tag (`message Cat : Animal = 100`) so adding a subclass cannot renumber it",
    doc: DOC,
    check: Check::Source(check),
};

const DOC: &str = r#"**What:** a subclass declared without a tag (`message Cat : Animal { … }`). The compiler
gives it the lowest free number of its parent's subclass range, in declaration order.

**Why:** the tag is the subclass's value in the root's `Type` enum *and* the field number its data
travels under inside its parent. Insert a subclass above `Cat`, and `Cat`'s tag moves to the next
free number: data written before the change is read as the wrong class, or its subclass part is
dropped. Nothing fails to compile, so nothing warns you — except this rule.

**Example:**

```proto
message Animal { optional float weight = 1; }
message Cat : Animal { optional bool declawed = 1; }   // warning: tag allocated as 100
```

**Fix:** write the tag the compiler allocated, which the warning's `help:` line spells out, so the
wire format stays exactly what it is today:

```proto
message Cat : Animal = 100 { optional bool declawed = 1; }
```"#;

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let a = &f.analysis;
        for (i, c) in a.classes.iter().enumerate() {
            let (Some(base), Some(tag)) = (&c.msg.base, c.tag) else {
                continue;
            };
            if base.tag.is_some() {
                continue;
            }
            let sub = a.display(i);
            let parent = c
                .parent
                .map_or_else(|| base.name.to_text(), |p| a.display(p).to_string());
            out.push(
                Diagnostic::warning(
                    RULE.id,
                    format!("the tag of `{sub}` is not pinned: the compiler allocated {tag}, and a subclass added above it would renumber it"),
                )
                .at(f.id(), base.span, format!("tag {tag}, allocated by the compiler"))
                .note(format!(
                    "the tag is `{sub}`'s value in the `Type` enum and the number its fields travel under inside `{parent}`: changing it breaks data written before"
                ))
                .help(format!(
                    "pin the allocated tag: `message {} : {} = {tag}`",
                    c.name(),
                    base.name.to_text()
                )),
            );
        }
    }
}
