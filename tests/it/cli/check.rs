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
    // The rules, a blank line, the groups' heading and the groups.
    assert_eq!(
        text.lines().count(),
        iprotoc::lint::rules().len() + 2 + iprotoc::lint::groups().len()
    );
    for g in iprotoc::lint::groups() {
        assert!(text
            .lines()
            .any(|l| l.starts_with(g.name) && l.ends_with(g.summary)));
    }

    let o = iprotoc(&["check", "--explain", "SUBCLASS_TAG_UNPINNED"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("\nFix: "), "{}", stdout(&o));
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

/// A schema with an unpinned subclass, a field of a subclass type, a field off buf's naming and
/// an unused import, under `proto/` in a fresh directory.
fn lint_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    cli::write(
        tmp.path(),
        "proto/zoo/v1/zoo.iproto",
        "syntax = \"proto2\";\npackage zoo.v1;\nimport \"google/protobuf/empty.proto\";\n\
         message Animal {}\nmessage Cat : Animal {}\nmessage Owner {\n  optional Cat pet = 1;\n  optional int32 HTTPCode = 2;\n}\n",
    );
    tmp
}

/// The codes of a run's diagnostics with their severity (`short` format), in order.
fn findings(o: &Output) -> Vec<String> {
    stderr(o)
        .lines()
        .filter_map(|l| {
            let (_, rest) = l.split_once(": ")?;
            let (severity, rest) = rest.split_once('[')?;
            let (code, _) = rest.split_once(']')?;
            Some(format!("{severity} {code}"))
        })
        .collect()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--error-format", "short"]);
    cli::run(dir, &all)
}

