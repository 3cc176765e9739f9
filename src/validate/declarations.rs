//! Extension declarations: `extensions 1 to 9 [declaration = { number: 1, full_name: ".pkg.ext",
//! type: ".pkg.Msg" }, verification = DECLARATION];`.
//!
//! A declaration reserves a number of an extension range for one extension, so that two teams
//! cannot pick the same number for different extensions of a shared message. protoc 36 checks
//! the declarations themselves (`ValidateExtensionRangeOptions`, `ValidateExtensionDeclaration`)
//! and, when compiling, every extension of a message outside `descriptor.proto` against them
//! (`ValidateOptions(FieldDescriptor)`, `CheckExtensionDeclaration`; `descriptor.cc`):
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `EXTENSION_DECLARATION_UNVERIFIED` | declarations in a range marked `verification = UNVERIFIED` | `ValidateExtensionRangeOptions` |
//! | `EXTENSION_DECLARATION_OUT_OF_RANGE` | a declaration whose number is outside its range | `ValidateExtensionDeclaration` |
//! | `EXTENSION_DECLARATION_DUPLICATE_NUMBER` | two declarations of one number in a range | `ValidateExtensionDeclaration` |
//! | `EXTENSION_DECLARATION_INCOMPLETE` | a declaration with only one of `full_name` and `type`, or neither without `reserved` | `ValidateExtensionDeclaration` |
//! | `EXTENSION_DECLARATION_DUPLICATE_NAME` | one `full_name` declared twice in a message | `ValidateExtensionDeclaration` |
//! | `EXTENSION_DECLARATION_SYMBOL` | a `full_name` (or a message/enum `type`) without its leading dot or with invalid identifiers | `ValidateSymbolForDeclaration` |
//! | `EXTENSION_DECLARATION_RESERVED` | an extension using a number declared `reserved` | `ValidateOptions(FieldDescriptor)` |
//! | `EXTENSION_DECLARATION_MISSING` | an undeclared extension in a range with declarations or `verification = DECLARATION` | `ValidateOptions(FieldDescriptor)` |
//! | `EXTENSION_DECLARATION_TYPE` | an extension whose type is not the declared one (`.pkg.Msg` for messages and enums, `int32` for scalars) | `CheckExtensionDeclarationFieldType` |
//! | `EXTENSION_DECLARATION_NAME` | an extension whose full name (`.pkg.ext`) is not the declared one | `CheckExtensionDeclaration` |
//! | `EXTENSION_DECLARATION_CARDINALITY` | an extension whose `repeated`-ness is not the declared one | `CheckExtensionDeclaration` |
//!
//! protoc skips the extensions of `descriptor.proto`'s messages (custom options are not
//! declared). Like protoc, the type of an extension is not compared once the file has an error.
//!
//! prost-types 0.14's `ExtensionRangeOptions` has neither `declaration` nor `verification`
//! (a source-retention option), so both are read from the range's interpreted options
//! ([`super::CheckInput::options`]); inputs without them have no declarations.

use foldhash::{HashMap, HashSet};

use prost_types::field_descriptor_proto::Type;

use super::{sub, tag, Checker, FieldCx, FileCx, MessageCx};
use crate::descriptor::wire::{parse_fields, WireValue};
use crate::descriptor::WrittenOptions;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// `ExtensionRangeOptions.declaration`.
const DECLARATION: u32 = 2;
/// `ExtensionRangeOptions.verification`.
const VERIFICATION: u32 = 3;
/// `VerificationState.DECLARATION`.
const STATE_DECLARATION: u64 = 0;
/// `VerificationState.UNVERIFIED`.
const STATE_UNVERIFIED: u64 = 1;

/// One `declaration = { … }` of an extension range.
#[derive(Clone, Debug, Default)]
pub(crate) struct Declaration {
    /// `number` (0 when unset, as protoc reads it).
    pub number: i32,
    /// `full_name`, if set.
    pub full_name: Option<String>,
    /// `type`, if set.
    pub ty: Option<String>,
    /// `reserved`.
    pub reserved: bool,
    /// `repeated`.
    pub repeated: bool,
    /// Where it was written, if known.
    pub span: Option<Span>,
}

/// What an extension range's options say about declarations.
#[derive(Clone, Debug, Default)]
pub(crate) struct RangeDeclarations {
    /// The declarations, in order.
    pub declarations: Vec<Declaration>,
    /// `verification`, if set (`DECLARATION` = 0, `UNVERIFIED` = 1, the default).
    pub verification: Option<u64>,
}

