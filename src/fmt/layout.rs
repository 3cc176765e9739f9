//! The layout printer: the file's tokens, in order, with the whitespace between them chosen by
//! where they stand (a statement, a block, compact options, a message literal), and every comment
//! written where it was, relative to the tokens around it.
//!
//! The input has parsed without a syntax error, so a light descent over the tokens (statements
//! end at `;` or at a block's `}`; a `{` after `=` or `:` opens a message literal; `[` inside a
//! statement opens compact options) is enough to know where each token stands. The printer
//! never invents or reorders a token: it writes each one (`<` `>` of a message literal as `{`
//! `}`), drops the ones that mean nothing (empty statements, the optional `,` / `;` between the
//! fields of a message literal), and adds the optional `:` before a message value in a literal.
//! What it wrote is returned with the text, so [`super::format_source`] can check the result
//! token for token.


use super::scan::{Comment, Scanned, Tk, K};

/// One indentation level.
const INDENT: usize = 2;

/// What a line break may be at one point of the layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Blank {
    /// A blank line is written here whatever the input had (between top-level groups).
    Force,
    /// Never a blank line here (just after an opening brace).
    Never,
    /// A blank line when the input had one (any number collapse to one).
    Keep,
}

/// How the line breaks before a token at the start of a line (and before the comments in its
/// gap) may be blank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rule {
    /// The first line break of the gap.
    first: Blank,
    /// Whether the break right before the token itself may be blank (not before a `}`).
    last: bool,
}

impl Rule {
    const FIRST_IN_BLOCK: Rule = Rule {
        first: Blank::Never,
        last: true,
    };
    const NEXT_IN_BLOCK: Rule = Rule {
        first: Blank::Keep,
        last: true,
    };
    const FORCED: Rule = Rule {
        first: Blank::Force,
        last: true,
    };
    /// A closing bracket on its own line.
    fn closing(empty: bool) -> Rule {
        Rule {
            first: if empty { Blank::Never } else { Blank::Keep },
            last: false,
        }
    }
}

/// Where a token goes relative to what was written before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    /// Right after it.
    Tight,
    /// After one space.
    Space,
    /// At the start of a new line, indented by `ind`.
    Line(usize, Rule),
    /// A closing bracket at the start of a new line, indented by `ind`; the comments before it
    /// belong to the body, indented by `ind + INDENT`.
    Close(usize, Rule),
}

/// The printer's state.
struct Printer<'a> {
    text: &'a str,
    toks: &'a [Tk],
    /// The comments in the gap before each token (one more entry for the end of the file).
    gaps: Vec<Vec<Comment>>,
    pos: usize,
    out: String,
    /// The tokens written, as written (for the check in `format_source`).
    written: Vec<String>,
    /// For each comment written, how many tokens were written before it.
    marks: Vec<usize>,
    /// Where the last token or comment written ends in the input.
    last_end: usize,
    /// The last thing written was a comment after which the line must end (a `//` comment, or
    /// a block comment that the input followed by a line break).
    after_comment: Option<bool>,
    /// Indentation of continuation lines (a line break inside a statement, forced by a comment).
    cont: usize,
    /// The kind of the last token written.
    prev: Option<K>,
}

/// What [`layout`] wrote.
pub(super) struct Laid {
    /// The formatted text.
    pub text: String,
    /// The tokens written, in order.
    pub written: Vec<String>,
    /// For each comment, in order, how many tokens come before it.
    pub marks: Vec<usize>,
}

/// Lays out a scanned file.
pub(super) fn layout(text: &str, scanned: Scanned) -> Laid {
    let Scanned { toks, gaps, bom } = scanned;
    let mut p = Printer {
        text,
        toks: &toks,
        gaps,
        pos: 0,
        out: String::with_capacity(text.len() + text.len() / 8),
        written: Vec::with_capacity(toks.len()),
        marks: Vec::new(),
        last_end: 0,
        after_comment: None,
        cont: INDENT,
        prev: None,
    };
    if bom {
        p.out.push('\u{FEFF}');
    }
    p.file();
    Laid {
        text: p.out,
        written: p.written,
        marks: p.marks,
    }
}

/// The top-level group a statement belongs to: a blank line separates groups.
fn group(t: &Tk, text: &str) -> u8 {
    match text.get(t.start..t.end).unwrap_or_default() {
        "syntax" | "edition" => 0,
        "package" => 1,
        "import" => 2,
        "option" => 3,
        _ => 4,
    }
}

