//! `SourceCodeInfo` as protoc writes it (`--include_source_info`).
//!
//! # How protoc records locations
//!
//! protoc's parser (`compiler/parser.cc`) creates a `LocationRecorder` each time it starts on an
//! element: the constructor appends a location to the file's list right away, starting at the
//! current token, and the destructor ends it at the last token consumed (unless it was ended
//! explicitly). So the list is in **parse order**, every element before its parts, and one path
//! may appear more than once. The builder ([`super::builder`]) walks the tree in the same order
//! and records the same locations ([`RecordedLocation`]); this module turns them into
//! `SourceCodeInfo`. What protoc records, beyond one location per element and per part (name,
//! number, label, type, …):
//!
//! - the file itself (path `[]`, first token to last token, no comments) and the `syntax` or
//!   `edition` statement (both at path `[12]`);
//! - `import public` / `import weak`: the import `[3, i]`, then the keyword alone at `[10, k]` /
//!   `[11, k]`;
//! - statements that have no element of their own get a location for the repeated field they
//!   fill, which carries the comments: `extensions` (`[…, 5]`), `reserved` (`[…, 9]`, `[…, 10]`,
//!   enum `[…, 4]`, `[…, 5]`) and `extend` blocks (`[7]`, `[…, 6]`, from `extend` to `}`). Each
//!   extension in an `extend` starts with its `extendee` (`[…, 2]`), spanning the type name;
//! - options: an `option` statement records the options field (`[…, 7]`) and then the option
//!   itself as `uninterpreted_option` (`[…, 7, 999, k]`), which carries the comments. Compact
//!   options `[…]` record the options field once, from `[` to `]`, then each option (name to
//!   value). `default` and `json_name` are not options: `default` records `[…, 7]` on the value,
//!   `json_name` records `[…, 10]` twice (`json_name = "x"`, then `"x"`). The options of an
//!   `extensions` statement are recorded for each of its ranges, after all the ranges;
//! - groups: the field (`[…, 2, i]`, with `[…, 5]` on the `group` keyword and `[…, 6]` on the
//!   name) and the nested message (`[…, 3, j]`, same span as the field, with the comments);
//! - map fields record nothing for their generated entry message.
//!
//! Spans are `[line, column, end_column]`, or `[line, column, end_line, end_column]` when the
//! element spans lines, zero based, columns counted in bytes with tabs advancing to the next
//! multiple of 8 (protoc's tokenizer). Comments are attached when the parser consumes the `;` or
//! `{` that ends a declaration (`comments.rs` computes them; they are the `ast::Comments`).
//!
//! After parsing, protoc's `OptionInterpreter::UpdateSourceCodeInfo` (`descriptor.cc`) rewrites
//! the path of each interpreted `uninterpreted_option` location to the path of the option field
//! it set (`[…, 7, 999, 0]` → `[…, 7, 50000]`, with an index appended for repeated options) and
//! drops the locations under it (name parts, value), which the builder therefore does not record.

use std::collections::{HashMap, HashSet};

use prost_types::source_code_info::Location;
use prost_types::SourceCodeInfo;

use crate::ast::Comments;
use crate::source::{SourceFile, Span};

/// One location as protoc's parser records it, before options are interpreted.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedLocation {
    /// The path, with `[…, 999, k]` for the k-th option of an element.
    pub path: Vec<i32>,
    /// From the first byte of the first token to the end of the last.
    pub span: Span,
    /// The comments protoc attaches here, if it attaches any to this location.
    pub comments: Option<Comments>,
}

/// Builds the `SourceCodeInfo` of a file from the recorded locations, replacing the path of each
/// interpreted option (`interpreted` maps `[…, 999, k]` to the option field's path, as protoc's
/// `interpreted_paths_`), then dropping every location at or under a `stripped` path (the
/// source-retention options protoc's `StripSourceRetentionOptions` removed).
pub fn source_code_info(
    locations: &[RecordedLocation],
    interpreted: &HashMap<Vec<i32>, Vec<i32>>,
    stripped: &[Vec<i32>],
    source: &SourceFile,
) -> SourceCodeInfo {
    // Looked up by prefix (a path is only as long as the nesting), not searched per location:
    // a file can strip as many options as it has elements.
    let stripped: HashSet<&[i32]> = stripped.iter().map(Vec::as_slice).collect();
    let location = locations
        .iter()
        .map(|l| (interpreted.get(&l.path).unwrap_or(&l.path), l))
        .filter(|(path, _)| !(0..=path.len()).any(|k| stripped.contains(&path[..k])))
        .map(|(path, l)| {
            let path = path.clone();
            let mut loc = Location {
                path,
                span: span_of(source, l.span),
                ..Default::default()
            };
            if let Some(c) = &l.comments {
                loc.leading_comments = c.leading.clone().filter(|s| !s.is_empty());
                loc.trailing_comments = c.trailing.clone().filter(|s| !s.is_empty());
                loc.leading_detached_comments = c.leading_detached.clone();
            }
            loc
        })
        .collect();
    SourceCodeInfo { location }
}

