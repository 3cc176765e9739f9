//! Validation rules that depend on features and options prost-types cannot hold (editions,
//! `features`, source-retention and custom options), checked end to end: schema text through
//! the whole pipeline, asserting each diagnostic's code, protoc's message, and where it points
//! (1-based line:column of its primary label).

use iprotoc::compile::{compile, Options};
use iprotoc::diagnostics::Severity;
use iprotoc::source::MemoryResolver;

/// `(code, message, "line:col")` of every error compiling `files` (the first is the input).
fn errors_in(files: &[(&str, &str)]) -> Vec<(&'static str, String, String)> {
    diags_in(files, Severity::Error)
}

fn diags_in(files: &[(&str, &str)], severity: Severity) -> Vec<(&'static str, String, String)> {
    let mut r = MemoryResolver::new();
    for (name, text) in files {
        r.add(*name, *text);
    }
    let out = compile(&r, &[files[0].0.to_string()], &Options::default());
    out.diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| {
            let at = d
                .primary
                .as_ref()
                .map(|l| {
                    let (line, col) = out
                        .sources
                        .get(l.location.file)
                        .line_col(l.location.span.start);
                    format!("{}:{}", line + 1, col + 1)
                })
                .unwrap_or_default();
            (d.code, d.message.clone(), at)
        })
        .collect()
}

fn errors(text: &str) -> Vec<(&'static str, String, String)> {
    errors_in(&[("test.proto", text)])
}

fn e(code: &'static str, message: &str, at: &str) -> (&'static str, String, String) {
    (code, message.to_string(), at.to_string())
}

#[test]
fn closed_enums_need_no_zero_value() {
    // Closed by a file-level feature, by the enum's own, or by proto2.
    assert_eq!(
        errors("edition = \"2023\";\noption features.enum_type = CLOSED;\nenum E { ONE = 1; }\n"),
        vec![]
    );
    assert_eq!(
        errors(
            "edition = \"2023\";\nenum E {\n  option features.enum_type = CLOSED;\n  ONE = 1;\n}\n"
        ),
        vec![]
    );
    assert_eq!(
        errors("syntax = \"proto2\";\nenum E { ONE = 1; }\n"),
        vec![]
    );
    // Open: by default in editions, or reopened under a closed file.
    assert_eq!(
        errors("edition = \"2023\";\nenum E { ONE = 1; }\n"),
        vec![e(
            "ENUM_FIRST_VALUE_NOT_ZERO",
            "The first enum value must be zero for open enums.",
            "2:16"
        )]
    );
    assert_eq!(
        errors(
            "edition = \"2023\";\noption features.enum_type = CLOSED;\n\
             enum E {\n  option features.enum_type = OPEN;\n  ONE = 1;\n}\n"
        ),
        vec![e(
            "ENUM_FIRST_VALUE_NOT_ZERO",
            "The first enum value must be zero for open enums.",
            "5:9"
        )]
    );
}

#[test]
fn legacy_json_format_makes_default_json_conflicts_warnings() {
    let text = "edition = \"2023\";\noption features.json_format = LEGACY_BEST_EFFORT;\n\
                message M {\n  int32 field_name = 1;\n  int32 field__name = 2;\n}\n";
    assert_eq!(errors(text), vec![]);
    assert_eq!(
        diags_in(&[("test.proto", text)], Severity::Warning).len(),
        1
    );
    let text = text.replace("LEGACY_BEST_EFFORT", "ALLOW");
    assert_eq!(errors(&text)[0].0, "JSON_NAME_CONFLICT");
}

#[test]
fn features_need_editions() {
    let cases = [
        ("syntax = \"proto3\";\noption features.utf8_validation = VERIFY;\n", "2:8"),
        ("syntax = \"proto2\";\nenum Foo {\n  option features.enum_type = CLOSED;\n  VALUE = 0;\n}\n", "3:10"),
        ("syntax = \"proto2\";\nenum Foo {\n  VALUE = 0 [features.enum_type = CLOSED];\n}\n", "3:14"),
        ("syntax = \"proto2\";\nmessage Foo {\n  extensions 1 to 100 [features={}];\n}\n", "3:24"),
        ("syntax = \"proto2\";\nmessage Foo {\n  optional int32 a = 1 [features.field_presence = IMPLICIT];\n}\n", "3:25"),
        ("syntax = \"proto2\";\nmessage Foo {\n  oneof o {\n    option features.enforce_naming_style = STYLE2024;\n    int32 a = 1;\n  }\n}\n", "4:12"),
    ];
    for (text, at) in cases {
        assert_eq!(
            errors(text),
            vec![e(
                "FEATURES_OUTSIDE_EDITIONS",
                "Features are only valid under editions.",
                at
            )],
            "{text}"
        );
    }
}

