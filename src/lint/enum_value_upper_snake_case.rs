//! `ENUM_VALUE_UPPER_SNAKE_CASE` (buf): enum value names are UPPER_SNAKE_CASE.

use super::{check_names, Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "ENUM_VALUE_UPPER_SNAKE_CASE",
    group: Group::Style,
    summary: "enum value names are UPPER_SNAKE_CASE (buf)",
    doc: r#"**What:** an enum value name that is not UPPER_SNAKE_CASE. Same check as buf's
`ENUM_VALUE_UPPER_SNAKE_CASE`. The generated `TYPE_…` values of a hierarchy root are never
checked (they already follow it).

**Why:** enum values are constants in every generated language, and ProtoJSON writes the name.

**Example:** `enum Color { COLOR_UNSPECIFIED = 0; colorRed = 1; }`

**Fix:** `COLOR_RED = 1;` — before shipping: ProtoJSON and text format write value names."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let names = f.decls.enum_values().map(|(_, v)| &v.name);
        let style = ("enum value", "UPPER_SNAKE_CASE");
        check_names(&RULE, f.id(), names, style, names::buf_upper_snake, out);
    }
}
