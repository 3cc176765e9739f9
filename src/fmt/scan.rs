//! The formatter's view of a file: its tokens (from the compiler's own lexer, so they are the
//! parser's tokens) and the comments in the gap before each token.


use crate::lexer::{Lexed, Tok};

/// What the layout needs to know of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum K {
    /// An identifier or keyword (keywords are contextual: the layout reads the text).
    Word,
    /// A number.
    Num,
    /// A string literal.
    Str,
    Semi,
    Comma,
    Dot,
    Eq,
    Colon,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Lt,
    Gt,
    Minus,
    Plus,
    Slash,
    /// Past the last token.
    Eof,
}

/// A token: its kind and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Tk {
    pub kind: K,
    pub start: usize,
    pub end: usize,
}

/// A comment: where it is, and whether it is a `//` comment (else `/* */`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Comment {
    pub start: usize,
    pub end: usize,
    pub line: bool,
}

/// A file's tokens and comments.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    pub toks: Vec<Tk>,
    /// `gaps[i]`: the comments between token `i - 1` and token `i`; the last entry holds the
    /// comments after the last token.
    pub gaps: Vec<Vec<Comment>>,
    /// The text starts with a byte-order mark.
    pub bom: bool,
}

fn kind(t: &Tok) -> K {
    match t {
        Tok::Int(_) | Tok::Float(_) => K::Num,
        Tok::Str(_) => K::Str,
        Tok::Semi => K::Semi,
        Tok::Comma => K::Comma,
        Tok::Dot => K::Dot,
        Tok::Eq => K::Eq,
        Tok::Colon => K::Colon,
        Tok::LParen => K::LParen,
        Tok::RParen => K::RParen,
        Tok::LBracket => K::LBracket,
        Tok::RBracket => K::RBracket,
        Tok::LBrace => K::LBrace,
        Tok::RBrace => K::RBrace,
        Tok::Lt => K::Lt,
        Tok::Gt => K::Gt,
        Tok::Minus => K::Minus,
        Tok::Plus => K::Plus,
        Tok::Slash => K::Slash,
        Tok::Eof => K::Eof,
        _ => K::Word,
    }
}

/// The comments in `text[from..to]`, which holds only whitespace and comments; `Err(offset)` at
/// anything else.
pub(super) fn comments_in(text: &str, from: usize, to: usize) -> Result<Vec<Comment>, usize> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = from;
    while i < to {
        match bytes.get(i..(i + 2).min(to)) {
            Some(b"//") => {
                let end = memchr::memchr(b'\n', bytes.get(i..to).unwrap_or_default())
                    .map_or(to, |n| i + n);
                out.push(Comment {
                    start: i,
                    end,
                    line: true,
                });
                i = end;
            }
            Some(b"/*") => {
                let rest = text.get(i + 2..to).unwrap_or_default();
                let end = rest.find("*/").map_or(to, |n| i + 2 + n + 2);
                out.push(Comment {
                    start: i,
                    end,
                    line: false,
                });
                i = end;
            }
            _ => match bytes.get(i) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) => i += 1,
                _ => return Err(i),
            },
        }
    }
    Ok(out)
}

/// Splits a lexed file into tokens and the comments between them; `Err(offset)` when a gap
/// holds something that is neither whitespace nor a comment (never after a clean lex).
pub(super) fn scan(text: &str, lexed: &Lexed) -> Result<Scanned, usize> {
    let written = lexed.written();
    let mut toks = Vec::with_capacity(written.len());
    let mut gaps = Vec::with_capacity(written.len() + 1);
    let mut last = lexed.text_start;
    for (s, t, e) in written {
        gaps.push(comments_in(text, last, *s)?);
        toks.push(Tk {
            kind: kind(t),
            start: *s,
            end: *e,
        });
        last = *e;
    }
    gaps.push(comments_in(text, last, text.len())?);
    Ok(Scanned {
        toks,
        gaps,
        bom: lexed.text_start > 0,
    })
}
