use super::*;

/// Formats `text`, and checks that formatting the result changes nothing.
fn fmt(text: &str) -> String {
    let out = format_source(FileId(0), text).unwrap_or_else(|d| panic!("refused: {d:?}"));
    let again = format_source(FileId(0), &out).unwrap_or_else(|d| panic!("refused: {d:?}"));
    assert_eq!(again, out, "not idempotent; first pass:\n{out}");
    out
}

#[test]
fn spacing_inside_statements() {
    assert_eq!(
        fmt("syntax='proto2';package  a . b;message M{optional .a.b.M  m=1;map < string , M > n = 2;repeated int32 r=3[packed=true];optional double d=4[default=-inf];}"),
        "syntax = 'proto2';\n\npackage a.b;\n\nmessage M {\n  optional .a.b.M m = 1;\n  map<string, M> n = 2;\n  repeated int32 r = 3 [packed = true];\n  optional double d = 4 [default = -inf];\n}\n"
    );
}

#[test]
fn inheritance_headers() {
    assert_eq!(
        fmt("syntax = \"proto2\";\nmessage Animal{}\nmessage Cat:Animal{}\nmessage Dog :.Animal=105{optional int32 x=1;}\n"),
        "syntax = \"proto2\";\n\nmessage Animal {}\nmessage Cat : Animal {}\nmessage Dog : .Animal = 105 {\n  optional int32 x = 1;\n}\n"
    );
}

#[test]
fn rpc_layout() {
    assert_eq!(
        fmt("service S{rpc A (M) returns(stream .p.M);rpc B(stream M)returns(M){option deprecated=true;};rpc C(M) returns (M) {}}"),
        "service S {\n  rpc A(M) returns (stream .p.M);\n  rpc B(stream M) returns (M) {\n    option deprecated = true;\n  }\n  rpc C(M) returns (M) {}\n}\n"
    );
}

#[test]
fn top_level_groups_are_separated_and_blank_lines_collapse() {
    assert_eq!(
        fmt("syntax = \"proto3\";\npackage p;\nimport \"a.proto\";\nimport \"b.proto\";\noption x = 1;\noption y = 2;\nmessage A {}\n\n\n\nmessage B {}\nenum E { Z = 0; }\n"),
        "syntax = \"proto3\";\n\npackage p;\n\nimport \"a.proto\";\nimport \"b.proto\";\n\noption x = 1;\noption y = 2;\n\nmessage A {}\n\nmessage B {}\nenum E {\n  Z = 0;\n}\n"
    );
}

#[test]
fn no_blank_line_after_an_opening_or_before_a_closing_brace() {
    assert_eq!(
        fmt("message A {\n\n  int32 x = 1;\n\n\n  int32 y = 2;\n\n}\n"),
        "message A {\n  int32 x = 1;\n\n  int32 y = 2;\n}\n"
    );
}

#[test]
fn empty_statements_go() {
    assert_eq!(
        fmt("syntax = \"proto3\";;\nmessage A { ; int32 x = 1;; }\nenum E {;}\n;"),
        "syntax = \"proto3\";\n\nmessage A {\n  int32 x = 1;\n}\nenum E {}\n"
    );
}

#[test]
fn empty_statements_stay_where_protoc_refuses_them() {
    // In a oneof's or an extend's body protoc reads a `;` as a missing field: dropping it would
    // turn an invalid file into a valid one (or into another error).
    assert_eq!(
        fmt("message M { oneof o { int32 a = 1; ; } }\nextend M { ; optional int32 b = 2; }"),
        "message M {\n  oneof o {\n    int32 a = 1;\n    ;\n  }\n}\nextend M {\n  ;\n  optional int32 b = 2;\n}\n"
    );
}

#[test]
fn compact_options_one_inline_several_one_per_line() {
    assert_eq!(
        fmt("message A { int32 x = 1 [ deprecated = true ]; int32 y = 2 [deprecated=true, (a).b = 1]; }"),
        "message A {\n  int32 x = 1 [deprecated = true];\n  int32 y = 2 [\n    deprecated = true,\n    (a).b = 1\n  ];\n}\n"
    );
}

