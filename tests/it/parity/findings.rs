//! Parity cases found by the differential fuzzer (`fuzz/fuzz_targets/differential.rs`) and the
//! last parity notes of issue 18 (implicit presence in editions, `legacy_closed_enum`). Each case
//! states protoc's verdict; see `parity/mod.rs` for what is compared.

use super::{check, Verdict::*};

/// A proto2 file with custom file options of every unsigned type.
macro_rules! unsigned {
    ($($body:expr),*) => {
        concat!(
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\npackage pkg;\n",
            "extend google.protobuf.FileOptions {\n",
            "  optional uint32 u32 = 50000; optional fixed32 f32 = 50001;\n",
            "  optional uint64 u64 = 50002; optional fixed64 f64 = 50003;\n",
            "  optional int32 i32 = 50004; optional sint64 s64 = 50005;\n",
            "}\n",
            $($body),*
        )
    };
}

/// `-0` is a negative integer to protoc's parser, which an unsigned option refuses (found by the
/// differential fuzzer on a `fixed32` field option); signed options take it as 0.
#[test]
fn negative_zero_for_unsigned_options() {
    check(&[
        (
            "uint32 -0",
            &[("t.proto", unsigned!("option (u32) = -0;\n"))],
            Rejects("Value must be integer, from 0 to 4294967295, for uint32 option \"pkg.u32\"."),
        ),
        (
            "fixed32 -0",
            &[("t.proto", unsigned!("option (f32) = -0;\n"))],
            Rejects("Value must be integer, from 0 to 4294967295"),
        ),
        (
            "uint64 -0",
            &[("t.proto", unsigned!("option (u64) = -0;\n"))],
            Rejects("Value must be integer, from 0 to 18446744073709551615"),
        ),
        (
            "fixed64 -0x0",
            &[("t.proto", unsigned!("option (f64) = -0x0;\n"))],
            Rejects("Value must be integer"),
        ),
        (
            "uint32 0",
            &[("t.proto", unsigned!("option (u32) = 0;\n"))],
            Accepts,
        ),
        (
            "int32 -0",
            &[("t.proto", unsigned!("option (i32) = -0;\n"))],
            Accepts,
        ),
        (
            "sint64 -0",
            &[("t.proto", unsigned!("option (s64) = -0;\n"))],
            Accepts,
        ),
    ]);
}

/// An editions file importing `descriptor.proto` and `cpp_features.proto`, in package `pkg`.
macro_rules! ed {
    ($($body:expr),*) => {
        concat!(
            "edition = \"2023\";\nimport \"google/protobuf/descriptor.proto\";\n",
            "import \"google/protobuf/cpp_features.proto\";\npackage pkg;\n",
            $($body),*
        )
    };
}

/// Editions fields whose `field_presence` resolves to `IMPLICIT` (on the field, the message or
/// the file) behave in option values as proto3's do: a zero is not present (the field may be
/// set again) and is not written.
#[test]
fn implicit_presence_in_editions_option_values() {
    check(&[
        (
            "field IMPLICIT set twice in a literal",
            &[("t.proto", ed!(
                "message M {\n  int32 a = 1 [features.field_presence = IMPLICIT];\n  int32 b = 2;\n",
                "  string s = 3 [features.field_presence = IMPLICIT];\n}\n",
                "extend google.protobuf.FileOptions { M m = 50000; }\n",
                "option (m) = { a: 0 a: 5 s: \"\" s: \"x\" b: 0 };\n"
            ))],
            Accepts,
        ),
        (
            "explicit presence set twice in a literal",
            &[("t.proto", ed!(
                "message M {\n  int32 b = 2;\n}\n",
                "extend google.protobuf.FileOptions { M m = 50000; }\n",
                "option (m) = { b: 0 b: 1 };\n"
            ))],
            Rejects("Non-repeated field \"b\" is specified multiple times."),
        ),
        (
            "file IMPLICIT: zeros dropped, a field of a literal set again by a statement",
            &[("t.proto", ed!(
                "option features.field_presence = IMPLICIT;\n",
                "message M {\n  int32 a = 1;\n  M2 sub = 2;\n}\n",
                "message M2 { int32 z = 1; bool y = 2; }\n",
                "extend google.protobuf.FileOptions { M m = 50000; }\n",
                "option (m) = { a: 0 sub { z: 0 y: false } };\n",
                "option (m).a = 0;\noption (m).sub.z = 7;\n"
            ))],
            Accepts,
        ),
        (
            "message IMPLICIT: a statement set twice is still set twice",
            &[("t.proto", ed!(
                "message M {\n  option features.field_presence = IMPLICIT;\n  int32 a = 1;\n  int32 b = 2;\n}\n",
                "extend google.protobuf.FileOptions { M m = 50000; }\n",
                "option (m).a = 0;\noption (m).a = 3;\noption (m).b = 0;\n"
            ))],
            Rejects("Option \"(m).a\" was already set."),
        ),
    ]);
}

