//! Syntax and lexical errors: recovery, positions, messages, hostile input.

use crate::support::soup;
use soup::token_soup;

use iprotoc::ast::*;
use iprotoc::diagnostics::Diagnostic;
use iprotoc::parse::parse;
use iprotoc::source::{FileId, SourceFile};

/// (1-based line, 1-based column, code, message) of each diagnostic.
fn positions(text: &str) -> (File, Vec<(u32, u32, &'static str, String)>) {
    let (file, diags) = parse(FileId(0), text);
    let src = SourceFile::new("t.proto", "t.proto", text);
    let out = diags
        .iter()
        .map(|d: &Diagnostic| {
            let p = d.primary.as_ref().expect("a location");
            let (l, c) = src.line_col(p.location.span.start);
            (l + 1, c + 1, d.code, d.message.clone())
        })
        .collect();
    (file, out)
}

#[test]
fn three_broken_statements_give_three_errors() {
    let text = "syntax = \"proto2\";
message A {
  optional int32 a = 1
  optional int32 b = 2;
  optional int32 c = ;
  optional int32 d = 4;
}
enum E { X = 0; Y = = 1; Z = 2; }
message B { optional string ok = 1; }
";
    let (file, diags) = positions(text);
    assert_eq!(diags.len(), 3, "{diags:#?}");
    assert_eq!(diags[0].0, 4);
    assert_eq!(diags[0].1, 3);
    assert_eq!(diags[0].2, "SYNTAX");
    assert_eq!(
        diags[0].3,
        "expected one of \";\", \"[\", found \"optional\""
    );
    assert_eq!((diags[1].0, diags[1].1), (5, 22));
    assert_eq!(diags[1].3, "expected an integer, found \";\"");
    assert_eq!((diags[2].0, diags[2].1), (8, 21));
    // The rest of the tree survives.
    assert_eq!(file.items.len(), 3);
    let FileItem::Message(a) = &file.items[0] else {
        panic!()
    };
    assert_eq!(a.items.len(), 1); // only `d`
    let FileItem::Message(b) = &file.items[2] else {
        panic!()
    };
    assert_eq!(b.name.name, "B");
}

#[test]
fn missing_semicolon_gets_help() {
    let (_, diags) = parse(FileId(0), "syntax = \"proto3\"\npackage foo;");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].message, "expected \";\", found \"package\"");
    assert_eq!(diags[0].help, ["add \";\" after \"\"proto3\"\""]);
}

#[test]
fn missing_brace_at_end() {
    let (file, diags) = positions("message A {\n  optional int32 a = 1;\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].3, "expected \"}\", found end of file");
    let FileItem::Message(a) = &file.items[0] else {
        panic!()
    };
    assert_eq!(a.items.len(), 1);
}

#[test]
fn unknown_top_level_statement_skips_its_block() {
    let (file, diags) = positions("mesage A { int32 x = 1; }\nmessage B {}\n");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!((diags[0].0, diags[0].1), (1, 1));
    assert_eq!(file.items.len(), 1);
}

#[test]
fn lexer_errors() {
    let text = "syntax = \"proto2\";\nmessage A { optional int32 a = 123abc; optional string s = 2 [default = \"\\q\"]; optional int32 o = 09; }\n@ $\0 \"unterminated\n/* open";
    let (_, diags) = positions(text);
    let codes: Vec<_> = diags.iter().map(|d| (d.0, d.2, d.3.as_str())).collect();
    assert!(
        codes.contains(&(2, "LEX", "need space between number and identifier")),
        "{codes:#?}"
    );
    assert!(codes.contains(&(
        2,
        "INVALID_ESCAPE",
        "invalid escape sequence in string literal"
    )));
    assert!(codes.contains(&(
        2,
        "LEX",
        "numbers starting with leading zero must be in octal"
    )));
    assert!(codes
        .iter()
        .any(|c| c.0 == 3 && c.2.starts_with("invalid character")));
    assert!(codes
        .iter()
        .any(|c| c.2 == "invalid control characters encountered in text"));
    assert!(codes.contains(&(3, "LEX", "unterminated string literal")));
    assert!(codes.contains(&(4, "LEX", "end of file inside block comment")));
}

#[test]
fn bom_and_crlf() {
    let (file, diags) = parse(
        FileId(0),
        "\u{FEFF}syntax = \"proto3\";\r\nmessage A {\r\n  int32 a = 1;\r\n}\r\n",
    );
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(file.syntax.unwrap().span.start, 3);
}

#[test]
fn big_integers_and_odd_numbers() {
    let (file, diags) = parse(
        FileId(0),
        "enum E { A = 99999999999999999999; B = 0x; C = 1e; }",
    );
    // `0x` and `1e` (lexer), a float where the enum number goes (parser), and A's number
    // beyond int32 (protoc's `Integer out of range.`).
    assert_eq!(diags.len(), 4, "{diags:#?}");
    assert!(diags.iter().any(|d| d.code == "INTEGER_OUT_OF_RANGE"));
    let FileItem::Enum(e) = &file.items[0] else {
        panic!()
    };
    let EnumItem::Value(a) = &e.items[0] else {
        panic!()
    };
    assert_eq!(a.number.value, None);
}

