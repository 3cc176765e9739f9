//! Option interpretation, as protoc's `DescriptorBuilder::OptionInterpreter` does it.
//!
//! For each element, protoc takes its `uninterpreted_option`s in source order and, for each:
//!
//! 1. walks the name: a plain part is a field of the current message (first `FileOptions`, …),
//!    a parenthesised part an extension looked up like a type name from the element's scope;
//!    every part but the last must be a non-repeated message;
//! 2. refuses a non-repeated option that is already set (`Option "x" was already set.`);
//! 3. encodes the value as the field's type demands (aggregates `{…}` are parsed as text format
//!    into a message and serialized), wraps it in the intermediate messages of the name, and
//!    **appends it to the options' unknown fields**.
//!
//! Then it serializes the options and parses them back with the options class compiled into
//! protoc. Fields that class knows (`java_package`, `features`, …) move into real fields: they
//! are written in field-number order, message fields set in pieces are merged, a scalar set twice
//! keeps the last value. Everything else (custom options) stays in the unknown fields, in the
//! order it was appended, and is written after the known fields. [`canonicalize_at`] reproduces
//! exactly that, so the bytes match protoc's.

use std::collections::{BTreeMap, HashMap, HashSet};

use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::FieldDescriptorProto;

use super::builder::{OptionsKind, PendingOptions};
use super::pool::{MessageRef, Pool};
use super::wire::{encode_fields, parse_fields, WireField, WireValue};
use crate::ast::{self, Constant, FieldValueName, MessageValue, OptionNamePart, TextValue};
use crate::diagnostics::Diagnostic;
use crate::protobuf::Edition;
use crate::resolve::symbols::SymbolKind;
use crate::resolve::types::{Expect, Resolver};
use crate::source::{FileId, SourceMap, Span};

/// One element's interpreted options.
#[derive(Clone, Debug, Default)]
pub struct Interpreted {
    /// The options message's fields in the order protoc appends them (see [`canonicalize_at`] for
    /// the order it finally writes them in).
    pub fields: Vec<WireField>,
    /// For each assignment interpreted, in order: the field numbers its name walks through from
    /// the options message, and whether the last field is repeated (for `SourceCodeInfo`).
    pub targets: Vec<OptionTarget>,
}

/// The field an option assignment set: the field numbers its name walks through from the options
/// message, and whether the last one is repeated.
pub type OptionTarget = (Vec<i32>, bool);

/// Interprets one element's options; `assigns` are its assignments ([`PendingOptions::assigns`]).
pub fn interpret(
    pending: &PendingOptions,
    assigns: &[ast::OptionAssign],
    cx: &Interpreter<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Interpreted {
    let mut unknown = pending.preset.clone();
    // Where each number is among `unknown`: an element can carry any number of options, and
    // each assignment asks whether its field is set already.
    let mut at: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, f) in unknown.iter().enumerate() {
        at.entry(f.number).or_default().push(i);
    }
    // Every field path set inside the message values so far (`m.a` once `(m).a = 1;` is set),
    // kept as values are added, as deep as a name here reaches: asking each piece of a message
    // set in pieces (`(m).a = 1; (m).b = 2; …`) to read every piece before it was quadratic.
    let mut nested = SetPaths::default();
    let message = pending.kind.message_name();
    let depth = assigns
        .iter()
        .map(|a| a.name.parts.len())
        .max()
        .unwrap_or(0);
    for f in &unknown {
        cx.record_nested(message, f, depth, &mut nested);
    }
    let mut targets = Vec::new();
    let mut failed = false;
    for assign in assigns {
        let set = SetSoFar {
            at: &at,
            nested: &nested,
        };
        match cx.interpret_one(pending.kind, &pending.scope, assign, set) {
            Ok((fields, target)) => {
                for f in fields {
                    cx.record_nested(message, &f, depth, &mut nested);
                    at.entry(f.number).or_default().push(unknown.len());
                    unknown.push(f);
                }
                targets.push(target);
            }
            Err(d) => {
                let d = *d;
                // protoc stops interpreting an element's options at the first error.
                diags.push(d);
                failed = true;
                break;
            }
        }
    }
    if !failed {
        if let Some(d) = cx.uninitialized_option(pending.kind, assigns, &unknown, &targets) {
            diags.push(d);
        }
    }
    Interpreted {
        fields: unknown,
        targets,
    }
}

/// What interpretation looks things up in.
pub struct Interpreter<'a> {
    /// Definitions of this file and every file before it.
    pub pool: &'a Pool<'a>,
    /// Name lookups as seen from this file.
    pub resolver: &'a Resolver<'a>,
    /// The file whose options these are.
    pub file: FileId,
    /// For literal text.
    pub sources: &'a SourceMap,
}

/// A field being set, and the name it is known by in messages.
#[derive(Clone, Copy)]
struct Target<'p> {
    field: &'p FieldDescriptorProto,
    /// Its full name, for error messages.
    full_name: FullName<'p>,
}

/// A full name as `scope.name` (just `name` when `scope` is empty), formatted only when an
/// error message needs it.
#[derive(Clone, Copy)]
struct FullName<'n> {
    scope: &'n str,
    name: &'n str,
}

impl std::fmt::Display for FullName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.scope.is_empty() {
            write!(f, "{}.", self.scope)?;
        }
        f.write_str(self.name)
    }
}

