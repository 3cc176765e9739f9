//! `SYNTAX_SPECIFIED` (buf): every file says `syntax` or `edition`.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::source::Span;

pub(super) const RULE: Rule = Rule {
    id: "SYNTAX_SPECIFIED",
    group: Group::Style,
    summary: "every file starts with `syntax = \"…\";` or `edition = \"…\";` (buf)",
    doc: r#"**What:** a file without a `syntax` or `edition` statement. Same check as buf's
`SYNTAX_SPECIFIED`.

**Why:** without it a file is proto2, which readers (and tools) may not expect; saying so costs
one line.

**Example:** a file that starts with `package zoo.v1;`

**Fix:** add `syntax = "proto2";` (or `proto3`, or `edition = "2023";`) as the first statement."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        if f.input.ast.syntax.is_some() {
            continue;
        }
        out.push(
            Diagnostic::warning(
                RULE.id,
                format!("`{}` does not specify its syntax", f.name()),
            )
            .at(
                f.id(),
                Span::new(0, 0),
                "no `syntax` or `edition` statement",
            )
            .note("a file without one is proto2")
            .help("add `syntax = \"proto2\";` (or proto3, or `edition = \"2023\";`) at the top"),
        );
    }
}
