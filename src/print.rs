//! Prints an [`ast::File`] as `.proto` text.
//!
//! The output is meant to be read by people and parsed by protoc, so it is both **faithful** (every
//! construct of the tree is printed so that protoc reads back the same meaning, and comments land
//! where protoc attaches them again) and **stable** (the same tree always gives the same bytes).
//!
//! Layout rules:
//!
//! - Two spaces per indentation level, one declaration per line.
//! - At the top level, a blank line separates the header groups (`syntax`, `package`, imports,
//!   file options) from each other, and every definition (message, enum, extend, service) from its
//!   neighbours. Inside a body, a blank line goes around nested blocks (messages, enums, oneofs,
//!   groups, extends, rpcs with options), around declarations that span several lines, and
//!   between the body's `option` statements and the rest.
//! - Compact options stay on one line (`[default = 1, json_name = "x"]`) unless the line would
//!   exceed [`MAX_WIDTH`]; then each option gets its own line. Aggregate (text-format) values are
//!   printed inline when they fit and spread over indented lines when they do not.
//! - Comments are printed as `//` lines, each line's text right after the marker (so protoc reads
//!   back the same text, less trailing whitespace; a `/* … */` comment, whose text has no final
//!   newline, reads back with one). Blank lines are added where protoc's attachment rules need
//!   them: after each detached block, before the first detached block of a declaration, and after
//!   a trailing comment that spans several lines (which cannot sit on the declaration's line).
//! - Literals are re-spelled canonically: integers in decimal, floats in their shortest exact form
//!   (`inf` / `nan` as identifiers), strings re-escaped (printable text as is, the rest as `\NNN`).
//!
//! Empty statements (`;`) are dropped. Nodes are printed whatever their [`ast::Origin`]: lowering
//! gives generated nodes their comments itself.

use crate::ast::{
    self, Comments, Constant, EnumItem, ExtendItem, Field, FieldType, FieldValue, FieldValueName,
    FileItem, FloatLit, ImportKind, IntLit, Label, MessageItem, MessageValue, OneofItem,
    OptionAssign, OptionName, OptionNamePart, Range, RangeEnd, ReservedKind, ReservedName,
    ServiceItem, SyntaxKind, TextValue, Visibility,
};
use std::fmt::Write as _;

/// The line width beyond which compact options and aggregate values are spread over several lines.
pub const MAX_WIDTH: usize = 100;

/// One indentation level.
const INDENT: &str = "  ";

/// Prints a (lowered) file. `header` is put first as `//` comment lines followed by a blank line.
///
/// Printing never fails: any tree gives text, and a tree parsed from a file that protoc accepts
/// prints as text that protoc accepts with the same meaning. One gap: an integer literal that
/// overflowed `u64` (kept in the tree without a value) prints as `18446744073709551616`.
pub fn print_file(file: &ast::File, header: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(header) = header {
        for line in header.lines() {
            let line = line.trim_end();
            out.push_str(if line.is_empty() { "//" } else { "// " });
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }

    let mut entries = Vec::new();
    if let Some(syntax) = &file.syntax {
        let keyword = match syntax.kind {
            SyntaxKind::Syntax => "syntax",
            SyntaxKind::Edition => "edition",
        };
        entries.push(Entry::line(
            Group::Syntax,
            &syntax.comments,
            format!("{keyword} = {};", quote(&syntax.value.value)),
        ));
    }
    for item in &file.items {
        let entry = match item {
            FileItem::Package(p) => Entry::line(
                Group::Package,
                &p.comments,
                format!("package {};", p.name.to_text()),
            ),
            FileItem::Import(i) => {
                let modifier = match i.kind {
                    ImportKind::Default => "",
                    ImportKind::Public => "public ",
                    ImportKind::Weak => "weak ",
                    ImportKind::Option => "option ",
                };
                Entry::line(
                    Group::Import,
                    &i.comments,
                    format!("import {modifier}{};", quote(&i.path.value)),
                )
            }
            FileItem::Option(o) => option_entry(o, 0),
            FileItem::Message(m) => message_entry(m, 0),
            FileItem::Enum(e) => enum_entry(e, 0),
            FileItem::Extend(e) => extend_entry(e, 0),
            FileItem::Service(s) => service_entry(s, 0),
            FileItem::Empty(_) => continue,
        };
        entries.push(entry);
    }
    emit_entries(&mut out, &entries, 0, false);

    for block in &file.trailing_comments {
        if !out.is_empty() {
            out.push('\n');
        }
        push_comment(&mut out, 0, block);
    }
    out
}

/// Which kind of statement an entry is: a blank line separates statements of different groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Syntax,
    Package,
    Import,
    /// `option` statements, at the top level and in bodies.
    Option,
    /// Anything else: definitions, fields, values, `reserved`, `extensions`, rpcs.
    Other,
}

