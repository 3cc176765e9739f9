//! `ENUM_ZERO_VALUE_SUFFIX` (buf): the zero value of an enum ends in `_UNSPECIFIED`.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "ENUM_ZERO_VALUE_SUFFIX",
    group: Group::Style,
    summary: "enum values numbered 0 end in `_UNSPECIFIED` (buf)",
    doc: r#"**What:** an enum value numbered 0 whose name does not end in `_UNSPECIFIED`. Same check as
buf's `ENUM_ZERO_VALUE_SUFFIX` with its default suffix.

**Why:** 0 is what a reader sees when the field was never set (proto3 and editions) or when an
old reader meets a value it does not know (proto3). Giving it a meaning such as `RED` makes "not
set" indistinguishable from a real answer. (The generated `Type` enum of a root starts with
`TYPE_UNSPECIFIED = 0` for the same reason.)

**Example:** `enum FurColor { FUR_COLOR_BLACK = 0; }`

**Fix:** add `FUR_COLOR_UNSPECIFIED = 0;` and renumber the real values, before shipping."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for (e, v) in f.decls.enum_values() {
            if v.number.as_i128() != Some(0) || v.name.name.ends_with("_UNSPECIFIED") {
                continue;
            }
            let want = format!("{}_UNSPECIFIED", names::buf_upper_snake(&e.name.name));
            out.push(
                Diagnostic::warning(
                    RULE.id,
                    format!(
                        "enum zero value name `{}` should end in `_UNSPECIFIED`",
                        v.name.name
                    ),
                )
                .at(f.id(), v.name.span, "the zero value")
                .help(format!(
                    "call the zero value `{want}`: it is what readers see when nothing was set"
                )),
            );
        }
    }
}
