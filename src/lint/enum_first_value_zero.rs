//! `ENUM_FIRST_VALUE_ZERO` (buf): the first value of an enum is numbered 0.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "ENUM_FIRST_VALUE_ZERO",
    group: Group::Style,
    summary: "the first value of every enum is numbered 0 (buf)",
    doc: r#"**What:** an enum whose first value is not numbered 0 (proto2 allows it; proto3 does not).
Same check as buf's `ENUM_FIRST_VALUE_ZERO`.

**Why:** in proto2 the first value is the default of a field that was not set, whatever its
number; in proto3 and editions the default is 0. An enum that starts elsewhere behaves differently
across syntaxes and cannot move to proto3 or editions unchanged.

**Example:** `enum FurColor { FUR_COLOR_BLACK = 1; }`

**Fix:** start with `FUR_COLOR_UNSPECIFIED = 0;`."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for e in &f.decls.enums {
            let Some(first) = e.values().next() else {
                continue;
            };
            if first.number.as_i128() == Some(0) {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    RULE.id,
                    format!(
                        "the first value `{}` of enum `{}` should be numbered 0",
                        first.name.name, e.name.name
                    ),
                )
                .at(f.id(), first.number.span, "not 0")
                .help(format!(
                    "add `{}_UNSPECIFIED = 0;` as the first value",
                    names::buf_upper_snake(&e.name.name)
                )),
            );
        }
    }
}
