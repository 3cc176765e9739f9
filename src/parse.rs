//! Parsing: text -> [`ast::File`] plus syntax diagnostics.
//!
//! `lex` ([`crate::lexer`]) -> the LALRPOP parser generated from `grammar/iproto.lalrpop` ->
//! comment attachment ([`crate::comments`]) -> a depth check on the tree.
//!
//! **Invariant:** parsing never fails and never panics: it returns a tree (partial where the
//! input is broken) and every error found. The grammar recovers at statement level (`!`), so a
//! file with three broken statements gets three diagnostics and the rest of its declarations.
//!
//! Diagnostics: lexical problems have code `LEX` (or `INVALID_ESCAPE`, `NESTING_TOO_DEEP`);
//! syntax errors have code `SYNTAX` and a message in protoc's style, `expected ";", found "}"`,
//! with the label on the offending token. At most [`MAX_SYNTAX_ERRORS`] syntax errors are
//! reported per file: at the next one parsing stops (the parser is given the end of the file),
//! which says where; so recovery costs time and memory for those errors only. The tokens that
//! recovery skips are parsed by the grammar (`Skipped`), one step each, rather than dropped by
//! LALRPOP, whose drop searches the whole parser stack for every token.
//!
//! After the grammar, [`syntax_rules`] makes the checks protoc's parser makes that depend on the
//! syntax or edition, on number sizes, or on where a field is written (codes listed there). The
//! declared syntax is also read before parsing: before edition 2024, `export` and `local` are
//! plain identifiers.
//!
//! Limits: input nested deeper than [`crate::lexer::MAX_NESTING`] brackets is cut off by the
//! lexer; messages nested deeper than [`MAX_MESSAGE_DEPTH`] are reported like protoc does
//! ("Reached maximum recursion limit for nested messages").


use std::cell::{Cell, RefCell};
use std::convert::Infallible;

use lalrpop_util::{ErrorRecovery, ParseError};

use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::lexer::{self, Tok};
use crate::protobuf::Edition;
use crate::source::{FileId, Span};

pub mod syntax_rules;

lalrpop_util::lalrpop_mod!(
    #[allow(
        clippy::all,
        clippy::pedantic,
        clippy::restriction,
        unused,
        missing_docs
    )]
    grammar,
    "/iproto.rs"
);

/// The most syntax errors reported for one file; the rest are summarised in one line.
pub const MAX_SYNTAX_ERRORS: usize = 100;

/// protoc's limit on nested message declarations: the 32nd level is an error.
pub const MAX_MESSAGE_DEPTH: usize = 31;

/// What [`parse_with`] does besides building the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Attach comments to the declarations ([`crate::comments`]). Only the printer and
    /// `--include_source_info` read them, so the compiler skips this for the files it only
    /// imports (about a quarter of parsing).
    pub comments: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { comments: true }
    }
}

/// Parses one file. Always returns a tree (possibly partial) and every syntax error found.
pub fn parse(file: FileId, text: &str) -> (ast::File, Vec<Diagnostic>) {
    parse_with(file, text, ParseOptions::default())
}

/// The grammar keeps no item for a lone `;`, but protoc's location of the whole file ends at its
/// last token, which may be one: when the file ends in a top-level `;`, it is put back as the
/// one [`ast::FileItem::Empty`] the descriptor builder needs.
fn restore_last_empty_statement(ast: &mut ast::File, lexed: &lexer::Lexed) {
    let Some(&(l, Tok::Semi, r)) = lexed.written().last() else {
        return;
    };
    let covered = ast
        .items
        .iter()
        .map(|i| i.span().end as usize)
        .chain(ast.syntax.as_ref().map(|s| s.span.end as usize))
        .max();
    if covered.is_none_or(|end| end < r) {
        ast.items.push(ast::FileItem::Empty(Span::new(l, r)));
    }
}

