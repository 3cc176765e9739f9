//! Names, proto3, editions, maps, oneofs, defaults, extensions and options.
use crate::support::descriptors::*;

use iprotoc::diagnostics::Severity;
use iprotoc::source::{FileId, SpanMap};
use iprotoc::validate::{check_files, CheckInput, Edition};
use prost_types::{FieldOptions, MessageOptions};

#[test]
fn json_name_conflicts() {
    let m = msg(
        "Foo",
        vec![field("foo_bar", 1, T::Int32), field("fooBar", 2, T::Int32)],
    );
    let text = "The default JSON name of field \"fooBar\" (\"fooBar\") conflicts with the default JSON name of field \"foo_bar\".";
    assert_eq!(
        errors(file("proto3", vec![m.clone()])),
        one("JSON_NAME_CONFLICT", text)
    );
    // proto2 (LEGACY_BEST_EFFORT): only a warning.
    let d = check_all(&[file("proto2", vec![m])]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Warning);
    // Custom against custom is an error everywhere.
    let mut x = field("x", 1, T::Int32);
    x.json_name = Some("z".into());
    let mut y = field("y", 2, T::Int32);
    y.json_name = Some("z".into());
    assert_eq!(
        errors(file("proto2", vec![msg("M", vec![x, y])])),
        one("JSON_NAME_CONFLICT", "The custom JSON name of field \"y\" (\"z\") conflicts with the custom JSON name of field \"x\".")
    );
}

#[test]
fn enum_prefix_conflicts() {
    let mut f = file("proto3", vec![]);
    f.enum_type.push(enumeration(
        "Foo",
        &[("FOO_UNKNOWN", 0), ("VALUE_", 1), ("_VALUE", 2)],
    ));
    f.enum_type.push(allow_alias(
        enumeration("Bar", &[("BAR_X", 0), ("X", 0)]),
        true,
    ));
    assert_eq!(
        check(f),
        one("ENUM_VALUE_PREFIX_CONFLICT", "Enum name _VALUE has the same name as VALUE_ if you ignore case and strip out the enum name prefix (if any). (If you are using allow_alias, please assign the same number to each enum value name.)")
    );
}

#[test]
fn proto3_restrictions() {
    let mut m = msg(
        "Foo",
        vec![
            labelled(field("r", 1, T::String), L::Required),
            with_default(field("d", 2, T::String), "abc"),
            typed("g", 3, T::Group, ".pkg.Foo.G"),
            typed("e", 4, T::Enum, ".p2.Closed"),
        ],
    );
    m.nested_type.push(msg("G", vec![]));
    m.extension_range.push(ext_range(100, 200));
    let mut f = file("proto3", vec![m]);
    f.extension.push(extension("x", 100, T::Int32, ".pkg.Foo"));
    f.extension.push(extension(
        "opt",
        50000,
        T::Int32,
        ".google.protobuf.FieldOptions",
    ));
    let mut dep = file("proto2", vec![]);
    dep.name = Some("dep.proto".into());
    dep.package = Some("p2".into());
    dep.enum_type.push(enumeration("Closed", &[("A", 1)]));
    let got = summarize(check_all(&[dep, f]));
    assert_eq!(
        got,
        vec![
            ("PROTO3_EXTENSION_RANGE", "Extension ranges are not allowed in proto3.".into()),
            ("PROTO3_REQUIRED", "Required fields are not allowed in proto3.".into()),
            ("PROTO3_DEFAULT", "Explicit default values are not allowed in proto3.".into()),
            ("PROTO3_GROUP", "Groups are not supported in proto3 syntax.".into()),
            ("PROTO3_CLOSED_ENUM", "Enum type \"p2.Closed\" is not an open enum, but is used in \"pkg.Foo\" which is a proto3 message type.".into()),
            ("PROTO3_EXTENSION", "Extensions in proto3 are only allowed for defining options.".into()),
        ]
    );
}

#[test]
fn naming_style_in_2024() {
    let m = msg("Foo", vec![field("Another_Field", 1, T::Int32)]);
    let fd = file("editions", vec![m]);
    let spans = SpanMap::new();
    let inputs = [CheckInput::new(FileId(0), &fd, &spans).with_edition(Edition::E2024)];
    let d = check_files(&inputs);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, "Field name Another_Field should be lower_snake_case (features.enforce_naming_style = STYLE_LEGACY can be used to opt out of this check)");
    assert_eq!(d[0].help, vec!["rename it to `another_field`"]);
}

