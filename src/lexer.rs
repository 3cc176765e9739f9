//! Tokens (logos) and the token stream LALRPOP reads.
//!
//! [`lex`] turns a file's text into a vector of `(start, Tok, end)` triples ending with
//! [`Tok::Eof`], plus the lexer's diagnostics. It follows protoc's `io/tokenizer.cc`:
//!
//! - identifiers `[A-Za-z_][A-Za-z0-9_]*`; the protobuf keywords get their own token kinds, but the
//!   grammar accepts every keyword wherever an identifier is allowed (keywords are contextual);
//! - integers (decimal, hex `0x…`, octal `0…`) whose value is `None` beyond `u64`; floats
//!   (`1.5`, `1e5`, `.5`, `1.`, `1E-3`); strings in single or double quotes with C escapes,
//!   decoded to bytes;
//! - comments and whitespace are skipped (comments are re-read from the text by
//!   [`crate::comments`]); a UTF-8 BOM at the start is skipped.
//!
//! **Invariant:** lexing never fails. Invalid characters, unterminated strings and comments,
//! invalid escapes and malformed numbers become diagnostics (code `LEX`, or `INVALID_ESCAPE`) and
//! lexing goes on with a best-effort token. A block left open at the end of the file gets
//! synthetic closing tokens (after a diagnostic), and nesting deeper than [`MAX_NESTING`] stops
//! the token stream, so later stages never recurse without bound. At most
//! [`MAX_LEXICAL_ERRORS`] lexical errors are kept per file; the rest are counted in one line.


use logos::Logos;

use crate::diagnostics::Diagnostic;
use crate::source::{FileId, Span};

/// How many `{`/`<` levels may be open at once. Deeper input is cut off with a diagnostic: it
/// bounds the depth of the tree (and so the recursion of every later stage). protoc's own limit
/// for nested messages (32) is checked by the parser on the tree.
pub const MAX_NESTING: usize = 128;

/// A token as the grammar sees it. Identifier and keyword text is read back from the source
/// through the token's span.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// An identifier that is not a keyword.
    Ident,
    /// An integer literal; `None` when it does not fit in a `u64`.
    Int(Option<u64>),
    /// A floating-point literal.
    Float(f64),
    /// A string literal, escapes decoded.
    Str(Vec<u8>),
    /// `;`
    Semi,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `=`
    Eq,
    /// `:`
    Colon,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `-`
    Minus,
    /// `+`
    Plus,
    /// `/`
    Slash,
    /// `syntax`
    Syntax,
    /// `edition`
    Edition,
    /// `package`
    Package,
    /// `import`
    Import,
    /// `public`
    Public,
    /// `weak`
    Weak,
    /// `option`
    Option,
    /// `message`
    Message,
    /// `enum`
    Enum,
    /// `service`
    Service,
    /// `rpc`
    Rpc,
    /// `returns`
    Returns,
    /// `stream`
    Stream,
    /// `extend`
    Extend,
    /// `extensions`
    Extensions,
    /// `reserved`
    Reserved,
    /// `to`
    To,
    /// `max`
    Max,
    /// `oneof`
    Oneof,
    /// `map`
    Map,
    /// `group`
    Group,
    /// `optional`
    Optional,
    /// `required`
    Required,
    /// `repeated`
    Repeated,
    /// `export` (edition 2024)
    Export,
    /// `local` (edition 2024)
    Local,
    /// `subclass`, the root's registry statement (`subclass zoo.cats.Cat = 100;`): never made by
    /// the lexer itself; the parser's token adapter turns an identifier `subclass` into it only
    /// where a registry statement stands (see `parse::mark_subclass_statements`).
    Subclass,
    /// The end of the file (always the last token, so the grammar can recover up to it).
    Eof,
}

impl Tok {
    /// Whether this is a keyword (an identifier with a meaning in some position).
    pub fn is_keyword(&self) -> bool {
        keyword_name(self).is_some()
    }

    /// A copy of the token that takes a string literal's bytes instead of copying them (the
    /// token left behind holds an empty string): for handing the tokens to the parser once.
    pub fn take(&mut self) -> Tok {
        match self {
            Tok::Str(bytes) => Tok::Str(std::mem::take(bytes)),
            other => other.clone(),
        }
    }
}