#[test]
fn allow_warn_deny_apply_left_to_right() {
    let tmp = lint_project();
    let dir = tmp.path();
    let input = ["-I", "proto", "proto/zoo/v1/zoo.iproto"];
    let check = |flags: &[&str]| {
        let mut args = vec!["check"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&input);
        run_in(dir, &args)
    };
    let all = check(&[]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    let codes = findings(&all);
    for want in [
        "warning IMPORT_UNUSED",
        "warning SUBCLASS_TAG_UNPINNED",
        "warning FIELD_OF_SUBCLASS_TYPE",
        "warning FIELD_LOWER_SNAKE_CASE",
    ] {
        assert!(codes.contains(&want.to_string()), "{want} in {codes:?}");
    }

    // A group off, then one of its rules on again; the other order leaves it off.
    let o = check(&["-A", "naming", "-W", "field_lower_snake_case"]);
    assert!(findings(&o).contains(&"warning FIELD_LOWER_SNAKE_CASE".to_string()));
    let o = check(&["-W", "FIELD_LOWER_SNAKE_CASE", "-A", "naming"]);
    assert!(
        !stderr(&o).contains("FIELD_LOWER_SNAKE_CASE"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("SUBCLASS_TAG_UNPINNED"));

    // Deny: the finding is an error and the run fails; the others stay warnings.
    let o = check(&["-D", "FIELD_OF_SUBCLASS_TYPE"]);
    assert_eq!(o.status.code(), Some(1));
    let codes = findings(&o);
    assert!(
        codes.contains(&"error FIELD_OF_SUBCLASS_TYPE".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"warning SUBCLASS_TAG_UNPINNED".to_string()),
        "{codes:?}"
    );
    // ... unless allowed afterwards (the long spellings too).
    let o = check(&["--deny", "inheritance", "--allow", "inheritance"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // `warnings`: deny fails on any warning; allow hides them; warn undoes both.
    assert_eq!(check(&["-D", "warnings"]).status.code(), Some(1));
    let o = check(&["-A", "warnings"]);
    assert_eq!((o.status.code(), stderr(&o)), (Some(0), String::new()));
    assert_eq!(
        check(&["-D", "warnings", "-W", "warnings"]).status.code(),
        Some(0)
    );
    assert_eq!(check(&["-A", "all"]).status.code(), Some(0));
    assert_eq!(
        check(&["-A", "all", "-D", "warnings"]).status.code(),
        Some(0)
    );

    // An unknown rule or group is a usage error with the near names.
    let o = check(&["-D", "FIELD_OF_SUBCLASS"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `FIELD_OF_SUBCLASS_TYPE`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn compile_takes_the_same_levels_and_writes_nothing_when_a_rule_is_denied() {
    let tmp = lint_project();
    let dir = tmp.path();
    let compile = |flags: &[&str]| {
        let mut args = vec!["compile", "--proto_out", "out", "-I", "proto"];
        args.extend_from_slice(flags);
        args.push("proto/zoo/v1/zoo.iproto");
        run_in(dir, &args)
    };
    // compile's defaults: the inheritance rules and protoc's unused import, not style.
    let o = compile(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let codes = findings(&o);
    assert!(
        codes.contains(&"warning IMPORT_UNUSED".to_string()),
        "{codes:?}"
    );
    assert!(!stderr(&o).contains("FIELD_LOWER_SNAKE_CASE"));
    assert!(dir.join("out/zoo/v1/zoo.proto").is_file());
    std::fs::remove_dir_all(dir.join("out")).unwrap();

    let o = compile(&["-W", "style", "-D", "IMPORT_UNUSED"]);
    assert_eq!(o.status.code(), Some(1));
    let codes = findings(&o);
    assert!(
        codes.contains(&"error IMPORT_UNUSED".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"warning FIELD_LOWER_SNAKE_CASE".to_string()),
        "{codes:?}"
    );
    assert!(!dir.join("out").exists(), "nothing is written");

    assert_eq!(compile(&["--fatal_warnings"]).status.code(), Some(1));
    assert_eq!(
        compile(&["-A", "imports", "-A", "inheritance", "--fatal_warnings"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn the_project_file_is_found_beside_the_schemas_and_flags_override_it() {
    let tmp = lint_project();
    let dir = tmp.path();
    cli::write(
        dir,
        "iprotoc.toml",
        "include = [\"proto\"]\n\n[lint]\nallow = [\"naming\"]\ndeny = [\"FIELD_OF_SUBCLASS_TYPE\"]\n",
    );
    // No -I: the file's include directory; its levels.
    let o = run_in(dir, &["check", "proto/zoo/v1/zoo.iproto"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let codes = findings(&o);
    assert!(
        codes.contains(&"error FIELD_OF_SUBCLASS_TYPE".to_string()),
        "{codes:?}"
    );
    assert!(!stderr(&o).contains("FIELD_LOWER_SNAKE_CASE"));
    assert!(
        stderr(&o).contains("zoo/v1/zoo.iproto:"),
        "named from the include: {}",
        stderr(&o)
    );
    // Found from a subdirectory too (walking up from the input's directory).
    let o = run_in(
        &dir.join("proto/zoo"),
        &["check", "v1/zoo.iproto", "-I", ".."],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The command line after the file.
    let o = run_in(
        dir,
        &[
            "check",
            "-W",
            "FIELD_OF_SUBCLASS_TYPE",
            "-W",
            "naming",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("FIELD_LOWER_SNAKE_CASE"));
    // --no-config, --config FILE.
    let o = run_in(
        dir,
        &[
            "check",
            "--no-config",
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    cli::write(dir, "strict.toml", "[lint]\ndeny = [\"warnings\"]\n");
    let o = run_in(
        dir,
        &[
            "check",
            "--config",
            "strict.toml",
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // compile reads it too.
    let o = run_in(dir, &["compile", "-o", "set.pb", "proto/zoo/v1/zoo.iproto"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(findings(&o).contains(&"error FIELD_OF_SUBCLASS_TYPE".to_string()));
    assert!(!dir.join("set.pb").exists());
}

#[test]
fn errors_in_the_project_file_point_into_it() {
    let tmp = lint_project();
    let dir = tmp.path();
    let input = ["check", "-I", "proto", "proto/zoo/v1/zoo.iproto"];
    for (text, want) in [
        (
            "include = [\"proto\"]\nstyel = \"oneof\"\n",
            "iprotoc.toml:2:1: error[CONFIG_INVALID]",
        ),
        (
            "[lint]\nwarn = [\"style\",\n  \"FIELD_LOWER_SNAKE\"]\n",
            "iprotoc.toml:3:3: error[CONFIG_UNKNOWN_LINT]",
        ),
        (
            "style = \"flat\"\n",
            "iprotoc.toml:1:9: error[CONFIG_INVALID]",
        ),
        ("[lint\n", "iprotoc.toml:1:"),
    ] {
        cli::write(dir, "iprotoc.toml", text);
        let o = run_in(dir, &input);
        assert_eq!(o.status.code(), Some(1), "{text}: {}", stderr(&o));
        assert!(stderr(&o).starts_with(want), "{text}: {}", stderr(&o));
    }
    cli::write(
        dir,
        "iprotoc.toml",
        "[lint]\nwarn = [\"FIELD_LOWER_SNAKE\"]\n",
    );
    assert!(stderr(&run_in(dir, &input)).contains("did you mean `FIELD_LOWER_SNAKE_CASE`?"));
}

#[test]
fn explain_knows_every_kind_of_code_as_plain_text() {
    for (code, kind) in [
        ("UNKNOWN_BASE", "error"),
        ("syntax", "error"),
        ("FIELD_REMOVED", "error"),
        ("CONFIG_UNKNOWN_LINT", "error"),
        ("IMPORT_UNUSED", "protoc"),
        ("LINT_IGNORE_UNUSED", "iproto"),
    ] {
        let o = iprotoc(&["check", "--explain", code]);
        assert_eq!(o.status.code(), Some(0), "{code}");
        let text = stdout(&o);
        assert!(
            text.starts_with(&format!("{} ({kind})\n\n", code.to_ascii_uppercase())),
            "{text}"
        );
        assert!(!text.contains("**") && !text.contains("```"), "{text}");
        assert!(text.contains("What:") && text.contains("Fix:"), "{text}");
    }
    let o = iprotoc(&["check", "--explain", "NO_SUCH_CODE"]);
    assert_eq!(o.status.code(), Some(2));
}
