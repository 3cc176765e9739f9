//! `PACKAGE_VERSION_SUFFIX` (buf): the last part of a package is a version (`v1`, `v1beta2`).

use super::{Check, Context, Group, Rule};
use crate::diagnostics::Diagnostic;

pub(super) const RULE: Rule = Rule {
    id: "PACKAGE_VERSION_SUFFIX",
    group: Group::Style,
    summary:
        "the last part of the package is a version: `v1`, `v2beta1`, `v1p1alpha`, `v1test` (buf)",
    doc: r#"**What:** a package whose last part is not a version, as buf defines it: `v` and a major
version ≥ 1 (`v1`), optionally `alpha`/`beta` with an optional number ≥ 1 (`v1beta`, `v2alpha3`),
optionally a patch before it (`v1p1beta1`), or `test` and any suffix (`v1test`, `v1testfoo`). A
single-part package never passes. Same check as buf's `PACKAGE_VERSION_SUFFIX`.

**Why:** a version in the package lets a schema make an incompatible change by starting a new
package (`zoo.v2`) beside the old one, instead of breaking every reader at once.

**Example:** `package zoo;`

**Fix:** `package zoo.v1;` (and move the files to `zoo/v1/`)."#,
    check: Check::Source(check),
};

/// A number ≥ `min`, written with digits only.
fn number(s: &str, min: u64) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit())
        && s.parse::<u64>()
            .is_ok_and(|n| n >= min && n <= i32::MAX as u64)
}

/// `1`, or `1p2` (major and patch), for alpha and beta versions.
fn major_patch(s: &str) -> bool {
    match s.split_once('p') {
        Some((major, patch)) => number(major, 1) && number(patch, 1),
        None => number(s, 1),
    }
}

/// Whether one package component is a version, as buf's `protoversion` reads it.
pub(crate) fn is_version(component: &str) -> bool {
    let Some(version) = component.strip_prefix('v') else {
        return false;
    };
    if version.is_empty() {
        return false;
    }
    if let Some((major, _suffix)) = version.split_once("test") {
        return number(major, 1);
    }
    let stability = match (version.contains("alpha"), version.contains("beta")) {
        (false, false) => return number(version, 1),
        (true, false) => "alpha",
        (false, true) => "beta",
        (true, true) => return false,
    };
    let (head, minor) = version.split_once(stability).expect("contains it");
    (minor.is_empty() || number(minor, 1)) && major_patch(head)
}

fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in cx.inputs() {
        let Some(p) = f.decls.package else { continue };
        let pkg = p.name.to_text();
        let ok = pkg
            .rsplit_once('.')
            .is_some_and(|(_, last)| is_version(last));
        if ok {
            continue;
        }
        out.push(
            Diagnostic::warning(
                RULE.id,
                format!("package `{pkg}` should end in a version, such as `{pkg}.v1`"),
            )
            .at(f.id(), p.name.span, "no version suffix")
            .help(format!(
                "use `package {pkg}.v1;` (and the directory `{}/v1`)",
                pkg.replace('.', "/")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_version;

    #[test]
    fn versions_as_buf_reads_them() {
        for ok in [
            "v1",
            "v2",
            "v1alpha1",
            "v1beta2",
            "v1p1alpha1",
            "v1p1beta2",
            "v1test",
            "v1testfoo",
            "v4test",
            "v1alpha",
            "v1p1beta",
        ] {
            assert!(is_version(ok), "{ok}");
        }
        for bad in [
            "",
            "v",
            "foo",
            "v0",
            "v0alpha1",
            "v0test",
            "v1alpha0",
            "v1beta0",
            "v1p0alpha1",
            "vv1",
            "v1aalpha1",
            "v1p1test",
            "v1alphabeta",
            "1",
        ] {
            assert!(!is_version(bad), "{bad}");
        }
    }
}