#[test]
fn message_literals_are_expanded_and_normalized() {
    assert_eq!(
        fmt("option (a) = { x: 1, y: \"s\"; z < w: 2 > l: [1,2] m: [{k: 1}, {}] [p.ext]: E n {} };"),
        "option (a) = {\n  x: 1\n  y: \"s\"\n  z: {\n    w: 2\n  }\n  l: [1, 2]\n  m: [\n    {\n      k: 1\n    },\n    {}\n  ]\n  [p.ext]: E\n  n: {}\n};\n"
    );
    assert_eq!(fmt("option (a) = {};"), "option (a) = {};\n");
    assert_eq!(
        fmt("option (a) = {[type.googleapis.com/p.M]: {x: -1}};"),
        "option (a) = {\n  [type.googleapis.com/p.M]: {\n    x: -1\n  }\n};\n"
    );
}

#[test]
fn adjacent_strings_one_per_line() {
    assert_eq!(
        fmt("option (a) = \"one,\" \"two\";\nmessage M { string s = 1 [default = \"a\" 'b']; }\n"),
        "option (a) =\n  \"one,\"\n  \"two\";\n\nmessage M {\n  string s = 1 [default =\n    \"a\"\n    'b'];\n}\n"
    );
}

#[test]
fn literals_keep_their_spelling() {
    // Numbers, strings and names are written as they are: only whitespace changes.
    assert_eq!(
        fmt("message A { int32 x = 0x1F [default = 017]; float f = 2 [default = 1E5]; string s = 3 [default = '\\x41\\n']; }"),
        "message A {\n  int32 x = 0x1F [default = 017];\n  float f = 2 [default = 1E5];\n  string s = 3 [default = '\\x41\\n'];\n}\n"
    );
}

#[test]
fn comments_stay_where_they_are() {
    let input = "\
// header

/* detached */
syntax = \"proto3\"; // after syntax
// leading package
package p;
message M { // after brace
  // leading x
  int32 /* inside */ x = 1; // after x
  int32 y = 2 // before semicolon
  ;
  option (o) = {
    // leading in literal
    a: 1 // after a
    b: [1, /* in list */ 2]
  };
  // before closing brace
} // after closing brace
// end of file
";
    let expected = "\
// header

/* detached */
syntax = \"proto3\"; // after syntax

// leading package
package p;

message M { // after brace
  // leading x
  int32 /* inside */ x = 1; // after x
  int32 y = 2 // before semicolon
    ;
  option (o) = {
    // leading in literal
    a: 1 // after a
    b: [1, /* in list */ 2]
  };
  // before closing brace
} // after closing brace
// end of file
";
    assert_eq!(fmt(input), expected);
}

#[test]
fn comments_on_dropped_tokens_are_kept() {
    assert_eq!(
        fmt("message A {\n  int32 x = 1;\n  ; // after an empty statement\n}\noption (a) = { x: 1, /* c */ y: 2 };\n"),
        "message A {\n  int32 x = 1;\n  // after an empty statement\n}\n\noption (a) = {\n  x: 1 /* c */\n  y: 2\n};\n"
    );
}

#[test]
fn block_comment_lines_move_with_their_first_line() {
    assert_eq!(
        fmt("message A {\n      /**\n       * Doc.\n       */\n      int32 x = 1;\n}\n"),
        "message A {\n  /**\n   * Doc.\n   */\n  int32 x = 1;\n}\n"
    );
}

#[test]
fn trailing_whitespace_and_crlf_go() {
    assert_eq!(
        fmt("syntax = \"proto3\";   \r\n// c   \r\nmessage A {}\r\n"),
        "syntax = \"proto3\";\n\n// c\nmessage A {}\n"
    );
}

