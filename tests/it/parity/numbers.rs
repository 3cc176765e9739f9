//! Numbers in option values and defaults, against protoc: integers beyond `int64` read as
//! doubles, the sign of `-0` and `-nan` in message literals, hex and octal where text format
//! wants a decimal, and `-` before an unsigned default. Each case states protoc's verdict; see
//! `parity/mod.rs` for what is compared.

use super::{check, Verdict::*};

/// A proto2 file with a double option `(d)` and a float option `(f)`, both set to `V`.
macro_rules! scalar {
    ($v:expr) => {
        concat!(
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n",
            "extend google.protobuf.FileOptions { optional double d = 50000; optional float f = 50001; }\n",
            "option (d) = ", $v, ";\noption (f) = ", $v, ";\n"
        )
    };
}

/// A proto2 file with an option `(m)` whose double `d` and float `f` are set to `V` in a literal.
macro_rules! literal {
    ($v:expr) => {
        concat!(
            "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n",
            "message M { optional double d = 1; optional float f = 2; }\n",
            "extend google.protobuf.FileOptions { optional M m = 50000; }\n",
            "option (m) = { d: ",
            $v,
            " f: ",
            $v,
            " };\n"
        )
    };
}

/// A proto2 message with one field of type `T` and `[default = V]`.
macro_rules! default {
    ($t:expr, $v:expr) => {
        concat!(
            "syntax = \"proto2\";\nmessage M { optional ",
            $t,
            " a = 1 [default = ",
            $v,
            "]; }\n"
        )
    };
}

#[test]
fn integers_beyond_int64_for_double_options() {
    check(&[
        (
            "-0x8000000000000001",
            &[("t.proto", scalar!("-0x8000000000000001"))],
            Accepts,
        ),
        (
            "-0x8000000000000000",
            &[("t.proto", scalar!("-0x8000000000000000"))],
            Accepts,
        ),
        (
            "-9223372036854775809",
            &[("t.proto", scalar!("-9223372036854775809"))],
            Accepts,
        ),
        (
            "-0xFFFFFFFFFFFFFFFF",
            &[("t.proto", scalar!("-0xFFFFFFFFFFFFFFFF"))],
            Accepts,
        ),
        (
            "-01777777777777777777777",
            &[("t.proto", scalar!("-01777777777777777777777"))],
            Accepts,
        ),
        (
            "01777777777777777777777",
            &[("t.proto", scalar!("01777777777777777777777"))],
            Accepts,
        ),
        (
            "18446744073709551616",
            &[("t.proto", scalar!("18446744073709551616"))],
            Accepts,
        ),
        (
            "-18446744073709551617",
            &[("t.proto", scalar!("-18446744073709551617"))],
            Accepts,
        ),
        ("-0", &[("t.proto", scalar!("-0"))], Accepts),
        ("-nan", &[("t.proto", scalar!("-nan"))], Accepts),
        (
            "0x10000000000000000",
            &[("t.proto", scalar!("0x10000000000000000"))],
            Rejects("Integer out of range"),
        ),
        (
            "-0x10000000000000000",
            &[("t.proto", scalar!("-0x10000000000000000"))],
            Rejects("Integer out of range"),
        ),
    ]);
}

#[test]
fn doubles_in_literals() {
    check(&[
        ("-0", &[("t.proto", literal!("-0"))], Accepts),
        ("-0.0", &[("t.proto", literal!("-0.0"))], Accepts),
        ("-nan", &[("t.proto", literal!("-nan"))], Accepts),
        ("-nAn", &[("t.proto", literal!("-nAn"))], Accepts),
        ("-Infinity", &[("t.proto", literal!("-Infinity"))], Accepts),
        ("inf", &[("t.proto", literal!("inf"))], Accepts),
        ("-1", &[("t.proto", literal!("-1"))], Accepts),
        ("1e5", &[("t.proto", literal!("1e5"))], Accepts),
        (
            "1e39 (beyond float)",
            &[("t.proto", literal!("1e39"))],
            Accepts,
        ),
        (
            "18446744073709551616",
            &[("t.proto", literal!("18446744073709551616"))],
            Accepts,
        ),
        (
            "0x1F",
            &[("t.proto", literal!("0x1F"))],
            Rejects("Expect a decimal number, got: 0x1F"),
        ),
        (
            "-0x1F",
            &[("t.proto", literal!("-0x1F"))],
            Rejects("Expect a decimal number, got: 0x1F"),
        ),
        (
            "017",
            &[("t.proto", literal!("017"))],
            Rejects("Expect a decimal number, got: 017"),
        ),
        (
            "0xFFFFFFFFFFFFFFFFF",
            &[("t.proto", literal!("0xFFFFFFFFFFFFFFFFF"))],
            Rejects("Expect a decimal number"),
        ),
        (
            "an identifier",
            &[("t.proto", literal!("infinite"))],
            Rejects("Expected double"),
        ),
    ]);
}

#[test]
fn negative_defaults_on_unsigned_fields() {
    let mut cases = Vec::new();
    for t in ["uint32", "uint64", "fixed32", "fixed64"] {
        for v in ["-0", "-1", "-0x0"] {
            cases.push((t, v, true));
        }
        cases.push((t, "0", false));
    }
    for t in ["int32", "sint64", "sfixed32", "double", "float"] {
        cases.push((t, "-0", false));
    }
    let texts: Vec<(String, String, bool)> = cases
        .iter()
        .map(|(t, v, bad)| {
            let text = format!(
                "syntax = \"proto2\";\nmessage M {{ optional {t} a = 1 [default = {v}]; }}\n"
            );
            (format!("{t} default {v}"), text, *bad)
        })
        .collect();
    let files: Vec<[(&str, &str); 1]> = texts
        .iter()
        .map(|(_, text, _)| [("t.proto", text.as_str())])
        .collect();
    let cases: Vec<super::Case<'_>> = texts
        .iter()
        .zip(&files)
        .map(|((name, _, bad), files)| {
            let verdict = if *bad {
                Rejects("Unsigned field can't have negative default value")
            } else {
                Accepts
            };
            (name.as_str(), &files[..], verdict)
        })
        .collect();
    check(&cases);
    // The macro form, for a case the loop does not build.
    check(&[(
        "uint64 -inf",
        &[("t.proto", default!("uint64", "-inf"))],
        Rejects("default"),
    )]);
}
