//! `ONEOF_LOWER_SNAKE_CASE` (buf): oneof names are lower_snake_case.

use super::{check_names, Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "ONEOF_LOWER_SNAKE_CASE",
    group: Group::Style,
    summary: "oneof names are lower_snake_case (buf)",
    doc: r#"**What:** a oneof name that is not lower_snake_case. Same check as buf's
`ONEOF_LOWER_SNAKE_CASE`. The `oneof subtype` that oneof-style lowering generates is never checked.

**Why:** generators derive case/enum names from the oneof name assuming lower_snake_case.

**Example:** `oneof PetKind { … }`

**Fix:** `oneof pet_kind { … }` (not on the wire)."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let names = f.decls.oneofs.iter().map(|o| &o.name);
        let style = ("oneof", "lower_snake_case");
        check_names(&RULE, f.id(), names, style, names::buf_lower_snake, out);
    }
}
