//! The one diagnostic type of the compiler, and its renderers.
//!
//! Every stage reports problems as [`Diagnostic`]s: a severity, a stable SCREAMING_SNAKE code, a
//! message, labelled spans in the user's source, and `help:`/`note:` lines. codespan-reporting is
//! used only here, behind [`render`].

use std::fmt::Write as _;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files as csf;
use codespan_reporting::term;

use crate::source::{FileId, SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A lint finding or a suspicious construct; compilation succeeds.
    Warning,
    /// The input is invalid; nothing is written.
    Error,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A span in a specific file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The bytes.
    pub span: Span,
}

/// A labelled location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub location: Location,
    /// What to say there (may be empty).
    pub message: String,
}

/// A problem found in the user's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable identifier (`SYNTAX`, `UNKNOWN_BASE`, `SUBCLASS_TAG_UNPINNED`, …).
    pub code: &'static str,
    /// One line saying what is wrong.
    pub message: String,
    /// The main location; `None` only for problems with no source (a missing input file).
    pub primary: Option<Label>,
    /// Other places that explain the problem ("first defined here").
    pub secondary: Vec<Label>,
    /// `help:` lines: how to fix it.
    pub help: Vec<String>,
    /// `note:` lines: background.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with a code and message; add locations with [`Diagnostic::at`].
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A warning with a code and message.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets the primary location and its label.
    pub fn at(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            location: Location { file, span },
            message: label.into(),
        });
        self
    }

    /// Adds a secondary location.
    pub fn also(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            location: Location { file, span },
            message: label.into(),
        });
        self
    }

    /// Adds a `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Adds a `note:` line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Source snippets with labels (codespan-reporting).
    #[default]
    Human,
    /// `file:line:col: error[CODE]: message`, like gcc and protoc.
    Short,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands.
    Github,
    /// protoc's `--error_format=msvs` (Visual Studio):
    /// `file(line) : error in column=col: message [CODE]`.
    Msvs,
}

/// A span as a byte range of `text` that is safe to slice: clamped to the text and moved back to
/// character boundaries (a stage that computes a span wrongly must not crash the renderer).
fn safe_range(text: &str, span: Span) -> std::ops::Range<usize> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start as usize);
    start..floor(span.end as usize).max(start)
}

/// One-based line and column (in characters) of a location, and of its end.
fn positions(sources: &SourceMap, loc: Location) -> (usize, usize, usize, usize) {
    let file = sources.get(loc.file);
    let range = safe_range(&file.text, loc.span);
    let loc = Location {
        span: Span::new(range.start, range.end),
        ..loc
    };
    let pos = |offset: u32| {
        let (line, _) = file.line_col(offset);
        let line_start = file.line_starts()[line as usize] as usize;
        let col = file.text[line_start..offset as usize].chars().count();
        (line as usize + 1, col + 1)
    };
    let (l1, c1) = pos(loc.span.start.min(file.text.len() as u32));
    let (l2, c2) = pos(loc.span.end.min(file.text.len() as u32));
    (l1, c1, l2, c2)
}

/// Renders diagnostics as text. `color` applies to [`Format::Human`] only.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, format: Format, color: bool) -> String {
    let mut out = String::new();
    match format {
        Format::Human => render_human(diags, sources, color, &mut out),
        Format::Short => {
            for d in diags {
                let _ = write!(out, "{}", location_prefix(d, sources));
                let _ = writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message);
            }
        }
        Format::Msvs => {
            for d in diags {
                let severity = d.severity.as_str();
                match &d.primary {
                    Some(p) => {
                        let (l, c, _, _) = positions(sources, p.location);
                        let file = &sources.get(p.location.file).display_path;
                        let _ = write!(out, "{file}({l}) : {severity} in column={c}: ");
                    }
                    None => {
                        let _ = write!(out, "{severity}: ");
                    }
                }
                let _ = writeln!(out, "{} [{}]", d.message, d.code);
            }
        }
        Format::Json => {
            for d in diags {
                let (file, (l1, c1, l2, c2)) = match &d.primary {
                    Some(p) => (
                        sources.get(p.location.file).display_path.clone(),
                        positions(sources, p.location),
                    ),
                    None => (String::new(), (0, 0, 0, 0)),
                };
                let _ = writeln!(
                    out,
                    "{{\"file\":{},\"line\":{l1},\"column\":{c1},\"end_line\":{l2},\"end_column\":{c2},\"severity\":\"{}\",\"code\":\"{}\",\"message\":{},\"help\":[{}]}}",
                    json_string(&file),
                    d.severity.as_str(),
                    d.code,
                    json_string(&d.message),
                    d.help.iter().map(|h| json_string(h)).collect::<Vec<_>>().join(",")
                );
            }
        }
        Format::Github => {
            for d in diags {
                let mut props = String::new();
                if let Some(p) = &d.primary {
                    let (l1, c1, l2, c2) = positions(sources, p.location);
                    let file = &sources.get(p.location.file).display_path;
                    let _ = write!(
                        props,
                        " file={},line={l1},col={c1},endLine={l2},endColumn={c2},",
                        github_property(file)
                    );
                } else {
                    props.push(' ');
                }
                let _ = write!(props, "title={}", github_property(d.code));
                let mut message = d.message.clone();
                for h in &d.help {
                    message.push_str("\nhelp: ");
                    message.push_str(h);
                }
                let _ = writeln!(
                    out,
                    "::{}{}::{}",
                    d.severity.as_str(),
                    props,
                    github_data(&message)
                );
            }
        }
    }
    out
}

