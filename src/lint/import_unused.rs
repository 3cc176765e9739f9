//! `IMPORT_UNUSED` (protoc's "Import X is unused."): an import nothing in the file uses.

use std::collections::{HashMap, HashSet};

use super::{Check, Context, Group, Rule};
use crate::ast::ImportKind;
use crate::diagnostics::Diagnostic;
use crate::source::FileId;

pub(super) const RULE: Rule = Rule {
    id: "IMPORT_UNUSED",
    group: Group::Protoc,
    summary: "every import is used (protoc's \"Import X is unused.\")",
    doc: r#"**What:** an `import` (or `import weak`) of a file that no name in the importing file
resolves to: no field, map value, extendee, rpc type, base class or custom option name. The same
warning protoc gives (`warning: Import X is unused.`), by protoc's rule:

- `import public` is never reported (it re-exports the file to the importer's importers);
- an import that supplies only a custom option (`option (my.opt) = …;`) is used;
- an import of a file that itself has `import public` statements is never reported (such a file
  forwards other files, and a name may resolve through it);
- only the files named on the command line are checked, not their imports.

**Why:** an unused import is a dependency for nothing: it slows every build, drags the file into
every generated package, and hides which files really depend on each other.

**Example:**

```proto
syntax = "proto3";
import "google/protobuf/empty.proto";   // warning: nothing uses it
message Ping { string id = 1; }
```

**Fix:** delete the import (or, when the file re-exports it on purpose, make it
`import public`)."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Each file by name, with whether it forwards others (`import public`): worked out once per
    // file, not once per import of it.
    let by_name: HashMap<&str, (&super::LintFile<'_>, bool)> = cx
        .files
        .iter()
        .map(|f| {
            let forwards = f
                .decls
                .imports
                .iter()
                .any(|j| j.kind == ImportKind::Public);
            (f.input.source.name.as_str(), (f, forwards))
        })
        .collect();
    // Each input on its own (finding what its names resolve to is most of the work): on all
    // cores, the findings in input order.
    let inputs: Vec<&super::LintFile<'_>> = cx.inputs().collect();
    let bytes = inputs.iter().map(|f| f.input.source.text.len()).sum();
    let found = crate::parallel::map(inputs, bytes, |f| unused_in(cx, &by_name, f));
    out.extend(found.into_iter().flatten());
}

/// The unused imports of the input `f` (`by_name`: every file, with whether it forwards others).
fn unused_in(
    cx: &Context<'_>,
    by_name: &HashMap<&str, (&super::LintFile<'_>, bool)>,
    f: &super::LintFile<'_>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let candidates: Vec<(&crate::ast::Import, FileId)> = f
        .decls
        .imports
        .iter()
        .filter(|i| matches!(i.kind, ImportKind::Default | ImportKind::Weak))
        .filter_map(|i| {
            let &(target, forwards) = by_name.get(i.path.to_text().as_str())?;
            // protoc: a file that forwards others (`import public`) is never reported.
            (!forwards && target.id() != f.id()).then_some((*i, target.id()))
        })
        .collect();
    if candidates.is_empty() {
        return out;
    }
    let mut used: HashSet<FileId> =
        crate::lower::uses::uses(f.id(), f.input.ast, cx.symbols, f.input.visible)
            .into_iter()
            .map(|u| u.file)
            .collect();
    // Base classes declared in other files (the names `uses` does not read).
    used.extend(
        f.analysis
            .classes
            .iter()
            .filter_map(|c| c.external.as_ref().map(|e| e.file)),
    );
    for (import, target) in candidates {
        if used.contains(&target) {
            continue;
        }
        let name = import.path.to_text();
        out.push(
            Diagnostic::warning(RULE.id, format!("import `{name}` is unused"))
                .at(f.id(), import.span, "nothing in this file uses it")
                .note(format!("protoc says: Import {name} is unused."))
                .help("delete the import"),
        );
    }
    out
}