impl RangeDeclarations {
    /// Reads the declarations of a range's interpreted options.
    pub fn of(opts: Option<&WrittenOptions>) -> RangeDeclarations {
        let mut out = RangeDeclarations::default();
        let Some(opts) = opts else {
            return out;
        };
        let mut spans = opts
            .written
            .iter()
            .filter(|w| w.name.first().map(String::as_str) == Some("declaration"))
            .map(|w| w.span);
        for field in &opts.fields {
            match (&field.value, field.number) {
                (WireValue::Varint(v), VERIFICATION) => out.verification = Some(*v),
                (WireValue::Bytes(b), DECLARATION) => {
                    let mut d = Declaration {
                        span: spans.next(),
                        ..Declaration::default()
                    };
                    for x in parse_fields(b).unwrap_or_default() {
                        match (x.number, x.value) {
                            (1, WireValue::Varint(v)) => d.number = v as i32,
                            (2, WireValue::Bytes(s)) => {
                                d.full_name = Some(String::from_utf8_lossy(&s).into_owned())
                            }
                            (3, WireValue::Bytes(s)) => {
                                d.ty = Some(String::from_utf8_lossy(&s).into_owned())
                            }
                            (5, WireValue::Varint(v)) => d.reserved = v != 0,
                            (6, WireValue::Varint(v)) => d.repeated = v != 0,
                            _ => {}
                        }
                    }
                    out.declarations.push(d);
                }
                _ => {}
            }
        }
        out
    }
}

/// An extension range's declarations with the first declaration of each number, read once
/// however many extensions are checked against them.
#[derive(Debug)]
pub(crate) struct Indexed {
    /// The declarations.
    pub declarations: RangeDeclarations,
    /// The index in `declarations.declarations` of the first declaration of each number, for
    /// ranges of more than [`super::Lookups::LINEAR_MAX`] declarations.
    by_number: Option<HashMap<i32, usize>>,
}

impl Indexed {
    /// Reads and indexes a range's declarations.
    pub fn of(opts: &WrittenOptions) -> Indexed {
        let declarations = RangeDeclarations::of(Some(opts));
        let by_number = (declarations.declarations.len() > super::Lookups::LINEAR_MAX).then(|| {
            let mut map = HashMap::default();
            for (i, d) in declarations.declarations.iter().enumerate() {
                map.entry(d.number).or_insert(i);
            }
            map
        });
        Indexed {
            declarations,
            by_number,
        }
    }

    /// The first declaration of `number`.
    pub fn first(&self, number: i32) -> Option<&Declaration> {
        let all = &self.declarations.declarations;
        match &self.by_number {
            Some(map) => map.get(&number).map(|&i| &all[i]),
            None => all.iter().find(|d| d.number == number),
        }
    }
}

/// protoc's `IsNonMessageType`: the names a declaration's `type` may use for scalars.
fn is_non_message_type(ty: &str) -> bool {
    matches!(
        ty,
        "double"
            | "float"
            | "int64"
            | "uint64"
            | "int32"
            | "fixed32"
            | "fixed64"
            | "bool"
            | "string"
            | "bytes"
            | "uint32"
            | "enum"
            | "sfixed32"
            | "sfixed64"
            | "sint32"
            | "sint64"
    )
}

/// protoc's `ValidateQualifiedName`: dot-separated identifiers (a leading dot is allowed, empty
/// parts elsewhere are not).
fn valid_qualified_name(name: &str) -> bool {
    let mut last_was_period = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            last_was_period = false;
        } else if c == '.' {
            if last_was_period {
                return false;
            }
            last_was_period = true;
        } else {
            return false;
        }
    }
    !name.is_empty() && !last_was_period
}

/// protoc's `ValidateSymbolForDeclaration`.
fn symbol_error(symbol: &str) -> Option<String> {
    if !symbol.starts_with('.') {
        return Some(format!(
            "\"{symbol}\" must have a leading dot to indicate the fully-qualified scope."
        ));
    }
    if !valid_qualified_name(symbol) {
        return Some(format!("\"{symbol}\" contains invalid identifiers."));
    }
    None
}