/// One declaration, rendered but not yet placed: its comments are printed around it by
/// [`emit_entries`], which also decides the blank lines.
struct Entry<'a> {
    group: Group,
    comments: &'a Comments,
    /// The declaration up to the token a trailing comment follows (`;` or the opening `{`), with
    /// the indentation of its first line left out. It may span several lines.
    head: String,
    /// For blocks: the rendered body, complete lines, and then the closing `}`. `None` for
    /// declarations that end in `;`.
    body: Option<String>,
}

impl<'a> Entry<'a> {
    fn line(group: Group, comments: &'a Comments, head: String) -> Self {
        Entry {
            group,
            comments,
            head,
            body: None,
        }
    }

    fn block(comments: &'a Comments, head: String, body: String) -> Self {
        Entry {
            group: Group::Other,
            comments,
            head,
            body: Some(body),
        }
    }

    /// Blocks and multi-line declarations get blank lines around them.
    fn is_spacious(&self) -> bool {
        self.body.is_some() || self.head.contains('\n')
    }
}

/// Prints a sequence of declarations at `indent`, with their comments and the blank lines between
/// them. `in_body` says the sequence directly follows an opening `{`.
fn emit_entries(out: &mut String, entries: &[Entry<'_>], indent: usize, in_body: bool) {
    let mut prev: Option<(&Entry<'_>, bool)> = None;
    for entry in entries {
        let detached = !entry.comments.leading_detached.is_empty();
        let blank = match prev {
            // Right after `{`, a comment block would be the block's trailing comment unless a
            // blank line separates it.
            None => in_body && detached,
            Some((p, needs_blank_after)) => {
                needs_blank_after
                    || detached
                    || p.is_spacious()
                    || entry.is_spacious()
                    || p.group != entry.group
            }
        };
        if blank {
            out.push('\n');
        }
        let needs_blank_after = emit_entry(out, entry, indent);
        prev = Some((entry, needs_blank_after));
    }
}

/// Prints one declaration with its comments. Returns whether the next declaration must be
/// separated by a blank line (so that a multi-line trailing comment stays attached to this one).
fn emit_entry(out: &mut String, entry: &Entry<'_>, indent: usize) -> bool {
    let comments = entry.comments;
    for block in &comments.leading_detached {
        push_comment(out, indent, block);
        out.push('\n');
    }
    if let Some(leading) = &comments.leading {
        push_comment(out, indent, leading);
    }
    push_indent(out, indent);
    out.push_str(&entry.head);

    let body_is_empty = entry.body.as_deref() == Some("");
    let trailing = comments.trailing.as_deref().map(comment_lines);
    let mut needs_blank_after = false;
    match &trailing {
        None if body_is_empty => {
            out.push_str("}\n");
            return false;
        }
        None => out.push('\n'),
        Some(lines) if lines.len() == 1 => {
            out.push_str("  ");
            push_comment_line(out, 0, lines[0], false);
        }
        Some(lines) => {
            // Below the declaration (inside the block for blocks), closed by a blank line so
            // that protoc does not take it for the next declaration's leading comment.
            out.push('\n');
            let inner = indent + usize::from(entry.body.is_some());
            for line in lines {
                push_comment_line(out, inner, line, true);
            }
            match &entry.body {
                // (The body starts with a blank line itself when its first entry has detached
                // comments.)
                Some(body) if !body.is_empty() && !body.starts_with('\n') => out.push('\n'),
                Some(_) => {}
                None => needs_blank_after = true,
            }
        }
    }
    if let Some(body) = &entry.body {
        out.push_str(body);
        push_indent(out, indent);
        out.push_str("}\n");
    }
    needs_blank_after
}

/// Renders the entries of a body one level below `indent`.
fn body(entries: &[Entry<'_>], indent: usize) -> String {
    let mut out = String::new();
    emit_entries(&mut out, entries, indent + 1, true);
    out
}

// ---------------------------------------------------------------------------------------------
// Comments

/// The lines of a comment's text (protoc style: markers stripped, lines joined by `\n`, maybe
/// ending in `\n`).
fn comment_lines(text: &str) -> Vec<&str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect()
}

/// Prints a comment block as `//` lines at `indent`.
fn push_comment(out: &mut String, indent: usize, text: &str) {
    for line in comment_lines(text) {
        push_comment_line(out, indent, line, true);
    }
}

/// Prints one `//` line: the text follows the marker exactly (it usually starts with a space, which
/// is part of the text) but for trailing whitespace, which is dropped, so a blank line gives a
/// bare `//`. `indent_it` is false when the line continues a declaration's line (a trailing
/// comment).
fn push_comment_line(out: &mut String, indent: usize, line: &str, indent_it: bool) {
    if indent_it {
        push_indent(out, indent);
    }
    out.push_str("//");
    out.push_str(line.trim_end());
    out.push('\n');
}

fn push_indent(out: &mut String, indent: usize) {
    for _ in 0..indent {
        out.push_str(INDENT);
    }
}

// ---------------------------------------------------------------------------------------------
// Declarations

fn option_entry(option: &ast::OptionDecl, indent: usize) -> Entry<'_> {
    let name = option_name(&option.option.name);
    let prefix = format!("option {name} = ");
    let used = indent * INDENT.len() + prefix.len();
    let value = format_constant(&option.option.value, indent, used, 1);
    Entry::line(Group::Option, &option.comments, format!("{prefix}{value};"))
}

fn message_entry(message: &ast::Message, indent: usize) -> Entry<'_> {
    let mut head = String::new();
    head.push_str(visibility(message.visibility));
    head.push_str("message ");
    head.push_str(&message.name.name);
    if let Some(base) = &message.base {
        head.push_str(" : ");
        head.push_str(&base.name.to_text());
        if let Some(tag) = &base.tag {
            head.push_str(" = ");
            head.push_str(&int(tag));
        }
    }
    head.push_str(" {");
    let entries = message_items(&message.items, indent + 1);
    Entry::block(&message.comments, head, body(&entries, indent))
}

