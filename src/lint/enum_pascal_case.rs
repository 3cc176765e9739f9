//! `ENUM_PASCAL_CASE` (buf): enum names are PascalCase.

use super::{check_names, Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "ENUM_PASCAL_CASE",
    group: Group::Style,
    summary: "enum names are PascalCase (buf)",
    doc: r#"**What:** an enum name that is not PascalCase (starts with a capital, no `_`). Same check
as buf's `ENUM_PASCAL_CASE`.

**Why:** enum names become type names in every generated language.

**Example:** `enum fur_color { … }`

**Fix:** `enum FurColor { … }` (the binary wire format does not contain enum names)."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let names = f.decls.enums.iter().map(|e| &e.name);
        let style = ("enum", "PascalCase");
        check_names(&RULE, f.id(), names, style, names::buf_pascal, out);
    }
}