/// The declarations of every extension range of a message (`ValidateExtensionRangeOptions`).
pub(crate) fn check_ranges(ck: &mut Checker, f: &FileCx, mx: &MessageCx) {
    let (m, path) = (mx.proto, mx.path);
    // Full names declared anywhere in the message.
    let mut names: HashSet<String> = HashSet::default();
    for (i, range) in m.extension_range.iter().enumerate() {
        let rpath = sub(path, &[tag::MSG_EXT_RANGE, i as i32]);
        let decls = RangeDeclarations::of(f.opts(&sub(&rpath, &[tag::EXT_RANGE_OPTIONS])));
        if decls.declarations.is_empty() {
            continue;
        }
        // Spans are only worked out for a diagnostic: valid files never build their span index.
        let range_span = || f.span(&rpath);
        if decls.verification == Some(STATE_UNVERIFIED) {
            let at = f.option_span(
                &sub(&rpath, &[tag::EXT_RANGE_OPTIONS]),
                &["verification"],
                &rpath,
            );
            ck.push(
                Diagnostic::error(
                    "EXTENSION_DECLARATION_UNVERIFIED",
                    "Cannot mark the extension range as UNVERIFIED when it has extension(s) \
                     declared.",
                )
                .at(f.id, at, "declarations need verification")
                .help("remove `verification = UNVERIFIED`, or the declarations"),
            );
            // protoc stops checking the message's ranges here.
            return;
        }
        let (start, end) = (range.start.unwrap_or(0), range.end.unwrap_or(0));
        let mut numbers: HashSet<i32> = HashSet::default();
        for d in &decls.declarations {
            let at = || d.span.unwrap_or_else(range_span);
            if d.number < start || d.number >= end {
                ck.push(
                    Diagnostic::error(
                        "EXTENSION_DECLARATION_OUT_OF_RANGE",
                        format!(
                            "Extension declaration number {} is not in the extension range.",
                            d.number
                        ),
                    )
                    .at(f.id, at(), "declared outside its range")
                    .help(format!(
                        "declare numbers from {start} to {} in this range",
                        end - 1
                    )),
                );
            }
            if !numbers.insert(d.number) {
                ck.push(
                    Diagnostic::error(
                        "EXTENSION_DECLARATION_DUPLICATE_NUMBER",
                        format!(
                            "Extension declaration number {} is declared multiple times.",
                            d.number
                        ),
                    )
                    .at(f.id, at(), "declared again")
                    .help("declare each number once"),
                );
            }
            match (&d.full_name, &d.ty) {
                (Some(name), Some(ty)) => {
                    if !names.insert(name.clone()) {
                        ck.push(
                            Diagnostic::error(
                                "EXTENSION_DECLARATION_DUPLICATE_NAME",
                                format!(
                                    "Extension field name \"{name}\" is declared multiple times."
                                ),
                            )
                            .at(f.id, at(), "declared again")
                            .help("each extension is declared once, with one number"),
                        );
                        // protoc stops checking this range's declarations here.
                        break;
                    }
                    let mut errs: Vec<String> = symbol_error(name).into_iter().collect();
                    if !is_non_message_type(ty) {
                        errs.extend(symbol_error(ty));
                    }
                    for e in errs {
                        ck.push(
                            Diagnostic::error("EXTENSION_DECLARATION_SYMBOL", e)
                                .at(f.id, at(), "not a fully-qualified name")
                                .help(
                                    "write full names with a leading dot (`.pkg.Msg`); scalar \
                                     types as is (`int32`)",
                                ),
                        );
                    }
                }
                (None, None) if d.reserved => {}
                _ => ck.push(
                    Diagnostic::error(
                        "EXTENSION_DECLARATION_INCOMPLETE",
                        format!(
                            "Extension declaration #{} should have both \"full_name\" and \
                             \"type\" set.",
                            d.number
                        ),
                    )
                    .at(f.id, at(), "incomplete declaration")
                    .help(
                        "set both `full_name` and `type`, or neither with `reserved: true` to \
                         retire the number",
                    ),
                ),
            }
        }
    }
}

/// Messages of `descriptor.proto` whose extensions protoc never checks against declarations
/// (`IsReadyForCheckingDescriptorExtDecl`).
const OPTIONS_MESSAGES: &[&str] = &[
    "google.protobuf.EnumOptions",
    "google.protobuf.EnumValueOptions",
    "google.protobuf.ExtensionRangeOptions",
    "google.protobuf.FieldOptions",
    "google.protobuf.FileOptions",
    "google.protobuf.MessageOptions",
    "google.protobuf.MethodOptions",
    "google.protobuf.OneofOptions",
    "google.protobuf.ServiceOptions",
];

/// protoc's `FieldDescriptor::type_name()` for scalars.
fn scalar_name(ty: Type) -> &'static str {
    match ty {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Group => "group",
        Type::Message => "message",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Enum => "enum",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
    }
}