/// [`parse`], with comments attached only when `options` asks for them (the tree and the
/// diagnostics are otherwise the same).
pub fn parse_with(file: FileId, text: &str, options: ParseOptions) -> (ast::File, Vec<Diagnostic>) {
    let mut lexed = lexer::lex(file, text);
    let syntax = syntax_rules::prescan(&lexed.tokens);
    if !syntax.has_visibility() {
        // Before edition 2024 protoc's `ParseVisibility` ignores `export` / `local`: they are
        // ordinary identifiers (a type `local.Foo`, a field of type `export`).
        for t in &mut lexed.tokens {
            if matches!(t.1, Tok::Export | Tok::Local) {
                t.1 = Tok::Ident;
            }
        }
    }
    mark_subclass_statements(text, &mut lexed.tokens);
    let mut diags = std::mem::take(&mut lexed.diagnostics);
    let errors = SyntaxErrors::default();
    let result =
        grammar::FileParser::new().parse(text, &errors, Feed::new(&mut lexed.tokens, &errors));
    let mut ast = match result {
        Ok(f) => *f,
        Err(e) => {
            // Recovery reaches the final `eof` token in every state, so this is not expected;
            // report it and return an empty tree rather than failing.
            errors.keep(e);
            ast::File::default()
        }
    };

    restore_last_empty_statement(&mut ast, &lexed);

    let mut reported = 0;
    for err in errors.kept.into_inner() {
        let Some(d) = syntax_diagnostic(file, text, &lexed, syntax, &err) else {
            continue;
        };
        reported += 1;
        if reported > MAX_SYNTAX_ERRORS {
            // Parsing stopped at this error (see `Feed`): say where, not how many followed.
            let mut stop = Diagnostic::error(
                "SYNTAX",
                format!("too many syntax errors; parsing stopped after {MAX_SYNTAX_ERRORS}"),
            )
            .help("fix the errors above first: the rest of the file was not read");
            if let Some(p) = d.primary {
                stop = stop.at(file, p.location.span, "parsing stopped here");
            }
            diags.push(stop);
            break;
        }
        diags.push(d);
    }

    if options.comments {
        crate::comments::attach(text, &lexed, &mut ast);
    }
    check_message_depth(file, &ast, &mut diags);
    let mut rules = Vec::new();
    if !syntax_rules::check(file, text, &lexed.tokens, &ast, &mut rules) {
        // protoc does not parse past a syntax statement it does not recognise: report that
        // alone (with any lexical error before it).
        let end = ast.syntax.as_ref().map_or(0, |s| s.span.end);
        diags.retain(|d| {
            d.primary
                .as_ref()
                .is_some_and(|p| p.location.span.start < end)
        });
    }
    diags.extend(rules);
    (ast, diags)
}

/// Makes the identifier `subclass` the [`Tok::Subclass`] keyword where it starts a registry
/// statement: at the start of a statement (after `;`, `{`, `}` or at the start of the file), and
/// followed by a dotted or fully qualified name (`zoo.cats.Cat`, `.zoo.Cat`), `=`, an integer
/// and `;`. Nothing protobuf accepts has that shape (a field of a type named `subclass` has a
/// field name after its type), so every `.proto` file parses as before; `subclass Cat = 100;`
/// stays a field (of the type `subclass`), which lowering reports when no such type exists.
fn mark_subclass_statements(text: &str, tokens: &mut [(usize, Tok, usize)]) {
    let word = |t: &(usize, Tok, usize)| t.1 == Tok::Ident || t.1.is_keyword();
    for i in 0..tokens.len() {
        let Some(&(start, Tok::Ident, end)) = tokens.get(i) else {
            continue;
        };
        if text.get(start..end) != Some("subclass") {
            continue;
        }
        let after_statement = i
            .checked_sub(1)
            .and_then(|before| tokens.get(before))
            .is_none_or(|t| matches!(t.1, Tok::Semi | Tok::LBrace | Tok::RBrace));
        if !after_statement {
            continue;
        }
        let mut j = i + 1;
        let mut dots = 0;
        if tokens.get(j).is_some_and(|t| t.1 == Tok::Dot) {
            dots += 1;
            j += 1;
        }
        if !tokens.get(j).is_some_and(word) {
            continue;
        }
        j += 1;
        while tokens.get(j).is_some_and(|t| t.1 == Tok::Dot) && tokens.get(j + 1).is_some_and(word)
        {
            dots += 1;
            j += 2;
        }
        if dots == 0 || !tokens.get(j).is_some_and(|t| t.1 == Tok::Eq) {
            continue;
        }
        j += 1;
        if tokens.get(j).is_some_and(|t| t.1 == Tok::Minus) {
            j += 1;
        }
        if tokens.get(j).is_some_and(|t| matches!(t.1, Tok::Int(_)))
            && tokens.get(j + 1).is_some_and(|t| t.1 == Tok::Semi)
        {
            if let Some(t) = tokens.get_mut(i) {
                t.1 = Tok::Subclass;
            }
        }
    }
}

/// The syntax errors of one parse, as the grammar's recovery rules report them: the first
/// [`MAX_SYNTAX_ERRORS`] + 1 are kept (the last one only to say where parsing stopped), without the
/// tokens recovery dropped; once that many are in, the token feed gives the parser only `eof`.
///
/// Without the cap, every error kept its `expected` list (about 1 KB) and its dropped tokens,
/// and each later error cost the parser a search of its whole stack: 80,000 `}` took 72 MB.
#[derive(Default)]
pub struct SyntaxErrors {
    /// The errors kept, in the order found.
    kept: RefCell<Vec<ParseError<usize, Tok, Infallible>>>,
    /// Whether the cap is reached: the parser is to see no more input.
    full: Cell<bool>,
}

