//! Numbers, ranges, reserved names, enum values.
use crate::support::descriptors::*;

use iprotoc::source::{FileId, Span, SpanMap};
use iprotoc::validate::check_files;
use iprotoc::validate::CheckInput;

#[test]
fn valid_message_has_no_diagnostics() {
    let mut m = msg(
        "Foo",
        vec![field("a", 1, T::Int32), field("b", 2, T::String)],
    );
    m.extension_range.push(ext_range(100, 536870911));
    m.reserved_range.push(reserved(5, 10));
    m.reserved_name.push("old".into());
    assert_eq!(check(file("proto2", vec![m])), vec![]);
}

#[test]
fn field_number_bounds() {
    let m = msg(
        "Foo",
        vec![field("a", 0, T::Int32), field("b", 536870912, T::Int32)],
    );
    assert_eq!(
        check(file("proto2", vec![m])),
        vec![
            (
                "FIELD_NUMBER_NOT_POSITIVE",
                "Field numbers must be positive integers.".into()
            ),
            (
                "FIELD_NUMBER_TOO_LARGE",
                "Field numbers cannot be greater than 536870911.".into()
            ),
        ]
    );
}

#[test]
fn implementation_reserved_numbers() {
    let m = msg("Foo", vec![field("s", 19500, T::String)]);
    let d = check_all(&[file("proto2", vec![m])]);
    assert_eq!(d[0].code, "FIELD_NUMBER_IMPLEMENTATION_RESERVED");
    assert_eq!(
        d[0].message,
        "Field numbers 19000 through 19999 are reserved for the protocol buffer library implementation."
    );
    assert_eq!(
        d[0].help,
        vec!["the next free field numbers in pkg.Foo are 1, 2, 3"]
    );
}

#[test]
fn duplicate_field_number_names_next_free() {
    let m = msg(
        "Foo",
        vec![
            field("s", 1, T::String),
            field("i", 1, T::Int32),
            field("j", 2, T::Int32),
        ],
    );
    let d = check_all(&[file("proto3", vec![m])]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "FIELD_NUMBER_DUPLICATE");
    assert_eq!(
        d[0].message,
        "Field number 1 has already been used in \"pkg.Foo\" by field \"s\". Next available field number is 3."
    );
    assert_eq!(
        d[0].help,
        vec!["the next free field numbers in pkg.Foo are 3, 4, 5"]
    );
    assert_eq!(d[0].secondary.len(), 1);
}

#[test]
fn reserved_and_extension_ranges() {
    let mut m = msg(
        "Foo",
        vec![field("foo", 1, T::String), field("bar", 15, T::String)],
    );
    m.extension_range.push(ext_range(1, 10));
    m.extension_range.push(ext_range(10, 12));
    m.reserved_range.push(reserved(12, 20));
    m.reserved_range.push(reserved(20, 30));
    m.reserved_name.push("bar".into());
    m.reserved_name.push("bar".into());
    let got = check(file("proto2", vec![m]));
    assert_eq!(
        got,
        vec![
            (
                "RESERVED_RANGE_OVERLAP",
                "Reserved range 20 to 30 overlaps with already-defined range 12 to 20.".into()
            ),
            (
                "RESERVED_NAME_DUPLICATE",
                "Field name \"bar\" is reserved multiple times.".into()
            ),
            (
                "EXTENSION_RANGE_OVERLAPS_RESERVED",
                "Extension range 10 to 12 overlaps with reserved range 12 to 20.".into()
            ),
            (
                "EXTENSION_RANGE_OVERLAP",
                "Extension range 10 to 12 overlaps with already-defined range 1 to 10.".into()
            ),
            (
                "FIELD_IN_EXTENSION_RANGE",
                "Extension range 1 to 10 includes field \"foo\" (1).".into()
            ),
            (
                "FIELD_USES_RESERVED_NUMBER",
                "Field \"bar\" uses reserved number 15.".into()
            ),
            (
                "FIELD_USES_RESERVED_NAME",
                "Field name \"bar\" is reserved.".into()
            ),
        ]
    );
}

