//! Map fields.
//!
//! | code | guards against | protoc |
//! |---|---|---|
//! | `MAP_KEY_TYPE` | float, double, bytes, message or enum map keys (no stable, hashable key) | `ValidateMapEntry` |
//! | `MAP_VALUE_ENUM_NOT_ZERO` | an enum map value whose first value is not 0 (the default of a missing value) | `ValidateMapEntry` |
//! | `MAP_ENTRY_MISUSE` | a `…Entry` message synthesised for a `map<>` used as a plain field type | `ValidateOptions(FieldDescriptor)` |
//! | `MAP_ENTRY_EXPLICIT` | a field of a message with `map_entry = true` that is not shaped like a map entry | `ValidateOptions(FieldDescriptor)` |
//! | `MAP_ENTRY_GROUP` | a group whose type is a map entry | `ValidateOptions(FieldDescriptor)` |

use prost_types::field_descriptor_proto::{Label, Type};

use super::{simple_name, tag, Checker, FieldCx, FileCx};
use crate::diagnostics::Diagnostic;
use crate::protobuf::names;

/// Map rules on one field.
pub(crate) fn check_field(ck: &mut Checker, f: &FileCx, fx: &FieldCx) {
    let Some(entry) = ck.message_of(fx.field) else {
        return;
    };
    if entry.proto.options.as_ref().and_then(|o| o.map_entry) != Some(true) {
        return;
    }
    let entry_name = entry.full_name.as_str();
    // Whether `option map_entry` was written: looked up only when it decides a diagnostic, so
    // that valid files never build their span index.
    let files = ck.files;
    let entry_written = || {
        files[entry.file].spans.contains_key(&super::sub(
            &entry.path,
            &[tag::MSG_OPTIONS, tag::MSG_OPT_MAP_ENTRY],
        ))
    };
    let proto = entry.proto;
    if fx.ty() == Some(Type::Group) {
        ck.push(
            Diagnostic::error(
                "MAP_ENTRY_GROUP",
                "Groups cannot be map entries. Use a regular message field with map<KeyType, \
                 ValueType> syntax instead.",
            )
            .at(f.id, f.span(&fx.at(tag::FIELD_TYPE_NAME)), "a map entry")
            .help("declare the field as `map<K, V>`"),
        );
        return;
    }
    if fx.ty() != Some(Type::Message) {
        return;
    }
    let container = if fx.is_extension {
        fx.field
            .extendee
            .as_deref()
            .map(|e| e.trim_start_matches('.'))
    } else {
        Some(fx.parent_name)
    };
    // The entry of a map field `foo_bar` is `FooBarEntry`, nested where the field is.
    let named_after_field = simple_name(entry_name)
        .strip_suffix("Entry")
        .is_some_and(|camel| names::is_camel_of(fx.name(), camel, true));
    if !fx.is_repeated() || !named_after_field || container != entry.parent() {
        ck.push(
            Diagnostic::error(
                "MAP_ENTRY_MISUSE",
                format!(
                    "{entry_name} is a synthetic MapEntry message type, which is not allowed to \
                     be used as a field type."
                ),
            )
            .at(
                f.id,
                f.span(&fx.at(tag::FIELD_TYPE_NAME)),
                "a map's entry type",
            )
            .help("declare the field as `map<K, V>`, or refer to a message of your own"),
        );
    }

    // The shape of a map entry: exactly `key = 1` and `value = 2`, nothing else.
    let shaped = proto.extension.is_empty()
        && proto.extension_range.is_empty()
        && proto.nested_type.is_empty()
        && proto.enum_type.is_empty()
        && proto.field.len() == 2;
    // Searched only in a two-field message: an entry written by hand may have any number of
    // fields, and every field of its type comes here.
    let number = |n| {
        shaped
            .then(|| proto.field.iter().find(|x| x.number == Some(n)))
            .flatten()
    };
    let (key, value) = (number(1), number(2));
    let ok_field = |x: Option<&prost_types::FieldDescriptorProto>, name: &str| {
        x.is_some_and(|x| {
            x.name.as_deref() == Some(name)
                && x.label.unwrap_or(Label::Optional as i32) == Label::Optional as i32
        })
    };
    if !shaped || !ok_field(key, "key") || !ok_field(value, "value") {
        if !entry_written() {
            ck.push(
                Diagnostic::error(
                    "MAP_ENTRY_EXPLICIT",
                    "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
                )
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_TYPE_NAME)),
                    "not a valid map entry",
                )
                .help("declare the field as `map<K, V>`"),
            );
        }
        return;
    }
    let (key, value) = (key.expect("checked"), value.expect("checked"));
    let key_ty = key.r#type.and_then(|t| Type::try_from(t).ok());
    let bad_key = match key_ty {
        Some(Type::Enum) => Some("Key in map fields cannot be enum types."),
        Some(Type::Float | Type::Double | Type::Message | Type::Group | Type::Bytes) => {
            Some("Key in map fields cannot be float/double, bytes or message types.")
        }
        _ => None,
    };
    if let Some(msg) = bad_key {
        ck.push(
            Diagnostic::error("MAP_KEY_TYPE", msg)
                .at(
                    f.id,
                    f.span(&fx.at(tag::FIELD_TYPE_NAME)),
                    "invalid key type",
                )
                .help(
                    "use an integral type, bool or string as the key (an enum's values can be \
                     keyed by `int32`)",
                ),
        );
    }
    if value.r#type == Some(Type::Enum as i32) {
        if let Some(e) = ck.enum_of(value) {
            if e.proto.value.first().is_some_and(|v| v.number() != 0) {
                let ename = e.full_name.clone();
                ck.push(
                    Diagnostic::error(
                        "MAP_VALUE_ENUM_NOT_ZERO",
                        "Enum value in map must define 0 as the first value.",
                    )
                    .at(f.id, f.span(&fx.at(tag::FIELD_TYPE_NAME)), "map value enum")
                    .help(format!("make the first value of `{ename}` zero")),
                );
            }
        }
    }
}