impl Interpreter<'_> {
    fn interpret_one(
        &self,
        kind: OptionsKind,
        scope: &str,
        assign: &ast::OptionAssign,
        set: SetSoFar<'_>,
    ) -> Result<(Vec<WireField>, OptionTarget), Box<Diagnostic>> {
        let mut message = kind.message_name().to_string();
        let mut debug_name = String::new();
        let mut path: Vec<&FieldDescriptorProto> = Vec::new();
        // The full name of each part's field (whether it is a group on the wire depends on it).
        let mut full_names: Vec<String> = Vec::new();
        // The full name of the last part when it is an extension.
        let mut leaf_extension: Option<String> = None;
        let parts = &assign.name.parts;
        for (i, part) in parts.iter().enumerate() {
            if !debug_name.is_empty() {
                debug_name.push('.');
            }
            let (field, span) = match part {
                OptionNamePart::Field(ident) => {
                    debug_name.push_str(&ident.name);
                    let m = self.message(&message)?;
                    let f = m.field_by_name(&ident.name).ok_or_else(|| {
                        self.unknown_field_option(m, &message, ident, scope, &debug_name)
                    })?;
                    full_names.push(format!("{message}.{}", ident.name));
                    (f, ident.span)
                }
                OptionNamePart::Extension(name, span) => {
                    debug_name.push('(');
                    name.push_text(&mut debug_name);
                    debug_name.push(')');
                    let (full, f, owner) =
                        self.extension(name, scope, &message, &debug_name, *span)?;
                    if owner != message {
                        return Err(self.foreign_option(&debug_name, &message, &owner, *span));
                    }
                    full_names.push(full.clone());
                    if i + 1 == parts.len() {
                        leaf_extension = Some(full);
                    }
                    (f, *span)
                }
            };
            if i + 1 < parts.len() {
                if !matches!(field.r#type(), Type::Message | Type::Group) {
                    return Err(Diagnostic::error(
                        "BAD_OPTION_NAME",
                        format!("Option \"{debug_name}\" is an atomic type, not a message."),
                    )
                    .at(self.file, span, "not a message")
                    .into());
                }
                if field.label() == Label::Repeated {
                    return Err(Diagnostic::error(
                        "BAD_OPTION_NAME",
                        format!("Option field \"{debug_name}\" is a repeated message. Repeated message options must be initialized using an aggregate value."),
                    )
                    .at(self.file, span, "a repeated message")
                    .help(format!("write `{debug_name} = {{ … }}` with all of its fields")).into());
                }
                message = field.type_name().trim_start_matches('.').to_string();
            }
            path.push(field);
        }
        let leaf = *path.last().expect("option names have a part");
        if leaf.label() != Label::Repeated && is_set(set, &path) {
            return Err(Diagnostic::error(
                "OPTION_ALREADY_SET",
                format!("Option \"{debug_name}\" was already set."),
            )
            .at(self.file, assign.name.span, "set again here")
            .help("remove one of the assignments")
            .into());
        }
        // A plain field's full name is the message it was found in (`message` only moves on
        // before a later part) and its name.
        let full_name = match (&leaf_extension, parts.last()) {
            (Some(full), _) => FullName {
                scope: "",
                name: full,
            },
            (None, Some(OptionNamePart::Field(ident))) => FullName {
                scope: &message,
                name: &ident.name,
            },
            (None, _) => unreachable!("an extension part sets `leaf_extension`"),
        };
        let target = Target {
            field: leaf,
            full_name,
        };
        let mut fields = self.option_value(target, &assign.value)?;
        let numbers = path.iter().map(|f| f.number()).collect();
        let repeated = leaf.label() == Label::Repeated;
        for (f, full) in path.iter().zip(&full_names).rev().skip(1) {
            let value = if self.pool.is_group(full, f) {
                WireValue::Group(fields)
            } else {
                let mut b = Vec::new();
                encode_fields(&fields, &mut b);
                WireValue::Bytes(b)
            };
            fields = vec![WireField {
                number: f.number() as u32,
                value,
            }];
        }
        Ok((fields, (numbers, repeated)))
    }

    /// A singular message option whose assignments, merged, leave a required field unset
    /// (`option (m).a = 1;` alone, for `m` with a required `b`). Each aggregate is checked as it
    /// is parsed; what is set in pieces only meets protoc's final parse of the options, which
    /// then fails a check and aborts (protoc 36.2: `Check failed:
    /// dynamic_message->ParseFromString(serialized)`). Refused here with a diagnostic instead.
    fn uninitialized_option(
        &self,
        kind: OptionsKind,
        assigns: &[ast::OptionAssign],
        fields: &[WireField],
        targets: &[OptionTarget],
    ) -> Option<Diagnostic> {
        let message = kind.message_name();
        let mut checked = HashSet::new();
        for (i, (numbers, _)) in targets.iter().enumerate() {
            let Some(&first) = numbers.first() else {
                continue;
            };
            // Only the first assignment naming each field is checked.
            if !checked.insert(first) {
                continue;
            }
            let field = match self
                .pool
                .message(message)
                .and_then(|m| m.field_by_number(first))
            {
                Some(f) => f,
                None => match self.pool.extension_by_number(message, first) {
                    Some((f, _, _)) => f,
                    None => continue,
                },
            };
            if field.label() == Label::Repeated
                || !matches!(field.r#type(), Type::Message | Type::Group)
            {
                continue;
            }
            let mut merged = Vec::new();
            for w in fields.iter().filter(|w| w.number == first as u32) {
                match &w.value {
                    WireValue::Bytes(b) => merged.extend(parse_fields(b).unwrap_or_default()),
                    WireValue::Group(g) => merged.extend(g.iter().cloned()),
                    _ => {}
                }
            }
            let mut missing = Vec::new();
            self.missing_required(field.type_name(), &merged, "", &mut missing);
            if missing.is_empty() {
                continue;
            }
            let assign = assigns.get(i)?;
            let name = assign.name.parts.first()?;
            let (text, span) = match name {
                OptionNamePart::Field(id) => (id.name.clone(), id.span),
                OptionNamePart::Extension(n, span) => (format!("({})", n.to_text()), *span),
            };
            return Some(
                Diagnostic::error(
                    "BAD_OPTION_VALUE",
                    format!(
                        "Option \"{text}\" is missing required fields: {}",
                        missing.join(", ")
                    ),
                )
                .at(self.file, span, "required fields left unset")
                .help("set them in this option, or set the whole message with an aggregate `{ … }`; protoc aborts on this input"),
            );
        }
        None
    }

    /// Records in `nested` the path of `field`, a field of the message `message` (full name, no
    /// leading dot), and of every field set inside its value, down to `depth` fields from the
    /// options message: what [`is_set`] asks of an option set in pieces. Only fields of message
    /// type are entered, so each byte is read once per message it is nested in; no recursion,
    /// as a value can be nested as deep as an option name is long.
    fn record_nested<'m>(
        &'m self,
        message: &'m str,
        field: &WireField,
        depth: usize,
        nested: &mut SetPaths,
    ) {
        // Single-part names only ask the top level, which `SetSoFar::at` answers.
        if depth < 2 {
            return;
        }
        let mut pending: Vec<(&'m str, u32, usize, WireField)> =
            vec![(message, 0, 1, field.clone())];
        while let Some((message, parent, level, f)) = pending.pop() {
            let node = nested.child(parent, f.number);
            if level >= depth {
                continue;
            }
            let number = f.number as i32;
            let def = match self
                .pool
                .message(message)
                .and_then(|m| m.field_by_number(number))
            {
                Some(d) => Some(d),
                None => self
                    .pool
                    .extension_by_number(message, number)
                    .map(|(d, _, _)| d),
            };
            let Some(def) = def.filter(|d| matches!(d.r#type(), Type::Message | Type::Group))
            else {
                continue;
            };
            let inner = match f.value {
                WireValue::Bytes(b) => match parse_fields(&b) {
                    Some(inner) => inner,
                    None => continue,
                },
                WireValue::Group(inner) => inner,
                _ => continue,
            };
            let type_name = def.type_name().trim_start_matches('.');
            for g in inner {
                pending.push((type_name, node, level + 1, g));
            }
        }
    }

    fn message(&self, full: &str) -> Result<MessageRef<'_>, Box<Diagnostic>> {
        self.pool.message(full).ok_or_else(|| {
            Box::new(Diagnostic::error(
                "UNKNOWN_TYPE",
                format!("\"{full}\" is not defined."),
            ))
        })
    }

    /// Looks up `(name)` as protoc does for an option's extension part: any field symbol, so
    /// `(google.protobuf.MessageOptions.deprecated)` names the plain field. Returns its full
    /// name, its definition, and the message it belongs to (an extension's extendee).
    ///
    /// A plain field of a message other than `message` (the one being set) is reported without
    /// looking its message up: the lookup would succeed, and the file defining it need not be
    /// done yet when options are interpreted in waves.
    fn extension(
        &self,
        name: &ast::FullIdent,
        scope: &str,
        message: &str,
        debug_name: &str,
        span: Span,
    ) -> Result<(String, &FieldDescriptorProto, String), Box<Diagnostic>> {
        match self.resolver.resolve(name, scope, Expect::Any) {
            Ok((full, sym)) if sym.kind == SymbolKind::Extension => {
                match self.pool.extension(&full) {
                    Some((f, _)) => {
                        let owner = f.extendee().trim_start_matches('.').to_string();
                        Ok((full, f, owner))
                    }
                    None => Err(unknown_option(debug_name, self.file, span, None).into()),
                }
            }
            Ok((full, sym)) if sym.kind == SymbolKind::Field => {
                let (owner, n) = full
                    .trim_start_matches('.')
                    .rsplit_once('.')
                    .unwrap_or(("", &full));
                if owner != message {
                    return Err(self.foreign_option(debug_name, message, owner, span));
                }
                let field = self
                    .pool
                    .message(owner)
                    .and_then(|m| m.field_by_name(n))
                    .map(|f| (f, owner.to_string()));
                match field {
                    Some((f, owner)) => Ok((full, f, owner)),
                    None => Err(unknown_option(debug_name, self.file, span, None).into()),
                }
            }
            Ok(_) => Err(unknown_option(debug_name, self.file, span, None).into()),
            Err(d) if d.message.contains("is resolved to") => {
                let resolved = d.message.split('"').nth(3).unwrap_or_default().to_string();
                Err(Diagnostic::error(
                    "UNKNOWN_OPTION",
                    format!(
                        "Option \"{debug_name}\" is resolved to \"({resolved})\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \"(.{}\") to start from the outermost scope.",
                        &debug_name[1..]
                    ),
                )
                .at(self.file, span, "not found in the scope its first part names").into())
            }
            Err(d) => {
                // The import to add, or a near miss written as an option name.
                let help = if d.code == "NOT_IMPORTED" {
                    d.help.into_iter().next()
                } else {
                    // The name so far ends with this part, `(…)`.
                    let before = &debug_name[..debug_name.rfind('(').unwrap_or(0)];
                    self.resolver
                        .near_miss(name, scope, Expect::Any)
                        .map(|s| format!("did you mean \"{before}({s})\"?"))
                };
                Err(unknown_option(debug_name, self.file, span, help).into())
            }
        }
    }

    /// protoc's error for a plain option name part that is not a field of `m` (named `message`),
    /// with what was likely meant: a field of a near name (`java_pakage` → `java_package`), or
    /// an extension of that name, which is written in parentheses (`my_opt` → `(my_opt)`).
    fn unknown_field_option(
        &self,
        m: MessageRef<'_>,
        message: &str,
        ident: &ast::Ident,
        scope: &str,
        debug_name: &str,
    ) -> Box<Diagnostic> {
        // `debug_name` ends with the unknown part: the corrected name replaces just that part.
        let before = &debug_name[..debug_name.len() - ident.name.len()];
        let fields = m
            .proto
            .field
            .iter()
            .map(|f| f.name())
            .filter(|n| *n != "uninterpreted_option");
        let help = if let Some(close) = crate::diagnostics::did_you_mean(&ident.name, fields) {
            Some(format!("did you mean \"{before}{close}\"?"))
        } else {
            let name = ast::FullIdent {
                absolute: false,
                parts: vec![ident.clone()],
                span: ident.span,
            };
            let extension = match self.resolver.resolve(&name, scope, Expect::Any) {
                Ok((full, sym)) if sym.kind == SymbolKind::Extension => self.pool.extension(&full),
                _ => None,
            };
            extension
                .filter(|(f, _)| f.extendee().trim_start_matches('.') == message)
                .map(|_| {
                    format!(
                        "a custom option is written in parentheses: \"{before}({})\"",
                        ident.name
                    )
                })
                .or_else(|| {
                    before
                        .is_empty()
                        .then(|| self.option_of_another_kind(message, &ident.name))
                        .flatten()
                })
        };
        Box::new(unknown_option(debug_name, self.file, ident.span, help))
    }

    /// For an option that `message` (an element's options) lacks but another kind of element
    /// has (`optimize_for` on a message): which elements it is for.
    fn option_of_another_kind(&self, message: &str, name: &str) -> Option<String> {
        const KINDS: &[(&str, &str)] = &[
            ("google.protobuf.FileOptions", "a file"),
            ("google.protobuf.MessageOptions", "a message"),
            ("google.protobuf.FieldOptions", "a field"),
            ("google.protobuf.OneofOptions", "a oneof"),
            ("google.protobuf.EnumOptions", "an enum"),
            ("google.protobuf.EnumValueOptions", "an enum value"),
            ("google.protobuf.ServiceOptions", "a service"),
            ("google.protobuf.MethodOptions", "a method"),
            (
                "google.protobuf.ExtensionRangeOptions",
                "an extension range",
            ),
        ];
        let (_, this) = KINDS.iter().find(|(m, _)| *m == message)?;
        let (_, other) = KINDS.iter().find(|(m, _)| {
            *m != message
                && self
                    .pool
                    .message(m)
                    .is_some_and(|o| o.field_by_name(name).is_some())
        })?;
        Some(format!("\"{name}\" is an option of {other}, not of {this}"))
    }

    /// protoc's error for an option name part that belongs to `owner`, not to `message`.
    fn foreign_option(
        &self,
        debug_name: &str,
        message: &str,
        owner: &str,
        span: Span,
    ) -> Box<Diagnostic> {
        Diagnostic::error(
            "UNKNOWN_OPTION",
            format!(
                "Option field \"{debug_name}\" is not a field or extension of message \"{}\".",
                message.rsplit('.').next().unwrap_or(message)
            ),
        )
        .at(self.file, span, format!("this belongs to \"{owner}\""))
        .into()
    }

    /// Encodes an option's value for its field, as `SetOptionValue` does.
    fn option_value(
        &self,
        t: Target<'_>,
        value: &Constant,
    ) -> Result<Vec<WireField>, Box<Diagnostic>> {
        let f = t.field;
        let number = f.number() as u32;
        let name = t.full_name;
        let err = |code: &'static str, msg: String| {
            Box::new(Diagnostic::error(code, msg).at(self.file, value.span(), "invalid value"))
        };
        let v = OptValue::of(value, self.sources.get(self.file).slice(value.span()));
        let out_of_range = |ty: &str, lo: i128, hi: i128| {
            err(
                "BAD_OPTION_VALUE",
                format!("Value out of range, {lo} to {hi}, for {ty} option \"{name}\"."),
            )
        };
        let must_be_int = |ty: &str, lo: i128, hi: i128| {
            err(
                "BAD_OPTION_VALUE",
                format!("Value must be integer, from {lo} to {hi}, for {ty} option \"{name}\"."),
            )
        };
        let ty = f.r#type();
        // protoc's parser stores `-N` as a negative int value, `-0` included, and an unsigned
        // option takes only a positive one.
        let negated = matches!(value, Constant::Int(i) if i.negative);
        let wire = match ty {
            Type::Int32 | Type::Sint32 | Type::Sfixed32 => {
                let (lo, hi) = (i32::MIN as i128, i32::MAX as i128);
                let n = match v {
                    OptValue::Int(n) if n >= lo && n <= hi => n as i32,
                    OptValue::Int(_) => return Err(out_of_range("int32", lo, hi)),
                    _ => return Err(must_be_int("int32", lo, hi)),
                };
                match ty {
                    Type::Int32 => WireValue::Varint(n as i64 as u64),
                    Type::Sint32 => WireValue::Varint(((n << 1) ^ (n >> 31)) as u32 as u64),
                    _ => WireValue::Fixed32(n as u32),
                }
            }
            Type::Int64 | Type::Sint64 | Type::Sfixed64 => {
                let (lo, hi) = (i64::MIN as i128, i64::MAX as i128);
                let n = match v {
                    OptValue::Int(n) if n >= lo && n <= hi => n as i64,
                    OptValue::Int(_) => return Err(out_of_range("int64", lo, hi)),
                    _ => return Err(must_be_int("int64", lo, hi)),
                };
                match ty {
                    Type::Int64 => WireValue::Varint(n as u64),
                    Type::Sint64 => WireValue::Varint(((n << 1) ^ (n >> 63)) as u64),
                    _ => WireValue::Fixed64(n as u64),
                }
            }
            Type::Uint32 | Type::Fixed32 => {
                let hi = u32::MAX as i128;
                let n = match v {
                    OptValue::Int(n) if (0..=hi).contains(&n) && !negated => n as u32,
                    OptValue::Int(n) if n > hi => return Err(out_of_range("uint32", 0, hi)),
                    _ => return Err(must_be_int("uint32", 0, hi)),
                };
                if ty == Type::Uint32 {
                    WireValue::Varint(n.into())
                } else {
                    WireValue::Fixed32(n)
                }
            }
            Type::Uint64 | Type::Fixed64 => {
                let n = match v {
                    OptValue::Int(n) if n >= 0 && !negated => n as u64,
                    _ => return Err(must_be_int("uint64", 0, u64::MAX as i128)),
                };
                if ty == Type::Uint64 {
                    WireValue::Varint(n)
                } else {
                    WireValue::Fixed64(n)
                }
            }
            Type::Float | Type::Double => {
                let d = match v {
                    OptValue::Double(d) => d,
                    OptValue::Int(n) => n as f64,
                    OptValue::Ident("inf") => f64::INFINITY,
                    OptValue::Ident("nan") => f64::NAN,
                    _ => {
                        let which = if ty == Type::Float { "float" } else { "double" };
                        return Err(err(
                            "BAD_OPTION_VALUE",
                            format!("Value must be number for {which} option \"{name}\"."),
                        ));
                    }
                };
                if ty == Type::Float {
                    WireValue::Fixed32((d as f32).to_bits())
                } else {
                    WireValue::Fixed64(d.to_bits())
                }
            }
            Type::Bool => match v {
                OptValue::Ident("true") => WireValue::Varint(1),
                OptValue::Ident("false") => WireValue::Varint(0),
                OptValue::Ident(_) => {
                    return Err(err(
                        "BAD_OPTION_VALUE",
                        format!(
                            "Value must be \"true\" or \"false\" for boolean option \"{name}\"."
                        ),
                    ))
                }
                _ => {
                    return Err(err(
                        "BAD_OPTION_VALUE",
                        format!("Value must be identifier for boolean option \"{name}\"."),
                    ))
                }
            },
            Type::Enum => {
                let OptValue::Ident(id) = v else {
                    return Err(err(
                        "BAD_OPTION_VALUE",
                        format!("Value must be identifier for enum-valued option \"{name}\"."),
                    ));
                };
                let enum_name = f.type_name().trim_start_matches('.');
                let number = self.pool.enum_value(enum_name, id).map(|ev| ev.number());
                match number {
                    Some(n) => WireValue::Varint(n as i64 as u64),
                    None => {
                        let mut d = err(
                            "BAD_OPTION_VALUE",
                            format!(
                                "Enum type \"{enum_name}\" has no value named \"{id}\" for option \"{name}\"."
                            ),
                        );
                        let values = self.pool.enumeration(enum_name).into_iter();
                        let names = values.flat_map(|e| e.value.iter().map(|v| v.name()));
                        if let Some(close) = crate::diagnostics::did_you_mean(id, names) {
                            d.help.push(format!("did you mean \"{close}\"?"));
                        }
                        return Err(d);
                    }
                }
            }
            Type::String | Type::Bytes => match value {
                Constant::String(s) => WireValue::Bytes(s.value.clone()),
                _ => {
                    return Err(err(
                        "BAD_OPTION_VALUE",
                        format!("Value must be quoted string for string option \"{name}\"."),
                    ))
                }
            },
            Type::Message | Type::Group => {
                let Constant::Aggregate(m) = value else {
                    let simple = f.name();
                    return Err(err(
                        "BAD_OPTION_VALUE",
                        format!(
                            "Option \"{name}\" is a message. To set the entire message, use syntax like \"{simple} = {{ <proto text format> }}\". To set fields within it, use syntax like \"{simple}.foo = value\"."
                        ),
                    ));
                };
                let fields = self
                    .text_message(f.type_name(), m)
                    .and_then(|fields| {
                        // `TextFormat::Parser::Parse` refuses a message that is not initialized.
                        let mut missing = Vec::new();
                        self.missing_required(f.type_name(), &fields, "", &mut missing);
                        if missing.is_empty() {
                            Ok(fields)
                        } else {
                            Err((
                                format!("Message missing required fields: {}", missing.join(", ")),
                                m.span,
                            ))
                        }
                    })
                    .map_err(|(msg, span)| {
                        Diagnostic::error(
                            "BAD_OPTION_VALUE",
                            format!(
                                "Error while parsing option value for \"{}\": {msg}",
                                f.name()
                            ),
                        )
                        .at(self.file, span, "here")
                    })?;
                if self.pool.is_group(&name.to_string(), f) {
                    WireValue::Group(fields)
                } else {
                    let mut b = Vec::new();
                    encode_fields(&fields, &mut b);
                    WireValue::Bytes(b)
                }
            }
        };
        Ok(vec![WireField {
            number,
            value: wire,
        }])
    }

    /// Parses a text-format message into its serialization (fields and extensions in number
    /// order, as `DynamicMessage::SerializeToString` writes them), with the checks of protoc's
    /// `TextFormat::Parser` (singular overwrites forbidden): a field already *present* may not be
    /// set again (a proto3 implicit-presence field holding zero is not present, so it may), nor a
    /// second member of a oneof; a non-message field needs `:` before its value.
    fn text_message(
        &self,
        type_name: &str,
        m: &MessageValue,
    ) -> Result<Vec<WireField>, (String, Span)> {
        let full = type_name.trim_start_matches('.');
        let msg = self
            .pool
            .message(full)
            .ok_or_else(|| (format!("unknown message type \"{full}\""), m.span))?;
        let mut values: BTreeMap<i32, (&FieldDescriptorProto, Edition, Vec<WireValue>)> =
            BTreeMap::new();
        let mut seen_oneofs: HashSet<i32> = HashSet::new();
        // Whether a singular field holds a value protoc's `HasField` sees.
        let present = |values: &BTreeMap<i32, (&FieldDescriptorProto, Edition, Vec<WireValue>)>,
                       number: i32| {
            values.get(&number).is_some_and(|(f, _, vals)| {
                vals.last().is_some_and(|v| {
                    !(is_zero(v)
                        && self.pool.has_implicit_presence(
                            &format!("{full}.{}", f.name()),
                            f,
                            msg.syntax,
                        ))
                })
            })
        };
        for fv in &m.fields {
            let (field, syntax) = match &fv.name {
                FieldValueName::Field(id) => {
                    let f = msg
                        .field_by_name(&id.name)
                        .or_else(|| {
                            // A group may be named by its type name; so may a DELIMITED
                            // message field that looks like one (protoc's `IsGroupLike`: named
                            // as its type in lowercase, the type declared beside it).
                            msg.proto.field.iter().find(|f| {
                                let simple = f.type_name().rsplit('.').next();
                                f.r#type() == Type::Group && simple == Some(id.name.as_str())
                                    || f.r#type() == Type::Message
                                        && f.name() == id.name.to_ascii_lowercase()
                                        && f.type_name() == format!(".{full}.{}", id.name)
                                        && self.pool.is_group(&format!("{full}.{}", f.name()), f)
                            })
                        })
                        .ok_or_else(|| {
                            (
                                format!(
                                    "Message type \"{full}\" has no field named \"{}\".",
                                    id.name
                                ),
                                id.span,
                            )
                        })?;
                    (f, msg.syntax)
                }
                FieldValueName::Extension(name) => {
                    if name.absolute {
                        // Text format names an extension by its full name, without the dot.
                        return Err((
                            "Invalid identifier in type name, got: \".\"".into(),
                            name.span,
                        ));
                    }
                    let scope = super::builder::parent_scope(full);
                    let found = self
                        .resolver
                        .resolve(name, &scope, Expect::Any)
                        .ok()
                        .and_then(|(n, _)| self.pool.extension(&n));
                    match found {
                        Some((f, syn)) if f.extendee().trim_start_matches('.') == full => (f, syn),
                        _ => {
                            return Err((
                                format!("Extension \"{}\" is not defined or is not an extension of \"{full}\".", name.to_text()),
                                name.span,
                            ))
                        }
                    }
                }
                FieldValueName::AnyType {
                    domain,
                    type_name,
                    span,
                } => {
                    let url = format!("{domain}/{}", type_name.to_text());
                    if full != "google.protobuf.Any" {
                        return Err((
                            format!(
                                "\"[{url}]\" is an Any type URL, but \"{full}\" is not google.protobuf.Any: an extension name contains no \"/\"."
                            ),
                            *span,
                        ));
                    }
                    if type_name.absolute {
                        return Err((
                            "Invalid identifier in type name, got: \".\"".into(),
                            type_name.span,
                        ));
                    }
                    let not_found = || {
                        (
                            format!("Could not find type \"{url}\" stored in google.protobuf.Any."),
                            *span,
                        )
                    };
                    // `AggregateOptionFinder::FindAnyType`: only Google's two type URL prefixes,
                    // and the message by its full name.
                    if domain != "type.googleapis.com" && domain != "type.googleprod.com" {
                        return Err(not_found());
                    }
                    let inner = match self.resolver.resolve(type_name, "", Expect::Message) {
                        Ok((n, sym)) if sym.kind == SymbolKind::Message => n,
                        _ => return Err(not_found()),
                    };
                    let TextValue::Message(body) = &fv.value else {
                        return Err(("Expected message for Any value.".into(), fv.span));
                    };
                    let fields = self.text_message(&inner, body)?;
                    let mut missing = Vec::new();
                    self.missing_required(&inner, &fields, "", &mut missing);
                    if !missing.is_empty() {
                        return Err((
                            format!(
                                "Value of type \"{}\" stored in google.protobuf.Any has missing required fields",
                                inner.trim_start_matches('.')
                            ),
                            body.span,
                        ));
                    }
                    if present(&values, 1) || present(&values, 2) {
                        return Err(("Non-repeated Any specified multiple times.".into(), *span));
                    }
                    let mut b = Vec::new();
                    encode_fields(&fields, &mut b);
                    let url = format!("{domain}/{}", inner.trim_start_matches('.'));
                    for (number, bytes) in [(1, url.into_bytes()), (2, b)] {
                        if let Some(f) = msg.field_by_number(number) {
                            values.insert(number, (f, msg.syntax, vec![WireValue::Bytes(bytes)]));
                        }
                    }
                    continue;
                }
            };
            let repeated = field.label() == Label::Repeated;
            if !repeated && present(&values, field.number()) {
                return Err((
                    format!(
                        "Non-repeated field \"{}\" is specified multiple times.",
                        field.name()
                    ),
                    fv.span,
                ));
            }
            if let Some(o) = field.oneof_index {
                if field.proto3_optional != Some(true) && !seen_oneofs.insert(o) && !repeated {
                    return Err((
                        format!(
                            "Field \"{}\" is specified along with another member of its oneof.",
                            field.name()
                        ),
                        fv.span,
                    ));
                }
            }
            if !fv.colon && !matches!(field.r#type(), Type::Message | Type::Group) {
                let at = match &fv.value {
                    TextValue::List(_, span) => *span,
                    TextValue::Message(m) => m.span,
                    TextValue::Scalar(c) => c.span(),
                };
                let text = self.sources.get(self.file).slice(at);
                let token = text.get(..1).unwrap_or(text);
                return Err((format!("Expected \":\", found \"{token}\"."), at));
            }
            let items: Vec<&TextValue> = match &fv.value {
                TextValue::List(items, span) => {
                    if !repeated {
                        return Err((
                            format!("Field \"{}\" is not repeated.", field.name()),
                            *span,
                        ));
                    }
                    items.iter().collect()
                }
                v => vec![v],
            };
            let entry = values
                .entry(field.number())
                .or_insert_with(|| (field, syntax, Vec::new()));
            if !repeated {
                // A singular field set again after a value `HasField` does not see.
                entry.2.clear();
            }
            let field_full = match field.extendee {
                Some(_) => self
                    .pool
                    .extension_by_number(full, field.number())
                    .map(|(_, _, n)| n)
                    .unwrap_or_default(),
                None => format!("{full}.{}", field.name()),
            };
            let group = self.pool.is_group(&field_full, field);
            for item in items {
                let v = self.text_value(field, &field_full, group, item)?;
                entry.2.push(v);
            }
        }
        let mut out = Vec::new();
        let message_set = msg.is_message_set();
        for (number, (field, syntax, vals)) in values {
            let number = number as u32;
            let field_full = if field.extendee.is_some() {
                self.pool
                    .extension_by_number(full, field.number())
                    .map(|(_, _, n)| n)
                    .unwrap_or_default()
            } else {
                format!("{full}.{}", field.name())
            };
            if self.pool.is_packed(&field_full, field, syntax) {
                let mut b = Vec::new();
                for v in &vals {
                    match v {
                        WireValue::Varint(x) => super::wire::put_varint(&mut b, *x),
                        WireValue::Fixed32(x) => b.extend_from_slice(&x.to_le_bytes()),
                        WireValue::Fixed64(x) => b.extend_from_slice(&x.to_le_bytes()),
                        _ => {}
                    }
                }
                if !b.is_empty() {
                    out.push(WireField::bytes(number, b));
                }
                continue;
            }
            let implicit = self
                .pool
                .has_implicit_presence(&field_full, field, msg.syntax);
            for v in vals {
                if implicit && is_zero(&v) {
                    continue;
                }
                let f = WireField { number, value: v };
                out.push(if message_set && field.extendee.is_some() {
                    field_to_message_set_item(f)
                } else {
                    f
                });
            }
        }
        Ok(out)
    }

    /// The required fields left unset in a message of type `full` serialized as `fields`, named
    /// as `Message::FindInitializationErrors` names them: this message's own first (in
    /// declaration order), then those of the messages it holds, in field-number order, as
    /// `field.sub`, `list[i].sub`, `(pkg.ext).sub`.
    fn missing_required(
        &self,
        full: &str,
        fields: &[WireField],
        prefix: &str,
        out: &mut Vec<String>,
    ) {
        let full = full.trim_start_matches('.');
        let Some(msg) = self.pool.message(full) else {
            return;
        };
        let mut numbers: Vec<u32> = fields.iter().map(|w| w.number).collect();
        numbers.sort_unstable();
        numbers.dedup();
        for f in msg.required_fields() {
            let set = u32::try_from(f.number()).is_ok_and(|n| numbers.binary_search(&n).is_ok());
            if !set {
                out.push(format!("{prefix}{}", f.name()));
            }
        }
        for number in numbers {
            let (field, name) = match msg.field_by_number(number as i32) {
                Some(f) => (f, f.name().to_string()),
                None => match self.pool.extension_by_number(full, number as i32) {
                    Some((f, _, ext_full)) => (f, format!("({ext_full})")),
                    None => continue,
                },
            };
            if !matches!(field.r#type(), Type::Message | Type::Group) {
                continue;
            }
            let repeated = field.label() == Label::Repeated;
            let items = fields.iter().filter(|w| w.number == number);
            for (i, w) in items.enumerate() {
                let inner = match &w.value {
                    WireValue::Bytes(b) => parse_fields(b).unwrap_or_default(),
                    WireValue::Group(g) => g.clone(),
                    _ => continue,
                };
                let sub = if repeated {
                    format!("{prefix}{name}[{i}].")
                } else {
                    format!("{prefix}{name}.")
                };
                self.missing_required(field.type_name(), &inner, &sub, out);
            }
        }
    }

    /// One text-format value for a field.
    fn text_value(
        &self,
        f: &FieldDescriptorProto,
        f_full: &str,
        group: bool,
        v: &TextValue,
    ) -> Result<WireValue, (String, Span)> {
        let ty = f.r#type();
        let c = match v {
            TextValue::Message(m) => {
                if !matches!(ty, Type::Message | Type::Group) {
                    return Err((format!("Field \"{}\" is not a message.", f.name()), m.span));
                }
                let fields = self.text_message(f.type_name(), m)?;
                return Ok(if group {
                    WireValue::Group(fields)
                } else {
                    let mut b = Vec::new();
                    encode_fields(&fields, &mut b);
                    WireValue::Bytes(b)
                });
            }
            TextValue::List(_, span) => {
                return Err(("Nested lists are not allowed.".into(), *span));
            }
            TextValue::Scalar(c) => c,
        };
        let span = c.span();
        let text = self.sources.get(self.file).slice(span);
        let value = OptValue::of(c, text);
        let bad = |what: &str| Err((format!("Expected {what}, got: {text}"), span));
        let range = || Err((format!("Integer out of range ({text})"), span));
        // protoc's text parser reads an unsigned integer without a sign: the `-` is the token it
        // did not expect (`-0` too).
        let negative = match c {
            Constant::Int(i) => i.negative,
            Constant::Float(f) => f.negative,
            Constant::Ident { negative, .. } => *negative,
            _ => false,
        };
        if negative
            && matches!(
                ty,
                Type::Uint32 | Type::Fixed32 | Type::Uint64 | Type::Fixed64
            )
        {
            return Err(("Expected integer, got: -".to_string(), span));
        }
        Ok(match ty {
            Type::Int32 | Type::Sint32 | Type::Sfixed32 => {
                let OptValue::Int(n) = value else {
                    return bad("integer");
                };
                let Ok(n) = i32::try_from(n) else {
                    return range();
                };
                match ty {
                    Type::Int32 => WireValue::Varint(n as i64 as u64),
                    Type::Sint32 => WireValue::Varint(((n << 1) ^ (n >> 31)) as u32 as u64),
                    _ => WireValue::Fixed32(n as u32),
                }
            }
            Type::Int64 | Type::Sint64 | Type::Sfixed64 => {
                let OptValue::Int(n) = value else {
                    return bad("integer");
                };
                let Ok(n) = i64::try_from(n) else {
                    return range();
                };
                match ty {
                    Type::Int64 => WireValue::Varint(n as u64),
                    Type::Sint64 => WireValue::Varint(((n << 1) ^ (n >> 63)) as u64),
                    _ => WireValue::Fixed64(n as u64),
                }
            }
            Type::Uint32 | Type::Fixed32 => {
                let OptValue::Int(n) = value else {
                    return bad("integer");
                };
                let Ok(n) = u32::try_from(n) else {
                    return range();
                };
                if ty == Type::Uint32 {
                    WireValue::Varint(n.into())
                } else {
                    WireValue::Fixed32(n)
                }
            }
            Type::Uint64 | Type::Fixed64 => {
                let OptValue::Int(n) = value else {
                    return bad("integer");
                };
                let Ok(n) = u64::try_from(n) else {
                    return range();
                };
                if ty == Type::Uint64 {
                    WireValue::Varint(n)
                } else {
                    WireValue::Fixed64(n)
                }
            }
            Type::Float | Type::Double => {
                let d = text_double(c, text).map_err(|e| (e, span))?;
                if ty == Type::Float {
                    // `io::SafeDoubleToFloat`: beyond the float range is an infinity.
                    let f = if d > f32::MAX as f64 {
                        f32::INFINITY
                    } else if d < f32::MIN as f64 {
                        f32::NEG_INFINITY
                    } else {
                        d as f32
                    };
                    WireValue::Fixed32(f.to_bits())
                } else {
                    WireValue::Fixed64(d.to_bits())
                }
            }
            Type::Bool => match value {
                OptValue::Ident("true" | "True" | "t") | OptValue::Int(1) => WireValue::Varint(1),
                OptValue::Ident("false" | "False" | "f") | OptValue::Int(0) => WireValue::Varint(0),
                _ => {
                    return Err((
                        format!(
                            "Invalid value for boolean field \"{}\". Value: \"{text}\".",
                            f.name()
                        ),
                        span,
                    ))
                }
            },
            Type::Enum => {
                match value {
                    OptValue::Ident(id) => {
                        match self.pool.enum_value(f.type_name(), id) {
                            Some(v) => WireValue::Varint(v.number() as i64 as u64),
                            None => {
                                return Err((
                                    format!(
                                        "Unknown enumeration value of \"{id}\" for field \"{}\".",
                                        f.name()
                                    ),
                                    span,
                                ))
                            }
                        }
                    }
                    OptValue::Int(n) => match i32::try_from(n) {
                        Ok(n)
                            if self.pool.field_enum_is_closed(f_full, f)
                                && !self.pool.enum_has_number(f.type_name(), n) =>
                        {
                            // A closed enum takes no unknown number.
                            return Err((
                                format!(
                                    "Unknown enumeration value of \"{n}\" for field \"{}\".",
                                    f.name()
                                ),
                                span,
                            ));
                        }
                        Ok(n) => WireValue::Varint(n as i64 as u64),
                        Err(_) => return range(),
                    },
                    _ => return bad("identifier"),
                }
            }
            Type::String | Type::Bytes => match c {
                Constant::String(s) => WireValue::Bytes(s.value.clone()),
                _ => return bad("string"),
            },
            Type::Message | Type::Group => {
                return Err((
                    format!("Expected \"{{\" for message field \"{}\".", f.name()),
                    span,
                ))
            }
        })
    }
}

