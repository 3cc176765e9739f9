//! `PACKAGE_LOWER_SNAKE_CASE` (buf): package names are lower_snake.case.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "PACKAGE_LOWER_SNAKE_CASE",
    group: Group::Style,
    summary: "package names are lower_snake_case, dot-separated (buf)",
    doc: r#"**What:** a package whose dot-separated parts are not lower_snake_case. Same check as
buf's `PACKAGE_LOWER_SNAKE_CASE`.

**Why:** packages become namespaces, modules and directories; mixed case breaks languages that
lower-case them and case-insensitive file systems.

**Example:** `package Zoo.V1;`

**Fix:** `package zoo.v1;` — before shipping: the package is part of every type's full name (and
of `Any` type URLs and RPC paths)."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let Some(p) = f.decls.package else { continue };
        let pkg = p.name.to_text();
        let want: Vec<String> = pkg.split('.').map(names::buf_lower_snake).collect();
        let want = want.join(".");
        if want == pkg {
            continue;
        }
        out.push(
            Diagnostic::warning(
                RULE.id,
                format!("package name `{pkg}` should be lower_snake_case"),
            )
            .at(f.id(), p.name.span, "not lower_snake_case")
            .help(format!("rename it to `{want}`")),
        );
    }
}
