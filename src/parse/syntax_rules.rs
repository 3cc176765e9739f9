//! The checks protoc's *parser* (`compiler/parser.cc`) makes that a context-free grammar cannot:
//! they depend on the file's `syntax` / `edition`, on the size of a number, or on where a field
//! is written. They run on the tree right after parsing, so they report before any later stage.
//!
//! | code | protoc's message | where protoc checks it |
//! |---|---|---|
//! | `UNKNOWN_SYNTAX` | `Unrecognized syntax identifier "X". This parser only recognizes "proto2" and "proto3".` | `ParseSyntaxIdentifier` (the rest of the file is not parsed) |
//! | `UNKNOWN_EDITION` | `Unknown edition "X".` | `ParseSyntaxIdentifier` (idem) |
//! | `INTEGER_OUT_OF_RANGE` | `Integer out of range.`: field numbers, ranges, enum values beyond `int32`; hex/octal option values beyond `uint64` | `ConsumeInteger`, `ConsumeSignedInteger`, `ConsumeNumber` |
//! | `FIELD_NUMBER_OUT_OF_BOUNDS` | `Field number out of bounds.`: a range bound of 2147483647 | `ParseExtensions`, `ParseReservedNumbers` |
//! | `RESERVED_NAME_SYNTAX` | `Reserved names must be string literals. (Only editions supports identifiers.)` / `… must be identifiers in editions, not string literals.` | `ParseReserved` |
//! | `RESERVED_NAME_NOT_IDENTIFIER` (warning) | `Reserved name "X" is not a valid identifier.` | `ParseReservedName` |
//! | `MISSING_LABEL` | `Expected "required", "optional", or "repeated".` (proto2 fields and extensions; also an empty `extend` body or a stray `;` in one) | `ParseMessageFieldNoLabel` |
//! | `LABEL_IN_EDITIONS` | `Label "optional" is not supported in editions. …` / `Label "required" …` | `ParseLabel` |
//! | `ONEOF_FIELD_LABEL` | `Fields in oneofs must not have labels (required / optional / repeated).` | `ParseOneof` |
//! | `EXPECTED_TYPE_NAME` | `Expected type name.`: an empty `oneof` body, a stray `;` in a oneof (or extend, outside proto2) | `ParseUserDefinedType` |
//! | `MAP_FIELD_PLACEMENT` | `Map fields are not allowed in oneofs.` / `Field labels (required/optional/repeated) are not allowed on map fields.` / `Map fields are not allowed to be extensions.` | `ParseMapType` |
//! | `GROUP_NAME_CASE` | `Group names must start with a capital letter.` | `ParseMessageFieldNoLabel` |
//! | `GROUP_IN_EDITIONS` | `Group syntax is no longer supported in editions. …` | `ParseType` |
//! | `OBSOLETE_UNSTABLE_TYPE` | `Type 'sint32' is obsolete in unstable editions, use 'zigzag32' instead.` | `ParseType` |
//! | `EXPECTED_MESSAGE_TYPE` | `Expected message type.`: a scalar as an rpc's input/output or an extendee | `ParseUserDefinedType` |
//! | `OPTION_DUPLICATE` | `Already set option "default".` / `"json_name"` | `ParseDefaultAssignment`, `ParseJsonName` |
//! | `OPTION_VALUE_SYNTAX` | `Identifier after '-' symbol must be inf or nan.`; a dotted identifier as a value (protoc: `Expected ";".`) | `ParseOption` |
//! | `MAP_ENTRY_EXPLICIT` | `map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.` | `ValidateMessage` |
//! | `MULTIPLE_PACKAGES` | `Multiple package definitions.` | `ParsePackage` |
//! | `IMPORT_OPTION_BEFORE_2024` | `option import is not supported before edition 2024.` | `ParseImport` |
//! | `WEAK_IMPORT_IN_EDITIONS` | `weak import is not supported in edition 2024 and above. …` | `ParseImport` |
//! | `IMPORT_AFTER_OPTION_IMPORT` | `imports should precede any option imports …` | `ParseImport` |
//! | `DUPLICATE_IMPORT` | `Import "X" was listed twice.` | `DescriptorBuilder::BuildFileImpl` (descriptor.cc; file-local, so checked here) |
//!
//! `export` / `local` are handled before parsing: before edition 2024 they are plain identifiers
//! (see [`Edition::has_visibility`]), exactly as protoc's `ParseVisibility` ignores them there.


