//! `DISCRIMINATOR_IMPLICIT`: a hierarchy root whose discriminator field is generated.

use super::{Check, GeneratedInput, Group, Rule};
use crate::diagnostics::Diagnostic;
use crate::lower::GeneratedDiscriminator;
use crate::source::FileId;

pub(super) const RULE: Rule = Rule {
    id: "DISCRIMINATOR_IMPLICIT",
    group: Group::Iproto,
    summary: "declare the discriminator (`optional Type type = 99;`) in every root so its number is pinned",
    doc: DOC,
    check: Check::Generated(check),
};

const DOC: &str = r#"**What:** the root of a hierarchy that does not declare its discriminator, so the compiler
generates `optional Type type = N;` with N one below the start of the subclass range (99 for the
default `extensions 100 to max`).

**Why:** the discriminator's number then depends on the subclass range: declare a different range
later (say `extensions 1000 to max;` to make room for fields) and the discriminator moves from 99 to
999. Readers compiled before the change no longer find out which subclass a message holds. A field
you declare yourself — any field of the root whose type is the generated `Type` — is used as
written, so its number is pinned.

**Example:**

```proto
message Animal { optional float weight = 1; }          // warning: discriminator is `type = 99`
message Dog : Animal = 105 { optional uint32 bones = 1; }
```

**Fix:** add the line the warning's `help:` shows to the root (the same name and number the
compiler generates today, so nothing changes on the wire):

```proto
message Animal {
  optional float weight = 1;
  optional Type type = 99;
}
```"#;

fn check(files: &[GeneratedInput<'_>], out: &mut Vec<Diagnostic>) {
    for f in files {
        for g in f.discriminators {
            report(f.id, g, out);
        }
    }
}

fn report(file: FileId, g: &GeneratedDiscriminator, out: &mut Vec<Diagnostic>) {
    let (n, line, root_name) = (g.number, &g.line, &g.root);
    let range = if g.declared_range {
        "its declared subclass range"
    } else {
        "the default subclass range `100 to max`"
    };
    out.push(
        Diagnostic::warning(
            RULE.id,
            format!("the discriminator of `{root_name}` is generated as `{line}`: its number follows the subclass range"),
        )
        .at(file, g.root_span, format!("root of a hierarchy; discriminator {n} is implicit"))
        .note(format!("{n} is one below {range}; if the range changes, the discriminator moves and old readers lose track of the subclass"))
        .help(format!("declare it in `{root_name}` to pin the number: `{line}`")),
    );
}
