//! `PACKAGE_DIRECTORY_MATCH` (buf): a file of package `a.b` is in directory `a/b`.

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "PACKAGE_DIRECTORY_MATCH",
    group: Group::Style,
    summary:
        "a file of package `zoo.v1` lives in directory `zoo/v1` under its include directory (buf)",
    doc: r#"**What:** a file whose directory (relative to the include directory it was found in,
i.e. its name as protoc and imports see it) is not its package with `.` replaced by `/`. Same check
as buf's `PACKAGE_DIRECTORY_MATCH`.

**Why:** Go, Java and others map packages to directories; when the schema's layout already
matches, imports, generated paths and packages agree and nobody has to guess where a type lives.

**Example:** `-I proto proto/animals.iproto` with `package zoo.v1;`

**Fix:** move the file to `proto/zoo/v1/animals.iproto` (and update imports of it), or change the
package to match the directory."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let Some(p) = f.decls.package else { continue };
        let pkg = p.name.to_text();
        let want = pkg.replace('.', "/");
        let dir = f.name().rsplit_once('/').map_or(".", |(d, _)| d);
        if dir == want {
            continue;
        }
        let base = f.name().rsplit('/').next().unwrap_or(f.name());
        out.push(
            Diagnostic::warning(
                RULE.id,
                format!("files of package `{pkg}` should be in directory `{want}`, but `{}` is in `{dir}`", f.name()),
            )
            .at(f.id(), p.name.span, format!("expects directory `{want}`"))
            .note("the directory is taken relative to the include directory (-I) the file was found in")
            .help(format!("move the file to `{want}/{base}`, or change the package to match its directory")),
        );
    }
}