/// `features.(pb.cpp).legacy_closed_enum` makes a field treat its open enum as closed: an
/// unknown number in an option literal is refused for that field, not for others.
#[test]
fn legacy_closed_enum_fields_refuse_unknown_numbers() {
    let decl = concat!(
        "enum E { E0 = 0; E1 = 1; }\n",
        "message M {\n  E e = 1 [features.(pb.cpp).legacy_closed_enum = true];\n  E f = 2;\n}\n",
        "extend google.protobuf.FileOptions { M m = 50000; }\n"
    );
    let on_field = format!("{}{decl}option (m) = {{ e: 5 }};\n", ed!());
    let other_field = format!("{}{decl}option (m) = {{ f: 5 }};\n", ed!());
    let on_file = ed!(
        "option features.(pb.cpp).legacy_closed_enum = true;\n",
        "enum E { E0 = 0; E1 = 1; }\n",
        "message M {\n  E e = 1;\n}\n",
        "extend google.protobuf.FileOptions { M m = 50000; }\n",
        "option (m) = { e: 5 };\n"
    );
    check(&[
        (
            "on the field",
            &[("t.proto", on_field.as_str())],
            Rejects("Unknown enumeration value of \"5\" for field \"e\"."),
        ),
        (
            "another field",
            &[("t.proto", other_field.as_str())],
            Accepts,
        ),
        (
            "on the file",
            &[("t.proto", on_file)],
            Rejects("Unknown enumeration value of \"5\" for field \"e\"."),
        ),
        (
            "known number",
            &[("t.proto", &on_field.replace("e: 5", "e: 1"))],
            Accepts,
        ),
    ]);
}

/// A string default that is not UTF-8 (`"\ud800"` is a lone surrogate's three bytes, `"\xff"` one
/// byte): protoc writes its bytes as they are in `default_value` (found by the differential
/// fuzzer; iprotoc wrote U+FFFD for each bad byte).
#[test]
fn string_defaults_keep_bytes_that_are_not_utf8() {
    let file = |default: &str| {
        format!("syntax = \"proto2\";\nmessage M {{\n  optional string s = 1 [default = {default}];\n  optional bytes b = 2 [default = {default}];\n}}\n")
    };
    let (surrogate, byte, fine) = (
        file("\"\\ud800\""),
        file("\"a\\xffb\""),
        file("\"caf\\u00e9\""),
    );
    check(&[
        (
            "lone surrogate",
            &[("t.proto", surrogate.as_str())],
            Accepts,
        ),
        ("byte 0xff", &[("t.proto", byte.as_str())], Accepts),
        ("valid UTF-8", &[("t.proto", fine.as_str())], Accepts),
    ]);
}

/// Inside an option literal an unsigned field takes no sign: protoc's text parser stops at the
/// `-` (`-0` too; found by the differential fuzzer).
#[test]
fn unsigned_fields_of_literals_refuse_a_sign() {
    let file = |body: &str| {
        format!(
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\npackage pkg;\n\
             message O {{ optional uint32 u = 1; optional fixed64 f = 2; optional int32 i = 3; }}\n\
             extend google.protobuf.FileOptions {{ optional O o = 50000; }}\noption (o) = {{ {body} }};\n"
        )
    };
    let cases = [
        ("u: -0", Rejects("Expected integer, got: -")),
        ("f: -0", Rejects("Expected integer, got: -")),
        ("u: -5", Rejects("Expected integer, got: -")),
        ("u: 5 f: 0", Accepts),
        ("i: -0", Accepts),
    ];
    let files: Vec<String> = cases.iter().map(|(b, _)| file(b)).collect();
    let checks: Vec<(&str, [(&str, &str); 1], _)> = cases
        .iter()
        .zip(&files)
        .map(|((b, v), f)| (*b, [("t.proto", f.as_str())], *v))
        .collect();
    let list: Vec<_> = checks.iter().map(|(n, f, v)| (*n, &f[..], *v)).collect();
    check(&list);
}