#[test]
fn editions_field_rules() {
    let text = "edition = \"2023\";\nmessage Foo {\n\
        repeated int32 q = 3 [features.field_presence = EXPLICIT];\n\
        int32 s = 4 [features.repeated_field_encoding = PACKED];\n\
        int32 t = 5 [features.utf8_validation = NONE];\n\
        string u = 6 [features.message_encoding = DELIMITED];\n\
        int32 v = 7 [features.field_presence = IMPLICIT, default = 3];\n\
        map<int32, Foo> w = 8 [features.message_encoding = DELIMITED];\n\
        Foo x = 9 [features.message_encoding = DELIMITED];\n}\n";
    assert_eq!(
        errors(text),
        vec![
            e(
                "FEATURE_TARGET",
                "Repeated fields can't specify field presence.",
                "3:23"
            ),
            e(
                "FEATURE_TARGET",
                "Only repeated fields can specify repeated field encoding.",
                "4:14"
            ),
            e(
                "FEATURE_TARGET",
                "Only repeated primitive fields can specify PACKED repeated field encoding.",
                "4:14"
            ),
            e(
                "FEATURE_TARGET",
                "Only string fields can specify utf8 validation.",
                "5:14"
            ),
            e(
                "FEATURE_TARGET",
                "Only message fields can specify message encoding.",
                "6:15"
            ),
            e(
                "IMPLICIT_PRESENCE_DEFAULT",
                "Implicit presence fields can't specify defaults.",
                "7:60"
            ),
            e(
                "FEATURE_TARGET",
                "Only message fields can specify message encoding.",
                "8:24"
            ),
        ]
    );
}

#[test]
fn features_and_options_by_edition() {
    assert_eq!(
        errors("edition = \"2023\";\noption features.enforce_naming_style = STYLE2024;\n"),
        vec![e(
            "FEATURE_NOT_INTRODUCED",
            "google.protobuf.FeatureSet.enforce_naming_style wasn't introduced until edition 2024 \
             and can't be used in edition 2023",
            "2:8"
        )]
    );
    assert_eq!(
        errors("edition = \"2024\";\noption java_multiple_files = true;\n"),
        vec![e(
            "OPTION_REMOVED",
            "google.protobuf.FileOptions.java_multiple_files has been removed in edition 2024: \
             This behavior is enabled by default in editions 2024 and above. To disable it, you \
             can set `features.(pb.java).nest_in_file_class = YES` on individual messages, \
             enums, or services.",
            "2:8"
        )]
    );
    assert_eq!(
        errors("edition = \"2023\";\noption java_multiple_files = true;\n"),
        vec![]
    );
    assert_eq!(
        errors("edition = \"2024\";\nmessage M {\n  string foo = 1 [ctype = CORD];\n}\n"),
        vec![e(
            "OPTION_REMOVED",
            "ctype option is not allowed under edition 2024 and beyond. Use the feature \
             string_type = VIEW|CORD|STRING|... instead.",
            "3:19"
        )]
    );
}

#[test]
fn feature_targets() {
    assert_eq!(
        errors(
            "edition = \"2023\";\nmessage M {\n  option features.field_presence = IMPLICIT;\n}\n"
        ),
        vec![e(
            "OPTION_TARGET",
            "Option google.protobuf.FeatureSet.field_presence cannot be set on an entity of type \
             `message`.",
            "3:10"
        )]
    );
}

#[test]
fn custom_option_targets() {
    let defs = "syntax = \"proto2\";\npackage t;\nimport \"google/protobuf/descriptor.proto\";\n\
        message Targets {\n  optional bool file = 1 [targets = TARGET_TYPE_FILE];\n  \
        optional bool field = 2 [targets = TARGET_TYPE_FIELD];\n}\n\
        extend google.protobuf.FileOptions { optional Targets file_t = 5000; }\n\
        extend google.protobuf.FieldOptions { optional int32 only_enum = 5001 [targets = TARGET_TYPE_ENUM]; }\n";
    let text = "syntax = \"proto2\";\nimport \"defs.proto\";\n\
        option (t.file_t).file = true;\noption (t.file_t).field = true;\n\
        message M { optional int32 x = 1 [(t.only_enum) = 1]; }\n";
    assert_eq!(
        errors_in(&[("test.proto", text), ("defs.proto", defs)]),
        vec![
            e(
                "OPTION_TARGET",
                "Option t.Targets.field cannot be set on an entity of type `file`.",
                "4:8"
            ),
            e(
                "OPTION_TARGET",
                "Option t.only_enum cannot be set on an entity of type `field`.",
                "5:35"
            ),
        ]
    );
}