/// One extension against its extendee's declarations.
pub(crate) fn check_extension(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    if !fx.is_extension {
        return;
    }
    let Some(extendee) = fx.field.extendee.as_deref() else {
        return;
    };
    let extendee = extendee.strip_prefix('.').unwrap_or(extendee);
    if OPTIONS_MESSAGES.contains(&extendee) {
        return;
    }
    let Some(def) = ck.messages.get(extendee) else {
        return;
    };
    let input = &ck.files[def.file];
    if input.descriptor.name.as_deref() == Some("google/protobuf/descriptor.proto") {
        return;
    }
    let number = fx.field.number.unwrap_or(0);
    let Some(j) = ck.lookups.extension_range(def.proto, number) else {
        return;
    };
    let rpath = sub(&def.path, &[tag::MSG_EXT_RANGE, j as i32]);
    let Some(opts) = input
        .options
        .and_then(|o| o.get(&sub(&rpath, &[tag::EXT_RANGE_OPTIONS])))
    else {
        return;
    };
    let indexed = ck.lookups.declarations(opts);
    let indexed = &*indexed;
    let (decls, found) = (&indexed.declarations, indexed.first(number));
    let decl_file = input.id;
    // Only looked up for a diagnostic: valid files never build their span index.
    let range_span = || input.spans.get(&rpath).copied().unwrap_or_default();
    let extendee_name = def.full_name.clone();
    let name = fx.full_name();

    let Some(d) = found else {
        if !decls.declarations.is_empty() || decls.verification == Some(STATE_DECLARATION) {
            ck.push(
                Diagnostic::error(
                    "EXTENSION_DECLARATION_MISSING",
                    format!(
                        "Missing extension declaration for field {name} with number {number} \
                         in extendee message {extendee_name}. An extension range must declare \
                         for all extension fields if its verification state is DECLARATION or \
                         there's any declaration in the range already. Otherwise, consider \
                         splitting up the range."
                    ),
                )
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_NUMBER)),
                    "no declaration for this number",
                )
                .also(
                    decl_file,
                    range_span(),
                    "the range that requires declarations",
                )
                .help(format!(
                    "add `declaration = {{ number: {number}, full_name: \".{name}\", type: \
                     \"…\" }}` to the range"
                )),
            );
        }
        return;
    };
    let decl_span = || d.span.unwrap_or_else(range_span);
    if d.reserved {
        ck.push(
            Diagnostic::error(
                "EXTENSION_DECLARATION_RESERVED",
                format!(
                    "Cannot use number {number} for extension field {name}, as it is reserved \
                     in the extension declarations for message {extendee_name}."
                ),
            )
            .at(f.id, f.span(&fx.at(tag::FIELD_NUMBER)), "reserved number")
            .also(decl_file, decl_span(), "reserved here")
            .help("pick a number that is declared for this extension"),
        );
        return;
    }

    // `CheckExtensionDeclarationFieldType` gives up once the file has an error.
    if let Some(declared) = d.ty.as_deref().filter(|t| !t.is_empty()) {
        if !ck.has_error_in(f.id) {
            let actual = match fx.ty() {
                Some(Type::Message | Type::Group | Type::Enum) | None => {
                    let t = fx.field.type_name.as_deref().unwrap_or("");
                    if t.starts_with('.') {
                        t.to_string()
                    } else {
                        format!(".{t}")
                    }
                }
                Some(t) => scalar_name(t).to_string(),
            };
            let expected = if !is_non_message_type(declared) && !declared.starts_with('.') {
                format!(".{declared}")
            } else {
                declared.to_string()
            };
            if expected != actual {
                let at = if f.written(&fx.at(tag::FIELD_TYPE_NAME)) {
                    fx.at(tag::FIELD_TYPE_NAME)
                } else {
                    fx.at(tag::FIELD_TYPE)
                };
                ck.push(
                    Diagnostic::error(
                        "EXTENSION_DECLARATION_TYPE",
                        format!(
                            "\"{extendee_name}\" extension field {number} is expected to be \
                             type \"{expected}\", not \"{actual}\"."
                        ),
                    )
                    .at(f.id, f.span(&at), format!("declared as `{expected}`"))
                    .also(decl_file, decl_span(), "declared here")
                    .help(
                        "use the declared type (message and enum types are declared by full \
                         name with a leading dot, scalars by their keyword)",
                    ),
                );
            }
        }
    }
    if let Some(declared) = d.full_name.as_deref().filter(|n| !n.is_empty()) {
        let actual = format!(".{name}");
        if declared != actual {
            ck.push(
                Diagnostic::error(
                    "EXTENSION_DECLARATION_NAME",
                    format!(
                        "\"{extendee_name}\" extension field {number} is expected to have field \
                         name \"{declared}\", not \"{actual}\"."
                    ),
                )
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_NAME)),
                    format!("declared as `{declared}`"),
                )
                .also(decl_file, decl_span(), "declared here")
                .help("rename the extension (or move it to the declared package/scope)"),
            );
        }
    }
    if d.repeated != fx.is_repeated() {
        let want = if d.repeated { "repeated" } else { "optional" };
        let at = if f.written(&fx.at(tag::FIELD_LABEL)) {
            fx.at(tag::FIELD_LABEL)
        } else {
            fx.at(tag::FIELD_NAME)
        };
        ck.push(
            Diagnostic::error(
                "EXTENSION_DECLARATION_CARDINALITY",
                format!("\"{extendee_name}\" extension field {number} is expected to be {want}."),
            )
            .at(f.id, f.span(&at), format!("declared {want}"))
            .also(decl_file, decl_span(), "declared here")
            .help(format!("make the extension {want}")),
        );
    }
}
