//! `RPC_RESPONSE_STANDARD_NAME` (buf): the response of `rpc Feed` is `FeedResponse`.

use super::rpc_request_standard_name::check_standard_names;
use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "RPC_RESPONSE_STANDARD_NAME",
    group: Group::Style,
    summary: "the response type of `rpc Feed` in `ZooService` is `FeedResponse` or `ZooServiceFeedResponse` (buf)",
    doc: r#"**What:** an rpc whose response message (its simple name) is neither `<Rpc>Response` nor
`<Service><Rpc>Response`. Same check as buf's `RPC_RESPONSE_STANDARD_NAME` with its defaults
(`google.protobuf.Empty` is not allowed either).

**Why:** a response type of its own per rpc can grow new fields without touching other rpcs.

**Example:** `rpc Feed (FeedRequest) returns (google.protobuf.Empty);`

**Fix:** `message FeedResponse {}` and `rpc Feed (FeedRequest) returns (FeedResponse);`."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_standard_names(cx, &RULE, ("response", "Response"), |r| &r.output, out);
}