/// A double in text format (`TextFormat`'s `ConsumeDouble`): an optional `-` applied last (so
/// `-0` and `-nan` keep their sign), then a decimal integer (converted from `uint64`, or parsed
/// as a double beyond it; hex and octal are refused), a float, or `inf` / `infinity` / `nan` in
/// any case.
fn text_double(c: &Constant, text: &str) -> Result<f64, String> {
    let (negative, magnitude) = match c {
        Constant::Int(i) => {
            let digits = text.trim_start_matches('-').trim_start();
            let b = digits.as_bytes();
            let hex = b.len() >= 2 && b[0] == b'0' && matches!(b[1], b'x' | b'X');
            let octal = b.len() >= 2 && b[0] == b'0' && (b'0'..b'8').contains(&b[1]);
            if hex || octal {
                return Err(format!("Expect a decimal number, got: {digits}"));
            }
            let m = match i.value {
                Some(v) => v as f64,
                None => digits.parse().unwrap_or(f64::INFINITY),
            };
            (i.negative, m)
        }
        Constant::Float(f) => (f.negative, f.value),
        Constant::Ident { negative, name, .. } if name.parts.len() == 1 && !name.absolute => {
            let id = name.parts[0].name.to_ascii_lowercase();
            let m = match id.as_str() {
                "inf" | "infinity" => f64::INFINITY,
                "nan" => f64::NAN,
                _ => return Err(format!("Expected double, got: {id}")),
            };
            (*negative, m)
        }
        _ => return Err(format!("Expected double, got: {text}")),
    };
    Ok(if negative { -magnitude } else { magnitude })
}