fn location_prefix(d: &Diagnostic, sources: &SourceMap) -> String {
    match &d.primary {
        Some(p) => {
            let (l, c, _, _) = positions(sources, p.location);
            format!(
                "{}:{}:{}: ",
                sources.get(p.location.file).display_path,
                l,
                c
            )
        }
        None => String::new(),
    }
}

/// The compilation's files as codespan-reporting sees them: borrowed, with each file's lines
/// indexed only when a diagnostic points into it (and cached in the [`SourceMap`]). Behaves
/// like codespan's `SimpleFiles` holding every file under its display path.
struct Files<'a>(&'a SourceMap);

impl<'a> Files<'a> {
    fn file(&self, id: usize) -> Result<&'a crate::source::SourceFile, csf::Error> {
        // Ids come from the labels, which were made from files of this map.
        Ok(self.0.get(FileId(id as u32)))
    }
}

impl<'a> csf::Files<'a> for Files<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, csf::Error> {
        Ok(&self.file(id)?.display_path)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, csf::Error> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, csf::Error> {
        let starts = self.file(id)?.line_starts();
        let byte_index = u32::try_from(byte_index).unwrap_or(u32::MAX);
        Ok(starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next_line| next_line - 1))
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, csf::Error> {
        let file = self.file(id)?;
        let starts = file.line_starts();
        let start = |i: usize| match i.cmp(&starts.len()) {
            std::cmp::Ordering::Less => Ok(starts[i] as usize),
            std::cmp::Ordering::Equal => Ok(file.text.len()),
            std::cmp::Ordering::Greater => Err(csf::Error::LineTooLarge {
                given: i,
                max: starts.len() - 1,
            }),
        };
        Ok(start(line_index)?..start(line_index + 1)?)
    }
}

fn render_human(diags: &[Diagnostic], sources: &SourceMap, color: bool, out: &mut String) {
    // A diagnostic takes ~45,000 instructions to render: a large compilation's thousands of
    // warnings are rendered in chunks on all cores, and joined in order.
    const CHUNK: usize = 32;
    const MIN_PARALLEL: usize = 256;
    let chunks: Vec<&[Diagnostic]> = diags.chunks(CHUNK).collect();
    let rendered = crate::parallel::map_when(chunks, diags.len() >= MIN_PARALLEL, |chunk| {
        let mut out = String::new();
        render_human_chunk(chunk, sources, color, &mut out);
        out
    });
    for chunk in rendered {
        out.push_str(&chunk);
    }
}