impl SyntaxErrors {
    /// Records one recovered error (its dropped tokens are let go here).
    pub fn push(&self, e: ErrorRecovery<usize, Tok, Infallible>) {
        self.keep(e.error);
    }

    /// Records one error, unless the cap is reached.
    fn keep(&self, e: ParseError<usize, Tok, Infallible>) {
        let mut kept = self.kept.borrow_mut();
        if kept.len() <= MAX_SYNTAX_ERRORS {
            kept.push(e);
        }
        if kept.len() > MAX_SYNTAX_ERRORS {
            self.full.set(true);
        }
    }
}

/// The parser's token source: the lexed tokens in order (their string values moved out, as only
/// spans and kinds are read after parsing), until [`SyntaxErrors`] is full; from then on only the
/// final `eof`, so a file of errors costs no more than its first [`MAX_SYNTAX_ERRORS`] + 1.
struct Feed<'a> {
    tokens: std::slice::IterMut<'a, (usize, Tok, usize)>,
    errors: &'a SyntaxErrors,
}

impl<'a> Feed<'a> {
    fn new(tokens: &'a mut [(usize, Tok, usize)], errors: &'a SyntaxErrors) -> Self {
        Feed {
            tokens: tokens.iter_mut(),
            errors,
        }
    }
}

impl Iterator for Feed<'_> {
    type Item = Result<(usize, Tok, usize), Infallible>;

    fn next(&mut self) -> Option<Self::Item> {
        let t = if self.errors.full.get() {
            // The lexer's last token is `eof`.
            let t = self.tokens.next_back()?;
            self.tokens = Default::default();
            t
        } else {
            self.tokens.next()?
        };
        Some(Ok((t.0, t.1.take(), t.2)))
    }
}

/// Turns a parser error into a diagnostic (`None` when it only repeats a lexer error about the
/// end of the file).
fn syntax_diagnostic(
    file: FileId,
    text: &str,
    lexed: &lexer::Lexed,
    syntax: Edition,
    err: &ParseError<usize, Tok, Infallible>,
) -> Option<Diagnostic> {
    let (start, tok, end, expected) = match err {
        ParseError::UnrecognizedToken {
            token: (l, t, r),
            expected,
        } => (*l, t.clone(), *r, expected.as_slice()),
        ParseError::UnrecognizedEof { location, expected } => {
            (*location, Tok::Eof, *location, expected.as_slice())
        }
        ParseError::InvalidToken { location } => (*location, Tok::Eof, *location, &[][..]),
        ParseError::ExtraToken { token: (l, t, r) } => (*l, t.clone(), *r, &[][..]),
        ParseError::User { error } => match *error {},
    };
    let synthetic = lexed
        .tokens
        .get(lexed.synthetic_from)
        .is_some_and(|t| start >= t.0 && start == end);
    if synthetic && lexed.reported_eof {
        return None;
    }
    let span = Span::new(start, end);
    let found = lexer::describe(&tok, text, span);
    // Where a top-level statement must start, protoc says so rather than list the keywords.
    let top_level = ["\"package\"", "\"service\""]
        .iter()
        .all(|k| expected.iter().any(|e| e == k));
    let wanted = if top_level {
        Some("a top-level statement (e.g. \"message\")".to_string())
    } else {
        describe_expected(expected)
    };
    let message = match &wanted {
        Some(w) => format!("expected {w}, found {found}"),
        None => format!("unexpected {found}"),
    };
    let mut d = Diagnostic::error("SYNTAX", message).at(file, span, format!("unexpected {found}"));
    // A missing `;` at the end of a line: say where it goes.
    if expected.iter().any(|e| e == "\";\"") && !top_level {
        // The last token ending before the error (token ends never decrease).
        let before = lexed.tokens.partition_point(|t| t.2 <= start);
        if let Some(prev) = before.checked_sub(1).and_then(|i| lexed.tokens.get(i)) {
            let after_statement = matches!(prev.1, Tok::Semi | Tok::LBrace | Tok::RBrace);
            if !after_statement
                && (text
                    .get(prev.2..start)
                    .is_some_and(|gap| gap.contains('\n'))
                    || tok == Tok::RBrace
                    || tok == Tok::Eof)
            {
                let shown = text.get(prev.0..prev.2).unwrap_or_default();
                d = d.help(format!("add \";\" after \"{shown}\""));
            }
        }
    }
    // `export` / `local` before edition 2024 are names, so a modifier there fails to parse.
    if !syntax.has_visibility() {
        if let Some(word) =
            statement_start(lexed, text, start).filter(|w| *w == "export" || *w == "local")
        {
            d = d.help(format!(
                "`{word}` is a visibility modifier only from edition 2024: remove it, or declare `edition = \"2024\";`"
            ));
        }
    }
    // Another language's inheritance syntax: say how iproto writes it.
    if let Some(slip) = inheritance_slip(file, text, lexed, start) {
        return Some(slip);
    }
    if top_level && d.help.is_empty() {
        d = d.help(
            "a file holds `package`, `import`, `option`, `message`, `enum`, `service` and `extend` statements",
        );
    }
    Some(d)
}