#[test]
fn message_nesting_limit_like_protoc() {
    let mut ok = String::new();
    for i in 0..31 {
        ok.push_str(&format!("message M{i} {{ "));
    }
    ok.push_str(&"} ".repeat(31));
    assert!(parse(FileId(0), &ok).1.is_empty());
    let mut deep = String::new();
    for i in 0..32 {
        deep.push_str(&format!("message M{i} {{ "));
    }
    deep.push_str(&"} ".repeat(32));
    let d = parse(FileId(0), &deep).1;
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].message,
        "reached maximum recursion limit for nested messages"
    );
}

#[test]
fn hostile_inputs_end_quickly() {
    let start = std::time::Instant::now();
    let braces = "{".repeat(10_000_000);
    let (_, d) = parse(FileId(0), &braces);
    assert!(d.iter().any(|d| d.code == "NESTING_TOO_DEEP"));
    let nested = "message A { ".repeat(10_000);
    let (_, d) = parse(FileId(0), &nested);
    assert!(!d.is_empty());
    let angles = format!("option x = {{ a {} }};", "< b ".repeat(100_000));
    assert!(!parse(FileId(0), &angles).1.is_empty());
    let junk: String = (0..200_000u32)
        .map(|i| char::from((i * 7919 % 251) as u8))
        .collect();
    let (_, d) = parse(FileId(0), &junk);
    let syntax = d.iter().filter(|d| d.code == "SYNTAX").count();
    assert!(
        !d.is_empty() && syntax <= 101,
        "{} diagnostics, {syntax} syntax errors",
        d.len()
    );
    let nuls = "\0".repeat(100_000);
    assert_eq!(parse(FileId(0), &nuls).1.len(), 1);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

#[test]
fn parsing_stops_at_the_error_past_the_cap() {
    use iprotoc::parse::MAX_SYNTAX_ERRORS;
    // One broken statement per line; the tree before the cut-off survives.
    let text = format!(
        "syntax = \"proto2\";\nmessage Kept {{}}\n{}message Lost {{}}\n",
        "= ;\n".repeat(MAX_SYNTAX_ERRORS + 50)
    );
    let (file, diags) = positions(&text);
    assert_eq!(diags.len(), MAX_SYNTAX_ERRORS + 1, "{diags:#?}");
    assert!(diags[..MAX_SYNTAX_ERRORS]
        .iter()
        .enumerate()
        .all(|(i, d)| d.0 == 3 + i as u32 && d.2 == "SYNTAX"));
    let last = diags.last().unwrap();
    assert_eq!(
        (last.0, last.1, last.2, last.3.as_str()),
        (
            3 + MAX_SYNTAX_ERRORS as u32,
            1,
            "SYNTAX",
            "too many syntax errors; parsing stopped after 100"
        )
    );
    let names: Vec<&str> = file
        .items
        .iter()
        .filter_map(|i| match i {
            FileItem::Message(m) => Some(m.name.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["Kept"]);

    // Exactly the cap: every error reported, no stop notice, the rest of the file parsed.
    let text = format!(
        "syntax = \"proto2\";\n{}message Kept {{}}\n",
        "= ;\n".repeat(MAX_SYNTAX_ERRORS)
    );
    let (file, diags) = positions(&text);
    assert_eq!(diags.len(), MAX_SYNTAX_ERRORS);
    assert!(diags.iter().all(|d| !d.3.starts_with("too many")));
    assert_eq!(file.items.len(), 1);
}

#[test]
fn lexical_errors_past_the_cap_are_counted() {
    use iprotoc::lexer::MAX_LEXICAL_ERRORS;
    let extra = 37;
    let text = format!(
        "syntax = \"proto2\";\n{}message M {{\n",
        "/* /* */ 0x\n".repeat(MAX_LEXICAL_ERRORS / 2 + extra)
    );
    let (_, diags) = positions(&text);
    let lex: Vec<_> = diags.iter().filter(|d| d.2 == "LEX").collect();
    assert_eq!(lex.len(), MAX_LEXICAL_ERRORS + 1, "{diags:#?}");
    let summary = lex.last().unwrap();
    // Two errors a line: the first not shown is the first of line 2 + MAX / 2.
    assert_eq!(
        (summary.0, summary.1, summary.3.as_str()),
        (
            2 + (MAX_LEXICAL_ERRORS / 2) as u32,
            4,
            format!("too many lexical errors; {} more not shown", 2 * extra).as_str()
        )
    );
    // The unclosed brace at the end is still reported.
    assert!(diags
        .iter()
        .any(|d| d.3 == "expected \"}\", found end of file"));
}

#[test]
fn broken_token_soup_gives_a_bounded_number_of_diagnostics() {
    use iprotoc::lexer::MAX_LEXICAL_ERRORS;
    use iprotoc::parse::MAX_SYNTAX_ERRORS;
    for seed in 1..=3 {
        let text = token_soup(seed, 700_000);
        let (_, diags) = parse(FileId(0), &text);
        let syntax = diags.iter().filter(|d| d.code == "SYNTAX").count();
        let lex = diags.iter().filter(|d| d.code != "SYNTAX").count();
        assert!((1..=MAX_SYNTAX_ERRORS + 2).contains(&syntax), "{syntax}");
        // Lexical errors, the summary, and the checks made on the (short) tree.
        assert!(lex <= MAX_LEXICAL_ERRORS + 1 + 200, "{lex}");
    }
}