/// protoc's `[line, col, end_col]` / `[line, col, end_line, end_col]`.
pub fn span_of(source: &SourceFile, span: Span) -> Vec<i32> {
    let (l1, c1) = position(source, span.start);
    let (l2, c2) = position(source, span.end);
    if l1 == l2 {
        vec![l1, c1, c2]
    } else {
        vec![l1, c1, l2, c2]
    }
}

/// Zero-based line and protoc column (bytes; tabs to the next multiple of 8) of a byte offset.
fn position(source: &SourceFile, offset: u32) -> (i32, i32) {
    let offset = offset.min(source.text.len() as u32);
    let (line, _) = source.line_col(offset);
    let start = source.line_starts()[line as usize] as usize;
    let mut col = 0;
    for &b in &source.text.as_bytes()[start..offset as usize] {
        if b == b'\t' {
            col += 8 - col % 8;
        } else {
            col += 1;
        }
    }
    (line as i32, col)
}

/// The offset of the first token at or after `pos`: skips whitespace, `//` and `/* */` comments.
pub fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let b = text.as_bytes();
    loop {
        match (b.get(pos), b.get(pos + 1)) {
            (Some(c), _) if c.is_ascii_whitespace() => pos += 1,
            (Some(b'/'), Some(b'/')) => {
                while pos < b.len() && b[pos] != b'\n' {
                    pos += 1;
                }
            }
            (Some(b'/'), Some(b'*')) => {
                pos += 2;
                while pos < b.len() && !(b[pos] == b'*' && b.get(pos + 1) == Some(&b'/')) {
                    pos += 1;
                }
                pos = (pos + 2).min(b.len());
            }
            _ => return pos.min(b.len()),
        }
    }
}

/// The span of `word` as the first token at or after `pos`, if it is there.
pub fn word_at(text: &str, pos: usize, word: &str) -> Option<Span> {
    let start = skip_trivia(text, pos);
    let end = start + word.len();
    let next = text.as_bytes().get(end);
    (text.as_bytes().get(start..end) == Some(word.as_bytes())
        && !next.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_'))
    .then(|| Span::new(start, end))
}

/// The span of compact options `[ … ]` whose first option starts at `first` and last ends at
/// `last`: from the `[` that is the first token after `after` (the field number) to the `]`
/// after `last`. Falls back to the options themselves when the text is not there (a node made by
/// lowering).
pub fn bracketed(text: &str, after: u32, first: Span, last: Span) -> Span {
    let open = skip_trivia(text, after as usize);
    let close = skip_trivia(text, last.end as usize);
    let b = text.as_bytes();
    if b.get(open) == Some(&b'[') && open <= first.start as usize && b.get(close) == Some(&b']') {
        Span::new(open, close + 1)
    } else {
        first.to(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_expand_tabs_and_count_bytes() {
        let f = SourceFile::new("a.proto", "a.proto", "x\n\tab é;\n");
        assert_eq!(span_of(&f, Span::new(3, 5)), vec![1, 8, 10]);
        // `é` is two bytes: protoc counts bytes.
        assert_eq!(span_of(&f, Span::new(6, 9)), vec![1, 11, 14]);
        assert_eq!(span_of(&f, Span::new(0, 5)), vec![0, 0, 1, 10]);
    }

    #[test]
    fn trivia_and_brackets() {
        let t = "int32 a = 1 /* c */ [ // x\n deprecated = true ] ;";
        assert_eq!(skip_trivia(t, 11), 20);
        let first = Span::new(29, 46);
        let s = bracketed(t, 11, first, first);
        assert_eq!(&t[s.range()], "[ // x\n deprecated = true ]");
        assert_eq!(
            word_at("import  public \"a\";", 6, "public"),
            Some(Span::new(8, 14))
        );
        assert_eq!(word_at("import publicx", 6, "public"), None);
    }
}
