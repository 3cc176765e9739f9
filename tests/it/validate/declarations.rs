//! Extension declarations (`validate::declarations`) and invalid UTF-8 in `string` option
//! values (`validate::utf8`), end to end: each rule's code and protoc 36's message for a
//! schema that breaks it, and schemas that keep to the rules.

use iprotoc::compile::{compile, Options};
use iprotoc::diagnostics::Severity;
use iprotoc::source::MemoryResolver;

/// `(code, message)` of every error compiling `text` as `test.proto`.
fn errors(text: &str) -> Vec<(&'static str, String)> {
    let mut r = MemoryResolver::new();
    r.add("test.proto", text);
    let out = compile(&r, &["test.proto".to_string()], &Options::default());
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code, d.message.clone()))
        .collect()
}

fn e(code: &'static str, message: &str) -> (&'static str, String) {
    (code, message.to_string())
}

/// A proto2 file with package `test` and message `M` with one range carrying `range_options`,
/// then `rest`.
fn schema(range: &str, range_options: &str, rest: &str) -> String {
    format!(
        "syntax = \"proto2\";\npackage test;\nmessage M {{\n  extensions {range} [\n{range_options}\n  ];\n}}\n{rest}"
    )
}

fn decl(number: i32, full_name: &str, ty: &str) -> String {
    format!("    declaration = {{ number: {number}, full_name: \"{full_name}\", type: \"{ty}\" }}")
}

#[test]
fn matching_declarations_are_accepted() {
    let text = schema(
        "1 to 10",
        &[
            decl(1, ".test.a", "int32"),
            decl(2, ".test.b", ".test.M"),
            "    declaration = { number: 3, full_name: \".test.c\", type: \"string\", repeated: true }"
                .to_string(),
            "    declaration = { number: 4, reserved: true }".to_string(),
            decl(5, ".test.e", ".test.E"),
            "    verification = DECLARATION".to_string(),
        ]
        .join(",\n"),
        "enum E { Z = 0; }\nextend M {\n  optional int32 a = 1;\n  optional M b = 2;\n  repeated string c = 3;\n  optional E e = 5;\n}\n",
    );
    assert_eq!(errors(&text), vec![]);
}

#[test]
fn type_must_match() {
    let text = schema(
        "1 to 10",
        &decl(1, ".test.a", ".test.M"),
        "extend M { optional int32 a = 1; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_TYPE",
            "\"test.M\" extension field 1 is expected to be type \".test.M\", not \"int32\"."
        )]
    );
    // A scalar declared, a message used.
    let text = schema(
        "1 to 10",
        &decl(1, ".test.a", "int32"),
        "extend M { optional M a = 1; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_TYPE",
            "\"test.M\" extension field 1 is expected to be type \"int32\", not \".test.M\"."
        )]
    );
}

#[test]
fn type_of_a_message_named_like_a_scalar() {
    // The corpus case: `.int32` is the message, `int32` the scalar.
    let text = "syntax = \"proto2\";\nmessage int32 {\n  extensions 1 to 2 [\n    declaration = { number: 1, full_name: \".x1\", type: \".int32\" },\n    declaration = { number: 2, full_name: \".x2\", type: \".int32\" }\n  ];\n}\nextend .int32 {\n  optional .int32 x1 = 1;\n  optional int32 x2 = 2;\n}\n";
    assert_eq!(
        errors(text),
        vec![e(
            "EXTENSION_DECLARATION_TYPE",
            "\"int32\" extension field 2 is expected to be type \".int32\", not \"int32\"."
        )]
    );
}

#[test]
fn full_name_must_match() {
    let text = schema(
        "1 to 10",
        &decl(1, ".test.other", "int32"),
        "extend M { optional int32 a = 1; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_NAME",
            "\"test.M\" extension field 1 is expected to have field name \".test.other\", not \".test.a\"."
        )]
    );
}

#[test]
fn cardinality_must_match() {
    let text = schema(
        "1 to 10",
        &decl(1, ".test.a", "int32"),
        "extend M { repeated int32 a = 1; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_CARDINALITY",
            "\"test.M\" extension field 1 is expected to be optional."
        )]
    );
    let text = schema(
        "1 to 10",
        "    declaration = { number: 1, full_name: \".test.a\", type: \"int32\", repeated: true }",
        "extend M { optional int32 a = 1; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_CARDINALITY",
            "\"test.M\" extension field 1 is expected to be repeated."
        )]
    );
}

#[test]
fn reserved_numbers_cannot_be_used() {
    let text = schema(
        "1 to 10",
        "    declaration = { number: 1, reserved: true }",
        "extend M { optional int32 a = 1; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_RESERVED",
            "Cannot use number 1 for extension field test.a, as it is reserved in the extension declarations for message test.M."
        )]
    );
}

#[test]
fn undeclared_numbers_are_rejected_in_declared_or_verified_ranges() {
    let missing = "Missing extension declaration for field test.b with number 2 in extendee message test.M. An extension range must declare for all extension fields if its verification state is DECLARATION or there's any declaration in the range already. Otherwise, consider splitting up the range.";
    let text = schema(
        "1 to 10",
        &decl(1, ".test.a", "int32"),
        "extend M { optional int32 b = 2; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e("EXTENSION_DECLARATION_MISSING", missing)]
    );
    let text = schema(
        "1 to 10",
        "    verification = DECLARATION",
        "extend M { optional int32 b = 2; }\n",
    );
    assert_eq!(
        errors(&text),
        vec![e("EXTENSION_DECLARATION_MISSING", missing)]
    );
    // Unverified ranges without declarations take anything.
    let text = schema(
        "1 to 10",
        "    verification = UNVERIFIED",
        "extend M { optional int32 b = 2; }\n",
    );
    assert_eq!(errors(&text), vec![]);
}

