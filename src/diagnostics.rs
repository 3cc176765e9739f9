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

/// One-based line and column (in characters) of every label edge of the diagnostics being
/// rendered, computed in one sweep over the files: counting each column from its line's start
/// would cost N×L for N diagnostics on one L-byte line.
struct Columns<'s> {
    sources: &'s SourceMap,
    at: std::collections::HashMap<(FileId, usize), (usize, usize)>,
}

impl<'s> Columns<'s> {
    /// The positions of the label edges of `diags` (the labels [`render`] draws).
    fn new(diags: &[Diagnostic], sources: &'s SourceMap) -> Self {
        let mut points: Vec<(FileId, usize)> = Vec::new();
        for d in diags {
            let labels = d
                .primary
                .iter()
                .chain(d.secondary.iter().take(MAX_SECONDARY_LABELS));
            for l in labels {
                let range = safe_range(&sources.get(l.location.file).text, l.location.span);
                points.push((l.location.file, range.start));
                points.push((l.location.file, range.end));
            }
        }
        points.sort_unstable();
        points.dedup();
        let mut at = std::collections::HashMap::with_capacity(points.len());
        // The previous point: its file, line, offset and zero-based column.
        let mut previous: Option<(FileId, usize, usize, usize)> = None;
        for (file, offset) in points {
            let source = sources.get(file);
            let starts = source.line_starts();
            let line = line_of(starts, offset);
            let column = match previous {
                Some((f, l, o, c)) if f == file && l == line => {
                    c + source.text[o..offset].chars().count()
                }
                _ => source.text[starts[line] as usize..offset].chars().count(),
            };
            at.insert((file, offset), (line + 1, column + 1));
            previous = Some((file, line, offset, column));
        }
        Columns { sources, at }
    }

    /// One-based line and column of a (safe) offset in `file`.
    fn at(&self, file: FileId, offset: usize) -> (usize, usize) {
        if let Some(&position) = self.at.get(&(file, offset)) {
            return position;
        }
        // Not a label edge of the diagnostics given to `new` (not reached by `render`).
        let source = self.sources.get(file);
        let starts = source.line_starts();
        let line = line_of(starts, offset);
        let column = source.text[starts[line] as usize..offset].chars().count();
        (line + 1, column + 1)
    }

    /// One-based line and column (in characters) of a location, and of its end.
    fn positions(&self, loc: Location) -> (usize, usize, usize, usize) {
        let range = safe_range(&self.sources.get(loc.file).text, loc.span);
        let (l1, c1) = self.at(loc.file, range.start);
        let (l2, c2) = self.at(loc.file, range.end);
        (l1, c1, l2, c2)
    }
}

/// The most diagnostics rendered for one file; the rest are counted in one summary line (see
/// [`render`]). Every stage reports at most a few diagnostics per declaration, so this only
/// matters for hostile or machine-made input (20,000 duplicate field numbers).
pub const MAX_RENDERED_PER_FILE: usize = 2_000;

/// The most secondary locations drawn for one diagnostic (human format); the rest are counted in
/// a `note:` line.
pub const MAX_SECONDARY_LABELS: usize = 16;

/// The widest source line (in characters) a snippet shows whole. A longer line is shown as
/// windows of [`SNIPPET_WINDOW`] characters on each side of each label edge, joined by `…`, so a
/// diagnostic's snippet has a bounded size whatever the length of the line it points into.
pub const MAX_SNIPPET_LINE: usize = 200;

/// Characters shown on each side of a label edge in a line longer than [`MAX_SNIPPET_LINE`].
pub const SNIPPET_WINDOW: usize = 40;

