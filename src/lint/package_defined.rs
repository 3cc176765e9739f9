//! `PACKAGE_DEFINED` (buf): every file declares a package.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "PACKAGE_DEFINED",
    group: Group::Style,
    summary: "every file declares a `package` (buf)",
    doc: r#"**What:** a file without a `package` statement. Same check as buf's `PACKAGE_DEFINED`.
Reported on the `syntax` line (or the first line).

**Why:** without a package every name is global: two schemas that both declare `Animal` cannot be
used together, and generators have nothing to derive namespaces from.

**Example:** a file with `message Animal { … }` and no `package`.

**Fix:** add `package zoo.v1;` (lower_snake_case, ending in a version, matching the directory)."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        if f.decls.package.is_some() {
            continue;
        }
        out.push(
            Diagnostic::warning(RULE.id, format!("`{}` has no package", f.name()))
                .at(
                    f.id(),
                    f.header_span(),
                    "no `package` statement in this file",
                )
                .help("declare one, e.g. `package zoo.v1;`, matching the file's directory"),
        );
    }
}