#[test]
fn options_messages_are_not_checked() {
    // Extensions of descriptor.proto's messages are never checked against declarations.
    let text = "syntax = \"proto2\";\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.FileOptions { optional int32 my_opt = 50000; }\n";
    assert_eq!(errors(text), vec![]);
}

#[test]
fn declarations_cannot_be_unverified() {
    let text = schema(
        "1 to 10",
        &format!(
            "{},\n    verification = UNVERIFIED",
            decl(1, ".test.a", "int32")
        ),
        "",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_UNVERIFIED",
            "Cannot mark the extension range as UNVERIFIED when it has extension(s) declared."
        )]
    );
}

#[test]
fn declaration_numbers_are_in_the_range() {
    let text = schema("1 to 10", &decl(11, ".test.a", "int32"), "");
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_OUT_OF_RANGE",
            "Extension declaration number 11 is not in the extension range."
        )]
    );
}

#[test]
fn declaration_numbers_are_declared_once() {
    let text = schema(
        "1 to 10",
        &format!(
            "{},\n{}",
            decl(1, ".test.a", "int32"),
            decl(1, ".test.b", "int32")
        ),
        "",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_DUPLICATE_NUMBER",
            "Extension declaration number 1 is declared multiple times."
        )]
    );
}

#[test]
fn declarations_name_and_type_together() {
    let text = schema(
        "1 to 10",
        "    declaration = { number: 1, full_name: \".test.a\" }",
        "",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_INCOMPLETE",
            "Extension declaration #1 should have both \"full_name\" and \"type\" set."
        )]
    );
    // Neither is fine only when reserved.
    let text = schema("1 to 10", "    declaration = { number: 1 }", "");
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_INCOMPLETE",
            "Extension declaration #1 should have both \"full_name\" and \"type\" set."
        )]
    );
    // One of them stays an error even when reserved.
    let text = schema(
        "1 to 10",
        "    declaration = { number: 1, type: \"int32\", reserved: true }",
        "",
    );
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_INCOMPLETE",
            "Extension declaration #1 should have both \"full_name\" and \"type\" set."
        )]
    );
}

#[test]
fn full_names_are_declared_once_per_message() {
    // Across ranges of one message.
    let text = "syntax = \"proto2\";\npackage test;\nmessage M {\n  extensions 1 [declaration = { number: 1, full_name: \".test.a\", type: \"int32\" }];\n  extensions 2 [declaration = { number: 2, full_name: \".test.a\", type: \"int32\" }];\n}\n";
    assert_eq!(
        errors(text),
        vec![e(
            "EXTENSION_DECLARATION_DUPLICATE_NAME",
            "Extension field name \".test.a\" is declared multiple times."
        )]
    );
}

#[test]
fn declared_symbols_are_fully_qualified() {
    let text = schema("1 to 10", &decl(1, "test.a", "int32"), "");
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_SYMBOL",
            "\"test.a\" must have a leading dot to indicate the fully-qualified scope."
        )]
    );
    let text = schema("1 to 10", &decl(1, ".test..a", "int32"), "");
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_SYMBOL",
            "\".test..a\" contains invalid identifiers."
        )]
    );
    // Message types too (scalars are written as is).
    let text = schema("1 to 10", &decl(1, ".test.a", "test.M"), "");
    assert_eq!(
        errors(&text),
        vec![e(
            "EXTENSION_DECLARATION_SYMBOL",
            "\"test.M\" must have a leading dot to indicate the fully-qualified scope."
        )]
    );
}

// ---------------------------------------------------------------------------------------------
// Invalid UTF-8 in option values.

const UTF8: &str =
    "String field 'test.S.s' contains invalid UTF-8 data when parsing a protocol buffer.";

/// A file of `header` defining `message S { string s = 1; <more> }` as file option `(o)`, then
/// setting it to `value`.
fn utf8_schema(header: &str, field_options: &str, value: &str) -> String {
    format!(
        "{header}\npackage test;\nimport \"google/protobuf/descriptor.proto\";\nmessage S {{\n  string s = 1{field_options};\n  S child = 2;\n}}\nextend google.protobuf.FileOptions {{ S o = 50000; }}\n{value}\n"
    )
}

#[test]
fn invalid_utf8_in_verified_string_options_is_rejected() {
    // Editions and proto3 verify by default; set by path or by aggregate, at any depth.
    for header in ["edition = \"2023\";", "syntax = \"proto3\";"] {
        for value in [
            "option (o).s = \"a\\xff\";",
            "option (o) = { s: \"a\\xff\" };",
            "option (o).child.s = \"a\\xff\";",
        ] {
            assert_eq!(
                errors(&utf8_schema(header, "", value)),
                vec![e("OPTION_INVALID_UTF8", UTF8)],
                "{header} {value}"
            );
        }
    }
}

#[test]
fn unverified_strings_and_valid_utf8_are_accepted() {
    // proto2 strings are never verified.
    assert_eq!(
        errors(
            &utf8_schema("syntax = \"proto2\";", "", "option (o).s = \"a\\xff\";")
                .replace("  string s = 1;", "  optional string s = 1;")
                .replace("  S child = 2;", "  optional S child = 2;")
                .replace("{ S o", "{ optional S o")
        ),
        vec![]
    );
    // Nor are fields with utf8_validation = NONE.
    assert_eq!(
        errors(&utf8_schema(
            "edition = \"2023\";",
            " [features.utf8_validation = NONE]",
            "option (o).s = \"a\\xff\";"
        )),
        vec![]
    );
    // Valid UTF-8 written as escapes is fine.
    assert_eq!(
        errors(&utf8_schema(
            "edition = \"2023\";",
            "",
            "option (o).s = \"\\xc3\\xa9\";"
        )),
        vec![]
    );
}