/// Whether `s` holds a line of nothing but whitespace between two line breaks.
fn has_blank_line(s: &str) -> bool {
    let mut lines = s.split('\n');
    lines.next();
    let mut lines = lines.peekable();
    while let Some(l) = lines.next() {
        if lines.peek().is_some() && l.trim().is_empty() {
            return true;
        }
    }
    false
}

impl Printer<'_> {
    // ----- the token stream -----

    fn kind(&self) -> K {
        self.toks.get(self.pos).map_or(K::Eof, |t| t.kind)
    }

    fn kind_at(&self, i: usize) -> K {
        self.toks.get(i).map_or(K::Eof, |t| t.kind)
    }

    fn tok_text(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or_default()
    }

    fn gap_is_empty(&self, i: usize) -> bool {
        self.gaps.get(i).is_none_or(|g| g.is_empty())
    }

    /// Skips a token that means nothing; its comments go to the next token's gap.
    fn drop_token(&mut self) {
        if self.pos >= self.toks.len() {
            return;
        }
        let moved = self
            .gaps
            .get_mut(self.pos)
            .map(std::mem::take)
            .unwrap_or_default();
        if let Some(next) = self.gaps.get_mut(self.pos + 1) {
            next.splice(0..0, moved);
        }
        self.pos += 1;
    }

    // ----- writing -----

    fn line_has_text(&self) -> bool {
        !self.out.is_empty() && !self.out.ends_with('\n')
    }

    fn column(&self) -> usize {
        let line = self.out.rsplit('\n').next().unwrap_or_default();
        line.chars().count()
    }

    /// Ends the line (and writes a blank one when `blank`), then indents.
    fn newline(&mut self, ind: usize, blank: bool) {
        if !self.out.is_empty() && self.out != "\u{FEFF}" {
            self.out.push('\n');
            if blank {
                self.out.push('\n');
            }
        }
        self.out.extend(std::iter::repeat_n(' ', ind));
    }

    /// Writes a comment at the current position, shifting the continuation lines of a block
    /// comment by as much as its first line moved.
    fn put_comment(&mut self, c: &Comment) {
        let raw = self.text.get(c.start..c.end).unwrap_or_default();
        if c.line {
            self.out.push_str(raw.trim_end());
            return;
        }
        let old_col = {
            let before = self.text.get(..c.start).unwrap_or_default();
            let line = before.rsplit('\n').next().unwrap_or_default();
            line.trim_start_matches('\u{FEFF}').chars().count()
        };
        let new_col = self.column();
        for (i, l) in raw.split('\n').enumerate() {
            let l = l.trim_end();
            if i == 0 {
                self.out.push_str(l);
                continue;
            }
            self.out.push('\n');
            if l.is_empty() {
                continue;
            }
            if new_col >= old_col {
                self.out.extend(std::iter::repeat_n(' ', new_col - old_col));
                self.out.push_str(l);
            } else {
                let cut = old_col - new_col;
                let spaces = l.bytes().take_while(|b| *b == b' ').count();
                match l.get(cut.min(spaces)..) {
                    Some(rest) if spaces >= cut => self.out.push_str(rest),
                    _ => self.out.push_str(l),
                }
            }
        }
    }

    /// Writes the comments of the current token's gap, then the token, where `sep` says.
    /// `as_text` replaces the token's text (`{` for a literal's `<`).
    fn emit(&mut self, sep: Sep, as_text: Option<&str>) {
        let comments = self
            .gaps
            .get_mut(self.pos)
            .map(std::mem::take)
            .unwrap_or_default();
        let (comment_ind, line_ind, rule) = match sep {
            Sep::Line(ind, rule) => (ind, ind, Some(rule)),
            Sep::Close(ind, rule) => (ind + INDENT, ind, Some(rule)),
            _ => (self.cont, self.cont, None),
        };
        let mut first_break = true;
        let at_eof = self.pos >= self.toks.len();
        let tok_start = self.toks.get(self.pos).map_or(self.text.len(), |t| t.start);
        // A forced blank line goes at the first line break, unless the input already has a blank
        // line in this gap: then the input's blank lines stay where they are, so a comment keeps
        // the declaration protoc gives it (a comment followed by a blank line trails the
        // statement before it).
        let rule = rule.map(|mut r| {
            if r.first == Blank::Force
                && has_blank_line(self.text.get(self.last_end..tok_start).unwrap_or_default())
            {
                r.first = Blank::Keep;
            }
            r
        });
        for c in &comments {
            let between = self.text.get(self.last_end..c.start).unwrap_or_default();
            let own_line = between.contains('\n') || !self.line_has_text();
            if own_line {
                let blank = match rule {
                    None => false,
                    Some(r) if first_break => match r.first {
                        Blank::Force => true,
                        Blank::Never => false,
                        Blank::Keep => has_blank_line(between),
                    },
                    Some(_) => has_blank_line(between),
                };
                self.newline(comment_ind, blank);
                first_break = false;
            } else {
                self.out.push(' ');
            }
            self.put_comment(c);
            self.marks.push(self.written.len());
            self.last_end = c.end;
            self.after_comment = Some(c.line);
        }
        let between = self.text.get(self.last_end..tok_start).unwrap_or_default();
        let comment_ends_line = match self.after_comment.take() {
            Some(true) => true,
            Some(false) => between.contains('\n'),
            None => false,
        };
        match rule {
            Some(r) => {
                let blank = if !r.last {
                    false
                } else if first_break {
                    match r.first {
                        Blank::Force => true,
                        Blank::Never => false,
                        Blank::Keep => has_blank_line(between),
                    }
                } else {
                    has_blank_line(between)
                };
                if at_eof {
                    return;
                }
                self.newline(line_ind, blank);
            }
            None if at_eof => return,
            None if comment_ends_line => self.newline(self.cont, false),
            None if (sep == Sep::Space || !comments.is_empty()) && self.line_has_text() => {
                self.out.push(' ');
            }
            None => {}
        }
        let text = match as_text {
            Some(t) => t.to_string(),
            None => self.tok_text(self.pos).to_string(),
        };
        self.out.push_str(&text);
        self.written.push(text);
        if let Some(t) = self.toks.get(self.pos) {
            self.last_end = t.end;
            self.prev = Some(t.kind);
        }
        self.pos += 1;
    }

    /// Writes a token the input did not have (the `:` before a message value).
    fn insert(&mut self, text: &str) {
        self.out.push_str(text);
        self.written.push(text.to_string());
        self.prev = Some(K::Colon);
    }

    // ----- declarations -----

    fn file(&mut self) {
        let mut prev_group = None;
        loop {
            while self.kind() == K::Semi {
                self.drop_token();
            }
            let Some(t) = self.toks.get(self.pos) else {
                break;
            };
            let g = group(t, self.text);
            let rule = match prev_group {
                None => Rule::FIRST_IN_BLOCK,
                Some(p) if p != g => Rule::FORCED,
                Some(_) => Rule::NEXT_IN_BLOCK,
            };
            if self.kind() == K::RBrace {
                // Unbalanced: cannot happen after a clean parse; written as it is.
                self.emit(Sep::Line(0, rule), None);
            } else {
                self.statement(0, rule);
            }
            prev_group = Some(g);
        }
        // The comments after the last token.
        self.emit(Sep::Line(0, Rule::closing(self.out.is_empty())), None);
        if !self.out.is_empty() && self.out != "\u{FEFF}" {
            self.out.push('\n');
        }
    }

    /// The body of a block, after its `{`: statements, then the `}`. A lone `;` is an empty
    /// statement protoc ignores, and dropped, except where protoc refuses it (`keep_empty`: the
    /// body of a `oneof` or an `extend`): there it stays, so the file means what it meant.
    fn block(&mut self, ind: usize, keep_empty: bool) {
        while self.kind() == K::Semi && !keep_empty {
            self.drop_token();
        }
        if self.kind() == K::RBrace && self.gap_is_empty(self.pos) {
            self.emit(Sep::Tight, None);
            return;
        }
        let mut empty = true;
        loop {
            while self.kind() == K::Semi && !keep_empty {
                self.drop_token();
            }
            match self.kind() {
                K::RBrace | K::Eof => break,
                _ => {}
            }
            let rule = if empty {
                Rule::FIRST_IN_BLOCK
            } else {
                Rule::NEXT_IN_BLOCK
            };
            if self.kind() == K::Semi {
                self.emit(Sep::Line(ind + INDENT, rule), None);
            } else {
                self.statement(ind + INDENT, rule);
            }
            empty = false;
        }
        if self.kind() == K::RBrace {
            self.emit(Sep::Close(ind, Rule::closing(empty)), None);
        }
    }

    /// One statement: from its first token to its `;` or the `}` of its block.
    fn statement(&mut self, ind: usize, rule: Rule) {
        let first = self.pos;
        let is_rpc = self.tok_text(first) == "rpc";
        self.cont = ind + INDENT;
        self.emit(Sep::Line(ind, rule), None);
        loop {
            self.cont = ind + INDENT;
            match self.kind() {
                K::Eof | K::RBrace => return,
                K::Semi => {
                    self.emit(Sep::Tight, None);
                    return;
                }
                K::LBrace if self.prev == Some(K::Eq) => self.literal(ind, Sep::Space),
                K::Lt if self.prev == Some(K::Eq) => self.literal(ind, Sep::Space),
                K::LBrace => {
                    let keep_empty = matches!(self.tok_text(first), "oneof" | "extend");
                    self.emit(Sep::Space, None);
                    self.block(ind, keep_empty);
                    return;
                }
                K::LBracket => self.compact_options(ind),
                K::Str if self.kind_at(self.pos + 1) == K::Str => self.strings(ind + INDENT),
                k => {
                    let sep = self.space_before(k, is_rpc && self.pos == first + 2);
                    self.emit(sep, None);
                }
            }
        }
    }

    /// The space before a token inside a declaration.
    fn space_before(&self, k: K, rpc_paren: bool) -> Sep {
        let Some(prev) = self.prev else {
            return Sep::Tight;
        };
        match (prev, k) {
            (_, K::Semi | K::Comma | K::RParen | K::RBracket | K::Gt | K::Lt) => Sep::Tight,
            (K::LParen | K::LBracket | K::Lt | K::Dot | K::Minus | K::Plus | K::Slash, _) => {
                Sep::Tight
            }
            (_, K::LParen) if rpc_paren => Sep::Tight,
            (_, K::Slash) => Sep::Tight,
            (K::Word | K::RParen, K::Dot) => {
                // `optional .pkg.Type`: a label (or `stream`, `extend`) before an absolute name
                // keeps its space; elsewhere a dot continues the name before it.
                let prev_text = self.tok_text(self.pos.wrapping_sub(1));
                let spaced = self
                    .toks
                    .get(self.pos.wrapping_sub(1))
                    .zip(self.toks.get(self.pos))
                    .is_some_and(|(a, b)| a.end < b.start);
                if spaced
                    && matches!(
                        prev_text,
                        "optional" | "required" | "repeated" | "stream" | "extend" | "returns"
                    )
                {
                    Sep::Space
                } else {
                    Sep::Tight
                }
            }
            _ => Sep::Space,
        }
    }

    /// Adjacent string literals: one per line, indented by `ind`.
    fn strings(&mut self, ind: usize) {
        while self.kind() == K::Str {
            self.emit(
                Sep::Line(
                    ind,
                    Rule {
                        first: Blank::Never,
                        last: false,
                    },
                ),
                None,
            );
        }
    }

    /// The number of options in the compact options starting at the current `[`.
    fn count_options(&self) -> usize {
        let mut depth = 0usize;
        let mut count = 1;
        for t in self.toks.get(self.pos..).unwrap_or_default() {
            match t.kind {
                K::LBracket | K::LBrace | K::LParen | K::Lt => depth += 1,
                K::RBracket | K::RBrace | K::RParen | K::Gt => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                K::Comma if depth == 1 => count += 1,
                _ => {}
            }
        }
        count
    }

    /// `[a = 1]` on the statement's line; two or more options one per line.
    fn compact_options(&mut self, ind: usize) {
        let n = self.count_options();
        self.emit(Sep::Space, None);
        let mut index = 0;
        loop {
            match self.kind() {
                K::Eof => return,
                K::RBracket => {
                    let sep = if n > 1 {
                        Sep::Close(ind, Rule::closing(false))
                    } else {
                        Sep::Tight
                    };
                    self.emit(sep, None);
                    return;
                }
                _ => {}
            }
            if n > 1 {
                let rule = if index == 0 {
                    Rule::FIRST_IN_BLOCK
                } else {
                    Rule::NEXT_IN_BLOCK
                };
                self.option(ind + INDENT, Sep::Line(ind + INDENT, rule));
            } else {
                self.option(ind, Sep::Tight);
            }
            if self.kind() == K::Comma {
                self.emit(Sep::Tight, None);
            }
            index += 1;
        }
    }

    /// One `name = value` of compact options, up to its `,` or the `]`.
    fn option(&mut self, ind: usize, sep: Sep) {
        self.cont = ind + INDENT;
        self.emit(sep, None);
        loop {
            self.cont = ind + INDENT;
            match self.kind() {
                K::Eof | K::Comma | K::RBracket | K::Semi | K::RBrace => return,
                K::LBrace | K::Lt if self.prev == Some(K::Eq) => self.literal(ind, Sep::Space),
                K::Str if self.kind_at(self.pos + 1) == K::Str => self.strings(ind + INDENT),
                k => {
                    let sep = self.space_before(k, false);
                    self.emit(sep, None);
                }
            }
        }
    }

    // ----- message literals (text format) -----

    /// A message literal at the current `{` or `<`, whose fields go one per line at
    /// `ind + INDENT`; `{}` when empty.
    fn literal(&mut self, ind: usize, sep: Sep) {
        let close = if self.kind() == K::Lt {
            K::Gt
        } else {
            K::RBrace
        };
        self.emit(sep, Some("{"));
        if self.kind() == close && self.gap_is_empty(self.pos) {
            self.emit(Sep::Tight, Some("}"));
            return;
        }
        let mut empty = true;
        loop {
            match self.kind() {
                K::Eof => return,
                k if k == close => break,
                K::Comma | K::Semi => {
                    self.drop_token();
                    continue;
                }
                _ => {}
            }
            let rule = if empty {
                Rule::FIRST_IN_BLOCK
            } else {
                Rule::NEXT_IN_BLOCK
            };
            self.field(ind + INDENT, rule);
            empty = false;
        }
        self.emit(Sep::Close(ind, Rule::closing(empty)), Some("}"));
    }

    /// One `name: value` of a message literal, on its own line at `ind`.
    fn field(&mut self, ind: usize, rule: Rule) {
        self.cont = ind + INDENT;
        if self.kind() == K::LBracket {
            // `[pkg.ext]` or `[type.googleapis.com/pkg.Msg]`
            self.emit(Sep::Line(ind, rule), None);
            while !matches!(self.kind(), K::RBracket | K::Eof) {
                self.emit(Sep::Tight, None);
            }
            self.emit(Sep::Tight, None);
        } else {
            self.emit(Sep::Line(ind, rule), None);
        }
        self.cont = ind + INDENT;
        if self.kind() == K::Colon {
            self.emit(Sep::Tight, None);
        } else {
            self.insert(":");
        }
        self.value(ind, Sep::Space);
    }

    /// A value in a message literal (after its `:`, or as an element of a list).
    fn value(&mut self, ind: usize, sep: Sep) {
        self.cont = ind + INDENT;
        match self.kind() {
            K::LBrace | K::Lt => self.literal(ind, sep),
            K::LBracket => self.list(ind, sep),
            K::Minus | K::Plus => {
                self.emit(sep, None);
                self.emit(Sep::Tight, None);
            }
            K::Str if self.kind_at(self.pos + 1) == K::Str => self.strings(ind + INDENT),
            K::Eof => {}
            _ => self.emit(sep, None),
        }
    }

    /// Whether the list starting at the current `[` holds a message.
    fn list_has_message(&self) -> bool {
        let mut depth = 0usize;
        for t in self.toks.get(self.pos..).unwrap_or_default() {
            match t.kind {
                K::LBracket => depth += 1,
                K::RBracket => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return false;
                    }
                }
                K::LBrace | K::Lt if depth == 1 => return true,
                _ => {}
            }
        }
        false
    }

    /// `[1, 2, 3]` on one line; a list of messages one element per line.
    fn list(&mut self, ind: usize, sep: Sep) {
        let expanded = self.list_has_message();
        self.emit(sep, None);
        if self.kind() == K::RBracket {
            self.emit(Sep::Tight, None);
            return;
        }
        let mut index = 0;
        loop {
            match self.kind() {
                K::Eof => return,
                K::RBracket => break,
                _ => {}
            }
            let sep = match (expanded, index) {
                (true, 0) => Sep::Line(ind + INDENT, Rule::FIRST_IN_BLOCK),
                (true, _) => Sep::Line(ind + INDENT, Rule::NEXT_IN_BLOCK),
                (false, 0) => Sep::Tight,
                (false, _) => Sep::Space,
            };
            let before = self.pos;
            self.value(if expanded { ind + INDENT } else { ind }, sep);
            if self.kind() == K::Comma {
                self.emit(Sep::Tight, None);
            } else if self.pos == before {
                // Not a value: cannot happen after a clean parse; written as it is.
                self.emit(Sep::Space, None);
            }
            index += 1;
        }
        let sep = if expanded {
            Sep::Close(ind, Rule::closing(false))
        } else {
            Sep::Tight
        };
        self.emit(sep, None);
    }
}
