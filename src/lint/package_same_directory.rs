//! `PACKAGE_SAME_DIRECTORY` (buf): all files of one package are in one directory.

use std::collections::{BTreeMap, BTreeSet};

use super::directory_same_package::dir;
use super::{Check, Context, Group, LintFile, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "PACKAGE_SAME_DIRECTORY",
    group: Group::Style,
    summary: "all files of one package are in one directory (buf)",
    doc: r#"**What:** files given to one `check` run that declare the same package but sit in
different directories (relative to their include directories). Same check as buf's
`PACKAGE_SAME_DIRECTORY`, over the files of the run.

**Why:** a package spread over directories cannot be generated into one module or namespace
directory, and nobody knows where to look for its types.

**Example:** `zoo/v1/a.iproto` and `zoo/b.iproto`, both `package zoo.v1;`

**Fix:** move the files of the package into one directory (`zoo/v1/`)."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut by_package: BTreeMap<&str, Vec<&LintFile<'_>>> = BTreeMap::new();
    for f in cx.inputs() {
        if !f.package().is_empty() {
            by_package.entry(f.package()).or_default().push(f);
        }
    }
    for (pkg, files) in by_package {
        let dirs: BTreeSet<&str> = files.iter().map(|f| dir(f.name())).collect();
        if dirs.len() < 2 {
            continue;
        }
        // Named once for the package, at most a few: each file's message holds it.
        let list = crate::diagnostics::list_some(dirs.iter().map(|d| format!("`{d}`")));
        for f in files {
            out.push(
                Diagnostic::warning(
                    RULE.id,
                    format!(
                        "package `{pkg}` is spread over directories {list}"
                    ),
                )
                .at(
                    f.id(),
                    f.header_span(),
                    format!("this file is in `{}`", dir(f.name())),
                )
                .help(format!(
                    "keep every file of `{pkg}` in one directory (`{}`)",
                    pkg.replace('.', "/")
                )),
            );
        }
    }
}
