//! `FIELD_LOWER_SNAKE_CASE` (buf): field names are lower_snake_case.

use super::{check_names, Check, Context, Group, Rule};
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

pub(super) const RULE: Rule = Rule {
    id: "FIELD_LOWER_SNAKE_CASE",
    group: Group::Style,
    summary: "field names are lower_snake_case (buf)",
    doc: r#"**What:** a field (or extension) name that is not lower_snake_case. Same check as buf's
`FIELD_LOWER_SNAKE_CASE`: digits may follow letters directly (`line2`, `v1beta1`). Group names are
checked as messages instead.

**Why:** every generator derives accessor names and the JSON name (`bonesBuried`) from the field
name assuming lower_snake_case; other spellings give surprising JSON names and accessors.

**Example:** `optional uint32 bonesBuried = 1;`

**Fix:** `optional uint32 bones_buried = 1;`. The binary wire format only has the number, but the
JSON name changes, so rename before shipping (or set `json_name`)."#,
    check: Check::Source(check),
};

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let names = f.decls.fields.iter().filter_map(|d| {
            // A group's name is its message's: MESSAGE_PASCAL_CASE judges it.
            (!matches!(d.field.ty, ast::FieldType::Group { .. })).then_some(&d.field.name)
        });
        let style = ("field", "lower_snake_case");
        check_names(&RULE, f.id(), names, style, names::buf_lower_snake, out);
    }
}