fn message_items(items: &[MessageItem], indent: usize) -> Vec<Entry<'_>> {
    items
        .iter()
        .map(|item| {
            match item {
                MessageItem::Field(f) => field_entry(f, indent),
                MessageItem::Oneof(o) => oneof_entry(o, indent),
                MessageItem::Message(m) => message_entry(m, indent),
                MessageItem::Enum(e) => enum_entry(e, indent),
                MessageItem::Extend(e) => extend_entry(e, indent),
                MessageItem::Extensions(e) => {
                    let head = format!("extensions {}", ranges(&e.ranges));
                    let head = with_options(head, &e.options, indent, ";");
                    Entry::line(Group::Other, &e.comments, head)
                }
                MessageItem::Reserved(r) => reserved_entry(r),
                MessageItem::Option(o) => option_entry(o, indent),
                MessageItem::Subclass(s) => Entry::line(
                    Group::Other,
                    &s.comments,
                    format!("subclass {} = {};", s.name.to_text(), int(&s.tag)),
                ),
            }
        })
        .collect()
}

fn field_entry(field: &Field, indent: usize) -> Entry<'_> {
    let mut head = String::new();
    if let Some((label, _)) = field.label {
        head.push_str(match label {
            Label::Optional => "optional ",
            Label::Required => "required ",
            Label::Repeated => "repeated ",
        });
    }
    match &field.ty {
        FieldType::Named(name) => head.push_str(&name.to_text()),
        FieldType::Map(map) => {
            let _ = write!(head, "map<{}, {}>", map.key.to_text(), map.value.to_text());
        }
        FieldType::Group { .. } => head.push_str("group"),
    }
    let _ = write!(head, " {} = {}", field.name.name, int(&field.number));
    match &field.ty {
        FieldType::Group { items, .. } => {
            let head = with_options(head, &field.options, indent, " {");
            let entries = message_items(items, indent + 1);
            Entry::block(&field.comments, head, body(&entries, indent))
        }
        _ => {
            let head = with_options(head, &field.options, indent, ";");
            Entry::line(Group::Other, &field.comments, head)
        }
    }
}

