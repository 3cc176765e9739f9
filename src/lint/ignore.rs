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

use crate::source::SourceFile;

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
///
/// Reads only the finding's line and the comment lines directly above it, straight from the
/// text (no line table is built: lint calls this once per finding).
pub fn is_ignored(file: &SourceFile, offset: u32, rule: &str) -> bool {
    let text = file.text.as_str();
    let bytes = text.as_bytes();
    let at = (offset as usize).min(bytes.len());
    let start = line_start(bytes, at);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    if ids_on_line(&text[start..end]).contains(&rule) {
        return true;
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
            return true;
        }
        next = above;
    }
    false
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
}