/// [`render_human`] of consecutive diagnostics, on one thread.
fn render_human_chunk(diags: &[Diagnostic], sources: &SourceMap, color: bool, out: &mut String) {
    let files = Files(sources);
    let config = term::Config::default();
    for d in diags {
        let mut cd = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_code(d.code)
        .with_message(&d.message);
        let mut labels = Vec::new();
        if let Some(p) = &d.primary {
            labels.push(
                cs::Label::primary(
                    p.location.file.0 as usize,
                    safe_range(&sources.get(p.location.file).text, p.location.span),
                )
                .with_message(&p.message),
            );
        }
        for s in &d.secondary {
            labels.push(
                cs::Label::secondary(
                    s.location.file.0 as usize,
                    safe_range(&sources.get(s.location.file).text, s.location.span),
                )
                .with_message(&s.message),
            );
        }
        let mut notes: Vec<String> = d.help.iter().map(|h| format!("help: {h}")).collect();
        notes.extend(d.notes.iter().map(|n| format!("note: {n}")));
        cd = cd.with_labels(labels).with_notes(notes);
        let rendered = if color {
            let mut buf = term::termcolor::Buffer::ansi();
            let _ = term::emit_to_write_style(&mut buf, &config, &files, &cd);
            String::from_utf8_lossy(buf.as_slice()).into_owned()
        } else {
            let mut buf = term::termcolor::Buffer::no_color();
            let _ = term::emit_to_write_style(&mut buf, &config, &files, &cd);
            String::from_utf8_lossy(buf.as_slice()).into_owned()
        };
        out.push_str(&rendered);
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes a workflow-command message (GitHub's `escapeData`).
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property (GitHub's `escapeProperty`).
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Sorts diagnostics by file and position so output is deterministic, keeping the relative order
/// of diagnostics at the same place.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| {
        d.primary
            .as_ref()
            .map(|p| (p.location.file, p.location.span.start, p.location.span.end))
    });
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a likely typo
/// (see [`typo_distance`]). Ties go to the first candidate, so callers should pass candidates in a
/// deterministic order.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if let Some(d) = typo_distance(name, c) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// How many edits turn `name` into `candidate`, when that is few enough for `candidate` to be
/// what `name` meant: at most a third of `name`'s length, and always at least one. `None` when
/// the two are equal (nothing to suggest) or too far apart.
///
/// The one rule behind every "did you mean" of the compiler (type names, base classes, option
/// names), so they all agree on what counts as a typo.
pub fn typo_distance(name: &str, candidate: &str) -> Option<usize> {
    if name == candidate {
        return None;
    }
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    // Each edit changes the length by at most one: lengths alone rule most candidates out.
    if len.abs_diff(candidate.chars().count()) > limit {
        return None;
    }
    let d = edit_distance(name, candidate);
    (d <= limit).then_some(d)
}

/// Edit distance over characters (insertions, deletions, substitutions and swaps of two adjacent
/// characters, each one edit: `feild` is one edit from `field`), case-insensitive for letters (a
/// wrong case is one typo fewer than a wrong letter is worth noticing).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    // Three rows of the table: two rows back (for swaps), the previous one and the current one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msvs_format_is_protocs() {
        let mut sources = SourceMap::new();
        let id = sources.add(crate::source::SourceFile::new(
            "a.proto",
            "dir/a.proto".to_string(),
            "syntax = \"proto3\";\nmessage  M {}\n".to_string(),
        ));
        let diags = [
            Diagnostic::error("SYNTAX", "bad").at(id, Span::new(28, 29), ""),
            Diagnostic::warning("LINT", "meh").at(id, Span::new(0, 6), ""),
            Diagnostic::error("OUTPUT_WRITE", "cannot write"),
        ];
        assert_eq!(
            render(&diags, &sources, Format::Msvs, false),
            "dir/a.proto(2) : error in column=10: bad [SYNTAX]\n\
             dir/a.proto(1) : warning in column=1: meh [LINT]\n\
             error: cannot write [OUTPUT_WRITE]\n"
        );
    }

    #[test]
    fn suggestions_catch_typos_and_ignore_strangers() {
        assert_eq!(did_you_mean("Anmial", ["Animal", "Cat"]), Some("Animal"));
        assert_eq!(did_you_mean("Animl", ["Cat", "Animal"]), Some("Animal"));
        assert_eq!(did_you_mean("Zebra", ["Animal", "Cat"]), None);
        assert_eq!(did_you_mean("Cat", ["Cat"]), None);
        // A swap of two letters is one edit.
        assert_eq!(did_you_mean("feild", ["field", "fields2"]), Some("field"));
        assert_eq!(
            did_you_mean("java_pakage", ["java_package"]),
            Some("java_package")
        );
        assert_eq!(did_you_mean("cat", ["Cat"]), Some("Cat"));
    }

    #[test]
    fn edit_distance_counts_each_edit_once() {
        assert_eq!(edit_distance("Foo", "Fooo"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("abcd", "badc"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(typo_distance("Timestamp", "Event"), None);
        assert_eq!(typo_distance("deprected", "deprecated"), Some(1));
    }
}
