//! `LINT_IGNORE_UNUSED`: an `iprotoc:lint:ignore` directive that names no rule, or silences
//! nothing. The check itself is in [`super::lint`] (it needs every other rule's findings).

use super::{Check, Group, Rule};

/// The rule's id.
pub const ID: &str = "LINT_IGNORE_UNUSED";

pub(super) const RULE: Rule = Rule {
    id: ID,
    group: Group::Iproto,
    summary: "every `iprotoc:lint:ignore` names a rule and silences one of its findings",
    doc: r#"**What:** an `// iprotoc:lint:ignore RULE_ID` directive that names no lint rule (a typo,
a rule that was renamed), or that names a rule that ran and silences none of its findings (the
problem was fixed, or the directive sits on the wrong line).

**Why:** a directive that does nothing hides nothing today but reads as if it did, and one with a
misspelt id lets the finding it meant to silence through — or, worse, keeps silencing nothing
while the author believes a rule was deliberately waived.

**Example:**

```proto
message Owner {
  // iprotoc:lint:ignore FIELD_OF_SUBCLAS_TYPE   -- warning: no such rule
  optional Cat pet = 1;
  optional string name = 2; // iprotoc:lint:ignore FIELD_LOWER_SNAKE_CASE -- warning: silences nothing
}
```

A directive is judged only for rules that ran: one naming a rule turned off with `-A` (or
`allow` in `iprotoc.toml`) is left alone.

**Fix:** correct the id, move the directive to the line the finding is reported on (or into the
`//` comment lines directly above that declaration), or delete it."#,
    check: Check::Directives,
};
