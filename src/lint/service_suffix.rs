//! `SERVICE_SUFFIX` (buf): service names end in `Service`.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "SERVICE_SUFFIX",
    group: Group::Style,
    summary: "service names end in `Service` (buf)",
    doc: r#"**What:** a service whose name does not end in `Service`. Same check as buf's
`SERVICE_SUFFIX` with its default suffix.

**Why:** generated code puts services next to messages; the suffix keeps `Zoo` (a message) and
`ZooService` (its API) apart in every language.

**Example:** `service Zoo { … }`

**Fix:** `service ZooService { … }` — before shipping: the name is part of every RPC's path."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for s in &f.decls.services {
            if s.name.name.ends_with("Service") {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    RULE.id,
                    format!("service name `{}` should end in `Service`", s.name.name),
                )
                .at(f.id(), s.name.span, "no `Service` suffix")
                .help(format!("rename it to `{}Service`", s.name.name)),
            );
        }
    }
}
