//! `iprotoc check` and `--error-format` through the real binary: exit codes, the four formats,
//! `-D warnings`, `--list-rules`, `--explain`, and which lints `compile` reports.

use std::path::Path;
use std::process::Output;

use crate::support::cli::{self, stderr, stdout};

/// Runs the binary from the package root, where the fixtures' paths start, with `NO_COLOR`
/// unset: output to a pipe has no colour anyway.
fn iprotoc(args: &[&str]) -> Output {
    cli::command(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("iprotoc runs")
}

const WARN: [&str; 3] = ["-I", "tests/cli", "tests/cli/cli/v1/warnings.iproto"];
const ERR: [&str; 3] = ["-I", "tests/cli", "tests/cli/cli/v1/errors.iproto"];
const CLEAN: [&str; 3] = ["-I", "tests/cli", "tests/cli/cli/v1/clean.iproto"];

fn check(extra: &[&str], input: &[&str]) -> Output {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    args.extend_from_slice(input);
    iprotoc(&args)
}

#[test]
fn exit_codes() {
    let clean = check(&[], &CLEAN);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert_eq!(stderr(&clean), "");
    assert_eq!(check(&["-D", "warnings"], &CLEAN).status.code(), Some(0));

    let warn = check(&[], &WARN);
    assert_eq!(warn.status.code(), Some(0), "warnings alone pass");
    assert!(stderr(&warn).contains("warning[SUBCLASS_TAG_UNPINNED]"));
    assert_eq!(check(&["-D", "warnings"], &WARN).status.code(), Some(1));
    assert_eq!(check(&["--deny", "warnings"], &WARN).status.code(), Some(1));

    let err = check(&[], &ERR);
    assert_eq!(err.status.code(), Some(1));
    assert!(stderr(&err).contains("error[UNKNOWN_BASE]"));

    // Usage errors are clap's exit code 2.
    assert_eq!(check(&["--no-such-flag"], &WARN).status.code(), Some(2));
    assert_eq!(
        iprotoc(&["check"]).status.code(),
        Some(2),
        "files are required"
    );
    assert_eq!(check(&["-D", "everything"], &WARN).status.code(), Some(2));
    assert_eq!(
        check(&["--error-format", "xml"], &WARN).status.code(),
        Some(2)
    );
    // A missing input is an input error.
    assert_eq!(
        iprotoc(&["check", "no/such/file.iproto"]).status.code(),
        Some(1)
    );
}

#[test]
fn short_format() {
    let o = check(&["--error-format", "short"], &WARN);
    let text = stderr(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.contains(&"tests/cli/cli/v1/warnings.iproto:8:13: warning[SUBCLASS_TAG_UNPINNED]: the tag of `Cat` is not pinned: the compiler allocated 100, and a subclass added above it would renumber it"),
        "{text}"
    );
    assert!(
        lines.contains(&"tests/cli/cli/v1/warnings.iproto:9:46: warning[FIELD_LOWER_SNAKE_CASE]: field name `bonesBuried` should be lower_snake_case"),
        "{text}"
    );
    assert_eq!(lines.len(), 2, "{text}");
    let e = stderr(&check(&["--error-format", "short"], &ERR));
    assert!(
        e.starts_with("tests/cli/cli/v1/errors.iproto:4:15: error[UNKNOWN_BASE]: base class `Animl` of `Cat` is not defined"),
        "{e}"
    );
}

#[test]
fn json_format() {
    let text = stderr(&check(&["--error-format", "json"], &WARN));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with(
        r#"{"file":"tests/cli/cli/v1/warnings.iproto","line":8,"column":13,"end_line":8,"end_column":21,"severity":"warning","code":"SUBCLASS_TAG_UNPINNED","message":"the tag of `Cat` is not pinned"#
    ), "{}", lines[0]);
    assert!(lines[0].contains(r#""help":["pin the allocated tag: `message Cat : Animal = 100`"]"#));
    for l in &lines {
        assert!(l.starts_with('{') && l.ends_with('}'), "{l}");
    }
    let e = stderr(&check(&["--error-format", "json"], &ERR));
    assert!(
        e.contains(r#""severity":"error","code":"UNKNOWN_BASE""#),
        "{e}"
    );
}

#[test]
fn github_format() {
    let text = stderr(&check(&["--error-format", "github"], &WARN));
    assert!(
        text.lines().any(|l| l.starts_with(
            "::warning file=tests/cli/cli/v1/warnings.iproto,line=8,col=13,endLine=8,endColumn=21,title=SUBCLASS_TAG_UNPINNED::the tag of `Cat` is not pinned"
        ) && l.contains("%0Ahelp: pin the allocated tag: `message Cat : Animal = 100`")),
        "{text}"
    );
    let e = stderr(&check(&["--error-format", "github"], &ERR));
    assert!(
        e.starts_with("::error file=tests/cli/cli/v1/errors.iproto,line=4,col=15,"),
        "{e}"
    );
}

#[test]
fn human_format_has_no_colour_when_piped() {
    let text = stderr(&check(&[], &WARN));
    assert!(!text.contains('\u{1b}'), "no ANSI escapes on a pipe");
    assert!(text.contains("warning[SUBCLASS_TAG_UNPINNED]: the tag of `Cat` is not pinned"));
    assert!(
        text.contains("┌─ tests/cli/cli/v1/warnings.iproto:8:13"),
        "{text}"
    );
    assert!(text.contains("= help: pin the allocated tag: `message Cat : Animal = 100`"));
    let with_no_color = cli::command(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args([
            "check",
            "-I",
            "tests/cli",
            "tests/cli/cli/v1/warnings.iproto",
        ])
        .output()
        .unwrap();
    assert_eq!(stderr(&with_no_color), text);
}

#[test]
fn compile_accepts_every_format_and_reports_only_inheritance_lints() {
    for (format, needle) in [
        ("human", "error[UNKNOWN_BASE]"),
        (
            "short",
            "tests/cli/cli/v1/errors.iproto:4:15: error[UNKNOWN_BASE]",
        ),
        ("json", r#""code":"UNKNOWN_BASE""#),
        (
            "github",
            "::error file=tests/cli/cli/v1/errors.iproto,line=4,col=15,",
        ),
    ] {
        let o = iprotoc(&[
            "compile",
            "--error-format",
            format,
            "-I",
            "tests/cli",
            "tests/cli/cli/v1/errors.iproto",
        ]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains(needle), "{format}: {}", stderr(&o));
    }
    let out = tempfile::tempdir().unwrap();
    let o = iprotoc(&[
        "compile",
        "--error-format",
        "short",
        "-I",
        "tests/cli",
        "--proto_out",
        out.path().to_str().unwrap(),
        "tests/cli/cli/v1/warnings.iproto",
    ]);
    assert_eq!(o.status.code(), Some(0), "warnings do not fail compile");
    let text = stderr(&o);
    assert!(text.contains("warning[SUBCLASS_TAG_UNPINNED]"), "{text}");
    assert!(
        !text.contains("FIELD_LOWER_SNAKE_CASE"),
        "style rules are check-only: {text}"
    );
    assert!(
        out.path().join("cli/v1/warnings.proto").exists(),
        "output written despite warnings"
    );
}

#[test]
fn ignore_directive_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/cli/v1/warnings.iproto"),
    )
    .unwrap();
    let silenced = src
        .replace(
            "message Cat : Animal {",
            "// iprotoc:lint:ignore SUBCLASS_TAG_UNPINNED\nmessage Cat : Animal {",
        )
        .replace(
            "bonesBuried = 1; }",
            "bonesBuried = 1; } // iprotoc:lint:ignore FIELD_LOWER_SNAKE_CASE",
        );
    std::fs::create_dir_all(dir.path().join("cli/v1")).unwrap();
    std::fs::write(dir.path().join("cli/v1/warnings.iproto"), silenced).unwrap();
    let d = dir.path().to_str().unwrap();
    let o = iprotoc(&[
        "check",
        "-D",
        "warnings",
        "-I",
        d,
        &format!("{d}/cli/v1/warnings.iproto"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn list_rules_and_explain() {
    let o = iprotoc(&["check", "--list-rules"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for r in iprotoc::lint::rules() {
        assert!(
            text.lines()
                .any(|l| l.starts_with(r.id) && l.ends_with(r.summary)),
            "{} missing from --list-rules",
            r.id
        );
    }
    assert_eq!(text.lines().count(), iprotoc::lint::rules().len());

    let o = iprotoc(&["check", "--explain", "SUBCLASS_TAG_UNPINNED"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("**Fix:**"));
    assert_eq!(
        iprotoc(&["check", "--explain", "NOPE"]).status.code(),
        Some(2)
    );
    // --list-rules takes no files.
    assert_eq!(
        iprotoc(&["check", "--list-rules", "x.iproto"])
            .status
            .code(),
        Some(2)
    );
}