/// The keyword for an identifier's text, if it is one.
fn keyword(s: &str) -> Option<Tok> {
    Some(match s {
        "syntax" => Tok::Syntax,
        "edition" => Tok::Edition,
        "package" => Tok::Package,
        "import" => Tok::Import,
        "public" => Tok::Public,
        "weak" => Tok::Weak,
        "option" => Tok::Option,
        "message" => Tok::Message,
        "enum" => Tok::Enum,
        "service" => Tok::Service,
        "rpc" => Tok::Rpc,
        "returns" => Tok::Returns,
        "stream" => Tok::Stream,
        "extend" => Tok::Extend,
        "extensions" => Tok::Extensions,
        "reserved" => Tok::Reserved,
        "to" => Tok::To,
        "max" => Tok::Max,
        "oneof" => Tok::Oneof,
        "map" => Tok::Map,
        "group" => Tok::Group,
        "optional" => Tok::Optional,
        "required" => Tok::Required,
        "repeated" => Tok::Repeated,
        "export" => Tok::Export,
        "local" => Tok::Local,
        _ => return None,
    })
}

/// The text of a keyword token.
fn keyword_name(t: &Tok) -> Option<&'static str> {
    Some(match t {
        Tok::Syntax => "syntax",
        Tok::Edition => "edition",
        Tok::Package => "package",
        Tok::Import => "import",
        Tok::Public => "public",
        Tok::Weak => "weak",
        Tok::Option => "option",
        Tok::Message => "message",
        Tok::Enum => "enum",
        Tok::Service => "service",
        Tok::Rpc => "rpc",
        Tok::Returns => "returns",
        Tok::Stream => "stream",
        Tok::Extend => "extend",
        Tok::Extensions => "extensions",
        Tok::Reserved => "reserved",
        Tok::To => "to",
        Tok::Max => "max",
        Tok::Oneof => "oneof",
        Tok::Map => "map",
        Tok::Group => "group",
        Tok::Optional => "optional",
        Tok::Required => "required",
        Tok::Repeated => "repeated",
        Tok::Export => "export",
        Tok::Local => "local",
        Tok::Subclass => "subclass",
        _ => return None,
    })
}

/// Raw token kinds recognised by logos; [`lex`] refines them into [`Tok`]s.
#[derive(Logos, Clone, Copy, Debug, PartialEq)]
#[logos(skip r"[ \t\n\r\x0B\x0C]+")]
enum Raw {
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    #[regex(r"0[xX][0-9A-Fa-f]*")]
    Hex,
    #[regex(r"[0-9]+")]
    Int,
    #[regex(r"[0-9]+\.[0-9]*([eE][+-]?[0-9]*)?")]
    #[regex(r"\.[0-9]+([eE][+-]?[0-9]*)?")]
    #[regex(r"[0-9]+[eE][+-]?[0-9]*")]
    Float,
    #[token("\"", |lex| string_tail(lex, '"'))]
    #[token("'", |lex| string_tail(lex, '\''))]
    Str(bool),
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LineComment,
    #[token("/*", block_comment_tail)]
    BlockComment(bool),
    #[token(";")]
    Semi,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("=")]
    Eq,
    #[token(":")]
    Colon,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("-")]
    Minus,
    #[token("+")]
    Plus,
    #[token("/")]
    Slash,
}

/// Consumes the rest of a string literal after its opening quote; `true` if it was closed.
/// A string ends at its closing quote, or (unterminated) before a newline or at the end.
fn string_tail(lex: &mut logos::Lexer<Raw>, quote: char) -> Option<bool> {
    let rest = lex.remainder();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            lex.bump(i + 1);
            return Some(true);
        }
        if c == '\n' {
            lex.bump(i);
            return Some(false);
        }
        if c == '\\' {
            match chars.next() {
                Some((j, '\n')) => {
                    lex.bump(j);
                    return Some(false);
                }
                Some(_) => {}
                None => break,
            }
        }
    }
    lex.bump(rest.len());
    Some(false)
}

