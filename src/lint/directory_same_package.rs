//! `DIRECTORY_SAME_PACKAGE` (buf): all files of one directory declare the same package.

use std::collections::{BTreeMap, BTreeSet};

use super::{Check, Context, Group, LintFile, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "DIRECTORY_SAME_PACKAGE",
    group: Group::Style,
    summary: "all files in one directory declare the same package (buf)",
    doc: r#"**What:** two files given to one `check` run, in the same directory (relative to their
include directories), that declare different packages (or one declares none). Same check as buf's
`DIRECTORY_SAME_PACKAGE`, over the files of the run.

**Why:** generators that map directories to packages (Go, Java) cannot place two packages in one
directory, and readers expect one package per directory.

**Example:** `zoo/v1/a.iproto` with `package zoo.v1;` and `zoo/v1/b.iproto` with `package zoo;`

**Fix:** give every file in the directory the same package, or move the odd one out."#,
    check: Check::Source(check),
};

pub(super) fn dir(name: &str) -> &str {
    name.rsplit_once('/').map_or(".", |(d, _)| d)
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut by_dir: BTreeMap<&str, Vec<&LintFile<'_>>> = BTreeMap::new();
    for f in cx.inputs() {
        by_dir.entry(dir(f.name())).or_default().push(f);
    }
    for (dir, files) in by_dir {
        let packages: BTreeSet<&str> = files.iter().map(|f| f.package()).collect();
        if packages.len() < 2 {
            continue;
        }
        // Named once for the directory, at most a few: each file's message holds it.
        let list = crate::diagnostics::list_some(packages.iter().map(|p| {
            if p.is_empty() {
                "no package".to_string()
            } else {
                format!("`{p}`")
            }
        }));
        for f in files {
            out.push(
                Diagnostic::warning(
                    RULE.id,
                    format!("directory `{dir}` holds files of several packages: {list}"),
                )
                .at(f.id(), f.header_span(), match f.package() {
                    "" => "this file has no package".to_string(),
                    p => format!("this file is in `{p}`"),
                })
                .help("give every file of the directory the same package, or move files so each directory holds one package"),
            );
        }
    }
}