/// A message header that inherits the way another language does (`message Cat extends Animal`,
/// `message Cat(Animal)`, `message Cat : public Animal`), or that puts the tag before the base
/// (`message Cat = 100 : Animal`), or that names two bases (`message C : A, B`): a diagnostic
/// that shows the header written as iproto writes it, when the syntax error at `offset` is one
/// of those.
fn inheritance_slip(
    file: FileId,
    text: &str,
    lexed: &lexer::Lexed,
    offset: usize,
) -> Option<Diagnostic> {
    let toks = lexed.written();
    let at = toks.partition_point(|t| t.0 < offset);
    let bad = toks.get(at)?;
    let span_of = |from: usize, to: usize| match (toks.get(from), toks.get(to)) {
        (Some(a), Some(b)) => Span::new(a.0, b.2),
        _ => Span::new(bad.0, bad.2),
    };
    // The statement so far, from after the last `;`, `{` or `}`: `[export|local] message Name`.
    let mut h = toks
        .get(..at)?
        .iter()
        .rposition(|t| matches!(t.1, Tok::Semi | Tok::LBrace | Tok::RBrace))
        .map_or(0, |j| j + 1);
    if matches!(toks.get(h)?.1, Tok::Export | Tok::Local) {
        h += 1;
    }
    if toks.get(h)?.1 != Tok::Message || h + 2 > at {
        return None;
    }
    let name = word(text, toks.get(h + 1)?)?;
    let header = |base: &str, tag: Option<&str>| {
        let tag = tag.map(|t| format!(" = {t}")).unwrap_or_default();
        format!("write `message {name} : {base}{tag} {{`")
    };
    let bad_text = text.get(bad.0..bad.2)?;
    if at == h + 2 {
        // Right after the name.
        let foreign = match bad.1 {
            Tok::LParen | Tok::Lt => true,
            _ => word(text, bad)
                .is_some_and(|w| matches!(w, "extends" | "extend" | "inherits" | "implements")),
        };
        if foreign {
            let (base, _) = type_ref(text, toks, at + 1)?;
            return Some(
                Diagnostic::error(
                    "SYNTAX",
                    format!("\"{bad_text}\" is not iproto syntax: a message names its base class after \":\""),
                )
                .at(file, span_of(at, at), "not iproto syntax")
                .help(header(&base, None)),
            );
        }
        if bad.1 == Tok::Eq {
            let tag = toks.get(at + 1).filter(|t| matches!(t.1, Tok::Int(_)))?;
            let tag = text.get(tag.0..tag.2)?;
            // `message Cat = 100 : Animal {` or `message Cat = 100 {`, not some other statement.
            if !toks
                .get(at + 2)
                .is_some_and(|t| matches!(t.1, Tok::Colon | Tok::LBrace))
            {
                return None;
            }
            let base = toks
                .get(at + 2)
                .filter(|t| t.1 == Tok::Colon)
                .and_then(|_| type_ref(text, toks, at + 3));
            let d = Diagnostic::error(
                "SYNTAX",
                "the tag of a subclass comes after its base class, not before it",
            )
            .at(file, span_of(at, at + 1), "written before the base class");
            return Some(match base {
                Some((base, _)) => d.help(header(&base, Some(tag))),
                None => d.help(header("Base", Some(tag))).note(
                    "a tag is the number of a subclass in its hierarchy: only a message with a base class has one",
                ),
            });
        }
        return None;
    }
    if toks.get(h + 2)?.1 != Tok::Colon {
        return None;
    }
    // `: public Animal`: an access specifier, as in C++.
    if at == h + 4 && word(text, bad).is_some() {
        let access = word(text, toks.get(h + 3)?)?;
        if matches!(access, "public" | "private" | "protected" | "virtual") {
            let (base, _) = type_ref(text, toks, at)?;
            return Some(
                Diagnostic::error(
                    "SYNTAX",
                    format!(
                        "\"{access}\" is not iproto syntax: a base class has no access specifier"
                    ),
                )
                .at(file, span_of(h + 3, h + 3), "remove this")
                .help(header(&base, None)),
            );
        }
    }
    // `: A, B` or `: A = 1, B`: more than one base.
    if bad.1 == Tok::Comma {
        let (base, mut end) = type_ref(text, toks, h + 3)?;
        let mut tag = None;
        if toks.get(end).is_some_and(|t| t.1 == Tok::Eq) {
            let t = toks.get(end + 1).filter(|t| matches!(t.1, Tok::Int(_)))?;
            tag = Some(text.get(t.0..t.2)?);
            end += 2;
        }
        if end != at {
            return None;
        }
        // The other bases, up to the body.
        let last = toks
            .get(at..)?
            .iter()
            .position(|t| matches!(t.1, Tok::LBrace | Tok::Semi | Tok::RBrace))
            .map_or(at, |n| (at + n).saturating_sub(1).max(at));
        let d = Diagnostic::error(
            "SYNTAX",
            "a message has one base class: iproto has single inheritance",
        )
        .at(file, span_of(at, last), "a second base class")
        .help(header(&base, tag));
        return Some(match type_ref(text, toks, at + 1) {
            Some((other, _)) => d.note(format!(
                "`{name}` can hold a `{other}` in a field instead, or `{base}` can inherit from `{other}`"
            )),
            None => d,
        });
    }
    None
}