/// Consumes the rest of a block comment after `/*`; `true` if it was closed.
fn block_comment_tail(lex: &mut logos::Lexer<Raw>) -> Option<bool> {
    let rest = lex.remainder();
    match rest.find("*/") {
        Some(i) => {
            lex.bump(i + 2);
            Some(true)
        }
        None => {
            lex.bump(rest.len());
            Some(false)
        }
    }
}

/// What kind of bracket opened a nesting level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    /// A declaration body `{`.
    Block,
    /// `{` of an option value (text format).
    AggBrace,
    /// `<` of a text-format message.
    AggAngle,
}

/// The lexer's output.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    /// `(start, token, end)` byte offsets, ending with [`Tok::Eof`].
    pub tokens: Vec<(usize, Tok, usize)>,
    /// Index of the first synthetic token (closing brackets made up at the end of the file, and
    /// the final [`Tok::Eof`]); tokens before it were written by the user.
    pub synthetic_from: usize,
    /// Where the text starts after a BOM (0 or 3).
    pub text_start: usize,
    /// Whether the lexer already reported an unclosed block or too deep nesting at the end, so
    /// parse errors at the synthetic tokens would only repeat it.
    pub reported_eof: bool,
    /// Lexical errors.
    pub diagnostics: Vec<Diagnostic>,
}

impl Lexed {
    /// The tokens the user wrote (not the synthetic ones at the end).
    pub fn written(&self) -> &[(usize, Tok, usize)] {
        self.tokens
            .get(..self.synthetic_from)
            .unwrap_or(&self.tokens)
    }
}

/// The most lexical errors reported for one file; the rest are counted in one more diagnostic
/// (a file of `/*/*/*…` has one per two bytes). The error at the end of the file (an unclosed
/// bracket or comment, or nesting too deep) is reported besides.
pub const MAX_LEXICAL_ERRORS: usize = 100;

/// The most tokens [`lex`] reserves room for before reading any.
const MAX_TOKENS_RESERVED: usize = 1 << 20;

