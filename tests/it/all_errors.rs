//! All errors at once (issue 18): the errors protoc reports together in one run, iprotoc reports
//! together too, and no others. protoc's groups (its `DescriptorBuilder`): what its parser
//! refuses stops everything; then building and cross-linking (names defined twice, names that do
//! not resolve, numbers, reserved ranges and names, extension ranges) report together; options
//! are interpreted only when those found nothing, and the rest of validation (`ValidateOptions`)
//! runs only when options were interpreted without error.
//!
//! Each case pairs errors from two of those steps, and lists the errors protoc reports as
//! `(line, text)`: protoc must report exactly those (the harness checks its own premise), and
//! iprotoc exactly those too (each at that line, containing that text), writing nothing.

use crate::support;

use std::process::Command;

type Case<'a> = (&'a str, &'a str, &'a [(u32, &'a str)]);

const UNKNOWN: &str = "\"Unknown\" is not defined.";
const DUP_1: &str = "Field number 1 has already been used";

const CASES: &[Case] = &[
    (
        "parse error and unknown type: protoc stops after parsing",
        "syntax = \"proto3\";\nmessage A { Unknown u = 1; int32 x = 2 }\n",
        &[(2, "")],
    ),
    (
        "a JSON name that is not a string is the parser's: protoc stops there",
        "syntax = \"proto2\";\nmessage M {\n  optional int32 a = 1 [json_name = 5];\n  optional Unknown b = 2;\n}\n",
        &[(3, "Expected string for JSON name.")],
    ),
    (
        "unknown type and duplicate number in one message",
        "syntax = \"proto3\";\nmessage A {\n  Unknown u = 1;\n  int32 x = 2;\n  int32 y = 2;\n}\n",
        &[(3, UNKNOWN), (5, "Field number 2 has already been used in \"A\" by field \"x\"")],
    ),
    (
        "unknown type and duplicate number in two messages",
        "syntax = \"proto3\";\nmessage A { Unknown u = 1; }\nmessage B { int32 x = 1; int32 y = 1; }\n",
        &[(2, UNKNOWN), (3, DUP_1)],
    ),
    (
        "unknown option and duplicate number: options are not interpreted",
        "syntax = \"proto3\";\nmessage A {\n  option (nope) = 1;\n  int32 x = 1;\n  int32 y = 1;\n}\n",
        &[(5, DUP_1)],
    ),
    (
        "bad option literal and duplicate number",
        "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\n\
         message O { optional int32 a = 1; }\n\
         extend google.protobuf.MessageOptions { optional O o = 50000; }\n\
         message A { option (o) = { a: \"x\" }; optional int32 x = 1; optional int32 y = 1; }\n",
        &[(5, DUP_1)],
    ),
    (
        "a scalar default of the wrong kind is a parse error: nothing else",
        "syntax = \"proto2\";\nmessage A { optional int32 x = 1 [(nope) = 1, default = \"s\"]; \
         optional Unknown y = 1; }\n",
        &[(2, "Expected integer for field default value.")],
    ),
    (
        "integer out of range in a default, and an unknown type",
        "syntax = \"proto2\";\nmessage A { optional Unknown u = 99; optional int32 x = 1 [default = 99999999999]; }\n",
        &[(2, "Integer out of range.")],
    ),
    (
        "a name defined twice and an unknown type",
        "syntax = \"proto3\";\nmessage A { int32 x = 1; }\nmessage A { int32 y = 1; }\nmessage B { Unknown u = 1; }\n",
        &[(3, "\"A\" is already defined"), (4, UNKNOWN)],
    ),
    (
        "a name defined twice and a duplicate number",
        "syntax = \"proto3\";\nmessage A { int32 x = 1; }\nmessage A { int32 y = 1; }\nmessage B { int32 x = 1; int32 y = 1; }\n",
        &[(3, "\"A\" is already defined"), (4, DUP_1)],
    ),
    (
        "unknown type and a number in 19000-19999: checked by ValidateOptions",
        "syntax = \"proto2\";\nmessage A {\n  optional Unknown u = 1;\n  optional int32 x = 19000;\n}\n",
        &[(3, UNKNOWN)],
    ),
    (
        "unknown extendee and duplicate number",
        "syntax = \"proto2\";\nextend Nope { optional int32 e = 100; }\nmessage B { optional int32 x = 1; optional int32 y = 1; }\n",
        &[(2, "\"Nope\" is not defined."), (3, DUP_1)],
    ),
    (
        "unknown type and a proto3 enum not starting at zero",
        "syntax = \"proto3\";\nmessage A { Unknown u = 1; }\nenum E { E1 = 1; }\n",
        &[(2, UNKNOWN)],
    ),
    (
        "unknown type and a JSON name conflict",
        "syntax = \"proto3\";\nmessage A { Unknown u = 1; int32 foo_bar = 2; int32 fooBar = 3; }\n",
        &[(2, UNKNOWN)],
    ),
    (
        "unknown rpc input and duplicate number",
        "syntax = \"proto3\";\nmessage M { int32 x = 1; int32 y = 1; }\nservice S { rpc Do(Nope) returns (M); }\n",
        &[(2, DUP_1), (3, "\"Nope\" is not defined.")],
    ),
    (
        "unknown type with a default, and duplicate number",
        "syntax = \"proto2\";\nmessage A { optional Unknown u = 1 [default = 5]; optional int32 x = 1; }\n",
        &[(2, UNKNOWN), (2, DUP_1)],
    ),
    (
        "a field on a reserved number whose type is unknown",
        "syntax = \"proto3\";\nmessage A { reserved 1; Unknown u = 1; }\n",
        &[(2, "Field \"u\" uses reserved number 1."), (2, UNKNOWN)],
    ),
    (
        "unknown type and an extension outside the ranges",
        "syntax = \"proto2\";\nmessage A { extensions 100 to 200; optional Unknown u = 1; }\nextend A { optional int32 e = 5; }\n",
        &[(2, UNKNOWN), (3, "\"A\" does not declare 5 as an extension number.")],
    ),
    (
        "a field and a nested message of one name, a duplicate number, an unknown type",
        "syntax = \"proto3\";\nmessage A { int32 B = 1; message B {} int32 y = 1; Unknown u = 3; }\n",
        &[(2, "is already defined"), (2, DUP_1), (2, UNKNOWN)],
    ),
    (
        "unknown type and a duplicate enum value",
        "syntax = \"proto2\";\nmessage A { optional Unknown u = 1; }\nenum E { A_V = 1; B_V = 1; }\n",
        &[(2, UNKNOWN)],
    ),
    (
        "unknown type and reserved names, ranges and extension ranges broken",
        "syntax = \"proto2\";\nmessage A { optional Unknown u = 99; reserved \"x\", \"x\"; \
         reserved 1 to 5; reserved 3 to 4; extensions 5 to 8; optional int32 x = 10; }\n\
         enum E { reserved 1; E_A = 1; }\nenum F {}\n",
        &[
            (2, UNKNOWN),
            (2, "Field name \"x\" is reserved multiple times."),
            (2, "Reserved range 3 to 4 overlaps with already-defined range 1 to 5."),
            (2, "Extension range 5 to 8 overlaps with reserved range 1 to 5."),
            (2, "Field name \"x\" is reserved."),
            (3, "Enum value \"E_A\" uses reserved number 1."),
            (4, "Enums must contain at least one value."),
        ],
    ),
    (
        "unknown type, extension number used twice, a required extension, an unknown enum default",
        "syntax = \"proto2\";\nmessage A { optional Unknown u = 99; extensions 100 to 200; \
         optional E e = 1 [default = NOPE]; }\nenum E { E_A = 0; }\n\
         extend A { optional int32 e1 = 100; optional int32 e2 = 100; required int32 e3 = 101; }\n",
        &[
            (2, UNKNOWN),
            (2, "Enum type \"E\" has no value named \"NOPE\"."),
            (4, "Extension number 100 has already been used in \"A\" by extension \"e1\"."),
            (4, "The extension e3 cannot be required."),
        ],
    ),
];

/// protoc's lines `t.proto:LINE:COL: text`, without its "Suggested field numbers" notes.
fn protoc_errors(stderr: &str) -> Vec<(u32, String)> {
    stderr
        .lines()
        .filter(|l| !l.contains("Suggested field numbers") && !l.contains("warning"))
        .filter_map(|l| {
            let rest = l.strip_prefix("t.proto:")?;
            let mut parts = rest.splitn(3, ':');
            let line = parts.next()?.parse().ok()?;
            parts.next()?;
            Some((line, parts.next()?.trim().to_string()))
        })
        .collect()
}

/// iprotoc's errors in the short format: `t.proto:LINE:COL: error[CODE]: text`.
fn iprotoc_errors(stderr: &str) -> Vec<(u32, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("t.proto:")?;
            let mut parts = rest.splitn(3, ':');
            let line = parts.next()?.parse().ok()?;
            parts.next()?;
            let text = parts.next()?.trim();
            let text = text.strip_prefix("error[")?;
            Some((line, text.split_once("]:")?.1.trim().to_string()))
        })
        .collect()
}