fn oneof_entry(oneof: &ast::Oneof, indent: usize) -> Entry<'_> {
    let entries: Vec<_> = oneof
        .items
        .iter()
        .filter_map(|item| match item {
            OneofItem::Field(f) => Some(field_entry(f, indent + 1)),
            OneofItem::Option(o) => Some(option_entry(o, indent + 1)),
            OneofItem::Empty(_) => None,
        })
        .collect();
    let head = format!("oneof {} {{", oneof.name.name);
    Entry::block(&oneof.comments, head, body(&entries, indent))
}

fn enum_entry(e: &ast::Enum, indent: usize) -> Entry<'_> {
    let entries: Vec<_> = e
        .items
        .iter()
        .map(|item| match item {
            EnumItem::Value(v) => {
                let head = format!("{} = {}", v.name.name, int(&v.number));
                let head = with_options(head, &v.options, indent + 1, ";");
                Entry::line(Group::Other, &v.comments, head)
            }
            EnumItem::Option(o) => option_entry(o, indent + 1),
            EnumItem::Reserved(r) => reserved_entry(r),
        })
        .collect();
    let head = format!("{}enum {} {{", visibility(e.visibility), e.name.name);
    Entry::block(&e.comments, head, body(&entries, indent))
}

fn extend_entry(extend: &ast::Extend, indent: usize) -> Entry<'_> {
    let entries: Vec<_> = extend
        .items
        .iter()
        .filter_map(|item| match item {
            ExtendItem::Field(f) => Some(field_entry(f, indent + 1)),
            ExtendItem::Empty(_) => None,
        })
        .collect();
    let head = format!("extend {} {{", extend.extendee.to_text());
    Entry::block(&extend.comments, head, body(&entries, indent))
}

fn service_entry(service: &ast::Service, indent: usize) -> Entry<'_> {
    let entries: Vec<_> = service
        .items
        .iter()
        .map(|item| match item {
            ServiceItem::Rpc(rpc) => rpc_entry(rpc, indent + 1),
            ServiceItem::Option(o) => option_entry(o, indent + 1),
        })
        .collect();
    let head = format!("service {} {{", service.name.name);
    Entry::block(&service.comments, head, body(&entries, indent))
}

fn rpc_entry(rpc: &ast::Rpc, indent: usize) -> Entry<'_> {
    let stream = |s: Option<_>| if s.is_some() { "stream " } else { "" };
    let head = format!(
        "rpc {}({}{}) returns ({}{})",
        rpc.name.name,
        stream(rpc.client_streaming),
        rpc.input.to_text(),
        stream(rpc.server_streaming),
        rpc.output.to_text(),
    );
    match &rpc.body {
        None => Entry::line(Group::Other, &rpc.comments, head + ";"),
        Some(b) => {
            let entries: Vec<_> = b
                .options
                .iter()
                .map(|o| option_entry(o, indent + 1))
                .collect();
            Entry::block(&rpc.comments, head + " {", body(&entries, indent))
        }
    }
}

