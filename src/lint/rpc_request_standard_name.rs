//! `RPC_REQUEST_STANDARD_NAME` (buf): the request of `rpc Feed` is `FeedRequest`.

use super::{Check, Context, Group, Rule};
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "RPC_REQUEST_STANDARD_NAME",
    group: Group::Style,
    summary: "the request type of `rpc Feed` in `ZooService` is `FeedRequest` or `ZooServiceFeedRequest` (buf)",
    doc: r#"**What:** an rpc whose request message (its simple name) is neither `<Rpc>Request` nor
`<Service><Rpc>Request`. Same check as buf's `RPC_REQUEST_STANDARD_NAME` with its defaults
(`google.protobuf.Empty` is not allowed either).

**Why:** a request type of its own per rpc can grow new fields without touching other rpcs; a
shared or generic type (`Empty`, `Animal`) cannot.

**Example:** `rpc Feed (Animal) returns (FeedResponse);`

**Fix:** `message FeedRequest { Animal animal = 1; }` and `rpc Feed (FeedRequest) returns (FeedResponse);`."#,
    check: Check::Source(check),
};

/// Reports each rpc of the inputs whose request or response (`what`, the type `ty` picks) is not
/// named `<Rpc><suffix>` or `<Service><Rpc><suffix>`.
pub(super) fn check_standard_names(
    cx: &Context<'_>,
    rule: &Rule,
    (what, suffix): (&str, &str),
    ty: fn(&ast::Rpc) -> &ast::FullIdent,
    out: &mut Vec<Diagnostic>,
) {
    for f in cx.inputs() {
        for (service, rpc) in f.decls.rpcs() {
            out.extend(standard_name(
                rule,
                what,
                suffix,
                f.id(),
                service,
                rpc,
                ty(rpc),
            ));
        }
    }
}

/// Reports an rpc whose `ty` (request or response) is not named `<Rpc><suffix>` or
/// `<Service><Rpc><suffix>`.
fn standard_name(
    rule: &Rule,
    what: &str,
    suffix: &str,
    file: crate::source::FileId,
    service: &ast::Service,
    rpc: &ast::Rpc,
    ty: &ast::FullIdent,
) -> Option<Diagnostic> {
    let name = ty.parts.last().map_or("", |p| p.name.as_str());
    let short = format!("{}{suffix}", names::buf_pascal(&rpc.name.name));
    let long = format!("{}{short}", names::buf_pascal(&service.name.name));
    if name == short || name == long {
        return None;
    }
    Some(
        Diagnostic::warning(
            rule.id,
            format!(
                "the {what} type of rpc `{}` should be named `{short}` or `{long}`, not `{name}`",
                rpc.name.name
            ),
        )
        .at(file, ty.span, format!("not `{short}`"))
        .help(format!(
            "declare `message {short}` for this rpc alone (wrapping `{name}` in a field if needed)"
        )),
    )
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_standard_names(cx, &RULE, ("request", "Request"), |r| &r.input, out);
}
