//! `RPC_REQUEST_RESPONSE_UNIQUE` (buf): every request and response type belongs to one rpc.

use std::collections::BTreeMap;

use super::{Check, Context, Group, Rule};
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::source::FileId;

pub(super) const RULE: Rule = Rule {
    id: "RPC_REQUEST_RESPONSE_UNIQUE",
    group: Group::Style,
    summary: "each message is the request or response of at most one rpc, and no rpc uses one type for both (buf)",
    doc: r#"**What:** a message used as the request or response of more than one rpc (over all files
of the run), or as both the request and the response of one rpc. Same check as buf's
`RPC_REQUEST_RESPONSE_UNIQUE` with its defaults (`google.protobuf.Empty` counts too).

**Why:** a shared request or response type cannot change for one rpc without changing the others.

**Example:** `rpc Feed (AnimalRequest) returns (AnimalResponse);` and
`rpc Pet (AnimalRequest) returns (AnimalResponse);`

**Fix:** give each rpc its own `<Rpc>Request` and `<Rpc>Response`."#,
    check: Check::Source(check),
};

struct Use<'a> {
    file: FileId,
    rpc: &'a ast::Rpc,
    ty: &'a ast::FullIdent,
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Full type name -> (full rpc name -> its uses of the type).
    let mut users: BTreeMap<String, BTreeMap<String, Vec<Use<'_>>>> = BTreeMap::new();
    for f in cx.inputs() {
        let scope = f.package();
        for (s, r) in f.decls.rpcs() {
            let rpc_full = format!("{scope}.{}.{}", s.name.name, r.name.name);
            let resolve =
                |t: &ast::FullIdent| cx.resolve_type(f, t, scope).unwrap_or_else(|| t.to_text());
            let (input, output) = (resolve(&r.input), resolve(&r.output));
            if input == output {
                out.push(
                    Diagnostic::warning(
                        RULE.id,
                        format!(
                            "rpc `{}` uses `{}` as both its request and its response",
                            r.name.name,
                            r.input.to_text()
                        ),
                    )
                    .at(f.id(), r.output.span, "same type as the request")
                    .help(format!(
                        "give `{}` its own request and response messages",
                        r.name.name
                    )),
                );
            }
            for (full, ty) in [(input, &r.input), (output, &r.output)] {
                users
                    .entry(full)
                    .or_default()
                    .entry(rpc_full.clone())
                    .or_default()
                    .push(Use {
                        file: f.id(),
                        rpc: r,
                        ty,
                    });
            }
        }
    }
    for (ty, rpcs) in users {
        if rpcs.len() < 2 {
            continue;
        }
        // Named once for the type, at most a few: each rpc's message holds it.
        let names = crate::diagnostics::list_some(
            rpcs.values()
                .map(|u| format!("`{}`", u[0].rpc.name.name)),
        );
        for uses in rpcs.values() {
            // Once per rpc, at its first use of the type.
            if let Some(u) = uses.first() {
                out.push(
                    Diagnostic::warning(
                        RULE.id,
                        format!(
                            "`{ty}` is the request or response of several rpcs: {names}"
                        ),
                    )
                    .at(u.file, u.ty.span, "shared with another rpc")
                    .help(format!("give rpc `{}` its own message", u.rpc.name.name)),
                );
            }
        }
    }
}