/// Lexes a whole file. Never fails; see the module docs.
pub fn lex(file: FileId, text: &str) -> Lexed {
    let mut out = Lexed {
        // About one token per 8 bytes (protobuf's own files have 5 to 100): most files never
        // grow the vector, and the estimate costs at most a few times the text, for one parse.
        // Capped, so that a huge file of few tokens (a sparse gigabyte of zeros) reserves no
        // more than 48 MiB before it has shown a token.
        tokens: Vec::with_capacity((text.len() / 8).min(MAX_TOKENS_RESERVED) + 16),
        ..Lexed::default()
    };
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    out.text_start = start;
    let body = text.get(start..).unwrap_or_default();
    let mut lexer = Raw::lexer(body);
    let mut opens: Vec<(Open, usize)> = Vec::new();
    // A run of invalid characters is reported once.
    let mut bad_run: Option<(usize, usize)> = None;
    let mut truncated = false;

    let mut hidden = Hidden::default();
    while let Some(res) = lexer.next() {
        hidden.cap(&mut out.diagnostics);
        let r = lexer.span();
        let (s, e) = (r.start + start, r.end + start);
        let raw = match res {
            Ok(raw) => raw,
            Err(()) => {
                bad_run = match bad_run {
                    Some((bs, be)) if be == s => Some((bs, e)),
                    Some(run) => {
                        report_bad_chars(file, text, run, &mut out.diagnostics);
                        Some((s, e))
                    }
                    None => Some((s, e)),
                };
                continue;
            }
        };
        if let Some(run) = bad_run.take() {
            report_bad_chars(file, text, run, &mut out.diagnostics);
        }
        let slice = text.get(s..e).unwrap_or_default();
        let tok = match raw {
            Raw::Ident => keyword(slice).unwrap_or(Tok::Ident),
            Raw::Hex | Raw::Int | Raw::Float => {
                let mut end = e;
                // protoc: "Need space between number and identifier."
                let tail = text
                    .get(e..)
                    .unwrap_or_default()
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                if tail > 0 {
                    out.diagnostics.push(
                        Diagnostic::error("LEX", "need space between number and identifier")
                            .at(
                                file,
                                Span::new(s, e + tail),
                                "a number cannot run into a name",
                            )
                            .help("put a space between the number and the name"),
                    );
                    lexer.bump(tail);
                    end = e + tail;
                }
                let tok = number(file, raw, slice, s, &mut out.diagnostics);
                out.tokens.push((s, tok, end));
                continue;
            }
            Raw::Str(closed) => {
                report_nul(file, slice, s, &mut out.diagnostics);
                let q = slice.len() - usize::from(closed);
                let inner = slice.get(1..q.max(1)).unwrap_or_default();
                let value = decode_string(file, inner, s + 1, &mut out.diagnostics);
                if !closed {
                    out.diagnostics.push(
                        Diagnostic::error("LEX", "unterminated string literal")
                            .at(file, Span::new(s, e), "string starts here")
                            .help("string literals cannot cross line boundaries; close the quote"),
                    );
                }
                Tok::Str(value)
            }
            Raw::LineComment => {
                report_nul(file, slice, s, &mut out.diagnostics);
                continue;
            }
            Raw::BlockComment(closed) => {
                report_nul(file, slice, s, &mut out.diagnostics);
                if !closed {
                    out.diagnostics.push(
                        Diagnostic::error("LEX", "end of file inside block comment")
                            .at(file, Span::new(s, s + 2), "comment started here")
                            .help("close the comment with \"*/\""),
                    );
                } else if let Some(i) = slice
                    .get(2..slice.len().saturating_sub(2))
                    .unwrap_or_default()
                    .find("/*")
                {
                    let at = s + 2 + i;
                    out.diagnostics.push(
                        Diagnostic::error(
                            "LEX",
                            "\"/*\" inside block comment; block comments cannot be nested",
                        )
                        .at(
                            file,
                            Span::new(at, at + 2),
                            "nested comment start",
                        ),
                    );
                }
                continue;
            }
            Raw::Semi => Tok::Semi,
            Raw::Comma => Tok::Comma,
            Raw::Dot => Tok::Dot,
            Raw::Eq => Tok::Eq,
            Raw::Colon => Tok::Colon,
            Raw::LParen => Tok::LParen,
            Raw::RParen => Tok::RParen,
            Raw::LBracket => Tok::LBracket,
            Raw::RBracket => Tok::RBracket,
            Raw::LBrace => {
                let in_value = matches!(opens.last(), Some((Open::AggBrace | Open::AggAngle, _)))
                    || matches!(out.tokens.last(), Some((_, Tok::Eq | Tok::Colon, _)));
                opens.push((
                    if in_value {
                        Open::AggBrace
                    } else {
                        Open::Block
                    },
                    s,
                ));
                Tok::LBrace
            }
            Raw::RBrace => {
                while let Some((kind, _)) = opens.pop() {
                    if kind != Open::AggAngle {
                        break;
                    }
                }
                Tok::RBrace
            }
            Raw::Lt => {
                if matches!(opens.last(), Some((Open::AggBrace | Open::AggAngle, _))) {
                    opens.push((Open::AggAngle, s));
                }
                Tok::Lt
            }
            Raw::Gt => {
                if matches!(opens.last(), Some((Open::AggAngle, _))) {
                    opens.pop();
                }
                Tok::Gt
            }
            Raw::Minus => Tok::Minus,
            Raw::Plus => Tok::Plus,
            Raw::Slash => Tok::Slash,
        };
        out.tokens.push((s, tok, e));
        if opens.len() > MAX_NESTING {
            out.diagnostics.push(
                Diagnostic::error(
                    "NESTING_TOO_DEEP",
                    format!(
                        "nesting deeper than {MAX_NESTING} levels; the rest of the file is ignored"
                    ),
                )
                .at(file, Span::new(s, e), "too deep")
                .note("protoc allows at most 32 levels of nested messages"),
            );
            truncated = true;
            break;
        }
    }
    if let Some(run) = bad_run.take() {
        report_bad_chars(file, text, run, &mut out.diagnostics);
    }
    hidden.cap(&mut out.diagnostics);
    if let Some(first) = hidden.first {
        out.diagnostics.push(
            Diagnostic::error(
                "LEX",
                format!("too many lexical errors; {} more not shown", hidden.count),
            )
            .at(file, first, "the first one not shown"),
        );
    }

    let eof = if truncated {
        out.tokens.last().map_or(text.len(), |t| t.2)
    } else {
        text.len()
    };
    out.synthetic_from = out.tokens.len();
    if let Some(&(_, innermost)) = opens.last() {
        if !truncated {
            let closer = if opens.last().map(|o| o.0) == Some(Open::AggAngle) {
                "\">\""
            } else {
                "\"}\""
            };
            out.diagnostics.push(
                Diagnostic::error("SYNTAX", format!("expected {closer}, found end of file"))
                    .at(file, Span::new(eof, eof), "the file ends here")
                    .also(
                        file,
                        Span::new(innermost, innermost + 1),
                        "this is never closed",
                    )
                    .help(format!("add the missing {closer}")),
            );
        }
        out.reported_eof = true;
    }
    while let Some((kind, _)) = opens.pop() {
        let tok = if kind == Open::AggAngle {
            Tok::Gt
        } else {
            Tok::RBrace
        };
        out.tokens.push((eof, tok, eof));
    }
    out.tokens.push((eof, Tok::Eof, eof));
    out
}