fn reserved_entry(reserved: &ast::Reserved) -> Entry<'_> {
    let list = match &reserved.kind {
        ReservedKind::Ranges(r) => ranges(r),
        ReservedKind::Names(names) => names
            .iter()
            .map(|n| match n {
                ReservedName::Quoted(s) => quote(&s.value),
                ReservedName::Bare(i) => i.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
    };
    Entry::line(
        Group::Other,
        &reserved.comments,
        format!("reserved {list};"),
    )
}

fn visibility(v: Visibility) -> &'static str {
    match v {
        Visibility::Default => "",
        Visibility::Export => "export ",
        Visibility::Local => "local ",
    }
}

fn ranges(ranges: &[Range]) -> String {
    let mut out = String::new();
    for (i, r) in ranges.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&int(&r.start));
        match &r.end {
            None => {}
            Some(RangeEnd::Int(end)) => {
                out.push_str(" to ");
                out.push_str(&int(end));
            }
            Some(RangeEnd::Max(_)) => out.push_str(" to max"),
        }
    }
    out
}

/// Appends compact options `[a = b, …]` and then `end` (`;` or ` {`) to `head`, on one line when
/// it fits in [`MAX_WIDTH`], else one option per line.
fn with_options(mut head: String, options: &[OptionAssign], indent: usize, end: &str) -> String {
    if options.is_empty() {
        head.push_str(end);
        return head;
    }
    let inline: Vec<String> = options
        .iter()
        .map(|o| format!("{} = {}", option_name(&o.name), constant_inline(&o.value)))
        .collect();
    let inline = inline.join(", ");
    let width = indent * INDENT.len() + head.len() + 2 + inline.len() + 1 + end.len();
    if width <= MAX_WIDTH && !inline.contains('\n') {
        let _ = write!(head, " [{inline}]{end}");
        return head;
    }
    head.push_str(" [\n");
    for (i, o) in options.iter().enumerate() {
        let name = option_name(&o.name);
        push_indent(&mut head, indent + 1);
        let used = (indent + 1) * INDENT.len() + name.len() + 3;
        let _ = write!(
            head,
            "{name} = {}",
            format_constant(&o.value, indent + 1, used, 1)
        );
        if i + 1 < options.len() {
            head.push(',');
        }
        head.push('\n');
    }
    push_indent(&mut head, indent);
    head.push(']');
    head.push_str(end);
    head
}

