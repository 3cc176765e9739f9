//! `RPC_PASCAL_CASE` (buf): rpc names are PascalCase.

use super::{naming, Context, Group, Rule};
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "RPC_PASCAL_CASE",
    group: Group::Style,
    summary: "rpc names are PascalCase (buf)",
    doc: r#"**What:** an rpc name that is not PascalCase. Same check as buf's `RPC_PASCAL_CASE`.

**Why:** rpc names become method names in generated code and are part of the RPC path.

**Example:** `rpc feed_animal (FeedAnimalRequest) returns (FeedAnimalResponse);`

**Fix:** `rpc FeedAnimal (…)` — before shipping: the name is part of the RPC's path."#,
    check,
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for s in &f.decls.services {
            for item in &s.items {
                let ast::ServiceItem::Rpc(r) = item else {
                    continue;
                };
                let want = names::buf_pascal(&r.name.name);
                if want != r.name.name {
                    out.push(naming(&RULE, f.id(), &r.name, "rpc", "PascalCase", &want));
                }
            }
        }
    }
}