#[test]
fn byte_order_mark_is_kept() {
    assert_eq!(
        fmt("\u{FEFF}syntax = \"proto3\";\nmessage A{}"),
        "\u{FEFF}syntax = \"proto3\";\n\nmessage A {}\n"
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
    assert_eq!(fmt("// only a comment   \n\n"), "// only a comment\n");
}

#[test]
fn keywords_as_names() {
    assert_eq!(
        fmt("message message { optional optional optional = 1; repeated group group = 2 { } message rpc { } rpc returns = 3; }"),
        "message message {\n  optional optional optional = 1;\n  repeated group group = 2 {}\n  message rpc {}\n  rpc returns = 3;\n}\n"
    );
}

#[test]
fn edition_files() {
    assert_eq!(
        fmt("edition = \"2024\";\nexport message A { int32 x = 1 [features.field_presence = EXPLICIT]; }\nlocal enum E { option features.enum_type = CLOSED; Z = 0; }"),
        "edition = \"2024\";\n\nexport message A {\n  int32 x = 1 [features.field_presence = EXPLICIT];\n}\nlocal enum E {\n  option features.enum_type = CLOSED;\n  Z = 0;\n}\n"
    );
}

#[test]
fn a_file_that_does_not_parse_is_refused_with_its_location() {
    let errors = format_source(
        FileId(3),
        "syntax = \"proto3\";\nmessage A { int32 x = ; }\n",
    )
    .expect_err("a syntax error");
    assert!(!errors.is_empty());
    for e in &errors {
        assert!(e.is_error());
        assert!(STRUCTURE_ERRORS.contains(&e.code), "{e:?}");
        let primary = e.primary.as_ref().expect("a location");
        assert_eq!(primary.location.file, FileId(3), "{e:?}");
    }
    let first = errors[0].primary.as_ref().unwrap();
    assert_eq!(first.location.span.start, 41, "{:?}", errors[0]);
    let errors = format_source(
        FileId(0),
        "message A { string s = 1 [default = \"open\n]; }",
    )
    .expect_err("an unterminated string");
    assert!(errors.iter().any(|e| e.code == "LEX"));
    assert!(format_source(FileId(0), "message A { int32 x = 1; /* open").is_err());
}

#[test]
fn semantic_errors_do_not_stop_formatting() {
    // proto3 has no `required`: an error of the compiler, but the file's structure is clear.
    assert_eq!(
        fmt("syntax = \"proto3\";\nmessage A { required int32 x = 1; }"),
        "syntax = \"proto3\";\n\nmessage A {\n  required int32 x = 1;\n}\n"
    );
}

#[test]
fn subclass_registry_statements_are_laid_out_as_statements() {
    // `subclass pkg.Cat = 100;` (hierarchies across files) is a statement like any other: the
    // layout does not depend on which statements the grammar has.
    let laid = layout::layout(
        "message A{subclass  p.Cat=100;}",
        scan::scan(
            "message A{subclass  p.Cat=100;}",
            &lexer::lex(FileId(0), "message A{subclass  p.Cat=100;}"),
        )
        .unwrap(),
    );
    assert_eq!(laid.text, "message A {\n  subclass p.Cat = 100;\n}\n");
}

#[test]
fn a_lint_directive_stays_on_the_declaration_line() {
    assert_eq!(
        fmt("service Zoo { rpc Feed (A) returns (B); } // iprotoc:lint:ignore SERVICE_SUFFIX\n"),
        "service Zoo { // iprotoc:lint:ignore SERVICE_SUFFIX\n  rpc Feed(A) returns (B);\n}\n"
    );
    assert_eq!(
        fmt("message M { int32 x = 1 [a = 1, b = 2]; // iprotoc:lint:ignore X\n}\n"),
        "message M {\n  int32 x = 1 [ // iprotoc:lint:ignore X\n    a = 1,\n    b = 2\n  ];\n}\n"
    );
    // Other comments, and directives after a body spread over lines already, stay put.
    assert_eq!(
        fmt("service Zoo { rpc Feed (A) returns (B); } // plain\n"),
        "service Zoo {\n  rpc Feed(A) returns (B);\n} // plain\n"
    );
}