use std::collections::HashMap;

use crate::ast::{self, Constant, FieldType, Label, OptionAssign, OptionNamePart};
use crate::diagnostics::Diagnostic;
use crate::lexer::Tok;
use crate::protobuf::Edition;
use crate::source::{FileId, Span};

/// The syntax a token stream declares, read before parsing (the grammar needs it to know whether
/// `export` / `local` are keywords).
pub fn prescan(tokens: &[(usize, Tok, usize)]) -> Edition {
    let (kind, rest) = match tokens {
        [(_, k @ (Tok::Syntax | Tok::Edition), _), (_, Tok::Eq, _), rest @ ..] => (k, rest),
        _ => return Edition::PROTO2,
    };
    let mut value = Vec::new();
    for t in rest {
        match &t.1 {
            Tok::Str(s) => value.extend_from_slice(s),
            _ => break,
        }
    }
    Edition::of_statement(kind == &Tok::Edition, &value)
}

/// Runs every rule over a parsed file. Returns `false` when the syntax statement itself is
/// unrecognised: protoc then stops parsing, so the caller reports that error alone.
pub fn check(
    file: FileId,
    text: &str,
    tokens: &[(usize, Tok, usize)],
    ast: &ast::File,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut r = Rules {
        file,
        text,
        tokens,
        syntax: ast.edition(),
        diags,
    };
    if !r.syntax_statement(ast) {
        return false;
    }
    r.file_items(ast);
    true
}

/// Where a field is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldPlace {
    Message,
    Oneof,
    Extend,
}

/// Whose `reserved` / ranges these are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    Message,
    Enum,
}

struct Rules<'a, 'd> {
    file: FileId,
    text: &'a str,
    tokens: &'a [(usize, Tok, usize)],
    syntax: Edition,
    diags: &'d mut Vec<Diagnostic>,
}

/// The names protoc's `GetTypeNameTable` reads as built-in types (`group` included).
fn is_type_keyword(name: &str) -> bool {
    matches!(
        name,
        "double"
            | "float"
            | "int64"
            | "uint64"
            | "int32"
            | "fixed64"
            | "fixed32"
            | "bool"
            | "string"
            | "group"
            | "bytes"
            | "uint32"
            | "sfixed32"
            | "sfixed64"
            | "sint32"
            | "sint64"
    )
}

/// The spelling `edition = "UNSTABLE"` wants instead of an obsolete scalar type.
fn unstable_replacement(name: &str) -> Option<&'static str> {
    Some(match name {
        "fixed32" => "uint32",
        "fixed64" => "uint64",
        "sfixed32" => "int32",
        "sfixed64" => "int64",
        "sint32" => "zigzag32",
        "sint64" => "zigzag64",
        _ => return None,
    })
}