/// A literal as protoc's `UninterpretedOption` classifies it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum OptValue<'c> {
    /// `identifier_value`
    Ident(&'c str),
    /// `-inf`, `-nan` (and, in text format, other negated identifiers)
    NegIdent(&'c str),
    /// `positive_int_value` / `negative_int_value`
    Int(i128),
    /// `double_value`
    Double(f64),
    /// `string_value`
    Str,
    /// `aggregate_value`
    Aggregate,
}

impl<'c> OptValue<'c> {
    fn of(c: &'c Constant, text: &str) -> Self {
        match c {
            Constant::Ident {
                negative: false,
                name,
                ..
            } => match name.parts.as_slice() {
                [one] if !name.absolute => OptValue::Ident(&one.name),
                _ => OptValue::Ident(""),
            },
            Constant::Ident {
                negative: true,
                name,
                ..
            } => match name.parts.as_slice() {
                [one] if one.name == "inf" => OptValue::Double(f64::NEG_INFINITY),
                [one] if one.name == "nan" => OptValue::Double(f64::NAN),
                [one] => OptValue::NegIdent(&one.name),
                _ => OptValue::Ident(""),
            },
            Constant::Int(i) => match i.as_i128() {
                // protoc reads integers beyond 64 bits (or below -2^63) as doubles
                // (`Parser::ConsumeNumber`): one that fits a `uint64` (hex and octal too) is
                // converted from it; a longer one can only be decimal, and is parsed as such.
                Some(v) if v >= i64::MIN as i128 => OptValue::Int(v),
                Some(v) => OptValue::Double(-(v.unsigned_abs() as u64 as f64)),
                None => {
                    let m: f64 = text
                        .trim_start_matches('-')
                        .parse()
                        .unwrap_or(f64::INFINITY);
                    OptValue::Double(if i.negative { -m } else { m })
                }
            },
            Constant::Float(f) => OptValue::Double(if f.negative { -f.value } else { f.value }),
            Constant::String(_) => OptValue::Str,
            Constant::Aggregate(_) => OptValue::Aggregate,
        }
    }
}

fn is_zero(v: &WireValue) -> bool {
    match v {
        WireValue::Varint(0) | WireValue::Fixed32(0) | WireValue::Fixed64(0) => true,
        WireValue::Bytes(b) => b.is_empty(),
        _ => false,
    }
}

/// `Option "x" unknown…` with an optional `help:` naming the import to add.
fn unknown_option(debug_name: &str, file: FileId, span: Span, help: Option<String>) -> Diagnostic {
    let mut d = Diagnostic::error(
        "UNKNOWN_OPTION",
        format!(
            "Option \"{debug_name}\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024)."
        ),
    )
    .at(file, span, "unknown option");
    if let Some(h) = help {
        d = d.help(h);
    }
    d
}

/// The fields an element's options have set so far: where each number is among them, and every
/// path of field numbers set inside their message values.
#[derive(Clone, Copy)]
pub struct SetSoFar<'s> {
    at: &'s HashMap<u32, Vec<usize>>,
    nested: &'s SetPaths,
}