fn map_entry(name: &str, key: T, value: T) -> prost_types::DescriptorProto {
    message_options(
        msg(name, vec![field("key", 1, key), field("value", 2, value)]),
        MessageOptions {
            map_entry: Some(true),
            ..Default::default()
        },
    )
}

#[test]
fn maps() {
    let mut m = msg(
        "Foo",
        vec![
            labelled(
                typed("bad", 1, T::Message, ".pkg.Foo.BadEntry"),
                L::Repeated,
            ),
            labelled(
                typed("good", 2, T::Message, ".pkg.Foo.GoodEntry"),
                L::Repeated,
            ),
            typed("misuse", 3, T::Message, ".pkg.Foo.GoodEntry"),
        ],
    );
    m.nested_type
        .push(map_entry("BadEntry", T::Double, T::Int32));
    m.nested_type
        .push(map_entry("GoodEntry", T::String, T::Int32));
    assert_eq!(
        check(file("proto3", vec![m])),
        vec![
            ("MAP_KEY_TYPE", "Key in map fields cannot be float/double, bytes or message types.".into()),
            ("MAP_ENTRY_MISUSE", "pkg.Foo.GoodEntry is a synthetic MapEntry message type, which is not allowed to be used as a field type.".into()),
        ]
    );
}

#[test]
fn oneofs() {
    let mut a = field("a", 1, T::Int32);
    a.oneof_index = Some(0);
    let b = field("b", 2, T::Int32);
    let mut c = field("c", 3, T::Int32);
    c.oneof_index = Some(0);
    let mut m = msg("Foo", vec![a, b, c]);
    m.oneof_decl.push(oneof("o"));
    m.oneof_decl.push(oneof("empty"));
    assert_eq!(
        check(file("proto2", vec![m])),
        vec![
            ("ONEOF_NOT_CONSECUTIVE", "Fields in the same oneof must be defined consecutively. \"b\" cannot be defined before the completion of the \"o\" oneof definition.".into()),
            ("ONEOF_EMPTY", "Oneof must have at least one field.".into()),
        ]
    );
}

#[test]
fn proto3_optional_is_fine() {
    let mut a = field("a", 1, T::Int32);
    a.oneof_index = Some(0);
    a.proto3_optional = Some(true);
    let mut m = msg("Foo", vec![a]);
    m.oneof_decl.push(oneof("_a"));
    assert_eq!(check(file("proto3", vec![m])), vec![]);
}

#[test]
fn defaults() {
    let mut m = msg(
        "Foo",
        vec![
            with_default(labelled(field("r", 1, T::Int32), L::Repeated), "1"),
            with_default(typed("m", 2, T::Message, ".pkg.Foo"), "x"),
            with_default(field("i", 3, T::Int32), "2147483648"),
            with_default(field("u", 4, T::Uint64), "-1"),
            with_default(field("f", 5, T::Float), "1e5"),
            with_default(field("g", 6, T::Double), "abc"),
            with_default(field("b", 7, T::Bool), "TRUE"),
            with_default(field("y", 8, T::Bytes), "\\q"),
            with_default(typed("e", 9, T::Enum, ".pkg.Foo.E"), "NOPE"),
            with_default(typed("e2", 10, T::Enum, ".pkg.Foo.E"), "A"),
            with_default(field("h", 11, T::Int64), "-0x10"),
        ],
    );
    m.enum_type.push(enumeration("E", &[("A", 1), ("B", 2)]));
    assert_eq!(
        check(file("proto2", vec![m])),
        vec![
            (
                "DEFAULT_NOT_ALLOWED",
                "Repeated fields can't have default values.".into()
            ),
            (
                "DEFAULT_NOT_ALLOWED",
                "Messages can't have default values.".into()
            ),
            ("DEFAULT_OUT_OF_RANGE", "Integer out of range.".into()),
            ("DEFAULT_OUT_OF_RANGE", "Integer out of range.".into()),
            (
                "DEFAULT_INVALID",
                "Couldn't parse default value \"abc\".".into()
            ),
            (
                "DEFAULT_INVALID",
                "Boolean default must be true or false.".into()
            ),
            (
                "DEFAULT_INVALID",
                "Invalid escaping in default value.".into()
            ),
            (
                "DEFAULT_UNKNOWN_ENUM_VALUE",
                "Enum type \"pkg.Foo.E\" has no value named \"NOPE\".".into()
            ),
        ]
    );
}