fn option_name(name: &OptionName) -> String {
    let mut out = String::new();
    for (i, part) in name.parts.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match part {
            OptionNamePart::Field(ident) => out.push_str(&ident.name),
            OptionNamePart::Extension(full, _) => {
                out.push('(');
                out.push_str(&full.to_text());
                out.push(')');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Values

/// Formats an option value whose first character goes at column `used` of a line indented
/// `indent` levels, leaving room for `reserve` more characters after it. Aggregates that do not
/// fit are spread over several lines.
fn format_constant(value: &Constant, indent: usize, used: usize, reserve: usize) -> String {
    match value {
        Constant::Aggregate(m) => format_message(m, indent, used, reserve),
        other => constant_inline(other),
    }
}

/// A value on one line.
fn constant_inline(value: &Constant) -> String {
    match value {
        Constant::Ident { negative, name, .. } => {
            format!("{}{}", if *negative { "-" } else { "" }, name.to_text())
        }
        Constant::Int(i) => int(i),
        Constant::Float(f) => float(f),
        Constant::String(s) => quote(&s.value),
        Constant::Aggregate(m) => message_inline(m),
    }
}

fn message_inline(message: &MessageValue) -> String {
    if message.fields.is_empty() {
        return "{}".to_owned();
    }
    let fields: Vec<String> = message.fields.iter().map(field_value_inline).collect();
    format!("{{ {} }}", fields.join(" "))
}

fn field_value_inline(field: &FieldValue) -> String {
    let name = field_value_name(&field.name);
    match &field.value {
        TextValue::Message(m) | TextValue::Scalar(Constant::Aggregate(m)) => {
            format!("{name} {}", message_inline(m))
        }
        value => format!("{name}: {}", text_value_inline(value)),
    }
}

fn text_value_inline(value: &TextValue) -> String {
    match value {
        TextValue::Scalar(c) => constant_inline(c),
        TextValue::Message(m) => message_inline(m),
        TextValue::List(values, _) => {
            let values: Vec<String> = values.iter().map(text_value_inline).collect();
            format!("[{}]", values.join(", "))
        }
    }
}

fn field_value_name(name: &FieldValueName) -> String {
    match name {
        FieldValueName::Field(ident) => ident.name.clone(),
        FieldValueName::Extension(full) => format!("[{}]", full.to_text()),
        FieldValueName::AnyType {
            domain, type_name, ..
        } => format!("[{domain}/{}]", type_name.to_text()),
    }
}

/// A message value at column `used`: inline if it fits, else one field per line.
fn format_message(message: &MessageValue, indent: usize, used: usize, reserve: usize) -> String {
    let inline = message_inline(message);
    if used + inline.len() + reserve <= MAX_WIDTH {
        return inline;
    }
    let mut out = String::from("{\n");
    for field in &message.fields {
        push_indent(&mut out, indent + 1);
        out.push_str(&format_field_value(field, indent + 1));
        out.push('\n');
    }
    push_indent(&mut out, indent);
    out.push('}');
    out
}

/// One `name: value` line of a multi-line message value, at `indent`.
fn format_field_value(field: &FieldValue, indent: usize) -> String {
    let name = field_value_name(&field.name);
    let start = indent * INDENT.len() + name.len();
    match &field.value {
        TextValue::Message(m) | TextValue::Scalar(Constant::Aggregate(m)) => {
            format!("{name} {}", format_message(m, indent, start + 1, 0))
        }
        value => format!("{name}: {}", format_text_value(value, indent, start + 2, 0)),
    }
}

fn format_text_value(value: &TextValue, indent: usize, used: usize, reserve: usize) -> String {
    match value {
        TextValue::Scalar(c) => format_constant(c, indent, used, reserve),
        TextValue::Message(m) => format_message(m, indent, used, reserve),
        TextValue::List(values, _) => {
            let inline = text_value_inline(value);
            if used + inline.len() + reserve <= MAX_WIDTH {
                return inline;
            }
            let mut out = String::from("[\n");
            for (i, v) in values.iter().enumerate() {
                push_indent(&mut out, indent + 1);
                let used = (indent + 1) * INDENT.len();
                out.push_str(&format_text_value(v, indent + 1, used, 1));
                if i + 1 < values.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            push_indent(&mut out, indent);
            out.push(']');
            out
        }
    }
}

/// An integer in decimal with its sign.
///
/// A literal too large for `u64` has no value in the tree (nor its text), so it prints as 2^64:
/// still too large, so protoc rejects it wherever it wants an integer, but where protoc reads it
/// as a double (a `float`/`double` option or default) the value is not the original's.
fn int(i: &IntLit) -> String {
    let sign = if i.negative { "-" } else { "" };
    match i.value {
        Some(v) => format!("{sign}{v}"),
        None => format!("{sign}18446744073709551616"),
    }
}

/// A float in the shortest form that reads back as the same `f64`, always with a `.` or an
/// exponent so that it stays a float literal; `inf` and `nan` as identifiers.
fn float(f: &FloatLit) -> String {
    let sign = if f.negative { "-" } else { "" };
    let v = f.value;
    if v.is_nan() {
        return format!("{sign}nan");
    }
    if v.is_infinite() {
        // A negative magnitude should not occur; keep the sign it carries anyway.
        let sign = if f.negative != (v < 0.0) { "-" } else { "" };
        return format!("{sign}inf");
    }
    // `{:?}` and `{:e}` both give the shortest digits that round-trip, and always have a `.` or
    // an `e` (`1.0`, `0.1`, `1e20`, `1e-7`), so protoc's tokenizer reads them as float literals.
    // Take the exponent form only when it is clearly shorter: `1e10` for `10000000000.0`, but
    // `0.25`, `0.001` and `100.0` as they are.
    let plain = format!("{:?}", v.abs());
    let exponent = format!("{:e}", v.abs());
    let text = if exponent.len() + 3 <= plain.len() {
        exponent
    } else {
        plain
    };
    let sign = if f.negative != (v < 0.0) { "-" } else { "" };
    format!("{sign}{text}")
}

/// A double-quoted string literal holding exactly `bytes`: printable text as is (including
/// non-ASCII UTF-8), the usual C escapes, and every other byte as a three-digit octal escape.
/// Its own escaper on purpose: protoc's `CEscape` ([`crate::descriptor::text::c_escape`]) also
/// escapes every non-ASCII byte, and the JSON diagnostics escape characters as `\u`.
fn quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                ' '..='~' => out.push(c),
                c if c.is_ascii() || c.is_control() || is_invisible(c) => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        let _ = write!(out, "\\{b:03o}");
                    }
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\{b:03o}");
        }
    }
    out.push('"');
    out
}

