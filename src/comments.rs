//! Attaches comments to declarations following protoc's rules.
//!
//! protoc decides where a comment belongs while tokenizing (`io/tokenizer.cc`,
//! `Tokenizer::NextWithComments`): at the end of each declaration (`;`, `{` or `}`) it splits the
//! comments between that token and the next one into
//!
//! - a **trailing** comment of the previous token: a comment on the same line, or the first block
//!   on the following lines when a blank line (or the end of the scope) separates it from the next
//!   token;
//! - **detached** comments: blocks separated from everything by blank lines;
//! - a **leading** comment of the next token: the block immediately before it.
//!
//! The parser (`compiler/parser.cc`, `LocationRecorder::AttachComments`) then gives the leading
//! and detached comments to the declaration that starts at the next token, and the trailing comment
//! to the declaration that ends at the previous token: a statement's `;`, or the opening `{` of a
//! message, enum, service, oneof, extend, group or rpc body. This module replays that scan over
//! the gaps between the parser's tokens and writes the results into the [`ast::Comments`] of each
//! declaration.
//!
//! The text is protoc's, byte for byte: a line comment keeps everything after `//`, including its
//! leading space and the final `\n`; consecutive line comments are joined; a block comment loses
//! `/*`, `*/` and, on continuation lines, the indentation and one leading `*`.
//!
//! Deviations and gaps (protoc drops these comments too, but a printer may want them):
//!
//! - comments inside a statement (`int32 /* x */ a = 1;`) and inside option values are not kept;
//! - comments before a closing `}` (after the block's last declaration), and a comment after a
//!   closing `}`, are not attached to anything; at the end of the file they go to
//!   [`ast::File::trailing_comments`];
//! - after an empty statement `;`, protoc carries detached comments forward to the next
//!   declaration; here a declaration only gets the comments of the gap right before it.


use crate::ast;
use crate::lexer::{Lexed, Tok};

/// Fills the comments of every declaration in `file`.
pub fn attach(text: &str, lexed: &Lexed, file: &mut ast::File) {
    let mut gaps = Gaps {
        text,
        tokens: lexed.written(),
        text_start: lexed.text_start,
        last: None,
    };
    if let Some(s) = &mut file.syntax {
        gaps.statement(s.span, &mut s.comments);
    }
    for item in &mut file.items {
        match item {
            ast::FileItem::Package(p) => gaps.statement(p.span, &mut p.comments),
            ast::FileItem::Import(i) => gaps.statement(i.span, &mut i.comments),
            ast::FileItem::Option(o) => gaps.statement(o.span, &mut o.comments),
            ast::FileItem::Message(m) => gaps.message(m),
            ast::FileItem::Enum(e) => gaps.enum_decl(e),
            ast::FileItem::Extend(e) => gaps.extend(e),
            ast::FileItem::Service(s) => gaps.service(s),
            ast::FileItem::Empty(_) => {}
        }
    }
    let end = gaps.scan(gaps.tokens.len());
    if gaps.tokens.last().and_then(|t| text.get(t.0..t.2)) == Some("}") {
        file.trailing_comments.extend(end.trailing);
    }
    file.trailing_comments.extend(end.detached);
    file.trailing_comments.extend(end.leading);
}

/// The comments found in one gap between tokens.
#[derive(Debug, Default)]
struct GapComments {
    trailing: Option<String>,
    detached: Vec<String>,
    leading: Option<String>,
}

/// The gaps between the user's tokens.
struct Gaps<'a> {
    text: &'a str,
    /// The user's tokens (no synthetic ones), in order.
    tokens: &'a [(usize, Tok, usize)],
    text_start: usize,
    /// The gap whose trailing comment was taken last, with the rest of its comments: a
    /// statement's trailing comment and the next declaration's leading ones come from the same
    /// gap, which is then scanned once.
    last: Option<(usize, GapComments)>,
}

