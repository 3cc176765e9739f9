//! `IMPORT_NO_PUBLIC` (buf): no `import public`.

use super::{Check, Context, Group, Rule};
use crate::ast::ImportKind;
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "IMPORT_NO_PUBLIC",
    group: Group::Style,
    summary: "no `import public` (buf)",
    doc: r#"**What:** an `import public` statement. Same check as buf's `IMPORT_NO_PUBLIC`.

**Why:** public imports re-export another file's definitions, which many generators (Go, and
others that map files to packages) do not support, and they hide where a type really lives.

**Example:** `import public "zoo/v1/animal.iproto";`

**Fix:** import the file that declares the types where they are used:
`import "zoo/v1/animal.iproto";`."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for i in &f.decls.imports {
            if i.kind == ImportKind::Public {
                out.push(
                    Diagnostic::warning(
                        RULE.id,
                        format!("import of `{}` is public", i.path.to_text()),
                    )
                    .at(f.id(), i.span, "public import")
                    .help("import the file where its types are used, and drop `public`"),
                );
            }
        }
    }
}