/// The text of an identifier token (keywords included: they are identifiers too).
fn word<'t>(text: &'t str, t: &(usize, Tok, usize)) -> Option<&'t str> {
    (t.1 == Tok::Ident || t.1.is_keyword())
        .then(|| text.get(t.0..t.2))
        .flatten()
}

/// The type name written from token `i` on (`Animal`, `zoo.Animal`, `.zoo.Animal`), and the
/// index of the token after it.
fn type_ref(text: &str, toks: &[(usize, Tok, usize)], mut i: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    if toks.get(i)?.1 == Tok::Dot {
        out.push('.');
        i += 1;
    }
    out.push_str(word(text, toks.get(i)?)?);
    i += 1;
    while toks.get(i).is_some_and(|t| t.1 == Tok::Dot) {
        let Some(w) = toks.get(i + 1).and_then(|t| word(text, t)) else {
            break;
        };
        out.push('.');
        out.push_str(w);
        i += 2;
    }
    Some((out, i))
}

/// The text of the first token of the statement that contains the token at `offset` (the token
/// after the last `;`, `{` or `}` before it).
fn statement_start<'t>(lexed: &lexer::Lexed, text: &'t str, offset: usize) -> Option<&'t str> {
    let i = lexed.tokens.partition_point(|t| t.0 < offset);
    let first = lexed
        .tokens
        .get(..i)?
        .iter()
        .rposition(|t| matches!(t.1, Tok::Semi | Tok::LBrace | Tok::RBrace))
        .map_or(0, |j| j + 1);
    let t = lexed.tokens.get(first)?;
    (t.1 == Tok::Ident).then(|| text.get(t.0..t.2)).flatten()
}

/// `";"`, `one of "=", ";"`, with identifier-like keywords folded into "an identifier".
fn describe_expected(expected: &[String]) -> Option<String> {
    if expected.is_empty() {
        return None;
    }
    let ident = expected.iter().any(|e| e == "\"ident\"");
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let is_kw = |e: &str| {
        let inner = e.trim_matches('"');
        !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_lowercase())
    };
    for e in expected {
        match e.as_str() {
            "\"ident\"" => push("an identifier".into()),
            "\"int\"" => push("an integer".into()),
            "\"float\"" => push("a number".into()),
            "\"string\"" => push("a string".into()),
            "\"eof\"" => push("end of file".into()),
            _ if ident && is_kw(e) => {}
            _ => push(e.clone()),
        }
    }
    if out.contains(&"a number".to_string()) {
        out.retain(|s| s != "an integer");
    }
    Some(if out.len() == 1 {
        out.remove(0)
    } else {
        format!("one of {}", out.join(", "))
    })
}

/// protoc refuses messages nested 32 deep ("Reached maximum recursion limit for nested
/// messages"), reporting it at the 32nd `message` keyword.
fn check_message_depth(file: FileId, ast: &ast::File, diags: &mut Vec<Diagnostic>) {
    fn walk(file: FileId, items: &[ast::MessageItem], depth: usize, diags: &mut Vec<Diagnostic>) {
        for item in items {
            match item {
                ast::MessageItem::Message(m) => visit(file, m, depth + 1, diags),
                ast::MessageItem::Field(f) => {
                    if let ast::FieldType::Group { items, .. } = &f.ty {
                        walk(file, items, depth, diags);
                    }
                }
                _ => {}
            }
        }
    }
    fn visit(file: FileId, m: &ast::Message, depth: usize, diags: &mut Vec<Diagnostic>) {
        if depth > MAX_MESSAGE_DEPTH {
            let at = Span::new(m.span.start as usize, m.name.span.start as usize);
            diags.push(
                Diagnostic::error(
                    "SYNTAX",
                    "reached maximum recursion limit for nested messages",
                )
                .at(file, at, format!("message nested {depth} levels deep"))
                .note(format!(
                    "protoc allows at most {MAX_MESSAGE_DEPTH} levels of nested messages"
                )),
            );
            return;
        }
        walk(file, &m.items, depth, diags);
    }
    for item in &ast.items {
        if let ast::FileItem::Message(m) = item {
            visit(file, m, 1, diags);
        }
    }
}