/// The paths of field numbers set inside an element's option values, as a trie: node 0 is the
/// options message, and each (node, field number) set below it has a node of its own. Adding a
/// field costs the same at any depth.
#[derive(Default)]
struct SetPaths {
    children: HashMap<(u32, u32), u32>,
}

impl SetPaths {
    /// The node of `number` below `node`, added if new.
    fn child(&mut self, node: u32, number: u32) -> u32 {
        let next = self.children.len() as u32 + 1;
        *self.children.entry((node, number)).or_insert(next)
    }

    /// Whether the path `numbers` (from the options message down) is set.
    fn contains(&self, numbers: impl IntoIterator<Item = u32>) -> bool {
        let mut node = 0;
        for n in numbers {
            match self.children.get(&(node, n)) {
                Some(&child) => node = child,
                None => return false,
            }
        }
        true
    }
}

/// Whether a non-repeated option at `path` is already among the fields set so far
/// (`ExamineIfOptionIsSet`). The top level is looked up by number; below it (an option set in
/// pieces, `(m).a = 1; (m).b = 2;`), among the paths set inside the pieces before.
fn is_set(set: SetSoFar<'_>, path: &[&FieldDescriptorProto]) -> bool {
    match path {
        [] => false,
        [first] => set.at.contains_key(&(first.number() as u32)),
        _ => set.nested.contains(path.iter().map(|f| f.number() as u32)),
    }
}

