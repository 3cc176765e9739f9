//! The checks protoc's parser makes beyond the grammar (`parse::syntax_rules`): what they accept.
//! What they reject is a fixture each under `tests/ui/parse/rules/`, with protoc's verdict beside
//! iprotoc's; the inputs here parse cleanly but need not compile (undefined types and options),
//! so they are checked at the parser alone.

use iprotoc::parse::parse;
use iprotoc::source::FileId;

/// `text` parses without a diagnostic.
#[track_caller]
fn clean(text: &str) {
    let (_, d) = parse(FileId(0), text);
    assert!(d.is_empty(), "{text}\n{d:#?}");
}

#[test]
fn syntax_and_edition_identifiers() {
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
    // From edition 2024 they are modifiers.
    clean("edition = \"2024\";\nexport enum E { A = 0; }\nlocal message M { export message N {} }");
    // In oneofs and extend blocks protoc does not read visibility: these are type names.
    clean("edition = \"2024\"; message M { oneof o { export a = 1; } }");
}

#[test]
fn integers_in_range() {
    clean("enum Foo { V = -2147483648; W = 2147483647; }");
    // A decimal option value beyond uint64 becomes a double.
    clean("option (x) = 99999999999999999999999;");
    clean("option (x) = -inf; option (y) = -nan;");
}

#[test]
fn reserved_names_in_the_syntax_form() {
    clean("edition = \"2023\";\nmessage M { reserved foo, bar; }");
    clean("syntax = \"proto2\";\nmessage M { reserved \"foo\", \"bar\"; }");
}

#[test]
fn labels_where_they_belong() {
    // Not in proto3, not in oneofs, not on map fields.
    clean("syntax = \"proto3\"; message Foo { string s = 1; }");
    clean("message Foo { oneof o { string s = 1; } map<string, int32> m = 2; }");
    clean("edition = \"2023\"; message M { repeated string s = 1; string t = 2; }");
    clean("message M { oneof o { option (x) = 1; } }");
    clean("message M { optional group G = 1 { optional int32 a = 2; } }");
}

#[test]
fn imports_and_types() {
    clean("edition = \"2024\";\nimport \"a.proto\";\nimport option \"b.proto\";");
    clean("service S { rpc F(.int32) returns (M); }");
}