impl Gaps<'_> {
    /// Leading and detached comments of the declaration starting at `start`.
    fn before(&mut self, start: u32, comments: &mut ast::Comments) {
        if let Ok(i) = self.tokens.binary_search_by_key(&(start as usize), |t| t.0) {
            let g = match self.last.take() {
                Some((gap, g)) if gap == i => g,
                _ => self.scan(i),
            };
            if !g.detached.is_empty() || g.leading.is_some() {
                let text = comments.edit();
                text.leading_detached = g.detached;
                text.leading = g.leading;
            }
        }
    }

    /// Trailing comment of the gap before token `i`; the gap's other comments are kept for
    /// [`Gaps::before`].
    fn trailing(&mut self, i: usize, comments: &mut ast::Comments) {
        let mut g = self.scan(i);
        if let Some(trailing) = g.trailing.take() {
            comments.edit().trailing = Some(trailing);
        }
        self.last = Some((i, g));
    }

    /// Trailing comment of the declaration whose last token ends at `end`.
    fn after_token_ending(&mut self, end: u32, comments: &mut ast::Comments) {
        if let Ok(i) = self.tokens.binary_search_by_key(&(end as usize), |t| t.2) {
            self.trailing(i + 1, comments);
        }
    }

    /// Trailing comment after the `{` at `brace`.
    fn after_brace(&mut self, brace: u32, comments: &mut ast::Comments) {
        if let Ok(i) = self.tokens.binary_search_by_key(&(brace as usize), |t| t.0) {
            self.trailing(i + 1, comments);
        }
    }

    fn statement(&mut self, span: crate::source::Span, comments: &mut ast::Comments) {
        self.before(span.start, comments);
        self.after_token_ending(span.end, comments);
    }

    fn block(
        &mut self,
        span: crate::source::Span,
        body: crate::source::Span,
        c: &mut ast::Comments,
    ) {
        self.before(span.start, c);
        self.after_brace(body.start, c);
    }

    fn message(&mut self, m: &mut ast::Message) {
        self.block(m.span, m.body_span, &mut m.comments);
        self.message_items(&mut m.items);
    }

    fn message_items(&mut self, items: &mut [ast::MessageItem]) {
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.field(f),
                ast::MessageItem::Oneof(o) => {
                    self.block(o.span, o.body_span, &mut o.comments);
                    for item in &mut o.items {
                        match item {
                            ast::OneofItem::Field(f) => self.field(f),
                            ast::OneofItem::Option(opt) => {
                                self.statement(opt.span, &mut opt.comments)
                            }
                            ast::OneofItem::Empty(_) => {}
                        }
                    }
                }
                ast::MessageItem::Message(m) => self.message(m),
                ast::MessageItem::Enum(e) => self.enum_decl(e),
                ast::MessageItem::Extend(e) => self.extend(e),
                ast::MessageItem::Extensions(e) => self.statement(e.span, &mut e.comments),
                ast::MessageItem::Reserved(r) => self.statement(r.span, &mut r.comments),
                ast::MessageItem::Option(o) => self.statement(o.span, &mut o.comments),
                ast::MessageItem::Subclass(s) => self.statement(s.span, &mut s.comments),
            }
        }
    }

    fn field(&mut self, f: &mut ast::Field) {
        if let ast::FieldType::Group { items, body_span } = &mut f.ty {
            self.block(f.span, *body_span, &mut f.comments);
            self.message_items(items);
        } else {
            self.statement(f.span, &mut f.comments);
        }
    }

    fn enum_decl(&mut self, e: &mut ast::Enum) {
        self.block(e.span, e.body_span, &mut e.comments);
        for item in &mut e.items {
            match item {
                ast::EnumItem::Value(v) => self.statement(v.span, &mut v.comments),
                ast::EnumItem::Option(o) => self.statement(o.span, &mut o.comments),
                ast::EnumItem::Reserved(r) => self.statement(r.span, &mut r.comments),
            }
        }
    }

    fn extend(&mut self, e: &mut ast::Extend) {
        self.block(e.span, e.body_span, &mut e.comments);
        for item in &mut e.items {
            if let ast::ExtendItem::Field(f) = item {
                self.field(f);
            }
        }
    }

    fn service(&mut self, s: &mut ast::Service) {
        self.block(s.span, s.body_span, &mut s.comments);
        for item in &mut s.items {
            match item {
                ast::ServiceItem::Rpc(r) => match &mut r.body {
                    Some(body) => {
                        self.before(r.span.start, &mut r.comments);
                        self.after_brace(body.span.start, &mut r.comments);
                        for o in &mut body.options {
                            self.statement(o.span, &mut o.comments);
                        }
                    }
                    None => self.statement(r.span, &mut r.comments),
                },
                ast::ServiceItem::Option(o) => self.statement(o.span, &mut o.comments),
            }
        }
    }

    /// Replays `Tokenizer::NextWithComments` over the gap before token `i` (`i == len` is the
    /// gap before the end of the file).
    fn scan(&self, i: usize) -> GapComments {
        let from = i
            .checked_sub(1)
            .and_then(|before| self.tokens.get(before))
            .map_or(self.text_start, |t| t.2);
        let to = self.tokens.get(i).map_or(self.text.len(), |t| t.0);
        let bytes = self.text.as_bytes().get(from..to).unwrap_or_default();
        if !bytes.contains(&b'/') {
            // No comment in the gap (the common case).
            return GapComments::default();
        }
        let next = self.tokens.get(i).and_then(|t| self.text.get(t.0..t.2));
        scan_gap(bytes, i == 0, next)
    }
}

