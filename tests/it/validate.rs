//! protoc's semantic checks over descriptors that no `.proto` text gives: the cases below are
//! unreachable from source, because protoc's parser (and iprotoc's, which follows it) reports
//! them first, with its own message, or cannot write them at all. Every check a schema can reach
//! is a fixture under `tests/ui/validate/`, compiled by protoc too (see `ui.rs`).
//!
//! The descriptors are built by hand with `support::descriptors`, so each test reads like the
//! schema it stands for.

use iprotoc::source::{FileId, Span, SpanMap};
use iprotoc::validate::{check_files, CheckInput};

use crate::support::descriptors::*;

/// Oneof fields are consecutive, and a oneof has a field, in every tree the parser builds.
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

/// Defaults the parser checks first (`tests/ui/parse/defaults/`): a message's default, integers
/// out of range, values that do not parse, bad escapes. (A repeated field's default and an
/// unknown enum value reach validation from text: `tests/ui/validate/defaults/`.)
#[test]
fn defaults() {
    let m = msg(
        "Foo",
        vec![
            with_default(typed("m", 2, T::Message, ".pkg.Foo"), "x"),
            with_default(field("i", 3, T::Int32), "2147483648"),
            with_default(field("u", 4, T::Uint64), "-1"),
            with_default(field("f", 5, T::Float), "1e5"),
            with_default(field("g", 6, T::Double), "abc"),
            with_default(field("b", 7, T::Bool), "TRUE"),
            with_default(field("y", 8, T::Bytes), "\\q"),
            with_default(field("h", 11, T::Int64), "-0x10"),
        ],
    );
    assert_eq!(
        check(file("proto2", vec![m])),
        vec![
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
        ]
    );
}

/// The parser stops at 32 levels of nested messages (`tests/ui/parse/errors/nesting_32.proto`);
/// validation checks the depth of descriptors too.
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

/// A diagnostic lands on the most specific path the span map records, its secondary label on the
/// other element's.
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
