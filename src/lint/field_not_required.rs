//! `FIELD_NOT_REQUIRED` (buf): no `required` fields.

use super::{Check, Context, Group, Rule};
use crate::ast;
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "FIELD_NOT_REQUIRED",
    group: Group::Style,
    summary: "fields are not `required` (nor `features.field_presence = LEGACY_REQUIRED`) (buf)",
    doc: r#"**What:** a `required` field (proto2), or a field with
`[features.field_presence = LEGACY_REQUIRED]` (editions). Same check as buf's
`FIELD_NOT_REQUIRED`.

**Why:** a required field can never be removed or made optional: every reader compiled with it
rejects messages that lack it. In a hierarchy this bites twice, because every subclass carries the
root's required fields. (iprotoc never generates `required`: the discriminator and the subclass
extensions are optional for exactly this reason.)

**Example:** `required float weight = 1;`

**Fix:** `optional float weight = 1;` and check presence in code. Changing the label of a shipped
field is itself a breaking change for old readers that still require it, so decide before
shipping."#,
    check: Check::Source(check),
};

fn is_legacy_required(o: &ast::OptionAssign) -> bool {
    let names: Vec<&str> = o
        .name
        .parts
        .iter()
        .map(|p| match p {
            ast::OptionNamePart::Field(i) => i.name.as_str(),
            ast::OptionNamePart::Extension(..) => "",
        })
        .collect();
    names == ["features", "field_presence"]
        && matches!(&o.value, ast::Constant::Ident { name, .. } if name.to_text() == "LEGACY_REQUIRED")
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for d in &f.decls.fields {
            let field = d.field;
            let at = match (
                &field.label,
                field.options.iter().find(|o| is_legacy_required(o)),
            ) {
                (Some((ast::Label::Required, span)), _) => *span,
                (_, Some(o)) => o.span,
                _ => continue,
            };
            out.push(
                Diagnostic::warning(RULE.id, format!("field `{}` is required", field.name.name))
                    .at(f.id(), at, "required")
                    .note("a required field can never be removed or made optional: readers compiled with it reject messages without it")
                    .help("make it optional and check presence in code"),
            );
        }
    }
}