/// The source-retention options protoc's `StripSourceRetentionOptions` removes, as
/// `SourceCodeInfo` paths (it also drops the locations under them).
#[derive(Clone, Debug, Default)]
pub struct Stripped {
    /// The path of the message being canonicalized (the options field's path at the top).
    pub path: Vec<i32>,
    /// The paths of the fields removed.
    pub paths: Vec<Vec<i32>>,
    /// Keep source-retention fields, and serialize as protoc's compiled-in classes do (what
    /// `FileDescriptor::CopyTo` writes: a plugin's dependencies and `source_file_descriptors`):
    /// only the extensions linked into protoc ([`LINKED_EXTENSIONS`]) are known; every other
    /// extension stays an unknown field, unmerged, in the order written.
    pub retain: bool,
}

/// The extensions of `descriptor.proto`'s messages compiled into protoc 36.2 (its C++ and Java
/// generators link their feature sets), which its own classes parse as known fields. Checked
/// against protoc by `tests/it/cli/plugin.rs`: a dependency's `features.(pb.java)` written before
/// `features.(pb.cpp)` comes back sorted, while `pb.go`'s stays where it was written.
pub const LINKED_EXTENSIONS: &[&str] = &["pb.cpp", "pb.java"];

/// Serializes options as protoc's `-o` output holds them.
///
/// Two re-serializations happen in protoc: interpretation re-parses the options with its
/// compiled-in classes, and then, when writing the descriptor set, `StripSourceRetentionOptions`
/// round-trips the whole `FileDescriptorProto` through a `DynamicMessage` built from the
/// compilation's own pool (whenever that pool holds `descriptor.proto`, which it does whenever
/// a file uses custom options) and drops fields declared `retention = RETENTION_SOURCE`. The net
/// effect, reproduced here: every field the pool knows, extensions included, is written in
/// field-number order; occurrences of a singular message field are merged, a singular scalar
/// keeps its last value, repeated fields keep their order (packed if the field is packed);
/// proto3 implicit-presence zeros vanish; source-retention fields are dropped; anything unknown
/// follows in its original order.
///
/// Records in `stripped` the paths of the source-retention fields removed (relative to
/// `stripped.path`, the options field's path).
pub fn canonicalize_at(
    pool: &Pool<'_>,
    message: &str,
    fields: Vec<WireField>,
    stripped: &mut Stripped,
) -> Vec<u8> {
    let mut out = Vec::new();
    encode_fields(&canonical_fields(pool, message, fields, stripped), &mut out);
    out
}

