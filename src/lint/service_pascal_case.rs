//! `SERVICE_PASCAL_CASE` (buf): service names are PascalCase.

use super::{check_names, Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "SERVICE_PASCAL_CASE",
    group: Group::Style,
    summary: "service names are PascalCase (buf)",
    doc: r#"**What:** a service name that is not PascalCase. Same check as buf's
`SERVICE_PASCAL_CASE`.

**Why:** service names become class and interface names in generated code, and are part of the
RPC path (`/zoo.v1.ZooService/Feed`).

**Example:** `service zoo_service { … }`

**Fix:** `service ZooService { … }` — before shipping: the name is part of every RPC's path."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let names = f.decls.services.iter().map(|s| &s.name);
        let style = ("service", "PascalCase");
        check_names(&RULE, f.id(), names, style, names::buf_pascal, out);
    }
}