/// The lexical errors past [`MAX_LEXICAL_ERRORS`]: counted, not kept.
#[derive(Default)]
struct Hidden {
    /// How many were dropped.
    count: usize,
    /// Where the first one dropped is.
    first: Option<Span>,
}

impl Hidden {
    /// Drops the diagnostics past the cap (one token adds at most a few, so the vector never
    /// holds many more).
    fn cap(&mut self, diags: &mut Vec<Diagnostic>) {
        if diags.len() <= MAX_LEXICAL_ERRORS {
            return;
        }
        if self.first.is_none() {
            self.first = diags
                .get(MAX_LEXICAL_ERRORS)
                .and_then(|d| d.primary.as_ref())
                .map(|p| p.location.span);
        }
        self.count += diags.len() - MAX_LEXICAL_ERRORS;
        diags.truncate(MAX_LEXICAL_ERRORS);
    }
}

/// Reports a NUL byte inside a comment or string literal (`slice`, starting at `s`). protoc's
/// tokenizer reads NUL as the end of its input there, so it refuses the file ("Invalid control
/// characters encountered in text."); other control characters are fine inside them.
fn report_nul(file: FileId, slice: &str, s: usize, diags: &mut Vec<Diagnostic>) {
    if let Some(i) = slice.find('\0') {
        diags.push(
            Diagnostic::error("LEX", "invalid control characters encountered in text")
                .at(file, Span::new(s + i, s + i + 1), "a NUL byte")
                .help("protoc reads a NUL byte as the end of the file, even in a comment or string; remove it (a string can hold one as \"\\0\")"),
        );
    }
}

/// Reports a run of characters that start no token.
fn report_bad_chars(file: FileId, text: &str, (s, e): (usize, usize), diags: &mut Vec<Diagnostic>) {
    let run = text.get(s..e).unwrap_or_default();
    let control = run.chars().any(|c| c.is_control());
    let msg = if control {
        "invalid control characters encountered in text".to_string()
    } else {
        let shown: String = run.chars().take(8).collect();
        format!(
            "invalid character{} {:?}",
            if run.chars().count() > 1 { "s" } else { "" },
            shown
        )
    };
    diags.push(Diagnostic::error("LEX", msg).at(file, Span::new(s, e), "not valid here"));
}