/// Constructors the grammar's one-line actions call. Syntax only: no checks, no meaning.
///
/// Declarations and body items are returned boxed: the parser moves its stack values by copy, and
/// small values keep that cheap (see the grammar's header). Each body unboxes its items once,
/// into a vector of the final length.
pub(crate) mod build {
    use crate::ast::{self, Comments, Origin};
    use crate::source::Span;

    /// A parsed `{ … }` body: its items (`None` for dropped statements) and its span.
    pub type BodyParts<T> = (Vec<Option<Box<T>>>, Span);

    fn span(l: usize, r: usize) -> Span {
        Span::new(l, r)
    }

    /// A body item, boxed.
    pub fn item<T>(item: T) -> Option<Box<T>> {
        Some(Box::new(item))
    }

    /// The items of a body, without the dropped statements.
    fn items<T>(items: Vec<Option<Box<T>>>) -> Vec<T> {
        let mut out = Vec::with_capacity(items.len());
        out.extend(items.into_iter().flatten().map(|b| *b));
        out
    }

    pub fn ident(text: &str, l: usize, r: usize) -> ast::Ident {
        ast::Ident {
            name: text.get(l..r).unwrap_or_default().to_string(),
            span: span(l, r),
        }
    }

    pub fn full_ident(
        absolute: bool,
        first: ast::Ident,
        rest: Vec<ast::Ident>,
        l: usize,
        r: usize,
    ) -> ast::FullIdent {
        let mut parts = Vec::with_capacity(rest.len() + 1);
        parts.push(first);
        parts.extend(rest);
        ast::FullIdent {
            absolute,
            parts,
            span: span(l, r),
        }
    }

    pub fn string_lit(parts: Vec<Vec<u8>>, l: usize, r: usize) -> ast::StringLit {
        let value = match <[Vec<u8>; 1]>::try_from(parts) {
            Ok([one]) => one,
            Err(parts) => parts.concat(),
        };
        ast::StringLit {
            value,
            span: span(l, r),
        }
    }

    pub fn file(
        syntax: Option<Box<ast::SyntaxDecl>>,
        file_items: Vec<Option<Box<ast::FileItem>>>,
    ) -> Box<ast::File> {
        Box::new(ast::File {
            syntax: syntax.map(|s| *s),
            items: items(file_items),
            trailing_comments: Vec::new(),
        })
    }

    pub fn syntax_decl(
        kind: ast::SyntaxKind,
        value: ast::StringLit,
        l: usize,
        r: usize,
    ) -> Box<ast::SyntaxDecl> {
        Box::new(ast::SyntaxDecl {
            kind,
            value,
            span: span(l, r),
            comments: Comments::default(),
        })
    }

    pub fn package(name: ast::FullIdent, l: usize, r: usize) -> Box<ast::Package> {
        Box::new(ast::Package {
            name,
            span: span(l, r),
            comments: Comments::default(),
        })
    }

    pub fn import(
        kind: ast::ImportKind,
        path: ast::StringLit,
        l: usize,
        r: usize,
    ) -> Box<ast::Import> {
        Box::new(ast::Import {
            kind,
            path,
            span: span(l, r),
            comments: Comments::default(),
        })
    }

    pub fn option_decl(option: ast::OptionAssign, l: usize, r: usize) -> Box<ast::OptionDecl> {
        Box::new(ast::OptionDecl {
            option,
            span: span(l, r),
            comments: Comments::default(),
        })
    }

    pub fn option_name(
        first: ast::OptionNamePart,
        rest: Vec<ast::OptionNamePart>,
        l: usize,
        r: usize,
    ) -> ast::OptionName {
        let mut parts = Vec::with_capacity(rest.len() + 1);
        parts.push(first);
        parts.extend(rest);
        ast::OptionName {
            parts,
            span: span(l, r),
        }
    }

    /// A text-format message; the grammar collects its entries boxed, like body items.
    #[allow(clippy::vec_box)]
    pub fn message_value(
        fields: Vec<Box<ast::FieldValue>>,
        l: usize,
        r: usize,
    ) -> ast::MessageValue {
        ast::MessageValue {
            fields: fields.into_iter().map(|f| *f).collect(),
            span: span(l, r),
        }
    }

    pub fn field_value(
        name: ast::FieldValueName,
        value: ast::TextValue,
        colon: bool,
        l: usize,
        r: usize,
    ) -> Box<ast::FieldValue> {
        Box::new(ast::FieldValue {
            name,
            value,
            colon,
            span: span(l, r),
        })
    }

