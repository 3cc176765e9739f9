//! `iprotoc check --explain CODE`: the documentation of every diagnostic code.
//!
//! Lint rules carry their own docs ([`crate::lint::Rule::doc`]); every other code (parse,
//! resolve, lowering, validation, breaking, command-line and project-file errors) is documented
//! in `docs/codes.md`, one `## CODE` section each, which is compiled in.

use crate::lint;

/// The reference of the codes that are not lint rules, as shipped in `docs/codes.md`.
const CODES_MD: &str = include_str!("../docs/codes.md");

/// The documentation of one code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The code (`UNKNOWN_BASE`).
    pub code: &'static str,
    /// What kind of code: a lint rule's group (`inheritance`, `style`, …) or `error`.
    pub kind: &'static str,
    /// Markdown: what it means, why, an example and the fix.
    pub doc: &'static str,
}

impl Explanation {
    /// The explanation as plain text for a terminal: the code and its kind on the first line,
    /// then the doc with markdown's emphasis and fences taken out (code blocks indented by four
    /// spaces, as rustc prints them).
    pub fn to_plain_text(&self) -> String {
        let mut out = format!("{} ({})\n\n", self.code, self.kind);
        let mut in_code = false;
        for line in self.doc.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code {
                out.push_str("    ");
                out.push_str(line);
            } else {
                out.push_str(&line.replace("**", ""));
            }
            out.push('\n');
        }
        out
    }
}

/// The `## CODE` sections of `docs/codes.md`, in order.
fn sections() -> impl Iterator<Item = (&'static str, &'static str)> {
    CODES_MD.split("\n## ").skip(1).map(|s| {
        let (head, body) = s.split_once('\n').unwrap_or((s, ""));
        (head.trim(), body.trim())
    })
}

/// The documentation of `code` (case-insensitive), a lint rule or any other code.
pub fn explain(code: &str) -> Option<Explanation> {
    let code = code.trim().to_ascii_uppercase();
    if let Some(r) = lint::rule(&code) {
        return Some(Explanation {
            code: r.id,
            kind: r.group.as_str(),
            doc: r.doc,
        });
    }
    sections()
        .find(|(c, _)| *c == code)
        .map(|(code, doc)| Explanation {
            code,
            kind: "error",
            doc,
        })
}

/// Every documented code: the lint rules, then the others in the order of `docs/codes.md` (for
/// the tests).
#[cfg(feature = "internals")]
pub fn codes() -> Vec<&'static str> {
    lint::rules()
        .iter()
        .map(|r| r.id)
        .chain(sections().map(|(c, _)| c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lint_rules_and_errors_are_explained() {
        let e = explain("subclass_tag_unpinned").unwrap();
        assert_eq!((e.code, e.kind), ("SUBCLASS_TAG_UNPINNED", "inheritance"));
        let e = explain("UNKNOWN_BASE").unwrap();
        assert_eq!(e.kind, "error");
        assert!(e.doc.contains("**Fix:**"), "{}", e.doc);
        assert!(explain("NO_SUCH_CODE").is_none());
    }

    #[test]
    fn every_section_is_unique_and_complete() {
        let mut seen = std::collections::HashSet::new();
        for (code, doc) in sections() {
            assert!(seen.insert(code), "{code} documented twice");
            assert!(
                lint::rule(code).is_none(),
                "{code} is a lint rule: its doc is the rule's"
            );
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'),
                "heading `{code}`"
            );
            for part in ["**What:**", "**Fix:**"] {
                assert!(doc.contains(part), "{code} has no {part}");
            }
        }
    }

    #[test]
    fn plain_text_has_no_markdown_noise() {
        let text = explain("FIELD_OF_SUBCLASS_TYPE").unwrap().to_plain_text();
        assert!(text.starts_with("FIELD_OF_SUBCLASS_TYPE (inheritance)\n\n"));
        assert!(!text.contains("**") && !text.contains("```"), "{text}");
        assert!(text.contains("\n    message Owner"), "{text}");
    }
}