/// Whether `found` is exactly `expected`: as many errors, each expected one matched by one at
/// its line containing its text.
fn matches(found: &[(u32, String)], expected: &[(u32, &str)]) -> bool {
    let mut left: Vec<&(u32, String)> = found.iter().collect();
    for (line, text) in expected {
        match left.iter().position(|(l, t)| l == line && t.contains(text)) {
            Some(i) => {
                left.remove(i);
            }
            None => return false,
        }
    }
    left.is_empty()
}

#[test]
fn errors_of_independent_steps_are_reported_together_as_protoc_does() {
    let mut failures = Vec::new();
    for (name, text, expected) in CASES {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.proto"), text).unwrap();
        let theirs = support::protoc::command()
            .current_dir(dir.path())
            .args(["-I.", "-I"])
            .arg(support::protoc::include())
            .args(["-o", "protoc.pb", "t.proto"])
            .output()
            .unwrap();
        let theirs = protoc_errors(&String::from_utf8_lossy(&theirs.stderr));
        if !matches(&theirs, expected) {
            failures.push(format!(
                "{name}: protoc reports {theirs:?}, the case says {expected:?}"
            ));
            continue;
        }
        let ours = Command::new(env!("CARGO_BIN_EXE_iprotoc"))
            .current_dir(dir.path())
            .args([
                "compile",
                "-I.",
                "--error-format",
                "short",
                "-o",
                "out.pb",
                "t.proto",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&ours.stderr);
        let found = iprotoc_errors(&stderr);
        if ours.status.code() != Some(1) || !matches(&found, expected) {
            failures.push(format!(
                "{name}: iprotoc reports {found:?}, protoc {theirs:?}:\n{stderr}"
            ));
        }
        if dir.path().join("out.pb").exists() {
            failures.push(format!("{name}: iprotoc wrote its output"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The same grouping for `.iproto` files: a name defined twice is reported with lowering's
/// errors (it does not depend on them), and nothing that only follows from it (the second
/// definition of a class gets no findings of its own).
#[test]
fn iproto_name_clashes_come_with_lowering_errors_and_without_cascades() {
    let cases: &[(&str, &[(u32, &str)])] = &[
        (
            "syntax = \"proto2\";\nmessage A { optional int32 x = 1; }\nmessage A { optional int32 y = 1; }\nmessage B : Nope {}\n",
            &[(3, "\"A\" is already defined"), (4, "base class `Nope` of `B` is not defined")],
        ),
        (
            "syntax = \"proto2\";\nmessage Animal { optional int32 x = 1; }\nmessage Animal {}\nmessage Cat : Animal {}\n",
            &[(3, "\"Animal\" is already defined")],
        ),
        (
            "syntax = \"proto2\";\nmessage Animal { optional int32 x = 1; }\nmessage Cat : Animal = 1 {}\nmessage D {}\nmessage D {}\n",
            &[(3, "tag 1 of `Cat` is outside the subclass range"), (5, "\"D\" is already defined")],
        ),
    ];
    for (text, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.iproto"), text).unwrap();
        let ours = Command::new(env!("CARGO_BIN_EXE_iprotoc"))
            .current_dir(dir.path())
            .args([
                "compile",
                "-I.",
                "--error-format",
                "short",
                "-o",
                "out.pb",
                "t.iproto",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&ours.stderr).replace("t.iproto:", "t.proto:");
        let found = iprotoc_errors(&stderr);
        assert!(matches(&found, expected), "{text}\n{stderr}");
        assert_eq!(ours.status.code(), Some(1));
        assert!(!dir.path().join("out.pb").exists());
    }
}
