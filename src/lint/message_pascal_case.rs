//! `MESSAGE_PASCAL_CASE` (buf): message names are PascalCase.

use super::{check_names, Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "MESSAGE_PASCAL_CASE",
    group: Group::Style,
    summary: "message names are PascalCase (buf)",
    doc: r#"**What:** a message (or group) name that is not PascalCase: it must start with a capital,
and have no `_` (`HTTPRequest` and `Cat2D` are fine; `cat`, `Foo_Bar` are not). Same check as buf's
`MESSAGE_PASCAL_CASE`.

**Why:** every code generator turns message names into type names; PascalCase is what they expect
and what readers expect, and it keeps generated names predictable across languages.

**Example:** `message cat_toy { … }`

**Fix:** rename it, `message CatToy { … }`. Renaming a message does not change the binary wire
format, but it changes `Any` type URLs and generated code, so do it before shipping."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let names = f.decls.messages.iter().map(|m| m.name);
        let style = ("message", "PascalCase");
        check_names(&RULE, f.id(), names, style, names::buf_pascal, out);
    }
}
