//! `ENUM_NO_ALLOW_ALIAS` (buf): enums do not set `allow_alias`.

use super::{Check, Context, Group, Rule};
use crate::ast;
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "ENUM_NO_ALLOW_ALIAS",
    group: Group::Style,
    summary: "enums do not use `option allow_alias = true;` (buf)",
    doc: r#"**What:** an enum with `option allow_alias = true;`. Same check as buf's
`ENUM_NO_ALLOW_ALIAS`.

**Why:** with aliases, one number has several names; ProtoJSON and text format write only one of
them, and renaming or removing an alias silently changes what is written. Several languages also
handle aliases awkwardly (switch statements, reflection).

**Example:** `enum Size { option allow_alias = true; SIZE_UNSPECIFIED = 0; SIZE_BIG = 1; SIZE_LARGE = 1; }`

**Fix:** keep one name per number and remove the option; mark the old name `reserved` if it was
shipped."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        for e in &f.decls.enums {
            for item in &e.items {
                let ast::EnumItem::Option(o) = item else {
                    continue;
                };
                let is_allow_alias = matches!(&o.option.name.parts[..],
                    [ast::OptionNamePart::Field(n)] if n.name == "allow_alias");
                let is_true = matches!(&o.option.value,
                    ast::Constant::Ident { name, negative: false, .. } if name.to_text() == "true");
                if is_allow_alias && is_true {
                    out.push(
                        Diagnostic::warning(
                            RULE.id,
                            format!("enum `{}` allows aliases", e.name.name),
                        )
                        .at(f.id(), o.span, "aliases allowed here")
                        .help("give every value its own number and remove `allow_alias`"),
                    );
                }
            }
        }
    }
}