/// Interprets a number token (its problems are reported, and a best-effort value returned).
fn number(file: FileId, raw: Raw, slice: &str, s: usize, diags: &mut Vec<Diagnostic>) -> Tok {
    let span = Span::new(s, s + slice.len());
    match raw {
        Raw::Hex => {
            let digits = slice.get(2..).unwrap_or_default();
            if digits.is_empty() {
                diags.push(
                    Diagnostic::error("LEX", "\"0x\" must be followed by hex digits").at(
                        file,
                        span,
                        "no digits",
                    ),
                );
                return Tok::Int(Some(0));
            }
            Tok::Int(parse_radix(digits, 16))
        }
        Raw::Int => {
            if slice.len() > 1 && slice.starts_with('0') {
                if slice.bytes().any(|b| b == b'8' || b == b'9') {
                    diags.push(
                        Diagnostic::error(
                            "LEX",
                            "numbers starting with leading zero must be in octal",
                        )
                        .at(file, span, "not an octal number"),
                    );
                    return Tok::Int(parse_radix(slice, 10));
                }
                Tok::Int(parse_radix(slice.get(1..).unwrap_or_default(), 8))
            } else {
                Tok::Int(parse_radix(slice, 10))
            }
        }
        _ => {
            let lower = slice.to_ascii_lowercase();
            let mut text = lower.as_str();
            if let Some(epos) = lower.find('e') {
                let exp = lower
                    .get(epos + 1..)
                    .unwrap_or_default()
                    .trim_start_matches(['+', '-']);
                if exp.is_empty() {
                    diags.push(
                        Diagnostic::error("LEX", "\"e\" must be followed by exponent").at(
                            file,
                            span,
                            "missing exponent",
                        ),
                    );
                    text = lower.get(..epos).unwrap_or_default();
                }
            }
            let text = text.strip_suffix('.').unwrap_or(text);
            Tok::Float(text.parse::<f64>().unwrap_or(0.0))
        }
    }
}

/// Parses digits in a radix; `None` on `u64` overflow.
fn parse_radix(digits: &str, radix: u32) -> Option<u64> {
    let mut v: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)? as u64;
        v = v.checked_mul(radix as u64)?.checked_add(d)?;
    }
    Some(v)
}

/// Decodes the inside of a string literal (between the quotes), reporting invalid escapes.
/// `base` is the byte offset of `inner` in the file.
fn decode_string(file: FileId, inner: &str, base: usize, diags: &mut Vec<Diagnostic>) -> Vec<u8> {
    let bytes = inner.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    // A high surrogate from `\uD8xx`, waiting for its low half.
    let mut pending_high: Option<u32> = None;
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            flush_surrogate(&mut pending_high, &mut out);
            out.push(b);
            i += 1;
            continue;
        }
        let esc_start = i;
        i += 1;
        let Some(&c) = bytes.get(i) else {
            diags.push(
                Diagnostic::error(
                    "INVALID_ESCAPE",
                    "invalid escape sequence in string literal",
                )
                .at(
                    file,
                    Span::new(base + esc_start, base + i),
                    "incomplete escape",
                ),
            );
            break;
        };
        i += 1;
        let simple = match c {
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'\\' => Some(b'\\'),
            b'\'' => Some(b'\''),
            b'"' => Some(b'"'),
            b'?' => Some(b'?'),
            _ => None,
        };
        if let Some(v) = simple {
            flush_surrogate(&mut pending_high, &mut out);
            out.push(v);
            continue;
        }
        match c {
            b'0'..=b'7' => {
                let mut v = (c - b'0') as u32;
                let mut n = 1;
                while let Some(&d @ b'0'..=b'7') = bytes.get(i).filter(|_| n < 3) {
                    v = v * 8 + (d - b'0') as u32;
                    i += 1;
                    n += 1;
                }
                flush_surrogate(&mut pending_high, &mut out);
                out.push(v as u8);
            }
            b'x' | b'X' => {
                let n = hex_run(bytes.get(i..).unwrap_or_default(), 2);
                if n == 0 {
                    diags.push(
                        Diagnostic::error(
                            "INVALID_ESCAPE",
                            "expected hex digits for escape sequence",
                        )
                        .at(
                            file,
                            Span::new(base + esc_start, base + i),
                            "\\x needs 1 or 2 hex digits",
                        ),
                    );
                    continue;
                }
                let v = inner
                    .get(i..i + n)
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .unwrap_or(0);
                i += n;
                flush_surrogate(&mut pending_high, &mut out);
                out.push(v as u8);
            }
            b'u' | b'U' => {
                let want = if c == b'u' { 4 } else { 8 };
                let n = hex_run(bytes.get(i..).unwrap_or_default(), want);
                let cp = if n == want {
                    inner
                        .get(i..i + n)
                        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                } else {
                    None
                };
                match cp {
                    Some(cp) if cp <= 0x10FFFF => {
                        i += n;
                        if (0xD800..0xDC00).contains(&cp) {
                            flush_surrogate(&mut pending_high, &mut out);
                            pending_high = Some(cp);
                        } else if (0xDC00..0xE000).contains(&cp) {
                            if let Some(hi) = pending_high.take() {
                                let full = 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00);
                                push_code_point(full, &mut out);
                            } else {
                                push_code_point(cp, &mut out);
                            }
                        } else {
                            flush_surrogate(&mut pending_high, &mut out);
                            push_code_point(cp, &mut out);
                        }
                    }
                    _ => {
                        i += n;
                        diags.push(
                            Diagnostic::error(
                                "INVALID_ESCAPE",
                                format!(
                                    "expected {want} hex digits (a code point up to 10FFFF) for \\{} escape",
                                    c as char
                                ),
                            )
                            .at(file, Span::new(base + esc_start, base + i), "invalid Unicode escape"),
                        );
                    }
                }
            }
            _ => {
                // Keep the character after the backslash (it may be multi-byte).
                let ch_len = inner
                    .get(i - 1..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(1, char::len_utf8);
                diags.push(
                    Diagnostic::error("INVALID_ESCAPE", "invalid escape sequence in string literal")
                        .at(file, Span::new(base + esc_start, base + i - 1 + ch_len), "unknown escape")
                        .help("valid escapes: \\a \\b \\f \\n \\r \\t \\v \\\\ \\' \\\" \\? \\NNN \\xHH \\uHHHH \\UHHHHHHHH"),
                );
                flush_surrogate(&mut pending_high, &mut out);
                out.extend_from_slice(bytes.get(i - 1..i - 1 + ch_len).unwrap_or_default());
                i = i - 1 + ch_len;
            }
        }
    }
    flush_surrogate(&mut pending_high, &mut out);
    out
}