fn canonical_fields(
    pool: &Pool<'_>,
    message: &str,
    fields: Vec<WireField>,
    stripped: &mut Stripped,
) -> Vec<WireField> {
    if fields.is_empty() {
        // Nothing to reorder or strip.
        return fields;
    }
    let message = message.trim_start_matches('.');
    let Some(msg) = pool.message(message) else {
        return fields;
    };
    // The known fields' values by field number (sorted below).
    let mut known: Vec<KnownField<'_>> = Vec::new();
    // Where each number is in `known`: a literal can set any number of fields.
    let mut known_at: HashMap<i32, usize> = HashMap::new();
    let mut unknown = Vec::new();
    let message_set = msg.is_message_set();
    let fields = if message_set {
        fields.into_iter().map(message_set_item_to_field).collect()
    } else {
        fields
    };
    let fields = last_oneof_members(msg, fields);
    for f in fields {
        let info = match msg.field_by_number(f.number as i32) {
            Some(fd) => Some((fd, msg.syntax, None)),
            None => pool
                .extension_by_number(message, f.number as i32)
                .filter(|(_, _, full)| !stripped.retain || LINKED_EXTENSIONS.contains(&&**full))
                .map(|(fd, syntax, full)| (fd, syntax, Some(full))),
        };
        // A DELIMITED message field of an editions file is a group on the wire.
        let matches = |fd: &FieldDescriptorProto, full: &Option<String>| {
            let group = fd.r#type() == Type::Message
                && match full {
                    Some(full) => pool.is_group(full, fd),
                    None => pool.is_group(&format!("{message}.{}", fd.name()), fd),
                };
            if group {
                matches!(f.value, WireValue::Group(_))
            } else {
                wire_matches(fd, &f.value)
            }
        };
        match info {
            Some((fd, syntax, full)) if matches(fd, &full) => {
                let number = fd.number();
                match known_at.get(&number).and_then(|&i| known.get_mut(i)) {
                    Some(k) => k.4.push(f.value),
                    None => {
                        known_at.insert(number, known.len());
                        known.push((number, fd, syntax, full, vec![f.value]));
                    }
                }
            }
            _ => unknown.push(f),
        }
    }
    known.sort_by_key(|k| k.0);
    let mut out = Vec::with_capacity(known.len() + unknown.len());
    // A plain field's full name, built in one reused buffer.
    let mut field_full = String::new();
    for (number, fd, syntax, extension_full, values) in known {
        let full = match &extension_full {
            Some(full) => full.as_str(),
            None => {
                field_full.clear();
                field_full.push_str(message);
                field_full.push('.');
                field_full.push_str(fd.name());
                field_full.as_str()
            }
        };
        if !stripped.retain && pool.is_source_retention(full) {
            let mut path = stripped.path.clone();
            path.push(number);
            stripped.paths.push(path);
            continue;
        }
        let number = number as u32;
        let ty = if pool.is_group(full, fd) {
            Type::Group
        } else {
            fd.r#type()
        };
        // A message value, canonicalized at `[…, number]` (`[…, number, index]` if repeated).
        let sub = |v: WireValue, index: Option<usize>, stripped: &mut Stripped| -> WireValue {
            let depth = stripped.path.len();
            stripped.path.push(number as i32);
            stripped.path.extend(index.map(|i| i as i32));
            let v = match (ty, v) {
                (Type::Message, WireValue::Bytes(b)) => match parse_fields(&b) {
                    Some(inner) => {
                        let fields = canonical_fields(pool, fd.type_name(), inner, stripped);
                        let mut out = Vec::new();
                        encode_fields(&fields, &mut out);
                        WireValue::Bytes(out)
                    }
                    None => WireValue::Bytes(b),
                },
                (Type::Group, WireValue::Group(inner)) => {
                    WireValue::Group(canonical_fields(pool, fd.type_name(), inner, stripped))
                }
                (_, v) => v,
            };
            stripped.path.truncate(depth);
            v
        };
        if fd.label() == Label::Repeated {
            if pool.is_packed(full, fd, syntax) {
                let mut b = Vec::new();
                for v in values {
                    match v {
                        WireValue::Varint(x) => super::wire::put_varint(&mut b, x),
                        WireValue::Fixed32(x) => b.extend_from_slice(&x.to_le_bytes()),
                        WireValue::Fixed64(x) => b.extend_from_slice(&x.to_le_bytes()),
                        WireValue::Bytes(p) => b.extend_from_slice(&p),
                        WireValue::Group(_) => {}
                    }
                }
                if !b.is_empty() {
                    out.push(WireField::bytes(number, b));
                }
            } else {
                for (i, v) in values.into_iter().enumerate() {
                    out.push(WireField {
                        number,
                        value: sub(v, Some(i), stripped),
                    });
                }
            }
        } else if ty == Type::Message {
            // Parsing merges every occurrence of a singular message field.
            let mut merged = Vec::new();
            for v in values {
                if let WireValue::Bytes(b) = v {
                    merged.extend_from_slice(&b);
                }
            }
            out.push(WireField {
                number,
                value: sub(WireValue::Bytes(merged), None, stripped),
            });
        } else if ty == Type::Group {
            let mut merged = Vec::new();
            for v in values {
                if let WireValue::Group(g) = v {
                    merged.extend(g);
                }
            }
            out.push(WireField {
                number,
                value: sub(WireValue::Group(merged), None, stripped),
            });
        } else if let Some(v) = values.into_iter().last() {
            if is_zero(&v) && pool.has_implicit_presence(full, fd, syntax) {
                continue;
            }
            out.push(WireField { number, value: v });
        }
    }
    if message_set {
        out = out.into_iter().map(field_to_message_set_item).collect();
    }
    out.extend(unknown);
    out
}

