//! `iprotoc fmt`: one canonical layout for `.iproto` and `.proto` files (docs/formatting.md says
//! what it is and why).
//!
//! The formatter works on the compiler's own tokens, not on the tree: it writes every token of
//! the file in its order, choosing only the whitespace between them, so a formatted file is the
//! same token sequence as the original and parses to the same tree. The few token changes it
//! makes are meaningless to protobuf: an empty statement `;` is dropped, a message literal's
//! `<` `>` become `{` `}`, its optional `,` / `;` separators go and its optional `:` before a
//! message value comes. Comments are in the token stream's gaps, so each one stays between the
//! same two tokens it was written between, on the line of the token before it when it was
//! written there (a trailing comment) or on a line of its own.
//!
//! Every result is checked before it is returned: the output is lexed again, and its tokens must
//! be the ones the layout meant to write and its comments the input's comments (up to the
//! indentation of a block comment's continuation lines); otherwise `format_source` refuses with
//! an internal error rather than return a file that could mean something else.
//!
//! A file that does not lex or parse is refused with the compiler's own diagnostics. Errors the
//! parser reports about a well-formed file (a `required` field in proto3, a duplicate import…)
//! do not stop formatting: the layout only needs the file's structure.
//!
//! The core does no IO: the CLI (`main.rs`) finds the files, reads and writes them.


mod layout;
mod scan;

use crate::diagnostics::Diagnostic;
use crate::lexer;
use crate::parse::{self, ParseOptions};
use crate::source::{FileId, Span};

/// The codes of the parser's diagnostics that mean the file's structure is not known: a file
/// with one of these is not formatted.
const STRUCTURE_ERRORS: &[&str] = &[
    "LEX",
    "SYNTAX",
    "INVALID_ESCAPE",
    "NESTING_TOO_DEEP",
    "UNKNOWN_SYNTAX",
    "UNKNOWN_EDITION",
];

/// Formats one file's text; Err when it does not parse (the diagnostics say why).
///
/// The result is in the one canonical layout (docs/formatting.md): formatting it again gives
/// the same text, and it compiles to the same descriptors as `text`.
pub fn format_source(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let (_, diags) = parse::parse_with(file, text, ParseOptions { comments: false });
    let errors: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| d.is_error() && STRUCTURE_ERRORS.contains(&d.code))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let lexed = lexer::lex(file, text);
    let scanned = match scan::scan(text, &lexed) {
        Ok(s) => s,
        Err(at) => {
            return Err(vec![internal(
                file,
                at,
                "text that is neither a token nor a comment",
            )])
        }
    };
    let mut scanned = scanned;
    keep_directives_on_their_line(text, &mut scanned);
    let input_comments = comment_texts(text, &scanned);
    let laid = layout::layout(text, scanned);
    check(file, text, &laid, &input_comments)?;
    Ok(laid.text)
}

