//! `IMPORT_NO_WEAK` (buf): no `import weak`.

use super::{Check, Context, Group, Rule};
use crate::ast::ImportKind;
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "IMPORT_NO_WEAK",
    group: Group::Style,
    summary: "no `import weak` (buf)",
    doc: r#"**What:** an `import weak` statement. Same check as buf's `IMPORT_NO_WEAK` (which buf
keeps outside STANDARD; iprotoc's `check` runs it because weak imports are unsupported almost
everywhere).

**Why:** weak imports are a Google-internal feature: most runtimes ignore or reject them, and
protobuf has deprecated them.

**Example:** `import weak "zoo/v1/animal.iproto";`

**Fix:** `import "zoo/v1/animal.iproto";`."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for i in &f.decls.imports {
            if i.kind == ImportKind::Weak {
                out.push(
                    Diagnostic::warning(
                        RULE.id,
                        format!("import of `{}` is weak", i.path.to_text()),
                    )
                    .at(f.id(), i.span, "weak import")
                    .help("use a plain `import` and drop `weak`"),
                );
            }
        }
    }
}