#[test]
fn naming_style_follows_resolved_features() {
    let text = "edition = \"2024\";\npackage a;\n\
        message M {\n  int32 Bad_One = 1;\n  oneof o {\n    option features.enforce_naming_style = STYLE_LEGACY;\n    int32 Fine_In_Oneof = 2;\n  }\n}\n\
        enum E {\n  option features.enforce_naming_style = STYLE_LEGACY;\n  lower = 0;\n}\n";
    assert_eq!(
        errors(text),
        vec![e(
            "NAMING_STYLE",
            "Field name Bad_One should be lower_snake_case (features.enforce_naming_style = \
             STYLE_LEGACY can be used to opt out of this check)",
            "4:9"
        )]
    );
}

#[test]
fn map_entry_cannot_be_written() {
    for value in ["true", "false"] {
        let text = format!("syntax = \"proto2\";\nmessage Foo {{ option map_entry = {value}; }}\n");
        assert_eq!(
            errors(&text),
            vec![e(
                "MAP_ENTRY_EXPLICIT",
                "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead.",
                "2:22"
            )]
        );
    }
}

#[test]
fn package_limits() {
    let long = format!(
        "syntax = \"proto3\";\npackage a{};\nmessage M {{}}\n",
        "b".repeat(511)
    );
    assert_eq!(
        errors(&long),
        vec![e("PACKAGE_TOO_LONG", "Package name is too long", "2:1")]
    );
    let deep = format!("syntax = \"proto3\";\npackage a{};\n", ".a".repeat(101));
    assert_eq!(
        errors(&deep),
        vec![e(
            "PACKAGE_TOO_LONG",
            "Exceeds Maximum Package Depth",
            "2:1"
        )]
    );
    let ok = format!("syntax = \"proto3\";\npackage a{};\n", ".a".repeat(100));
    assert_eq!(errors(&ok), vec![]);
}

#[test]
fn strict_visibility() {
    let text = "edition = \"2024\";\npackage t;\noption features.default_symbol_visibility = STRICT;\n\
        export message Ns {\n  export message M {}\n  export enum E { Z = 0; }\n  reserved 1 to max;\n}\n\
        local message Ns2 {\n  export enum E { Z = 0; }\n  reserved 1 to max;\n}\n\
        message Ns3 {\n  export enum E { Z = 0; }\n  reserved 1 to 5;\n}\n";
    assert_eq!(
        errors(text),
        vec![
            e(
                "VISIBILITY_STRICT",
                "\"t.Ns.M\" is a nested message and cannot be `export` with STRICT \
                 default_symbol_visibility. It must be moved to top-level, ideally in its own \
                 file in order to be `export`.",
                "5:18"
            ),
            e(
                "VISIBILITY_STRICT",
                "\"t.Ns.E\" is a nested enum and cannot be marked `export` with STRICT \
                 default_symbol_visibility. It must be moved to top-level, ideally in its own \
                 file in order to be `export`. For C++ namespacing of enums in a messages use: \
                 `local message <OuterNamespace> { export enum t.Ns.E {...} reserved 1 to max; }`",
                "6:15"
            ),
            e(
                "VISIBILITY_STRICT",
                "\"t.Ns3.E\" is a nested enum and cannot be marked `export` with STRICT \
                 default_symbol_visibility. It must be moved to top-level, ideally in its own \
                 file in order to be `export`. For C++ namespacing of enums in a messages use: \
                 `local message <OuterNamespace> { export enum t.Ns3.E {...} reserved 1 to max; }`",
                "14:15"
            ),
        ]
    );
    // Without STRICT, nested types may be exported.
    let relaxed = text.replace("option features.default_symbol_visibility = STRICT;\n", "");
    assert_eq!(errors(&relaxed), vec![]);
}

#[test]
fn option_names_protoc_refuses() {
    assert_eq!(
        errors("syntax = \"proto2\";\nmessage M {\n  option uninterpreted_option = {};\n}\n"),
        vec![e(
            "OPTION_RESERVED_NAME",
            "Option must not use reserved name \"uninterpreted_option\".",
            "3:10"
        )]
    );
    let same_file =
        "edition = \"2023\";\npackage t;\nimport \"google/protobuf/descriptor.proto\";\n\
        option features.(x).a = true;\n\
        extend google.protobuf.FeatureSet { F x = 9995; }\n\
        message F {\n  bool a = 1 [targets = TARGET_TYPE_FILE, \
        edition_defaults = {edition: EDITION_LEGACY, value: \"false\"}, \
        feature_support.edition_introduced = EDITION_2023];\n}\n";
    assert_eq!(
        errors(same_file),
        vec![e(
            "FEATURE_SAME_FILE",
            "Feature \"features.(x)\" can't be used in the same file it's defined in.",
            "4:8"
        )]
    );
}
