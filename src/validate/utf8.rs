//! Option values protoc cannot read back: `string` fields holding invalid UTF-8.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `OPTION_INVALID_UTF8` | an option value (at any depth of a custom option message) that sets a `string` field with `utf8_validation = VERIFY` to bytes that are not UTF-8 (`"\xff"`) | `ValidateTargetConstraints` (command_line_interface.cc) |
//!
//! protoc's option interpreter stores any bytes in a `string` option. Once every file has built,
//! its command line re-parses each element's options as a `DynamicMessage` of the compilation's
//! own `descriptor.proto` (to see custom options; only when `descriptor.proto` is part of the
//! compilation), and the C++ runtime's parser rejects invalid UTF-8 in fields that require
//! validation (`FieldDescriptor::requires_utf8_validation`: type `string` and resolved
//! `utf8_validation = VERIFY`: editions' and proto3's default, never proto2's). protoc then dies on
//! a failed `CHECK` ("String field '…' contains invalid UTF-8 data when parsing a protocol
//! buffer"); iprotoc reports it where the value was written. Like option targets, this is a
//! command-line check, reported only when validation found no other error.

use prost_types::field_descriptor_proto::Type;

use super::features::{FeatureSet, Features};
use super::schema::FieldDef;
use super::targets::{Step, Target};
use super::{sub, tag, Checker, ElementOptions, FileCx};
use crate::descriptor::wire::{parse_fields, WireField, WireValue};
use crate::diagnostics::Diagnostic;

/// What protoc's compiled-in and on-disk `descriptor.proto` is called.
pub(crate) const DESCRIPTOR_PROTO: &str = "google/protobuf/descriptor.proto";

/// Checks that an element's string options are valid UTF-8 where their fields say they must be.
pub(crate) fn check_element(ck: &mut Checker, f: &FileCx, el: &ElementOptions) {
    let (options_path, opts, target) = (el.path, el.opts, el.target);
    // Without descriptor.proto in the pool protoc reads options with its generated classes,
    // whose only strings are proto2's.
    if !ck.has_descriptor_proto || all_ascii(&opts.fields) {
        return;
    }
    let mut found = Vec::new();
    walk(ck, target.options_message(), &opts.fields, &[], &mut found);
    let mut locator = super::targets::Locator::new(f, options_path, found.len());
    for (chain, field) in found {
        let span = locator.locate(&chain);
        ck.after_build.push(
            Diagnostic::error(
                "OPTION_INVALID_UTF8",
                format!(
                    "String field '{field}' contains invalid UTF-8 data when parsing a protocol \
                     buffer."
                ),
            )
            .at(f.id, span, "not valid UTF-8")
            .note(format!(
                "'{field}' is a `string` field with `utf8_validation = VERIFY`; protoc cannot \
                 parse these options back (it aborts)"
            ))
            .help(
                "write valid UTF-8 (escape code points with `\\u`), or declare the field as \
                 `bytes` (or with `features.utf8_validation = NONE`)",
            ),
        );
    }
}

/// Whether every length-delimited value among `fields` (and in their groups) is ASCII. Every
/// string the walk could find is such a value or a piece of one (a nested message's field), and
/// every piece of ASCII is valid UTF-8: nothing to report, and nothing to walk.
fn all_ascii(fields: &[WireField]) -> bool {
    fields.iter().all(|f| match &f.value {
        WireValue::Bytes(b) => b.is_ascii(),
        WireValue::Group(g) => all_ascii(g),
        _ => true,
    })
}

/// Walks one message's fields, recording the chain to and the full name of each `string` field
/// that protoc would reject.
fn walk(
    ck: &Checker,
    message: &str,
    fields: &[WireField],
    chain: &[Step],
    out: &mut Vec<(Vec<Step>, String)>,
) {
    for field in fields {
        if field.number == tag::UNINTERPRETED_OPTION as u32 {
            continue;
        }
        let Some(def) = ck.schema.field(ck.messages, message, field.number as i32) else {
            continue;
        };
        let mut here = chain.to_vec();
        here.push((
            def.proto.name.clone().unwrap_or_default(),
            def.proto.extendee.is_some(),
        ));
        let ty = def.proto.r#type.and_then(|t| Type::try_from(t).ok());
        match (&field.value, ty) {
            (WireValue::Bytes(b), Some(Type::String))
                if std::str::from_utf8(b).is_err() && verifies_utf8(ck, &def) =>
            {
                out.push((here, def.full_name.clone()));
            }
            (WireValue::Bytes(b), Some(Type::Message)) => {
                if let (Some(inner), Some(body)) = (def.message_type(), parse_fields(b)) {
                    walk(ck, inner, &body, &here, out);
                }
            }
            (WireValue::Group(body), Some(Type::Group)) => {
                if let Some(inner) = def.message_type() {
                    walk(ck, inner, body, &here, out);
                }
            }
            _ => {}
        }
    }
}

/// Whether a field definition resolves to `utf8_validation = VERIFY`: its file's edition
/// defaults, then the features of the file, each enclosing message, its oneof and itself.
fn verifies_utf8(ck: &Checker, def: &FieldDef) -> bool {
    // protoc's compiled-in descriptor.proto is proto2.
    let Some(input) = ck.files.get(def.file) else {
        return false;
    };
    let opts = |p: &[i32]| input.options.and_then(|o| o.get(p));
    let explicit = |p: &[i32], target: Target| FeatureSet::of(opts(p), target.features_field());
    let mut features: Features = Features::defaults(input.resolved_edition())
        .merged(&explicit(&[tag::FILE_OPTIONS], Target::File));
    let path = &def.path;
    if path.first() == Some(&tag::FILE_MESSAGE) {
        let mut end = 2;
        loop {
            let at = sub(&path[..end.min(path.len())], &[tag::MSG_OPTIONS]);
            features = features.merged(&explicit(&at, Target::Message));
            if path.get(end) == Some(&tag::MSG_NESTED) {
                end += 2;
            } else {
                break;
            }
        }
        if path.get(end) == Some(&tag::MSG_FIELD) {
            if let Some(o) = def.proto.oneof_index {
                let at = sub(&path[..end], &[tag::MSG_ONEOF, o, tag::ONEOF_OPTIONS]);
                features = features.merged(&explicit(&at, Target::Oneof));
            }
        }
    }
    features
        .merged(&explicit(&sub(path, &[tag::FIELD_OPTIONS]), Target::Field))
        .utf8_verify
}