/// Whether `c` must not reach a terminal or a line-oriented reader as it is: control characters
/// (C0 but the tab, DEL, C1), which move the cursor, end lines or start escape sequences, and the
/// invisible characters that reorder or break what is displayed (bidirectional overrides and
/// isolates, the line and paragraph separators).
fn must_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `c` to `out`, escaped if [`must_escape`] says so: `\n`, `\r`, `\0`, `\x1b` for the
/// other ASCII controls, `\u{202e}` for the rest.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\0' => out.push_str("\\0"),
        c if must_escape(c) && (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if must_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// `s` with every character that [`must_escape`] escaped, so that text from the input (file
/// names, import paths, identifiers, comments) can neither start a new output line nor send
/// escape sequences to a terminal. Other text, including all printable Unicode, is unchanged.
pub fn escape_text(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(must_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

/// Renders diagnostics as text. `color` applies to [`Format::Human`] only.
///
/// Text from the input (file names, import paths, identifiers, comments, source lines) is
/// escaped for the format, so it can neither forge output lines nor reach a terminal as control
/// sequences (see [`escape_text`]). Output is bounded: at most [`MAX_RENDERED_PER_FILE`]
/// diagnostics per file (then one `TOO_MANY_DIAGNOSTICS` line saying how many more there were),
/// and a snippet shows windows of long lines, not the lines (see [`MAX_SNIPPET_LINE`]).
pub fn render(diags: &[Diagnostic], sources: &SourceMap, format: Format, color: bool) -> String {
    let diags = capped(diags, sources);
    let diags: &[Diagnostic] = &diags;
    let columns = Columns::new(diags, sources);
    let mut out = String::new();
    match format {
        Format::Human => render_human(diags, &columns, color, &mut out),
        Format::Short => {
            for d in diags {
                let _ = write!(out, "{}", location_prefix(d, &columns));
                let _ = writeln!(
                    out,
                    "{}[{}]: {}",
                    d.severity.as_str(),
                    d.code,
                    escape_text(&d.message)
                );
            }
        }
        Format::Msvs => {
            for d in diags {
                let severity = d.severity.as_str();
                match &d.primary {
                    Some(p) => {
                        let (l, c, _, _) = columns.positions(p.location);
                        let file = escape_text(&sources.get(p.location.file).display_path);
                        let _ = write!(out, "{file}({l}) : {severity} in column={c}: ");
                    }
                    None => {
                        let _ = write!(out, "{severity}: ");
                    }
                }
                let _ = writeln!(out, "{} [{}]", escape_text(&d.message), d.code);
            }
        }
        Format::Json => {
            for d in diags {
                let (file, (l1, c1, l2, c2)) = match &d.primary {
                    Some(p) => (
                        sources.get(p.location.file).display_path.clone(),
                        columns.positions(p.location),
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
                    let (l1, c1, l2, c2) = columns.positions(p.location);
                    let file = escape_text(&sources.get(p.location.file).display_path);
                    let _ = write!(
                        props,
                        " file={},line={l1},col={c1},endLine={l2},endColumn={c2},",
                        github_property(&file)
                    );
                } else {
                    props.push(' ');
                }
                let _ = write!(props, "title={}", github_property(d.code));
                // The input's own line breaks are escaped (`\n`) like its other control
                // characters; the line breaks that separate the help lines are GitHub's (`%0A`).
                let mut message = escape_text(&d.message).into_owned();
                for h in &d.help {
                    message.push_str("\nhelp: ");
                    message.push_str(&escape_text(h));
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

/// `diags` with at most [`MAX_RENDERED_PER_FILE`] diagnostics of each file: the first ones, in
/// their order, then one `TOO_MANY_DIAGNOSTICS` summary per file that had more, in file order.
/// Borrowed when no file has too many (the usual case).
fn capped<'d>(diags: &'d [Diagnostic], sources: &SourceMap) -> std::borrow::Cow<'d, [Diagnostic]> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<FileId, usize> = BTreeMap::new();
    for d in diags {
        if let Some(p) = &d.primary {
            *counts.entry(p.location.file).or_default() += 1;
        }
    }
    if counts.values().all(|&n| n <= MAX_RENDERED_PER_FILE) {
        return std::borrow::Cow::Borrowed(diags);
    }
    let mut shown: BTreeMap<FileId, usize> = BTreeMap::new();
    // Per file: (errors left out, warnings left out).
    let mut left_out: BTreeMap<FileId, (usize, usize)> = BTreeMap::new();
    let mut kept = Vec::with_capacity(diags.len().min(counts.len() * MAX_RENDERED_PER_FILE + 16));
    for d in diags {
        if let Some(p) = &d.primary {
            let n = shown.entry(p.location.file).or_default();
            if *n == MAX_RENDERED_PER_FILE {
                let (errors, warnings) = left_out.entry(p.location.file).or_default();
                match d.severity {
                    Severity::Error => *errors += 1,
                    Severity::Warning => *warnings += 1,
                }
                continue;
            }
            *n += 1;
        }
        kept.push(d.clone());
    }
    for (file, (errors, warnings)) in left_out {
        let severity = if errors > 0 {
            Diagnostic::error
        } else {
            Diagnostic::warning
        };
        kept.push(
            severity(
                "TOO_MANY_DIAGNOSTICS",
                format!(
                    "{} more diagnostics in {} are not shown ({errors} errors, {warnings} warnings)",
                    errors + warnings,
                    sources.get(file).display_path
                ),
            )
            .note(format!(
                "at most {MAX_RENDERED_PER_FILE} diagnostics are shown for one file"
            )),
        );
    }
    std::borrow::Cow::Owned(kept)
}

fn location_prefix(d: &Diagnostic, columns: &Columns) -> String {
    match &d.primary {
        Some(p) => {
            let (l, c, _, _) = columns.positions(p.location);
            format!(
                "{}:{}:{}: ",
                escape_text(&columns.sources.get(p.location.file).display_path),
                l,
                c
            )
        }
        None => String::new(),
    }
}

/// One file of an [`Excerpt`]: the lines of a real file that one diagnostic shows, each made safe
/// to print (escaped) and short (windowed), with the real line numbers and columns kept aside so
/// that what codespan prints about them stays exact.
struct ExcerptFile {
    /// The real file's display path, escaped.
    name: String,
    /// The shown lines, each ending in `\n`.
    text: String,
    /// Where each line of `text` starts.
    starts: Vec<usize>,
    /// The real (one-based) number of each line of `text`.
    numbers: Vec<usize>,
    /// Real (line, column) of the label starts, by their offset in `text` (for the `┌─ file:l:c`
    /// line).
    locations: Vec<(usize, (usize, usize))>,
}

/// What codespan is given to render one diagnostic: instead of whole files (codespan prints every
/// line a label touches in full, so N labels on an L-byte line cost N×L), one small file per file
/// the labels point into, holding only the lines that codespan shows — escaped and cut to windows
/// around the labels — and spaced so that codespan draws the same gaps (`·`) as for the real file.
struct Excerpt(Vec<ExcerptFile>);

/// The index of the line of `starts` (line start offsets, the first 0) that holds `offset`.
fn line_of(starts: &[u32], offset: usize) -> usize {
    let offset = u32::try_from(offset).unwrap_or(u32::MAX);
    starts
        .binary_search(&offset)
        .unwrap_or_else(|next| next - 1)
}

/// The offset `n` characters before `i` in `s` (or 0).
fn chars_back(s: &str, i: usize, n: usize) -> usize {
    s[..i]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(j, _)| j)
}

/// The offset `n` characters after `i` in `s` (or its end).
fn chars_forward(s: &str, i: usize, n: usize) -> usize {
    s[i..].char_indices().nth(n).map_or(s.len(), |(j, _)| i + j)
}

/// Appends `line` (without its line end) to `out` as a snippet shows it, and returns where each
/// of `points` (offsets in `line`, at character boundaries or past its end) landed in `out`.
///
/// A line of at most [`MAX_SNIPPET_LINE`] characters is copied whole; a longer one only in
/// windows of [`SNIPPET_WINDOW`] characters around the points, with `…` for what is left out.
/// Characters that [`must_escape`] are escaped either way.
fn push_line(out: &mut String, line: &str, points: &[usize]) -> Vec<usize> {
    let long = line.len() > MAX_SNIPPET_LINE && line.chars().nth(MAX_SNIPPET_LINE).is_some();
    // The kept parts of the line, in order and disjoint.
    let mut windows: Vec<(usize, usize)> = Vec::new();
    if !long {
        windows.push((0, line.len()));
    } else {
        let mut centres: Vec<usize> = points.iter().map(|&p| p.min(line.len())).collect();
        if centres.is_empty() {
            centres.push(0);
        }
        centres.sort_unstable();
        centres.dedup();
        for c in centres {
            let (start, end) = (
                chars_back(line, c, SNIPPET_WINDOW),
                chars_forward(line, c, SNIPPET_WINDOW),
            );
            match windows.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => windows.push((start, end)),
            }
        }
    }
    let base = out.len();
    // (offset in line, offset in out) at the start and end of each window.
    let mut marks: Vec<(usize, usize, usize)> = Vec::with_capacity(windows.len());
    let mut previous_end = 0;
    for &(start, end) in &windows {
        if start > previous_end {
            out.push('…');
        }
        let at = out.len();
        for c in line[start..end].chars() {
            push_escaped(out, c);
        }
        marks.push((start, end, at));
        previous_end = end;
    }
    if previous_end < line.len() {
        out.push('…');
    }
    let line_end = out.len();
    points
        .iter()
        .map(|&p| {
            if p >= line.len() {
                // On the line end (`\r`, `\n`) or past it.
                return line_end + (p - line.len());
            }
            match marks
                .iter()
                .find(|&&(start, end, _)| start <= p && p <= end)
            {
                Some(&(start, _, at)) => {
                    let mut escaped = String::new();
                    for c in line[start..p].chars() {
                        push_escaped(&mut escaped, c);
                    }
                    at + escaped.len()
                }
                None => base,
            }
        })
        .collect()
}

impl Excerpt {
    /// The excerpt for `labels` (file, real byte range) and those labels with their ranges moved
    /// into it (file ids become indices into the excerpt's files).
    fn new(
        columns: &Columns,
        labels: &[(FileId, std::ops::Range<usize>)],
    ) -> (Excerpt, Vec<(usize, std::ops::Range<usize>)>) {
        let sources = columns.sources;
        let mut files: Vec<FileId> = Vec::new();
        for (file, _) in labels {
            if !files.contains(file) {
                files.push(*file);
            }
        }
        let mut moved = vec![(0, 0..0); labels.len()];
        let mut excerpt = Vec::with_capacity(files.len());
        for (index, &file) in files.iter().enumerate() {
            let source = sources.get(file);
            let text = source.text.as_str();
            let starts = source.line_starts();
            let line_range = |l: usize| {
                let start = starts[l] as usize;
                let end = starts.get(l + 1).map_or(text.len(), |&s| s as usize);
                start..end
            };
            // The lines codespan shows for these labels: the line of a one-line label; the first
            // four and the last two lines of a longer one; and a line between two shown lines
            // (codespan fills a one-line gap rather than drawing a break).
            let mine: Vec<usize> = (0..labels.len()).filter(|&i| labels[i].0 == file).collect();
            let mut shown = std::collections::BTreeSet::new();
            for &i in &mine {
                let range = &labels[i].1;
                let (first, last) = (line_of(starts, range.start), line_of(starts, range.end));
                shown.extend(first..=last.min(first + 3));
                shown.extend(last.saturating_sub(1).max(first)..=last);
            }
            let lines: Vec<usize> = shown.iter().copied().collect();
            for pair in lines.windows(2) {
                if pair[1] - pair[0] == 2 {
                    shown.insert(pair[0] + 1);
                }
            }
            let mut out = ExcerptFile {
                name: escape_text(&source.display_path).into_owned(),
                text: String::new(),
                starts: Vec::new(),
                numbers: Vec::new(),
                locations: Vec::new(),
            };
            // Where each shown real line starts in `out.text`, with the label edges on it.
            let mut previous: Option<usize> = None;
            for &l in &shown {
                if let Some(p) = previous {
                    if l - p >= 3 {
                        // A gap: two empty lines codespan will not show, so it draws a break.
                        for _ in 0..2 {
                            out.starts.push(out.text.len());
                            out.numbers.push(p + 1);
                            out.text.push('\n');
                        }
                    }
                }
                previous = Some(l);
                let range = line_range(l);
                let full = &text[range.clone()];
                let body = full.strip_suffix('\n').unwrap_or(full);
                let body = body.strip_suffix('\r').unwrap_or(body);
                // The label edges on this line, relative to its start.
                let mut edges: Vec<(usize, bool, usize)> = Vec::new();
                for &i in &mine {
                    let r = &labels[i].1;
                    if line_of(starts, r.start) == l {
                        edges.push((i, true, r.start - range.start));
                    }
                    if line_of(starts, r.end) == l {
                        edges.push((i, false, r.end - range.start));
                    }
                }
                let points: Vec<usize> = edges.iter().map(|e| e.2).collect();
                out.starts.push(out.text.len());
                out.numbers.push(l + 1);
                let landed = push_line(&mut out.text, body, &points);
                out.text.push_str(&full[body.len()..]);
                if !full.ends_with('\n') {
                    out.text.push('\n');
                }
                for ((i, is_start, _), at) in edges.into_iter().zip(landed) {
                    moved[i].0 = index;
                    if is_start {
                        moved[i].1.start = at;
                        out.locations
                            .push((at, columns.at(file, labels[i].1.start)));
                    } else {
                        moved[i].1.end = at;
                    }
                }
            }
            excerpt.push(out);
        }
        (Excerpt(excerpt), moved)
    }

    fn file(&self, id: usize) -> Result<&ExcerptFile, csf::Error> {
        self.0.get(id).ok_or(csf::Error::FileMissing)
    }
}

impl<'a> csf::Files<'a> for Excerpt {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, csf::Error> {
        Ok(&self.file(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, csf::Error> {
        Ok(&self.file(id)?.text)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, csf::Error> {
        Ok(self
            .file(id)?
            .starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next_line| next_line - 1))
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, csf::Error> {
        let numbers = &self.file(id)?.numbers;
        // Past the last line (codespan asks for no context lines, so only in theory): one more.
        Ok(numbers
            .get(line_index)
            .copied()
            .unwrap_or_else(|| numbers.last().map_or(1, |n| n + 1)))
    }

    fn location(&'a self, id: usize, byte_index: usize) -> Result<csf::Location, csf::Error> {
        let file = self.file(id)?;
        let (line_number, column_number) = file
            .locations
            .iter()
            .find(|(at, _)| *at == byte_index)
            .map(|(_, lc)| *lc)
            .unwrap_or((1, 1));
        Ok(csf::Location {
            line_number,
            column_number,
        })
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> Result<std::ops::Range<usize>, csf::Error> {
        let file = self.file(id)?;
        let start = |i: usize| match i.cmp(&file.starts.len()) {
            std::cmp::Ordering::Less => Ok(file.starts[i]),
            std::cmp::Ordering::Equal => Ok(file.text.len()),
            std::cmp::Ordering::Greater => Err(csf::Error::LineTooLarge {
                given: i,
                max: file.starts.len().saturating_sub(1),
            }),
        };
        Ok(start(line_index)?..start(line_index + 1)?)
    }
}

fn render_human(diags: &[Diagnostic], columns: &Columns, color: bool, out: &mut String) {
    // A diagnostic takes ~45,000 instructions to render: a large compilation's thousands of
    // warnings are rendered in chunks on all cores, and joined in order.
    const CHUNK: usize = 32;
    const MIN_PARALLEL: usize = 256;
    let chunks: Vec<&[Diagnostic]> = diags.chunks(CHUNK).collect();
    let rendered = crate::parallel::map_when(chunks, diags.len() >= MIN_PARALLEL, |chunk| {
        let mut out = String::new();
        render_human_chunk(chunk, columns, color, &mut out);
        out
    });
    for chunk in rendered {
        out.push_str(&chunk);
    }
}

/// [`render_human`] of consecutive diagnostics, on one thread.
fn render_human_chunk(diags: &[Diagnostic], columns: &Columns, color: bool, out: &mut String) {
    let sources = columns.sources;
    let config = term::Config::default();
    for d in diags {
        let mut cd = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_code(d.code)
        .with_message(escape_text(&d.message));
        // The labels drawn (primary or not): the primary and the first secondary ones.
        let mut drawn: Vec<(&Label, bool)> = Vec::new();
        if let Some(p) = &d.primary {
            drawn.push((p, true));
        }
        drawn.extend(
            d.secondary
                .iter()
                .take(MAX_SECONDARY_LABELS)
                .map(|s| (s, false)),
        );
        let ranges: Vec<(FileId, std::ops::Range<usize>)> = drawn
            .iter()
            .map(|(l, _)| {
                let file = l.location.file;
                (file, safe_range(&sources.get(file).text, l.location.span))
            })
            .collect();
        let (files, moved) = Excerpt::new(columns, &ranges);
        let labels = drawn
            .iter()
            .zip(moved)
            .map(|((label, primary), (file, range))| {
                let style = if *primary {
                    cs::LabelStyle::Primary
                } else {
                    cs::LabelStyle::Secondary
                };
                cs::Label::new(style, file, range).with_message(escape_text(&label.message))
            })
            .collect();
        let mut notes: Vec<String> = d
            .help
            .iter()
            .map(|h| format!("help: {}", escape_text(h)))
            .collect();
        notes.extend(d.notes.iter().map(|n| format!("note: {}", escape_text(n))));
        if d.secondary.len() > MAX_SECONDARY_LABELS {
            notes.push(format!(
                "note: {} more locations are not shown",
                d.secondary.len() - MAX_SECONDARY_LABELS
            ));
        }
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
            // Every control character, and the invisible ones that reorder text: JSON needs only
            // the C0 ones escaped, but a reader may print the strings to a terminal.
            c if must_escape(c) => {
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

/// How many items of a list a message names before it says how many more there are.
pub const LISTED_AT_MOST: usize = 5;

/// `items` joined with commas for a message, the first [`LISTED_AT_MOST`] only, then "and N
/// more": a message repeated once per member of a group must not hold the whole group, or the
/// output would grow with the square of the group.
pub fn list_some<I>(items: I) -> String
where
    I: IntoIterator,
    I::Item: std::fmt::Display,
{
    let mut out = String::new();
    let mut rest = 0usize;
    for (i, item) in items.into_iter().enumerate() {
        if i < LISTED_AT_MOST {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&item.to_string());
        } else {
            rest += 1;
        }
    }
    if rest > 0 {
        out.push_str(&format!(" and {rest} more"));
    }
    out
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

    /// How codespan renders `d` given the whole files (what [`render`] did before excerpts).
    fn whole_file_rendering(d: &Diagnostic, sources: &SourceMap) -> String {
        let mut files = csf::SimpleFiles::new();
        for (_, f) in sources.iter() {
            files.add(f.display_path.clone(), f.text.clone());
        }
        let label = |l: &Label, style| {
            cs::Label::new(style, l.location.file.0 as usize, l.location.span.range())
                .with_message(&l.message)
        };
        let mut labels: Vec<_> = d
            .primary
            .iter()
            .map(|p| label(p, cs::LabelStyle::Primary))
            .collect();
        labels.extend(
            d.secondary
                .iter()
                .map(|s| label(s, cs::LabelStyle::Secondary)),
        );
        let cd = cs::Diagnostic::error()
            .with_code(d.code)
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(d.help.iter().map(|h| format!("help: {h}")).collect());
        let mut buf = term::termcolor::Buffer::no_color();
        term::emit_to_write_style(&mut buf, &term::Config::default(), &files, &cd).unwrap();
        String::from_utf8(buf.into_inner()).unwrap()
    }

    #[test]
    fn excerpts_render_like_whole_files_when_lines_are_plain() {
        // Random files of short lines and random labels (one-line, multi-line, in two files, close
        // together and far apart): the excerpt must give codespan's output byte for byte.
        let seed = std::cell::Cell::new(0x2545_f491_4f6c_dd1du64);
        let next = |n: usize| {
            let mut x = seed.get();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            seed.set(x);
            (x % n as u64) as usize
        };
        let (mut multi_line, mut breaks, mut two_files) = (0, 0, 0);
        for case in 0..400 {
            let mut sources = SourceMap::new();
            let mut ids = Vec::new();
            for f in 0..2 {
                let mut text = String::new();
                for line in 0..(1 + next(40)) {
                    let width = next(30);
                    let indent = if next(4) == 0 { "\t" } else { "" };
                    let body: String = (0..width)
                        .map(|i| if i % 5 == 4 { ' ' } else { 'é' })
                        .collect();
                    text.push_str(&format!("{indent}l{line} {body}"));
                    text.push_str(if next(5) == 0 { "\r\n" } else { "\n" });
                }
                if next(2) == 0 {
                    text.push_str("last");
                }
                let name = format!("f{f}.proto");
                ids.push(sources.add(crate::source::SourceFile::new(name.clone(), name, text)));
            }
            let span = |id: FileId| {
                let text = &sources.get(id).text;
                let r = safe_range(text, Span::new(next(text.len() + 1), 0));
                let reach = if next(3) == 0 { 200 } else { 8 };
                let end = safe_range(text, Span::new(r.start, r.start + next(reach)));
                Span::new(r.start, end.end)
            };
            let mut d = Diagnostic::error("X", "message").at(ids[0], span(ids[0]), "here");
            for _ in 0..next(4) {
                let id = ids[next(2)];
                d = d.also(id, span(id), "there");
            }
            if next(2) == 0 {
                d = d.help("do this");
            }
            let ours = render(std::slice::from_ref(&d), &sources, Format::Human, false);
            assert_eq!(
                ours,
                whole_file_rendering(&d, &sources),
                "case {case}: {d:?}"
            );
            multi_line += usize::from(ours.contains('╭'));
            breaks += usize::from(ours.contains('·'));
            two_files += usize::from(ours.matches("┌─").count() == 2);
        }
        // The cases covered what the excerpt must reproduce.
        assert!(
            multi_line > 20 && breaks > 20 && two_files > 20,
            "{multi_line} {breaks} {two_files}"
        );
    }

    #[test]
    fn long_lines_are_shown_as_windows_around_the_labels() {
        let line = format!("{}bad{}", "a".repeat(50_000), "b".repeat(50_000));
        let mut sources = SourceMap::new();
        let id = sources.add(crate::source::SourceFile::new(
            "a.proto",
            "a.proto",
            format!("syntax = \"proto3\";\n{line}\n"),
        ));
        let d = Diagnostic::error("X", "bad").at(id, Span::new(19 + 50_000, 19 + 50_003), "this");
        let text = render(std::slice::from_ref(&d), &sources, Format::Human, false);
        assert!(text.len() < 600, "{} bytes:\n{text}", text.len());
        // The header keeps the real position; the snippet shows the span between `…` marks.
        assert!(text.contains("┌─ a.proto:2:50001"), "{text}");
        let expected = format!(
            "2 │ …{}bad{}…",
            "a".repeat(SNIPPET_WINDOW),
            "b".repeat(SNIPPET_WINDOW)
        );
        assert!(text.contains(&expected), "{text}");
        assert!(
            text.contains(&format!("{}^^^ this", " ".repeat(SNIPPET_WINDOW + 1))),
            "{text}"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_unicode_kept() {
        assert_eq!(
            escape_text("a\nb\r\u{1b}[31m\u{202e}\u{85}é漢\t\0"),
            "a\\nb\\r\\x1b[31m\\u{202e}\\u{85}é漢\t\\0"
        );
        assert!(matches!(
            escape_text("plain é 漢"),
            std::borrow::Cow::Borrowed(_)
        ));
        let mut sources = SourceMap::new();
        let id = sources.add(crate::source::SourceFile::new(
            "a.proto",
            "a\n::error::x.proto",
            "// \u{1b}]0;title\u{7} \u{202e}txt\r\nmessage M {}\n".to_string(),
        ));
        let d = Diagnostic::error("X", "bad \u{1b}[2J\n::error::pwned")
            .at(id, Span::new(3, 14), "in \u{9b}here")
            .help("fix\nit");
        for format in [
            Format::Human,
            Format::Short,
            Format::Json,
            Format::Github,
            Format::Msvs,
        ] {
            for color in [false, true] {
                let text = render(std::slice::from_ref(&d), &sources, format, color);
                let controls: Vec<char> = text
                    .chars()
                    .filter(|&c| must_escape(c) && c != '\n' && !(color && c == '\u{1b}'))
                    .collect();
                assert!(controls.is_empty(), "{format:?}: {controls:?} in {text}");
                assert!(
                    !text.contains("\u{1b}]") && !text.contains("\u{1b}[2J"),
                    "{format:?}: {text}"
                );
                assert!(
                    !text.lines().any(|l| l.starts_with("::error::")),
                    "{format:?}: {text}"
                );
            }
        }
        let human = render(std::slice::from_ref(&d), &sources, Format::Human, false);
        assert!(human.contains("┌─ a\\n::error::x.proto:1:4"), "{human}");
        assert!(
            human.contains("1 │ // \\x1b]0;title\\x07 \\u{202e}txt"),
            "{human}"
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