/// The one comment the layout moves: a `// iprotoc:lint:ignore …` directive that trails a
/// bracketed body written on one line (`service Zoo { rpc … } // iprotoc:lint:ignore …`,
/// `int32 x = 1 [a = 1, b = 2]; // iprotoc:lint:ignore …`). The layout spreads such a body over
/// several lines, and a directive silences findings on its own line only, so it goes to the end
/// of the first line instead: after the opening bracket, still on the declaration's line.
fn keep_directives_on_their_line(text: &str, scanned: &mut scan::Scanned) {
    use scan::K;
    let toks = &scanned.toks;
    let kind = |i: usize| toks.get(i).map_or(K::Eof, |t| t.kind);
    let mut moves = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            K::LBrace | K::LBracket => stack.push(i),
            K::RBrace | K::RBracket => {
                let Some(open) = stack.pop() else { continue };
                let multi_line = match t.kind {
                    // A body that is not empty.
                    K::RBrace => open + 1 < i,
                    // Compact options (after a number or `max`) holding two or more.
                    _ => {
                        let before = open.checked_sub(1).and_then(|b| toks.get(b));
                        let after_number = before.is_some_and(|b| {
                            b.kind == K::Num || text.get(b.start..b.end) == Some("max")
                        });
                        let commas = toks
                            .get(open..i)
                            .unwrap_or_default()
                            .iter()
                            .filter(|t| t.kind == K::Comma)
                            .count();
                        after_number && commas > 0
                    }
                };
                let opened = toks.get(open).map_or(0, |o| o.start);
                if !multi_line || text.get(opened..t.end).is_none_or(|s| s.contains('\n')) {
                    continue;
                }
                let next = if kind(i + 1) == K::Semi { i + 2 } else { i + 1 };
                let end = toks.get(next - 1).map_or(t.end, |p| p.end);
                let Some(first) = scanned.gaps.get(next).and_then(|g| g.first()) else {
                    continue;
                };
                let comment = text.get(first.start..first.end).unwrap_or_default();
                let same_line = text
                    .get(end..first.start)
                    .is_some_and(|s| !s.contains('\n'));
                if first.line && same_line && comment.contains(crate::lint::ignore::DIRECTIVE) {
                    moves.push((next, open + 1));
                }
            }
            _ => {}
        }
    }
    for (from, to) in moves {
        let Some(gap) = scanned.gaps.get_mut(from) else {
            continue;
        };
        if gap.is_empty() {
            continue;
        }
        let c = gap.remove(0);
        if let Some(gap) = scanned.gaps.get_mut(to) {
            gap.insert(0, c);
        }
    }
}

/// An internal error of the formatter, at `at` in the input.
fn internal(file: FileId, at: usize, what: &str) -> Diagnostic {
    Diagnostic::error(
        "FMT_INTERNAL",
        format!("the formatter could not lay this file out safely: {what}"),
    )
    .at(file, Span::new(at, at), "here")
    .note("the file is left as it is; please report this with the file")
}

/// Every comment's text with each line trimmed: what formatting must keep.
fn comment_texts(text: &str, scanned: &scan::Scanned) -> Vec<String> {
    scanned
        .gaps
        .iter()
        .flatten()
        .map(|c| {
            let raw = text.get(c.start..c.end).unwrap_or_default();
            raw.split('\n')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// Checks the output: its tokens are the ones the layout wrote, its comments are the input's,
/// each after as many tokens as the layout wrote before it.
fn check(
    file: FileId,
    text: &str,
    laid: &layout::Laid,
    input_comments: &[String],
) -> Result<(), Vec<Diagnostic>> {
    let (out, written) = (laid.text.as_str(), laid.written.as_slice());
    let relexed = lexer::lex(file, out);
    if relexed.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(vec![internal(file, 0, "its output does not lex")]);
    }
    let tokens = relexed.written();
    let same_tokens = tokens.len() == written.len()
        && tokens
            .iter()
            .zip(written)
            .all(|((s, _, e), w)| out.get(*s..*e) == Some(w.as_str()));
    if !same_tokens {
        let at = first_difference(text, out);
        return Err(vec![internal(file, at, "its output has other tokens")]);
    }
    let Ok(rescanned) = scan::scan(out, &relexed) else {
        return Err(vec![internal(file, 0, "its output does not scan")]);
    };
    let marks: Vec<usize> = rescanned
        .gaps
        .iter()
        .enumerate()
        .flat_map(|(i, g)| std::iter::repeat_n(i, g.len()))
        .collect();
    if comment_texts(out, &rescanned) != input_comments || marks != laid.marks {
        return Err(vec![internal(file, 0, "a comment would move or change")]);
    }
    Ok(())
}

/// Where two texts first differ (for the internal error's location).
fn first_difference(a: &str, b: &str) -> usize {
    let n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let mut n = n.min(a.len());
    while !a.is_char_boundary(n) {
        n -= 1;
    }
    n
}

#[cfg(test)]
// Tests may slice strings: that is how they fail (clippy.toml lets them unwrap and panic).
#[allow(clippy::string_slice)]
mod tests;
