//! Syntax and lexical errors: the tree that recovery keeps, hostile input, and the caps on the
//! number of errors. The diagnostics of small broken files are fixtures under
//! `tests/ui/parse/errors/`.

use iprotoc::ast::*;
use iprotoc::diagnostics::Diagnostic;
use iprotoc::parse::parse;
use iprotoc::source::{FileId, SourceFile};
use soup::token_soup;

use crate::support::soup;

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

/// A fixture of `tests/ui/parse/errors/`, whose diagnostics its snapshot holds (`ui.rs`).
fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/ui/parse/errors/{name}")).unwrap()
}

/// The tree survives three broken statements (the three errors: `three_broken_statements.proto`).
#[test]
fn three_broken_statements_keep_the_rest_of_the_tree() {
    let (file, diags) = positions(&fixture("three_broken_statements.proto"));
    assert_eq!(diags.len(), 3, "{diags:#?}");
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

/// A message left open at the end of the file keeps its fields.
#[test]
fn missing_brace_at_end_keeps_the_message() {
    let (file, diags) = positions(&fixture("missing_brace_at_end.proto"));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let FileItem::Message(a) = &file.items[0] else {
        panic!()
    };
    assert_eq!(a.items.len(), 1);
}

/// An unknown top-level statement is skipped with its block; the next one is parsed.
#[test]
fn unknown_top_level_statement_skips_its_block() {
    let (file, diags) = positions(&fixture("unknown_top_level_statement.proto"));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(file.items.len(), 1);
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

/// A number beyond int32 leaves the enum value without a number (its diagnostics:
/// `odd_numbers.proto`).
#[test]
fn a_number_out_of_range_is_no_number() {
    let (file, _) = parse(FileId(0), &fixture("odd_numbers.proto"));
    let FileItem::Enum(e) = &file.items[0] else {
        panic!()
    };
    let EnumItem::Value(a) = &e.items[0] else {
        panic!()
    };
    assert_eq!(a.name.name, "A");
    assert_eq!(a.number.value, None);
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
