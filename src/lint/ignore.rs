//! `// iprotoc:lint:ignore RULE_ID [RULE_ID…] [-- reason]`: silencing a finding in the source.
//!
//! A finding reported on line L is silenced when the directive naming its rule is
//!
//! - in a `//` comment at the end of line L (`int32 fooBar = 1; // iprotoc:lint:ignore FIELD_LOWER_SNAKE_CASE`), or
//! - on one of the `//` comment lines directly above line L (the block of comment-only lines
//!   that ends at L-1, so the directive can sit above or below a doc comment).
//!
//! Ids are separated by spaces or commas; anything after `--` is a free-form reason. The
//! directive is read from the text, not from the comments attached to declarations, so it works
//! the same for every kind of finding (file-level ones are reported on the `package` line).

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::source::{SourceFile, Span};

/// The directive's marker.
pub const DIRECTIVE: &str = "iprotoc:lint:ignore";

/// The rule ids a line's `//` comment ignores (empty when it has no directive).
pub fn ids_on_line(line: &str) -> Vec<&str> {
    // Searchers built once: `str::find` sets up a fresh one per call, and lint calls this for
    // every finding and the comment lines above it.
    static COMMENT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("//"));
    static MARKER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(DIRECTIVE));
    let Some(comment_at) = COMMENT.find(line.as_bytes()) else {
        return Vec::new();
    };
    let comment = &line[comment_at..];
    let Some(at) = MARKER.find(comment.as_bytes()) else {
        return Vec::new();
    };
    let rest = &comment[at + DIRECTIVE.len()..];
    if !rest.starts_with(char::is_whitespace) {
        return Vec::new();
    }
    let rest = rest.split("--").next().unwrap_or("");
    rest.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a finding of `rule` reported at byte `offset` of `file` is silenced.
#[cfg(test)]
fn is_ignored(file: &SourceFile, offset: u32, rule: &str) -> bool {
    ignored_by(file, offset, rule).is_some()
}

/// The directive that silences a finding of `rule` reported at byte `offset` of `file`: the
/// byte offset where its line starts (`None`: the finding is not silenced).
///
/// Reads only the finding's line and the comment lines directly above it, straight from the
/// text (no line table is built: lint calls this once per finding).
pub fn ignored_by(file: &SourceFile, offset: u32, rule: &str) -> Option<u32> {
    let text = file.text.as_str();
    let bytes = text.as_bytes();
    let at = (offset as usize).min(bytes.len());
    let start = line_start(bytes, at);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    if ids_on_line(&text[start..end]).contains(&rule) {
        return Some(start as u32);
    }
    // `next` is the start of the line below the one examined next.
    let mut next = start;
    while next > 0 {
        let newline = next - 1;
        let above = line_start(bytes, newline);
        let line = text[above..newline].trim_start();
        if !line.starts_with("//") {
            break;
        }
        if ids_on_line(line).contains(&rule) {
            return Some(above as u32);
        }
        next = above;
    }
    None
}

/// One rule id named by a directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectiveId<'a> {
    /// The byte offset where the directive's line starts (what [`ignored_by`] returns).
    pub line: u32,
    /// The id as written.
    pub id: &'a str,
    /// Where it is written.
    pub span: Span,
}

/// Every id of every directive in `file`, in order.
pub fn directives(file: &SourceFile) -> Vec<DirectiveId<'_>> {
    let text = file.text.as_str();
    let mut out = Vec::new();
    if !text.contains(DIRECTIVE) {
        return out;
    }
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        for id in ids_on_line(line) {
            let at = id.as_ptr() as usize - text.as_ptr() as usize;
            out.push(DirectiveId {
                line: start as u32,
                id,
                span: Span::new(at, at + id.len()),
            });
        }
        start += line.len();
    }
    out
}

/// The byte offset where the line containing byte `at` starts.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_and_stops_at_the_reason() {
        assert_eq!(
            ids_on_line("  int32 a = 1; // iprotoc:lint:ignore A_B, C_D -- shipped"),
            vec!["A_B", "C_D"]
        );
        assert!(ids_on_line("int32 a = 1; /* iprotoc:lint:ignore A */").is_empty());
        assert!(ids_on_line("int32 a = 1;").is_empty());
        assert!(ids_on_line("// iprotoc:lint:ignored A").is_empty());
        assert!(ids_on_line("// iprotoc:lint:ignore").is_empty());
    }

    #[test]
    fn same_line_and_comment_block_above() {
        let text = "message A {\n  // iprotoc:lint:ignore R1\n  // Docs.\n  int32 x = 1;\n  int32 y = 2; // iprotoc:lint:ignore R2\n\n  int32 z = 3;\n}\n";
        let f = SourceFile::new("a.iproto", "a.iproto", text);
        let at = |needle: &str| text.find(needle).unwrap() as u32;
        assert!(is_ignored(&f, at("int32 x"), "R1"));
        assert!(!is_ignored(&f, at("int32 x"), "R2"));
        assert!(is_ignored(&f, at("int32 y"), "R2"));
        assert!(
            !is_ignored(&f, at("int32 y"), "R1"),
            "a code line ends the block above"
        );
        assert!(!is_ignored(&f, at("int32 z"), "R2"));
    }

    #[test]
    fn directives_are_listed_with_their_lines_and_spans() {
        let text = "message A {\n  // iprotoc:lint:ignore R1, R2 -- why\n  int32 x = 1; // iprotoc:lint:ignore R3\n}\n";
        let f = SourceFile::new("a.iproto", "a.iproto", text);
        let ds = directives(&f);
        let ids: Vec<&str> = ds.iter().map(|d| d.id).collect();
        assert_eq!(ids, ["R1", "R2", "R3"]);
        for d in &ds {
            assert_eq!(&text[d.span.start as usize..d.span.end as usize], d.id);
        }
        let x = text.find("int32 x").unwrap() as u32;
        assert_eq!(ignored_by(&f, x, "R1"), Some(ds[0].line));
        assert_eq!(ignored_by(&f, x, "R3"), Some(ds[2].line));
        assert_ne!(ds[0].line, ds[2].line);
    }
}
