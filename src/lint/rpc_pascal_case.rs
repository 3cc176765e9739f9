//! `RPC_PASCAL_CASE` (buf): rpc names are PascalCase.

use super::{check_names, Check, Context, Group, Rule};
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
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let names = f.decls.rpcs().map(|(_, r)| &r.name);
        let style = ("rpc", "PascalCase");
        check_names(&RULE, f.id(), names, style, names::buf_pascal, out);
    }
}
