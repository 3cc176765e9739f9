//! `ENUM_VALUE_PREFIX` (buf): enum values start with the enum's name in UPPER_SNAKE_CASE.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "ENUM_VALUE_PREFIX",
    group: Group::Style,
    summary: "enum value names start with the enum name in UPPER_SNAKE_CASE and `_` (buf)",
    doc: r#"**What:** an enum value whose name does not start with the enum's name in
UPPER_SNAKE_CASE followed by `_` (`FurColor` → `FUR_COLOR_`). Same check as buf's
`ENUM_VALUE_PREFIX`.

**Why:** enum values are siblings of their enum, not children (C++ scoping): two enums in one
package cannot both have a `RED`. The prefix avoids the clash and says what the value belongs to.
(The generated `Type` enum of a hierarchy root follows this: `TYPE_CAT`.)

**Example:** `enum FurColor { FUR_COLOR_UNSPECIFIED = 0; BLACK = 1; }`

**Fix:** `FUR_COLOR_BLACK = 1;` — before shipping: ProtoJSON and text format write value names."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for e in &f.decls.enums {
            let prefix = format!("{}_", names::buf_upper_snake(&e.name.name));
            for v in e.values() {
                if v.name.name.starts_with(&prefix) {
                    continue;
                }
                let suggestion = format!("{prefix}{}", names::buf_upper_snake(&v.name.name));
                out.push(
                    Diagnostic::warning(
                        RULE.id,
                        format!(
                            "enum value name `{}` should start with `{prefix}`",
                            v.name.name
                        ),
                    )
                    .at(f.id(), v.name.span, format!("not prefixed with `{prefix}`"))
                    .help(format!("rename it to `{suggestion}`")),
                );
            }
        }
    }
}
