//! The checks protoc's parser makes that depend on the syntax or edition, on number sizes, or on
//! where a field is written (`parse::syntax_rules`): each case is input → code, protoc's message,
//! and the 1-based line:column protoc reports.

use iprotoc::diagnostics::{Diagnostic, Severity};
use iprotoc::parse::parse;
use iprotoc::source::{FileId, SourceFile};

/// (line, column, code, message) of each diagnostic, in order.
fn diags(text: &str) -> Vec<(u32, u32, &'static str, String)> {
    let (_, diags) = parse(FileId(0), text);
    let src = SourceFile::new("t.proto", "t.proto", text);
    diags
        .iter()
        .map(|d: &Diagnostic| {
            let p = d.primary.as_ref().expect("a location");
            let (l, c) = src.line_col(p.location.span.start);
            (l + 1, c + 1, d.code, d.message.clone())
        })
        .collect()
}

/// The one error of `text`: its position, code and message; it must have a `help:` line.
fn one(text: &str) -> (u32, u32, &'static str, String) {
    let (_, all) = parse(FileId(0), text);
    let errors: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{text}\n{all:#?}");
    assert!(!errors[0].help.is_empty(), "no help line: {:#?}", errors[0]);
    let src = SourceFile::new("t.proto", "t.proto", text);
    let p = errors[0].primary.as_ref().expect("a location");
    let (l, c) = src.line_col(p.location.span.start);
    (l + 1, c + 1, errors[0].code, errors[0].message.clone())
}

fn clean(text: &str) {
    let d = diags(text);
    assert!(d.is_empty(), "{text}\n{d:#?}");
}

const OUT_OF_RANGE: &str = "Integer out of range.";

#[test]
fn syntax_identifiers() {
    assert_eq!(
        one("syntax = \"proto1\";\nmessage M { int32 x = ; }"),
        (
            1,
            10,
            "UNKNOWN_SYNTAX",
            "Unrecognized syntax identifier \"proto1\". This parser only recognizes \"proto2\" and \"proto3\".".into()
        )
    );
    // An edition name written as a syntax.
    assert_eq!(one("syntax = \"2023\";").2, "UNKNOWN_SYNTAX");
    // Bytes that are not text are escaped.
    assert!(one("syntax = \"\\xff\";").3.contains("\"\\xff\""));
    assert_eq!(
        one("edition = \"1999\";"),
        (1, 11, "UNKNOWN_EDITION", "Unknown edition \"1999\".".into())
    );
    assert_eq!(one("edition = \"proto2\";").2, "UNKNOWN_EDITION");
    for ok in ["2023", "2024", "UNSTABLE"] {
        clean(&format!("edition = \"{ok}\";"));
    }
    clean("syntax = \"proto2\";");
    clean("syntax = 'proto' \"3\";");
}

#[test]
fn export_and_local_before_edition_2024_are_identifiers() {
    // protoc accepts these: the words are type and package names.
    clean("edition = \"2023\";\npackage local;\nmessage export {\n  local.export field = 1;\n}");
    clean("syntax = \"proto3\";\nmessage M { export a = 1; local b = 2; }");
    // ... so as modifiers they are syntax errors, where protoc reports them.
    for syntax in [
        "syntax = \"proto2\";",
        "syntax = \"proto3\";",
        "edition = \"2023\";",
    ] {
        let d = diags(&format!("{syntax}\nexport enum E {{ A = 0; }}"));
        assert_eq!((d[0].0, d[0].1, d[0].2), (2, 1, "SYNTAX"), "{d:#?}");
        let d = diags(&format!(
            "{syntax}\nmessage C {{\n  local message L {{}}\n}}"
        ));
        // protoc: `Missing field number.` at `L`.
        assert_eq!((d[0].0, d[0].1, d[0].2), (3, 17, "SYNTAX"), "{d:#?}");
    }
    // From edition 2024 they are modifiers.
    clean("edition = \"2024\";\nexport enum E { A = 0; }\nlocal message M { export message N {} }");
}

#[test]
fn integers_out_of_range() {
    assert_eq!(
        one("enum Foo { V = 5000000000; }"),
        (1, 16, "INTEGER_OUT_OF_RANGE", OUT_OF_RANGE.into())
    );
    // The position is the digits', after the sign.
    assert_eq!(one("enum Foo { V = -5000000000; }").1, 17);
    clean("enum Foo { V = -2147483648; W = 2147483647; }");
    assert_eq!(
        one("enum Foo { V = -2147483649; }").2,
        "INTEGER_OUT_OF_RANGE"
    );
    let d = diags("enum Foo { V = 0; reserved 5000000000 to 5000000001; }");
    assert_eq!(
        d.iter().map(|d| (d.1, d.2)).collect::<Vec<_>>(),
        [(28, "INTEGER_OUT_OF_RANGE"), (42, "INTEGER_OUT_OF_RANGE")]
    );
    assert_eq!(one("enum Foo { V = 0; reserved -5000000000 to -5; }").1, 29);
    assert_eq!(
        one("message Foo { reserved 1 to 5000000000; }"),
        (1, 29, "INTEGER_OUT_OF_RANGE", OUT_OF_RANGE.into())
    );
    assert_eq!(
        one("message Foo { optional int32 a = 2147483648; }").2,
        "INTEGER_OUT_OF_RANGE"
    );
    assert_eq!(
        one("message Foo { extensions 2147483647; }"),
        (
            1,
            26,
            "FIELD_NUMBER_OUT_OF_BOUNDS",
            "Field number out of bounds.".into()
        )
    );
    // A hex option value beyond uint64; a decimal one becomes a double.
    assert_eq!(
        one("option (x) = 0x1FFFFFFFFFFFFFFFFF;"),
        (1, 14, "INTEGER_OUT_OF_RANGE", OUT_OF_RANGE.into())
    );
    clean("option (x) = 99999999999999999999999;");
}

#[test]
fn reserved_names_by_syntax() {
    assert_eq!(
        one("syntax = \"proto3\";\nenum E { A = 0; reserved FOO; }"),
        (
            2,
            26,
            "RESERVED_NAME_SYNTAX",
            "Reserved names must be string literals. (Only editions supports identifiers.)".into()
        )
    );
    assert_eq!(
        one("edition = \"2023\";\nmessage M { reserved \"foo\"; }"),
        (
            2,
            22,
            "RESERVED_NAME_SYNTAX",
            "Reserved names must be identifiers in editions, not string literals.".into()
        )
    );
    clean("edition = \"2023\";\nmessage M { reserved foo, bar; }");
    clean("syntax = \"proto2\";\nmessage M { reserved \"foo\", \"bar\"; }");
    // Mixed forms: protoc wants the form of the first name.
    assert_eq!(
        diags("message M { reserved \"a\", b; }")[0].3,
        "Expected field name string literal."
    );
    // Not an identifier: a warning, like protoc's.
    let (_, d) = parse(FileId(0), "message M { reserved \"a b\"; }");
    assert_eq!(
        (d[0].severity, d[0].code),
        (Severity::Warning, "RESERVED_NAME_NOT_IDENTIFIER")
    );
}

#[test]
fn labels() {
    const MISSING: &str = "Expected \"required\", \"optional\", or \"repeated\".";
    assert_eq!(
        one("syntax = \"proto2\"; message Foo { string s = 1; }"),
        (1, 34, "MISSING_LABEL", MISSING.into())
    );
    assert_eq!(
        one("message Foo { string s = 1; }"),
        (1, 15, "MISSING_LABEL", MISSING.into())
    );
    // Not in proto3, not in oneofs, not on map fields.
    clean("syntax = \"proto3\"; message Foo { string s = 1; }");
    clean("message Foo { oneof o { string s = 1; } map<string, int32> m = 2; }");
    // An empty extend block or a stray `;` in one: protoc reads a field there.
    assert_eq!(
        one("message Foo { extensions 1 to max; } extend Foo { }"),
        (1, 51, "MISSING_LABEL", MISSING.into())
    );
    assert_eq!(
        one("syntax = \"proto3\"; extend Foo { }").2,
        "EXPECTED_TYPE_NAME"
    );
    assert_eq!(one("extend Foo { optional int32 a = 1; ; }").1, 36);
    assert_eq!(
        one("edition = \"2023\"; message M { optional string s = 1; }"),
        (
            1,
            31,
            "LABEL_IN_EDITIONS",
            "Label \"optional\" is not supported in editions. By default, all singular fields have presence unless features.field_presence is set.".into()
        )
    );
    assert_eq!(
        one("edition = \"2023\"; message M { required string s = 1; }").3,
        "Label \"required\" is not supported in editions, use features.field_presence = LEGACY_REQUIRED."
    );
    clean("edition = \"2023\"; message M { repeated string s = 1; string t = 2; }");
    assert_eq!(
        one("message M { oneof o { optional int32 a = 1; } }"),
        (
            1,
            23,
            "ONEOF_FIELD_LABEL",
            "Fields in oneofs must not have labels (required / optional / repeated).".into()
        )
    );
}

#[test]
fn oneof_and_extend_bodies() {
    assert_eq!(
        one("message M { oneof o { } }"),
        (1, 23, "EXPECTED_TYPE_NAME", "Expected type name.".into())
    );
    assert_eq!(one("message M { oneof o { int32 a = 1; ; } }").1, 36);
    clean("message M { oneof o { option (x) = 1; } }");
    // In oneofs and extend blocks protoc does not read visibility: these are type names.
    clean("edition = \"2024\"; message M { oneof o { export a = 1; } }");
}

#[test]
fn map_fields() {
    assert_eq!(
        one("syntax = \"proto3\"; message M { oneof o { map<string, int32> m = 1; } }"),
        (
            1,
            45,
            "MAP_FIELD_PLACEMENT",
            "Map fields are not allowed in oneofs.".into()
        )
    );
    assert_eq!(
        one("syntax = \"proto3\"; message M { repeated map<string, int32> m = 1; }").3,
        "Field labels (required/optional/repeated) are not allowed on map fields."
    );
    assert_eq!(
        one("syntax = \"proto3\"; extend M { map<string, int32> m = 1; }").3,
        "Map fields are not allowed to be extensions."
    );
}

#[test]
fn groups() {
    assert_eq!(
        one("message M { optional group result = 1 {} }"),
        (
            1,
            28,
            "GROUP_NAME_CASE",
            "Group names must start with a capital letter.".into()
        )
    );
    assert_eq!(
        one("edition = \"2023\"; message M { group G = 1 {} }").2,
        "GROUP_IN_EDITIONS"
    );
    clean("message M { optional group G = 1 { optional int32 a = 2; } }");
}

#[test]
fn imports() {
    assert_eq!(
        one("edition = \"2023\";\nimport option \"google/protobuf/descriptor.proto\";"),
        (
            2,
            8,
            "IMPORT_OPTION_BEFORE_2024",
            "option import is not supported before edition 2024.".into()
        )
    );
    clean("edition = \"2024\";\nimport \"a.proto\";\nimport option \"b.proto\";");
    assert_eq!(
        one("edition = \"2024\";\nimport option \"b.proto\";\nimport \"a.proto\";").2,
        "IMPORT_AFTER_OPTION_IMPORT"
    );
    assert_eq!(
        one("edition = \"2024\";\nimport weak \"a.proto\";").2,
        "WEAK_IMPORT_IN_EDITIONS"
    );
    assert_eq!(
        one("syntax = \"proto3\"; import \"google/protobuf/descriptor.proto\"; import \"google/protobuf/descriptor.proto\";"),
        (
            1,
            63,
            "DUPLICATE_IMPORT",
            "Import \"google/protobuf/descriptor.proto\" was listed twice.".into()
        )
    );
}

#[test]
fn other_parser_checks() {
    assert_eq!(
        one("message M { option map_entry = false; }"),
        (
            1,
            20,
            "MAP_ENTRY_EXPLICIT",
            "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.".into()
        )
    );
    assert_eq!(
        one("package a;\npackage b;"),
        (
            2,
            1,
            "MULTIPLE_PACKAGES",
            "Multiple package definitions.".into()
        )
    );
    assert_eq!(
        one("message M { optional int32 a = 1 [default = 1, default = 2]; }"),
        (
            1,
            48,
            "OPTION_DUPLICATE",
            "Already set option \"default\".".into()
        )
    );
    assert_eq!(
        one("service S { rpc F(int32) returns (M); }"),
        (
            1,
            19,
            "EXPECTED_MESSAGE_TYPE",
            "Expected message type.".into()
        )
    );
    clean("service S { rpc F(.int32) returns (M); }");
    assert_eq!(
        one("extend string { optional int32 a = 1; }").2,
        "EXPECTED_MESSAGE_TYPE"
    );
    assert_eq!(
        one("option (x) = -foo;").3,
        "Identifier after '-' symbol must be inf or nan."
    );
    clean("option (x) = -inf; option (y) = -nan;");
    assert_eq!(one("option (x) = FOO.BAR;").2, "OPTION_VALUE_SYNTAX");
    assert_eq!(
        one("edition = \"UNSTABLE\"; message M { sint32 a = 1; }").3,
        "Type 'sint32' is obsolete in unstable editions, use 'zigzag32' instead."
    );
}