/// Bytes as protoc prints them in a message: printable ASCII as is, the rest escaped.
fn shown(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        if (0x20..0x7f).contains(&b) && b != b'\\' && b != b'"' {
            s.push(b as char);
        } else {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s
}

impl Rules<'_, '_> {
    fn err(&mut self, code: &'static str, message: impl Into<String>, span: Span, label: &str) {
        self.diags
            .push(Diagnostic::error(code, message).at(self.file, span, label));
    }

    /// Adds a `help:` line to the last diagnostic.
    fn help(&mut self, help: impl Into<String>) {
        if let Some(d) = self.diags.last_mut() {
            d.help.push(help.into());
        }
    }

    /// The first token starting at or after `offset`.
    fn token_from(&self, offset: usize) -> Option<&(usize, Tok, usize)> {
        let i = self.tokens.partition_point(|t| t.0 < offset);
        self.tokens.get(i).filter(|t| t.0 != t.2)
    }

    /// The span of the first token starting at or after `offset` (an empty span there if none).
    fn token_span_from(&self, offset: usize) -> Span {
        self.token_from(offset)
            .map_or(Span::new(offset, offset), |t| Span::new(t.0, t.2))
    }

    /// The token after the one starting at `offset`.
    fn token_after(&self, offset: usize) -> Span {
        let i = self.tokens.partition_point(|t| t.0 <= offset);
        self.tokens
            .get(i)
            .map_or(Span::new(offset, offset), |t| Span::new(t.0, t.2))
    }

    /// The digits of an integer literal, without its sign.
    fn digits(&self, i: &ast::IntLit) -> Span {
        if i.negative {
            self.token_after(i.span.start as usize)
        } else {
            i.span
        }
    }

    // ------------------------------------------------------------ file

    fn syntax_statement(&mut self, ast: &ast::File) -> bool {
        let Some(s) = &ast.syntax else {
            return true;
        };
        let value = &s.value.value;
        let text = shown(value);
        match s.kind {
            ast::SyntaxKind::Syntax => {
                if value == b"proto2" || value == b"proto3" {
                    return true;
                }
                self.err(
                    "UNKNOWN_SYNTAX",
                    format!(
                        "Unrecognized syntax identifier \"{text}\". This parser only recognizes \"proto2\" and \"proto3\"."
                    ),
                    s.value.span,
                    "not a syntax protoc knows",
                );
                if std::str::from_utf8(value)
                    .ok()
                    .and_then(Edition::from_name)
                    .is_some()
                {
                    self.help(format!(
                        "editions are declared with `edition = \"{text}\";`, not `syntax`"
                    ));
                } else {
                    self.help("write `syntax = \"proto2\";`, `syntax = \"proto3\";` or `edition = \"2023\";`");
                }
                false
            }
            ast::SyntaxKind::Edition => {
                if std::str::from_utf8(value)
                    .ok()
                    .and_then(Edition::from_name)
                    .is_some()
                {
                    return true;
                }
                self.err(
                    "UNKNOWN_EDITION",
                    format!("Unknown edition \"{text}\"."),
                    s.value.span,
                    "not an edition protoc knows",
                );
                if value == b"proto2" || value == b"proto3" {
                    self.help(format!(
                        "{text} is declared with `syntax = \"{text}\";`, not `edition`"
                    ));
                } else {
                    self.help("write `edition = \"2023\";` or `edition = \"2024\";`");
                }
                false
            }
        }
    }

    fn file_items(&mut self, ast: &ast::File) {
        let mut package: Option<Span> = None;
        let mut seen_imports: HashMap<Vec<u8>, Span> = HashMap::new();
        let mut option_import: Option<Span> = None;
        for item in &ast.items {
            match item {
                ast::FileItem::Package(p) => {
                    let here = self.token_span_from(p.span.start as usize);
                    if let Some(first) = package {
                        self.diags.push(
                            Diagnostic::error("MULTIPLE_PACKAGES", "Multiple package definitions.")
                                .at(self.file, here, "second package statement")
                                .also(self.file, first, "the package is already declared here")
                                .help("a file has one package: remove one of the statements"),
                        );
                    }
                    package = Some(p.span);
                }
                ast::FileItem::Import(imp) => {
                    self.import(imp, &mut option_import);
                    let name = &imp.path.value;
                    if let Some(first) = seen_imports.get(name) {
                        self.diags.push(
                            Diagnostic::error(
                                "DUPLICATE_IMPORT",
                                format!("Import \"{}\" was listed twice.", shown(name)),
                            )
                            .at(self.file, imp.span, "imported again")
                            .also(self.file, *first, "first imported here")
                            .help("remove the second import"),
                        );
                    } else {
                        seen_imports.insert(name.clone(), imp.span);
                    }
                }
                ast::FileItem::Option(o) => self.option(&o.option),
                ast::FileItem::Message(m) => self.message_body(&m.items),
                ast::FileItem::Enum(e) => self.enum_decl(e),
                ast::FileItem::Extend(x) => self.extend(x),
                ast::FileItem::Service(s) => self.service(s),
                ast::FileItem::Empty(_) => {}
            }
        }
    }

    fn import(&mut self, imp: &ast::Import, option_import: &mut Option<Span>) {
        // The token after `import`: `option`, `public`, `weak` or the string.
        let modifier = self.token_after(imp.span.start as usize);
        match imp.kind {
            ast::ImportKind::Option => {
                if self.syntax < Edition::E2024 {
                    self.err(
                        "IMPORT_OPTION_BEFORE_2024",
                        "option import is not supported before edition 2024.",
                        modifier,
                        "needs edition 2024",
                    );
                    self.help("use a plain `import`, or move the file to `edition = \"2024\";`");
                }
                option_import.get_or_insert(imp.span);
                return;
            }
            ast::ImportKind::Weak if self.syntax >= Edition::E2024 => {
                self.err(
                    "WEAK_IMPORT_IN_EDITIONS",
                    "weak import is not supported in edition 2024 and above. Consider using option import instead.",
                    modifier,
                    "not allowed from edition 2024",
                );
                self.help("write `import option \"…\";` if the file is only needed for options, else a plain `import`");
            }
            _ => {}
        }
        if let Some(first) = *option_import {
            self.diags.push(
                Diagnostic::error(
                    "IMPORT_AFTER_OPTION_IMPORT",
                    "imports should precede any option imports to ensure proto files can roundtrip.",
                )
                .at(self.file, modifier, "an import after an option import")
                .also(self.file, first, "the first option import")
                .help("move this import above the `import option` statements"),
            );
        }
    }

    // ------------------------------------------------------------ messages

    fn message_body(&mut self, items: &[ast::MessageItem]) {
        let mut map_entry_reported = false;
        for item in items {
            match item {
                ast::MessageItem::Field(f) => self.field(f, FieldPlace::Message),
                ast::MessageItem::Oneof(o) => self.oneof(o),
                ast::MessageItem::Message(m) => self.message_body(&m.items),
                ast::MessageItem::Enum(e) => self.enum_decl(e),
                ast::MessageItem::Extend(x) => self.extend(x),
                ast::MessageItem::Extensions(x) => {
                    for r in &x.ranges {
                        if !self.range(r, Owner::Message) {
                            break;
                        }
                    }
                    for o in &x.options {
                        self.option(o);
                    }
                }
                ast::MessageItem::Reserved(r) => self.reserved(r, Owner::Message),
                ast::MessageItem::Option(o) => {
                    let is_map_entry = matches!(
                        o.option.name.parts.first(),
                        Some(OptionNamePart::Field(i)) if i.name == "map_entry"
                    );
                    if is_map_entry && !map_entry_reported {
                        map_entry_reported = true;
                        self.err(
                            "MAP_ENTRY_EXPLICIT",
                            "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
                            o.option.name.span,
                            "set by the compiler for map fields only",
                        );
                        self.help("declare a `map<K, V>` field instead of a map entry message");
                    }
                    self.option(&o.option);
                }
                ast::MessageItem::Subclass(_) => {}
            }
        }
    }

    fn oneof(&mut self, o: &ast::Oneof) {
        if o.items.is_empty() {
            let close = Span::new(o.body_span.end as usize - 1, o.body_span.end as usize);
            self.err(
                "EXPECTED_TYPE_NAME",
                "Expected type name.",
                close,
                "a oneof needs at least one field",
            );
            self.help("add a field to the oneof, or remove it");
        }
        for item in &o.items {
            match item {
                ast::OneofItem::Field(f) => self.field(f, FieldPlace::Oneof),
                ast::OneofItem::Option(opt) => self.option(&opt.option),
                ast::OneofItem::Empty(span) => {
                    self.err(
                        "EXPECTED_TYPE_NAME",
                        "Expected type name.",
                        *span,
                        "empty statements are not allowed in a oneof",
                    );
                    self.help("remove the stray \";\"");
                }
            }
        }
    }

    fn extend(&mut self, x: &ast::Extend) {
        self.user_type(&x.extendee, "an extendee");
        let missing = |r: &mut Self, span: Span, label: &str, help: &str| {
            if r.syntax == Edition::PROTO2 {
                r.err(
                    "MISSING_LABEL",
                    "Expected \"required\", \"optional\", or \"repeated\".",
                    span,
                    label,
                );
            } else {
                r.err("EXPECTED_TYPE_NAME", "Expected type name.", span, label);
            }
            r.help(help);
        };
        if x.items.is_empty() {
            let close = Span::new(x.body_span.end as usize - 1, x.body_span.end as usize);
            missing(
                self,
                close,
                "an extend block needs at least one field",
                "add an extension field, or remove the empty `extend` block",
            );
        }
        for item in &x.items {
            match item {
                ast::ExtendItem::Field(f) => self.field(f, FieldPlace::Extend),
                ast::ExtendItem::Empty(span) => missing(
                    self,
                    *span,
                    "empty statements are not allowed in an extend block",
                    "remove the stray \";\"",
                ),
            }
        }
    }

    fn field(&mut self, f: &ast::Field, place: FieldPlace) {
        // Labels.
        let mut label = f.label;
        if let (FieldPlace::Oneof, Some((_, span))) = (place, label) {
            self.err(
                "ONEOF_FIELD_LABEL",
                "Fields in oneofs must not have labels (required / optional / repeated).",
                span,
                "remove this label",
            );
            self.help(
                "oneof members are always singular and optional: write the field without a label",
            );
            label = None;
        }
        if let Some((l, span)) = label {
            if self.syntax.is_editions() && l == Label::Optional {
                self.err(
                    "LABEL_IN_EDITIONS",
                    "Label \"optional\" is not supported in editions. By default, all singular fields have presence unless features.field_presence is set.",
                    span,
                    "not allowed in editions",
                );
                self.help(
                    "remove `optional`: fields have explicit presence by default in editions",
                );
            } else if self.syntax.is_editions() && l == Label::Required {
                self.err(
                    "LABEL_IN_EDITIONS",
                    "Label \"required\" is not supported in editions, use features.field_presence = LEGACY_REQUIRED.",
                    span,
                    "not allowed in editions",
                );
                self.help(
                    "remove `required` and add `[features.field_presence = LEGACY_REQUIRED]`",
                );
            }
        }

        // Type.
        match &f.ty {
            FieldType::Map(map) => {
                let crate::ast::MapType { key, value, span } = &**map;
                let angle = self.token_after(span.start as usize);
                let problem = if place == FieldPlace::Oneof {
                    Some((
                        "Map fields are not allowed in oneofs.",
                        "move the map field out of the oneof (wrap it in a message to put it in one)",
                    ))
                } else if label.is_some() {
                    Some((
                        "Field labels (required/optional/repeated) are not allowed on map fields.",
                        "remove the label: map fields are always repeated",
                    ))
                } else if place == FieldPlace::Extend {
                    Some((
                        "Map fields are not allowed to be extensions.",
                        "extend with a message field whose message holds the map",
                    ))
                } else {
                    None
                };
                if let Some((message, help)) = problem {
                    self.err("MAP_FIELD_PLACEMENT", message, angle, "a map field here");
                    self.help(help);
                    return; // protoc gives up on the field here
                }
                self.field_type(key);
                self.field_type(value);
            }
            FieldType::Named(name) => {
                if label.is_none() && place != FieldPlace::Oneof && self.syntax == Edition::PROTO2 {
                    self.missing_label(f);
                }
                self.field_type(name);
            }
            FieldType::Group { .. } => {
                if label.is_none() && place != FieldPlace::Oneof && self.syntax == Edition::PROTO2 {
                    self.missing_label(f);
                }
                if self.syntax.is_editions() {
                    let at = match f.label {
                        Some((_, l)) => self.token_after(l.start as usize),
                        None => self.token_span_from(f.span.start as usize),
                    };
                    self.err(
                        "GROUP_IN_EDITIONS",
                        "Group syntax is no longer supported in editions. To get group behavior you can specify features.message_encoding = DELIMITED on a message field.",
                        at,
                        "groups do not exist in editions",
                    );
                    self.help("declare a nested message and a field of it with `[features.message_encoding = DELIMITED]`");
                }
            }
        }

        self.field_number(&f.number);
        self.field_options(&f.options);

        if let FieldType::Group { items, .. } = &f.ty {
            if !f.name.name.starts_with(|c: char| c.is_ascii_uppercase()) {
                self.err(
                    "GROUP_NAME_CASE",
                    "Group names must start with a capital letter.",
                    f.name.span,
                    "the group's message type is named after it",
                );
                self.help(format!("capitalise it: `{}`", capitalised(&f.name.name)));
            }
            self.message_body(items);
        }
    }

    fn missing_label(&mut self, f: &ast::Field) {
        let at = self.token_span_from(f.span.start as usize);
        self.err(
            "MISSING_LABEL",
            "Expected \"required\", \"optional\", or \"repeated\".",
            at,
            "proto2 fields need a label",
        );
        if f.is_bare_subclass() {
            self.help(format!(
                "to register a subclass declared in another file, write its fully qualified name: `subclass pkg.{} = N;`",
                f.name.name
            ));
        } else {
            self.help("add `optional` (or `repeated` / `required`) before the type");
        }
    }

    /// A scalar type spelled the pre-`UNSTABLE` way in `edition = "UNSTABLE"`.
    fn field_type(&mut self, name: &ast::FullIdent) {
        let [part] = name.parts.as_slice() else {
            return;
        };
        if self.syntax != Edition::UNSTABLE || name.absolute {
            return;
        }
        let word = &part.name;
        if let Some(new) = unstable_replacement(word) {
            self.err(
                "OBSOLETE_UNSTABLE_TYPE",
                format!("Type '{word}' is obsolete in unstable editions, use '{new}' instead."),
                name.span,
                "obsolete in edition UNSTABLE",
            );
            self.help(format!("write `{new}`"));
        }
    }

    /// `Expected message type.`: where only a message may be named, protoc refuses a name
    /// that starts with a built-in type keyword.
    fn user_type(&mut self, name: &ast::FullIdent, what: &str) {
        let Some(first) = name.parts.first().filter(|_| !name.absolute) else {
            return;
        };
        if is_type_keyword(&first.name) {
            self.err(
                "EXPECTED_MESSAGE_TYPE",
                "Expected message type.",
                first.span,
                format!("a built-in type cannot be {what}").as_str(),
            );
            self.help(format!(
                "name a message type here (wrap a scalar in a message, e.g. google.protobuf.{}Value)",
                wrapper_prefix(&first.name)
            ));
        }
    }

    fn field_number(&mut self, n: &ast::IntLit) {
        if n.value.is_none_or(|v| v > i32::MAX as u64) {
            let at = self.digits(n);
            self.int_out_of_range(at, "field numbers go up to 536870911");
        }
    }

    fn int_out_of_range(&mut self, at: Span, note: &str) {
        self.diags.push(
            Diagnostic::error("INTEGER_OUT_OF_RANGE", "Integer out of range.")
                .at(self.file, at, "does not fit in a 32-bit integer")
                .note(note.to_string())
                .help("use a smaller number"),
        );
    }

    /// One range of `extensions` / `reserved`; `false` when protoc gives up on the statement.
    fn range(&mut self, r: &ast::Range, owner: Owner) -> bool {
        let mut bounds = vec![&r.start];
        if let Some(ast::RangeEnd::Int(e)) = &r.end {
            bounds.push(e);
        }
        for b in bounds {
            let limit: u64 = if b.negative {
                i32::MAX as u64 + 1
            } else {
                i32::MAX as u64
            };
            match b.value {
                Some(v) if v <= limit => {
                    if owner == Owner::Message && v == i32::MAX as u64 {
                        self.diags.push(
                            Diagnostic::error(
                                "FIELD_NUMBER_OUT_OF_BOUNDS",
                                "Field number out of bounds.",
                            )
                            .at(self.file, b.span, "2147483647 cannot be a range bound")
                            .help("field numbers go up to 536870911; write `max` for the highest"),
                        );
                        return false;
                    }
                }
                _ => {
                    let at = self.digits(b);
                    let note = match owner {
                        Owner::Message => "field numbers go up to 536870911",
                        Owner::Enum => "enum numbers are 32-bit signed integers",
                    };
                    self.int_out_of_range(at, note);
                }
            }
        }
        true
    }

    fn reserved(&mut self, r: &ast::Reserved, owner: Owner) {
        let names = match &r.kind {
            ast::ReservedKind::Ranges(ranges) => {
                for range in ranges {
                    if !self.range(range, owner) {
                        break;
                    }
                }
                return;
            }
            ast::ReservedKind::Names(names) => names,
        };
        let Some(first) = names.first() else {
            return;
        };
        let editions = self.syntax.is_editions();
        match first {
            ast::ReservedName::Quoted(s) if editions => {
                self.err(
                    "RESERVED_NAME_SYNTAX",
                    "Reserved names must be identifiers in editions, not string literals.",
                    s.span,
                    "a string literal",
                );
                self.help(format!("write the name without quotes: `{}`", s.to_text()));
                return;
            }
            ast::ReservedName::Bare(i) if !editions => {
                self.err(
                    "RESERVED_NAME_SYNTAX",
                    "Reserved names must be string literals. (Only editions supports identifiers.)",
                    i.span,
                    "an identifier",
                );
                self.help(format!("quote the name: `\"{}\"`", i.name));
                return;
            }
            _ => {}
        }
        let what = match owner {
            Owner::Message => "field name",
            Owner::Enum => "enum value",
        };
        for n in names {
            match n {
                ast::ReservedName::Quoted(s) if editions => {
                    self.err(
                        "SYNTAX",
                        format!("Expected {what} identifier."),
                        s.span,
                        "a string literal",
                    );
                    return;
                }
                ast::ReservedName::Bare(i) if !editions => {
                    self.err(
                        "SYNTAX",
                        format!("Expected {what} string literal."),
                        i.span,
                        "an identifier",
                    );
                    return;
                }
                ast::ReservedName::Quoted(s) if !is_identifier(&s.value) => {
                    self.diags.push(
                        Diagnostic::warning(
                            "RESERVED_NAME_NOT_IDENTIFIER",
                            format!(
                                "Reserved name \"{}\" is not a valid identifier.",
                                shown(&s.value)
                            ),
                        )
                        .at(self.file, s.span, "no field or value can have this name")
                        .help("reserve the name as it would be written in a declaration"),
                    );
                }
                _ => {}
            }
        }
    }

    // ------------------------------------------------------------ enums, services

    fn enum_decl(&mut self, e: &ast::Enum) {
        for item in &e.items {
            match item {
                ast::EnumItem::Value(v) => {
                    let limit = if v.number.negative {
                        i32::MAX as u64 + 1
                    } else {
                        i32::MAX as u64
                    };
                    if v.number.value.is_none_or(|n| n > limit) {
                        let at = self.digits(&v.number);
                        self.int_out_of_range(at, "enum numbers are 32-bit signed integers");
                    }
                    for o in &v.options {
                        self.option(o);
                    }
                }
                ast::EnumItem::Option(o) => self.option(&o.option),
                ast::EnumItem::Reserved(r) => self.reserved(r, Owner::Enum),
            }
        }
    }

    fn service(&mut self, s: &ast::Service) {
        for item in &s.items {
            match item {
                ast::ServiceItem::Rpc(rpc) => {
                    self.user_type(&rpc.input, "an rpc's input");
                    self.user_type(&rpc.output, "an rpc's output");
                    if let Some(body) = &rpc.body {
                        for o in &body.options {
                            self.option(&o.option);
                        }
                    }
                }
                ast::ServiceItem::Option(o) => self.option(&o.option),
            }
        }
    }

    // ------------------------------------------------------------ options

    /// A field's `[…]`: `default` and `json_name` at most once each.
    fn field_options(&mut self, options: &[OptionAssign]) {
        let mut seen: Vec<&str> = Vec::new();
        for o in options {
            if let [OptionNamePart::Field(i)] = o.name.parts.as_slice() {
                let n = i.name.as_str();
                if n == "default" || n == "json_name" {
                    if seen.contains(&n) {
                        self.err(
                            "OPTION_DUPLICATE",
                            format!("Already set option \"{n}\"."),
                            i.span,
                            "set a second time",
                        );
                        self.help(format!("keep one `{n}`"));
                    }
                    seen.push(n);
                }
            }
            self.option(o);
        }
    }

    /// The value of one option, as protoc's `ParseOption` reads it.
    fn option(&mut self, o: &OptionAssign) {
        match &o.value {
            Constant::Ident {
                negative: true,
                name,
                span,
            } => {
                let ok = matches!(name.parts.as_slice(), [only] if matches!(only.name.as_str(), "inf" | "nan"));
                if !ok {
                    self.err(
                        "OPTION_VALUE_SYNTAX",
                        "Identifier after '-' symbol must be inf or nan.",
                        *span,
                        "only `-inf` and `-nan` are negative identifiers",
                    );
                    self.help("remove the `-`, or write a number");
                }
            }
            Constant::Ident {
                negative: false,
                name,
                ..
            } if name.parts.len() > 1 => {
                let (Some(first), Some(last)) = (name.parts.first(), name.parts.last()) else {
                    return;
                };
                // protoc reads one identifier token as the value; a `.` after it ends the option.
                let dot = self.token_span_from(first.span.end as usize);
                let last = &last.name;
                self.err(
                    "OPTION_VALUE_SYNTAX",
                    "An option value identifier cannot contain \".\".",
                    dot,
                    "the value ends before this",
                );
                self.help(format!(
                    "option values are single identifiers; for an enum value write its simple name, `{last}`"
                ));
            }
            Constant::Int(i) if i.value.is_none() => {
                // Too big for a uint64: protoc reads a decimal literal as a double, but not a
                // hex or octal one.
                let digits = self.digits(i);
                if self
                    .text
                    .get(digits.range())
                    .is_some_and(|d| d.starts_with('0'))
                {
                    self.diags.push(
                        Diagnostic::error("INTEGER_OUT_OF_RANGE", "Integer out of range.")
                            .at(self.file, digits, "does not fit in 64 bits")
                            .note("hexadecimal and octal option values must fit in a uint64")
                            .help(
                                "use a smaller number, or write it in decimal to make it a double",
                            ),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `Foo` for `foo`.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// The wrapper message of a scalar type (`Int32` for `int32`), for help lines.
fn wrapper_prefix(s: &str) -> String {
    match s {
        "uint32" => "UInt32".into(),
        "uint64" => "UInt64".into(),
        _ => capitalised(s),
    }
}

/// protoc's `Tokenizer::IsIdentifier`: `[A-Za-z_][A-Za-z0-9_]*`.
fn is_identifier(s: &[u8]) -> bool {
    matches!(s.first(), Some(c) if c.is_ascii_alphabetic() || *c == b'_')
        && s.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}
