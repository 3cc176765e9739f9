//! `FILE_LOWER_SNAKE_CASE` (buf): file names are lower_snake_case.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;
use crate::source::Span;

pub(super) const RULE: Rule = Rule {
    id: "FILE_LOWER_SNAKE_CASE",
    group: Group::Style,
    summary: "file names are lower_snake_case (`.iproto`/`.proto`) (buf)",
    doc: r#"**What:** a file whose name (without directory and extension) is not lower_snake_case.
Same check as buf's `FILE_LOWER_SNAKE_CASE`. Reported on the first line of the file.

**Why:** generated file names follow the schema's file names; mixed case breaks on
case-insensitive file systems and in languages that derive module names from files.

**Example:** `zoo/v1/AnimalShelter.iproto`

**Fix:** rename the file to `zoo/v1/animal_shelter.iproto` and update the imports of it."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let name = f.name();
        let base = name.rsplit('/').next().unwrap_or(name);
        let (stem, ext) = match base.rfind('.') {
            Some(i) => (&base[..i], &base[i..]),
            None => (base, ""),
        };
        let want = names::buf_lower_snake(stem);
        if want == stem {
            continue;
        }
        out.push(
            Diagnostic::warning(
                RULE.id,
                format!("file name `{base}` should be lower_snake_case"),
            )
            .at(f.id(), Span::new(0, 0), "in this file")
            .help(format!("rename the file to `{want}{ext}`")),
        );
    }
}