/// Parsing a message keeps one member of each oneof: setting a member clears the others (and
/// whatever the member held before another was set). So of the occurrences of a oneof's members,
/// only those of the last member set count, from where it was last switched to; options set in
/// pieces (`option (m).a = 1; option (m).b = 2;`) keep `b` alone, as protoc's output does.
fn last_oneof_members(msg: MessageRef<'_>, fields: Vec<WireField>) -> Vec<WireField> {
    let oneof_of = |f: &WireField| {
        msg.field_by_number(f.number as i32)
            .and_then(|fd| fd.oneof_index)
    };
    // Per oneof: the member set last, and where its final run starts.
    let mut current: BTreeMap<i32, (u32, usize)> = BTreeMap::new();
    for (i, f) in fields.iter().enumerate() {
        if let Some(o) = oneof_of(f) {
            match current.get(&o) {
                Some(&(member, _)) if member == f.number => {}
                _ => {
                    current.insert(o, (f.number, i));
                }
            }
        }
    }
    if current.is_empty() {
        return fields;
    }
    fields
        .into_iter()
        .enumerate()
        .filter(|(i, f)| match oneof_of(f) {
            Some(o) => current
                .get(&o)
                .is_some_and(|&(member, start)| member == f.number && *i >= start),
            None => true,
        })
        .map(|(_, f)| f)
        .collect()
}

/// A known field of an options message being canonicalized: its number, definition, the
/// syntax of the file defining it, its full name if it is an extension (a plain field's is
/// `message.name`), and its values in order.
type KnownField<'p> = (
    i32,
    &'p FieldDescriptorProto,
    Edition,
    Option<String>,
    Vec<WireValue>,
);

/// A MessageSet item (`group 1 { 2: type_id, 3: message }`) as the extension field it holds.
fn message_set_item_to_field(f: WireField) -> WireField {
    if let (1, WireValue::Group(inner)) = (f.number, &f.value) {
        let id = inner.iter().find_map(|g| match (g.number, &g.value) {
            (2, WireValue::Varint(v)) => Some(*v as u32),
            _ => None,
        });
        let msg = inner.iter().find_map(|g| match (g.number, &g.value) {
            (3, WireValue::Bytes(b)) => Some(b.clone()),
            _ => None,
        });
        if let (Some(id), Some(msg)) = (id, msg) {
            return WireField::bytes(id, msg);
        }
    }
    f
}

/// An extension of a MessageSet written as an item, as C++ serializes MessageSets.
fn field_to_message_set_item(f: WireField) -> WireField {
    match f.value {
        WireValue::Bytes(b) => WireField {
            number: 1,
            value: WireValue::Group(vec![
                WireField::varint(2, f.number.into()),
                WireField::bytes(3, b),
            ]),
        },
        value => WireField {
            number: f.number,
            value,
        },
    }
}

fn wire_matches(fd: &FieldDescriptorProto, v: &WireValue) -> bool {
    match fd.r#type() {
        Type::Double | Type::Fixed64 | Type::Sfixed64 => matches!(v, WireValue::Fixed64(_)),
        Type::Float | Type::Fixed32 | Type::Sfixed32 => matches!(v, WireValue::Fixed32(_)),
        Type::String | Type::Bytes | Type::Message => matches!(v, WireValue::Bytes(_)),
        Type::Group => matches!(v, WireValue::Group(_)),
        _ => {
            matches!(v, WireValue::Varint(_))
                || fd.label() == Label::Repeated && matches!(v, WireValue::Bytes(_))
        }
    }
}