    /// A message from its name on; [`message`] sets the visibility and where it starts.
    pub fn message_rest(
        name: ast::Ident,
        base: Option<ast::Base>,
        (body, body_span): BodyParts<ast::MessageItem>,
        r: usize,
    ) -> Box<ast::Message> {
        Box::new(ast::Message {
            visibility: ast::Visibility::Default,
            name,
            base,
            items: items(body),
            span: span(r, r),
            body_span,
            comments: Comments::default(),
            origin: Origin::Source,
        })
    }

    pub fn message(
        visibility: ast::Visibility,
        mut m: Box<ast::Message>,
        l: usize,
    ) -> Box<ast::Message> {
        m.visibility = visibility;
        m.span = span(l, m.span.end as usize);
        m
    }

    /// A field from its type on; [`field`] sets the label and where it starts.
    pub fn field_rest(
        ty: ast::FieldType,
        name: ast::Ident,
        number: ast::IntLit,
        options: Option<Vec<ast::OptionAssign>>,
        r: usize,
    ) -> Box<ast::Field> {
        Box::new(ast::Field {
            label: None,
            ty,
            name,
            number,
            options: options.unwrap_or_default(),
            span: span(r, r),
            comments: Comments::default(),
            origin: Origin::Source,
        })
    }

    pub fn field(
        label: Option<(ast::Label, Span)>,
        mut f: Box<ast::Field>,
        l: usize,
    ) -> Box<ast::Field> {
        f.label = label;
        f.span = span(l, f.span.end as usize);
        f
    }

    pub fn group_type((body, body_span): BodyParts<ast::MessageItem>) -> ast::FieldType {
        ast::FieldType::Group {
            items: items(body),
            body_span,
        }
    }

    pub fn oneof(
        name: ast::Ident,
        (body, body_span): BodyParts<ast::OneofItem>,
        l: usize,
        r: usize,
    ) -> Box<ast::Oneof> {
        Box::new(ast::Oneof {
            name,
            items: items(body),
            span: span(l, r),
            body_span,
            comments: Comments::default(),
            origin: Origin::Source,
        })
    }

    pub fn subclass(
        name: ast::FullIdent,
        tag: ast::IntLit,
        l: usize,
        r: usize,
    ) -> Box<ast::Subclass> {
        Box::new(ast::Subclass {
            name,
            tag,
            span: span(l, r),
            comments: Comments::default(),
        })
    }

    pub fn extensions(
        ranges: Vec<ast::Range>,
        options: Vec<ast::OptionAssign>,
        l: usize,
        r: usize,
    ) -> Box<ast::Extensions> {
        Box::new(ast::Extensions {
            ranges,
            options,
            span: span(l, r),
            comments: Comments::default(),
            origin: Origin::Source,
        })
    }

    pub fn reserved(kind: ast::ReservedKind, l: usize, r: usize) -> Box<ast::Reserved> {
        Box::new(ast::Reserved {
            kind,
            span: span(l, r),
            comments: Comments::default(),
        })
    }

    pub fn extend(
        extendee: ast::FullIdent,
        (body, body_span): BodyParts<ast::ExtendItem>,
        l: usize,
        r: usize,
    ) -> Box<ast::Extend> {
        Box::new(ast::Extend {
            extendee,
            items: items(body),
            span: span(l, r),
            body_span,
            comments: Comments::default(),
            origin: Origin::Source,
        })
    }

    pub fn enum_decl(
        visibility: ast::Visibility,
        name: ast::Ident,
        (body, body_span): BodyParts<ast::EnumItem>,
        l: usize,
        r: usize,
    ) -> Box<ast::Enum> {
        Box::new(ast::Enum {
            visibility,
            name,
            items: items(body),
            span: span(l, r),
            body_span,
            comments: Comments::default(),
            origin: Origin::Source,
        })
    }

    pub fn enum_value(
        name: ast::Ident,
        number: ast::IntLit,
        options: Vec<ast::OptionAssign>,
        l: usize,
        r: usize,
    ) -> ast::EnumValue {
        ast::EnumValue {
            name,
            number,
            options,
            span: span(l, r),
            comments: Comments::default(),
            origin: Origin::Source,
        }
    }

    pub fn service(
        name: ast::Ident,
        (body, body_span): BodyParts<ast::ServiceItem>,
        l: usize,
        r: usize,
    ) -> Box<ast::Service> {
        Box::new(ast::Service {
            name,
            items: items(body),
            span: span(l, r),
            body_span,
            comments: Comments::default(),
        })
    }