/// Number of hex digits at the start of `bytes`, at most `max`.
fn hex_run(bytes: &[u8], max: usize) -> usize {
    bytes
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count()
}

/// Writes a lone high surrogate as protoc does (its 3-byte encoding).
fn flush_surrogate(pending: &mut Option<u32>, out: &mut Vec<u8>) {
    if let Some(hi) = pending.take() {
        push_code_point(hi, out);
    }
}

/// Appends a code point as UTF-8 (surrogates get their 3-byte encoding, like protoc).
fn push_code_point(cp: u32, out: &mut Vec<u8>) {
    if let Some(c) = char::from_u32(cp) {
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    } else {
        out.push(0xE0 | (cp >> 12) as u8);
        out.push(0x80 | ((cp >> 6) & 0x3F) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    }
}

/// How a token is named in messages: `"}"`, `"foo"`, `a string`, `end of file`.
pub fn describe(tok: &Tok, text: &str, span: Span) -> String {
    match tok {
        Tok::Eof => "end of file".to_string(),
        Tok::Str(_) => "a string".to_string(),
        _ if span.start == span.end => "end of file".to_string(),
        _ => {
            let s = text.get(span.range()).unwrap_or_default();
            let shown: String = s.chars().take(24).collect();
            format!("\"{shown}\"")
        }
    }
}

#[cfg(test)]
// Tests may slice strings: that is how they fail (clippy.toml lets them unwrap and panic).
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(FileId(0), s).tokens.into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("0x1F 017 42 18446744073709551616"),
            vec![
                Tok::Int(Some(31)),
                Tok::Int(Some(15)),
                Tok::Int(Some(42)),
                Tok::Int(None),
                Tok::Eof
            ]
        );
        assert_eq!(
            toks("1.5 1e5 .5 1. 1E-3"),
            vec![
                Tok::Float(1.5),
                Tok::Float(1e5),
                Tok::Float(0.5),
                Tok::Float(1.0),
                Tok::Float(1e-3),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn strings() {
        assert_eq!(
            toks(r#"'a\n\x41\101\u00e9\U0001F600\?' "\"""#),
            vec![
                Tok::Str(b"a\nAA\xc3\xa9\xf0\x9f\x98\x80?".to_vec()),
                Tok::Str(b"\"".to_vec()),
                Tok::Eof
            ]
        );
    }
}
