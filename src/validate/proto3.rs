//! proto3's restrictions, and the open-enum rule they share with editions.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `PROTO3_REQUIRED` | `required` in proto3 | `ValidateProto3Field` |
//! | `PROTO3_GROUP` | groups in proto3 | `ValidateProto3Field` |
//! | `PROTO3_DEFAULT` | `[default = …]` in proto3 (every default is the zero value) | `ValidateProto3Field` |
//! | `PROTO3_CLOSED_ENUM` | a proto3 field of a closed (proto2) enum: its zero default might not be a value | `ValidateProto3Field` |
//! | `PROTO3_EXTENSION_RANGE` | `extensions` in a proto3 message | `ValidateProto3Message` |
//! | `PROTO3_MESSAGE_SET` | `message_set_wire_format` in proto3 | `ValidateProto3Message` |
//! | `PROTO3_EXTENSION` | proto3 extensions of anything but `google.protobuf.*Options` | `ValidateProto3Field` |
//! | `ENUM_FIRST_VALUE_NOT_ZERO` | an open enum (proto3, or editions' default) whose first value is not 0 | `ValidateOptions(EnumDescriptor)` |

use prost_types::field_descriptor_proto::Type;

use super::{sub, tag, Checker, Edition, EnumCx, FieldCx, FileCx, MessageCx};
use crate::diagnostics::Diagnostic;

const OPTION_MESSAGES: [&str; 9] = [
    "FileOptions",
    "MessageOptions",
    "FieldOptions",
    "EnumOptions",
    "EnumValueOptions",
    "ServiceOptions",
    "MethodOptions",
    "OneofOptions",
    "ExtensionRangeOptions",
];

/// Whether an extendee (no leading dot) is one of descriptor.proto's options messages.
pub fn is_options_message(extendee: &str) -> bool {
    let name = extendee.strip_prefix('.').unwrap_or(extendee);
    ["google.protobuf.", "proto2."].iter().any(|pkg| {
        name.strip_prefix(pkg)
            .is_some_and(|rest| OPTION_MESSAGES.contains(&rest))
    })
}

/// Message-level proto3 rules.
pub(crate) fn check_message(ck: &mut Checker, f: &FileCx, mx: &MessageCx) {
    let (m, path, full_name) = (mx.proto, mx.path, mx.full_name);
    if f.edition != Edition::PROTO3 {
        return;
    }
    if !m.extension_range.is_empty() {
        ck.push(
            Diagnostic::error(
                "PROTO3_EXTENSION_RANGE",
                "Extension ranges are not allowed in proto3.",
            )
            .at(
                f.id,
                f.span(&sub(path, &[tag::MSG_EXT_RANGE, 0])),
                "not allowed in proto3",
            )
            .help(format!(
                "remove the `extensions` statement from `{full_name}`, or move the message to a \
                 proto2 or editions file"
            )),
        );
    }
    if m.options.as_ref().and_then(|o| o.message_set_wire_format) == Some(true) {
        ck.push(
            Diagnostic::error(
                "PROTO3_MESSAGE_SET",
                "MessageSet is not supported in proto3.",
            )
            .at(
                f.id,
                f.span(&sub(path, &[tag::MSG_OPTIONS, tag::MSG_OPT_MESSAGE_SET])),
                "not supported in proto3",
            )
            .help("remove `option message_set_wire_format = true;`"),
        );
    }
}

/// Field-level proto3 rules.
pub(crate) fn check_field(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    if f.edition != Edition::PROTO3 {
        return;
    }
    let extendee = fx.field.extendee.as_deref().unwrap_or("");
    if fx.is_extension && !extendee.is_empty() && !is_options_message(extendee) {
        ck.push(
            Diagnostic::error(
                "PROTO3_EXTENSION",
                "Extensions in proto3 are only allowed for defining options.",
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_EXTENDEE)),
                "not an options message",
            )
            .help("declare the extension in a proto2 or editions file"),
        );
    }
    if fx.label() == prost_types::field_descriptor_proto::Label::Required {
        ck.push(
            Diagnostic::error(
                "PROTO3_REQUIRED",
                "Required fields are not allowed in proto3.",
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_LABEL)),
                "not allowed in proto3",
            )
            .help("remove `required`: proto3 fields are never required"),
        );
    }
    if fx.field.default_value.is_some() {
        ck.push(
            Diagnostic::error(
                "PROTO3_DEFAULT",
                "Explicit default values are not allowed in proto3.",
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_DEFAULT)),
                "not allowed in proto3",
            )
            .help("remove the default: proto3 fields default to their zero value"),
        );
    }
    if fx.ty() == Some(Type::Enum) {
        if let Some(e) = ck.enum_of(fx.field) {
            if e.closed {
                let container = if fx.is_extension {
                    extendee.trim_start_matches('.').to_string()
                } else {
                    fx.parent_name.to_string()
                };
                let msg = format!(
                    "Enum type \"{}\" is not an open enum, but is used in \"{container}\" which \
                     is a proto3 message type.",
                    e.full_name
                );
                ck.push(
                    Diagnostic::error("PROTO3_CLOSED_ENUM", msg)
                        .at(f.id, f.span(&fx.at(tag::FIELD_TYPE_NAME)), "a closed enum")
                        .help(
                            "use an enum defined in a proto3 file (or one with \
                             `features.enum_type = OPEN`)",
                        ),
                );
            }
        }
    }
    if fx.ty() == Some(Type::Group) {
        ck.push(
            Diagnostic::error("PROTO3_GROUP", "Groups are not supported in proto3 syntax.")
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_TYPE)),
                    "not supported in proto3",
                )
                .help("declare a nested message and a field of that type instead"),
        );
    }
}

/// The open-enum rule (proto3 and editions).
pub(crate) fn check_enum(ck: &mut Checker, f: &FileCx, ex: &EnumCx) {
    let (e, path, features) = (ex.proto, ex.path, ex.features);
    if features.closed_enum {
        return;
    }
    if let Some(first) = e.value.first() {
        if first.number() != 0 {
            let mut d = Diagnostic::error(
                "ENUM_FIRST_VALUE_NOT_ZERO",
                "The first enum value must be zero for open enums.",
            )
            .at(
                f.id,
                f.span(&sub(path, &[tag::ENUM_VALUE, 0, tag::VALUE_NUMBER])),
                "must be 0",
            );
            let name = e.name.as_deref().unwrap_or("");
            d = d.help(format!(
                "add a first value `{}_UNSPECIFIED = 0;`",
                crate::protobuf::names::suggested_upper_snake(name)
            ));
            if f.edition.is_editions() {
                d = d.note("or make the enum closed: `option features.enum_type = CLOSED;`");
            }
            ck.push(d);
        }
    }
}