#[test]
fn extensions() {
    let mut base = msg("Foo", vec![]);
    base.extension_range.push(ext_range(100, 199));
    let mut f = file("proto2", vec![base]);
    f.extension.push(extension("a", 100, T::Int32, ".pkg.Foo"));
    f.extension.push(extension("b", 100, T::Int32, ".pkg.Foo"));
    f.extension.push(extension("c", 20, T::Int32, ".pkg.Foo"));
    f.extension.push(labelled(
        extension("sss", 101, T::String, ".pkg.Foo"),
        L::Required,
    ));
    let mut j = extension("j", 102, T::Int32, ".pkg.Foo");
    j.json_name = Some("jj".into());
    f.extension.push(j);
    assert_eq!(
        check(f),
        vec![
            (
                "EXTENSION_NUMBER_DUPLICATE",
                "Extension number 100 has already been used in \"pkg.Foo\" by extension \"pkg.a\"."
                    .into()
            ),
            (
                "EXTENSION_NUMBER_NOT_DECLARED",
                "\"pkg.Foo\" does not declare 20 as an extension number.".into()
            ),
            (
                "EXTENSION_REQUIRED",
                "The extension pkg.sss cannot be required.".into()
            ),
            (
                "EXTENSION_JSON_NAME",
                "option json_name is not allowed on extension fields.".into()
            ),
        ]
    );
}

#[test]
fn duplicate_extension_across_files_is_a_warning() {
    let mut base = msg("Foo", vec![]);
    base.extension_range.push(ext_range(100, 199));
    let mut a = file("proto2", vec![base]);
    a.extension.push(extension("a", 100, T::Int32, ".pkg.Foo"));
    let mut b = file("proto2", vec![]);
    b.name = Some("b.proto".into());
    b.package = Some("other".into());
    b.extension.push(extension("b", 100, T::Int32, ".pkg.Foo"));
    let d = check_all(&[a, b]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(d[0].message, "Extension number 100 has already been used in \"pkg.Foo\" by extension \"pkg.a\" defined in test.proto.");
}

#[test]
fn field_options() {
    let m = msg(
        "Foo",
        vec![
            with_field_options(
                field("p", 1, T::Int32),
                FieldOptions {
                    packed: Some(true),
                    ..Default::default()
                },
            ),
            with_field_options(
                field("l", 2, T::Int32),
                FieldOptions {
                    lazy: Some(true),
                    ..Default::default()
                },
            ),
            with_field_options(
                field("j", 3, T::Int32),
                FieldOptions {
                    jstype: Some(1),
                    ..Default::default()
                },
            ),
            with_field_options(
                labelled(field("ok", 4, T::Int32), L::Repeated),
                FieldOptions {
                    packed: Some(true),
                    ..Default::default()
                },
            ),
        ],
    );
    assert_eq!(
        check(file("proto2", vec![m])),
        vec![
            (
                "PACKED_NOT_PACKABLE",
                "[packed = true] can only be specified for repeated primitive fields.".into()
            ),
            (
                "LAZY_NOT_MESSAGE",
                "[lazy = true] can only be specified for submessage fields.".into()
            ),
            (
                "JSTYPE_NOT_64_BIT",
                "jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields."
                    .into()
            ),
        ]
    );
}

#[test]
fn message_set() {
    let mut set = message_options(
        msg("Set", vec![field("f", 1, T::Int32)]),
        MessageOptions {
            message_set_wire_format: Some(true),
            ..Default::default()
        },
    );
    set.extension_range.push(ext_range(4, 2147483646));
    let mut f = file("proto2", vec![set, msg("Item", vec![])]);
    f.extension.push(extension("x", 1000, T::Int32, ".pkg.Set"));
    f.extension
        .push(typed("ok", 600_000_000, T::Message, ".pkg.Item"));
    f.extension[1].extendee = Some(".pkg.Set".into());
    assert_eq!(codes(f), vec!["MESSAGE_SET_FIELD", "MESSAGE_SET_EXTENSION"]);
}