/// protoc's `CommentCollector`.
#[derive(Default)]
struct Collector {
    trailing: String,
    detached: Vec<String>,
    buffer: Vec<u8>,
    has_comment: bool,
    is_line_comment: bool,
    cannot_attach_to_prev: bool,
    num_comments: usize,
    has_trailing: bool,
}

impl Collector {
    fn start_line_comment(&mut self) {
        if self.has_comment && !self.is_line_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = true;
    }

    fn start_block_comment(&mut self) {
        if self.has_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = false;
    }

    fn flush(&mut self) {
        if self.has_comment {
            let text = to_string_lossy(&self.buffer);
            if !self.cannot_attach_to_prev {
                self.trailing.push_str(&text);
                self.has_trailing = true;
                self.cannot_attach_to_prev = true;
            } else {
                self.detached.push(text);
            }
            self.buffer.clear();
            self.has_comment = false;
            self.num_comments += 1;
        }
    }

    fn maybe_detach(&mut self) {
        let count = self.num_comments + usize::from(self.has_comment);
        if count == 1 {
            if self.has_trailing {
                let trail = std::mem::take(&mut self.trailing);
                self.detached.insert(0, trail);
            }
            self.flush();
        }
    }

    fn finish(self) -> GapComments {
        GapComments {
            trailing: Some(self.trailing).filter(|t| !t.is_empty()),
            detached: self.detached,
            leading: Some(to_string_lossy(&self.buffer))
                .filter(|l| self.has_comment && !l.is_empty()),
        }
    }
}

/// `String::from_utf8_lossy(bytes).into_owned()`, checking the usual all-valid case with the
/// faster `str::from_utf8` first.
fn to_string_lossy(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A cursor over one gap's bytes, counting lines.
struct Cursor<'a> {
    b: &'a [u8],
    p: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    /// The bytes from `from` to `to` (none if that is not a range of the text).
    fn between(&self, from: usize, to: usize) -> &'a [u8] {
        self.b.get(from..to).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.p).copied()
    }

    /// Skips whitespace other than newlines (and any stray bytes the lexer already reported).
    fn skip_blank(&mut self) {
        while let Some(c) = self.peek() {
            if c == b'\n' || c == b'/' {
                break;
            }
            self.p += 1;
        }
    }

    fn try_newline(&mut self) -> bool {
        if self.peek() == Some(b'\n') {
            self.p += 1;
            self.line += 1;
            true
        } else {
            false
        }
    }

    /// `Some(true)` at `//`, `Some(false)` at `/*` (both consumed), `None` otherwise.
    fn comment_start(&mut self) -> Option<bool> {
        if self.peek() != Some(b'/') {
            return None;
        }
        match self.b.get(self.p + 1) {
            Some(b'/') => {
                self.p += 2;
                Some(true)
            }
            Some(b'*') => {
                self.p += 2;
                Some(false)
            }
            _ => {
                // A lone slash cannot be in a gap; step over it.
                self.p += 1;
                None
            }
        }
    }

    fn line_comment(&mut self, out: &mut Vec<u8>) {
        let start = self.p;
        while let Some(c) = self.peek() {
            self.p += 1;
            if c == b'\n' {
                self.line += 1;
                break;
            }
        }
        out.extend_from_slice(self.between(start, self.p));
    }

    fn block_comment(&mut self, out: &mut Vec<u8>) {
        let mut rec = self.p;
        loop {
            while let Some(c) = self.peek() {
                if c == b'*' || c == b'/' || c == b'\n' {
                    break;
                }
                self.p += 1;
            }
            match self.peek() {
                None => {
                    out.extend_from_slice(self.between(rec, self.b.len()));
                    return;
                }
                Some(b'\n') => {
                    self.p += 1;
                    self.line += 1;
                    out.extend_from_slice(self.between(rec, self.p));
                    while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c)) {
                        self.p += 1;
                    }
                    if self.peek() == Some(b'*') {
                        self.p += 1;
                        if self.peek() == Some(b'/') {
                            self.p += 1;
                            return;
                        }
                    }
                    rec = self.p;
                }
                Some(b'*') => {
                    self.p += 1;
                    if self.peek() == Some(b'/') {
                        out.extend_from_slice(self.between(rec, self.p - 1));
                        self.p += 1;
                        return;
                    }
                }
                Some(_) => self.p += 1,
            }
        }
    }
}