/// Characters that are valid but would make the printed text misleading or fragile to edit:
/// format characters, line and paragraph separators, and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{fff0}'..='\u{fffb}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float_lit(v: f64) -> FloatLit {
        FloatLit {
            negative: v.is_sign_negative(),
            value: v.abs(),
            span: Default::default(),
        }
    }

    #[test]
    fn floats_are_shortest_and_stay_floats() {
        let cases = [
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (0.1, "0.1"),
            (1e20, "1e20"),
            (1e10, "1e10"),
            (123456789012.0, "123456789012.0"),
            (0.25, "0.25"),
            (0.0001, "0.0001"),
            (1000000.0, "1e6"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (1.5e-5, "1.5e-5"),
            (1e-7, "1e-7"),
            (f64::MAX, "1.7976931348623157e308"),
            (5e-324, "5e-324"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (-0.0, "-0.0"),
        ];
        for (v, text) in cases {
            assert_eq!(float(&float_lit(v)), text);
            if v.is_finite() {
                assert_eq!(text.parse::<f64>().unwrap().to_bits(), v.to_bits());
            }
        }
        assert_eq!(float(&float_lit(f64::NAN)), "nan");
    }

    #[test]
    fn strings_escape_what_is_not_plain_text() {
        assert_eq!(quote(b"plain 'text'"), r#""plain 'text'""#);
        assert_eq!(quote(b"a\"b\\c\n\r\t"), r#""a\"b\\c\n\r\t""#);
        assert_eq!(quote(b"\x00\x7f\xff\x01"), r#""\000\177\377\001""#);
        assert_eq!(quote("é€".as_bytes()), "\"é€\"");
        assert_eq!(quote("\u{200b}".as_bytes()), r#""\342\200\213""#);
        // A truncated UTF-8 sequence is escaped byte by byte.
        assert_eq!(quote(b"\xe2\x82"), r#""\342\202""#);
    }

    #[test]
    fn comment_lines_drop_one_final_newline() {
        assert_eq!(comment_lines(" a\n b\n"), vec![" a", " b"]);
        assert_eq!(comment_lines(" a\n\n b"), vec![" a", "", " b"]);
        assert_eq!(comment_lines(""), vec![""]);
    }
}