    pub fn rpc_body((options, body_span): BodyParts<ast::OptionDecl>) -> ast::RpcBody {
        ast::RpcBody {
            options: items(options),
            span: body_span,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn rpc(
        name: ast::Ident,
        client_streaming: Option<Span>,
        input: ast::FullIdent,
        server_streaming: Option<Span>,
        output: ast::FullIdent,
        body: Option<ast::RpcBody>,
        l: usize,
        r: usize,
    ) -> Box<ast::Rpc> {
        Box::new(ast::Rpc {
            name,
            input,
            client_streaming,
            output,
            server_streaming,
            body,
            span: span(l, r),
            comments: Comments::default(),
        })
    }
}

#[cfg(test)]
// Tests may slice strings: that is how they fail (clippy.toml lets them unwrap and panic).
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    /// The syntax errors of `text`: (message, the text the label covers, help lines).
    fn errors(text: &str) -> Vec<(String, String, Vec<String>)> {
        let (_, diags) = parse(FileId(0), text);
        diags
            .into_iter()
            .map(|d| {
                let span = d.primary.as_ref().unwrap().location.span;
                (d.message, text[span.range()].to_string(), d.help)
            })
            .collect()
    }

    fn help(text: &str) -> String {
        let e = errors(text);
        assert_eq!(e.len(), 1, "{e:#?}");
        e[0].2.join("\n")
    }

    #[test]
    fn foreign_inheritance_shows_the_iproto_form() {
        for (text, at, want) in [
            (
                "message Cat extends Animal {}",
                "extends",
                "write `message Cat : Animal {`",
            ),
            (
                "message Cat extend zoo.Animal {}",
                "extend",
                "write `message Cat : zoo.Animal {`",
            ),
            (
                "message A { message Cat inherits .zoo.Animal { int32 x = 1; } }",
                "inherits",
                "write `message Cat : .zoo.Animal {`",
            ),
            (
                "message Cat(Animal) {}",
                "(",
                "write `message Cat : Animal {`",
            ),
            (
                "message Cat < Animal {}",
                "<",
                "write `message Cat : Animal {`",
            ),
            (
                "message Cat : protected Animal {}",
                "protected",
                "write `message Cat : Animal {`",
            ),
            // Keywords are names too.
            (
                "message message extends option {}",
                "extends",
                "write `message message : option {`",
            ),
        ] {
            let e = errors(text);
            assert_eq!(e.len(), 1, "{text}: {e:#?}");
            assert_eq!(e[0].1, at, "{text}");
            assert_eq!(e[0].2, [want], "{text}");
        }
    }

    #[test]
    fn a_tag_before_the_base_is_moved_after_it() {
        let e = errors("message Dog = 105 : zoo.Animal { }\nmessage Cat = 7 {}");
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(
            e[0].0,
            "the tag of a subclass comes after its base class, not before it"
        );
        assert_eq!(e[0].1, "= 105");
        assert_eq!(e[0].2, ["write `message Dog : zoo.Animal = 105 {`"]);
        assert_eq!(e[1].2, ["write `message Cat : Base = 7 {`"]);
    }

    #[test]
    fn two_bases_are_one_too_many() {
        let e = errors("message C : A, B {}\nmessage D : .p.A = 3, B, E { int32 x = 1; }");
        assert_eq!(e.len(), 2, "{e:#?}");
        assert_eq!(
            e[0].0,
            "a message has one base class: iproto has single inheritance"
        );
        assert_eq!(e[0].1, ", B");
        assert_eq!(e[0].2, ["write `message C : A {`"]);
        assert_eq!(e[1].1, ", B, E");
        assert_eq!(e[1].2, ["write `message D : .p.A = 3 {`"]);
    }

    #[test]
    fn other_syntax_errors_near_a_message_keep_their_messages() {
        // Not an inheritance slip: the usual message, no help about bases.
        for text in [
            "message Cat extends {}",
            "message Cat foo bar {}",
            "message A { message foo = 1; }",
            "message C : A B {}",
            "message C : A = 1 = 2 {}",
        ] {
            let e = errors(text);
            assert!(!e.is_empty(), "{text}");
            assert!(
                e.iter()
                    .all(|(m, _, h)| m.starts_with("expected")
                        && h.iter().all(|h| !h.contains(" : "))),
                "{text}: {e:#?}"
            );
        }
        // A base named like a C++ access specifier is just a name.
        assert!(errors("message C : public {}").is_empty());
        assert_eq!(
            help("message C : public Animal = 1 {}"),
            "write `message C : Animal {`"
        );
    }

    #[test]
    fn every_prefix_of_the_slips_parses_without_panicking() {
        let text = "syntax = \"proto2\";\nmessage Cat extends zoo.Animal { optional int32 a = 1; }\n\
                    message Dog = 105 : Animal {}\nmessage C : .A = 1, B.C, D {}\n\
                    message K : public Animal {}\nmessage P(Animal) {}\nexport message E extends A {}\n";
        for end in 0..=text.len() {
            let _ = parse(FileId(0), &text[..end]);
        }
    }
}