/// The comments of one gap. `at_start`: the gap before the first token; `next`: the text of the
/// token after the gap (`None` at the end of the file).
fn scan_gap(bytes: &[u8], at_start: bool, next: Option<&str>) -> GapComments {
    let mut c = Collector::default();
    let mut cur = Cursor {
        b: bytes,
        p: 0,
        line: 0,
    };
    let mut prev_line = Some(0);
    let mut trailing_end_line = None;
    if at_start {
        c.cannot_attach_to_prev = true;
        prev_line = None;
    } else {
        cur.skip_blank();
        match cur.comment_start() {
            Some(true) => {
                trailing_end_line = Some(cur.line);
                c.start_line_comment();
                cur.line_comment(&mut c.buffer);
                c.flush();
            }
            Some(false) => {
                c.start_block_comment();
                cur.block_comment(&mut c.buffer);
                trailing_end_line = Some(cur.line);
                cur.skip_blank();
                c.flush();
            }
            None => {
                if !cur.try_newline() {
                    // The next token is on the same line: no comments.
                    return GapComments::default();
                }
            }
        }
    }
    loop {
        cur.skip_blank();
        match cur.comment_start() {
            Some(true) => {
                c.start_line_comment();
                cur.line_comment(&mut c.buffer);
            }
            Some(false) => {
                c.start_block_comment();
                cur.block_comment(&mut c.buffer);
                cur.skip_blank();
                cur.try_newline();
            }
            None => {
                if cur.try_newline() {
                    c.flush();
                    c.cannot_attach_to_prev = true;
                } else if cur.p < bytes.len() {
                    // A stray byte; keep scanning.
                    cur.p += 1;
                } else {
                    if matches!(next, None | Some("}" | "]" | ")")) {
                        c.flush();
                    }
                    if next.is_some()
                        && (prev_line == Some(cur.line) || trailing_end_line == Some(cur.line))
                    {
                        c.maybe_detach();
                    }
                    return c.finish();
                }
            }
        }
    }
}

#[cfg(test)]
// Tests may slice strings: that is how they fail (clippy.toml lets them unwrap and panic).
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    #[test]
    fn gap_rules() {
        let g = scan_gap(b" // t\n\n// d\n\n// l1\n// l2\n", false, Some("x"));
        assert_eq!(g.trailing.as_deref(), Some(" t\n"));
        assert_eq!(g.detached, vec![" d\n".to_string()]);
        assert_eq!(g.leading.as_deref(), Some(" l1\n l2\n"));

        let g = scan_gap(b"\n/* a\n * b\n */\n", false, Some("x"));
        assert_eq!(g.leading.as_deref(), Some(" a\n b\n"));
        assert_eq!(g.trailing, None);

        // A comment right before `}` is not leading anything.
        let g = scan_gap(b"\n  // end\n", false, Some("}"));
        assert_eq!(g.trailing.as_deref(), Some(" end\n"));
        assert_eq!(g.leading, None);
    }
}