#[test]
fn malformed_ranges() {
    let mut m = msg("Foo", vec![]);
    m.reserved_range.push(reserved(0, 3));
    m.reserved_range.push(reserved(10, 4));
    m.extension_range.push(ext_range(0, 3));
    m.extension_range.push(ext_range(600_000_000, 600_000_001));
    let got = codes(file("proto2", vec![m]));
    assert_eq!(
        got,
        vec![
            "RESERVED_NUMBER_NOT_POSITIVE",
            "RESERVED_RANGE_INVERTED",
            "EXTENSION_NUMBER_NOT_POSITIVE",
            "EXTENSION_RANGE_OVERLAPS_RESERVED",
            "EXTENSION_NUMBER_TOO_LARGE",
        ]
    );
}

#[test]
fn enum_rules() {
    let mut e = enumeration("Foo", &[("V1", 1), ("V2", 1), ("V3", 25)]);
    e.reserved_range.push(enum_reserved(20, 40));
    e.reserved_range.push(enum_reserved(1, 20));
    e.reserved_name.push("V3".into());
    let mut f = file("proto2", vec![]);
    f.enum_type.push(e);
    f.enum_type.push(enumeration("Empty", &[]));
    assert_eq!(
        check(f),
        vec![
            ("ENUM_RESERVED_RANGE_OVERLAP", "Reserved range 1 to 20 overlaps with already-defined range 20 to 40.".into()),
            ("ENUM_VALUE_USES_RESERVED_NUMBER", "Enum value \"V1\" uses reserved number 1.".into()),
            ("ENUM_VALUE_USES_RESERVED_NUMBER", "Enum value \"V2\" uses reserved number 1.".into()),
            ("ENUM_VALUE_USES_RESERVED_NUMBER", "Enum value \"V3\" uses reserved number 25.".into()),
            ("ENUM_VALUE_USES_RESERVED_NAME", "Enum value \"V3\" is reserved.".into()),
            ("ENUM_VALUE_DUPLICATE", "\"pkg.V2\" uses the same enum value as \"pkg.V1\". If this is intended, set 'option allow_alias = true;' to the enum definition. The next available enum value is 41.".into()),
            ("ENUM_EMPTY", "Enums must contain at least one value.".into()),
        ]
    );
}

#[test]
fn enum_aliases() {
    let mut f = file("proto2", vec![]);
    f.enum_type.push(allow_alias(
        enumeration("Foo", &[("V1", 1), ("V2", 2)]),
        true,
    ));
    f.enum_type
        .push(allow_alias(enumeration("Bar", &[("B1", 1)]), false));
    f.enum_type.push(allow_alias(
        enumeration("Baz", &[("Z1", 1), ("Z2", 1)]),
        true,
    ));
    assert_eq!(
        check(f),
        vec![
            ("ENUM_ALLOW_ALIAS_UNUSED", "\"Foo\" declares support for enum aliases but no enum values share field numbers. Please remove the unnecessary 'option allow_alias = true;' declaration.".into()),
            ("ENUM_ALLOW_ALIAS_FALSE", "\"Bar\" declares 'option allow_alias = false;' which has no effect. Please remove the declaration.".into()),
        ]
    );
}

#[test]
fn nesting_depth() {
    let mut m = msg("M32", vec![]);
    for i in (1..32).rev() {
        let mut outer = msg(&format!("M{i}"), vec![]);
        outer.nested_type.push(m);
        m = outer;
    }
    assert_eq!(
        codes(file("proto2", vec![m.clone()])),
        vec!["NESTING_TOO_DEEP"]
    );
    // 31 levels are fine.
    let inner = m.nested_type[0].clone();
    assert_eq!(codes(file("proto2", vec![inner])), Vec::<&str>::new());
}

#[test]
fn diagnostics_land_on_the_most_specific_recorded_path() {
    let m = msg(
        "Foo",
        vec![field("s", 1, T::String), field("i", 1, T::Int32)],
    );
    let fd = file("proto2", vec![m]);
    let mut spans = SpanMap::new();
    spans.insert(vec![4, 0, 2, 1], Span::new(40, 52)); // the second field
    spans.insert(vec![4, 0, 2, 0, 3], Span::new(20, 21)); // the first field's number
    let inputs = [CheckInput::new(FileId(0), &fd, &spans)];
    let d = check_files(&inputs);
    let primary = d[0].primary.as_ref().unwrap();
    assert_eq!(primary.location.span, Span::new(40, 52));
    assert_eq!(d[0].secondary[0].location.span, Span::new(20, 21));
}
