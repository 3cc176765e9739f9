//! `iprotoc fmt` as a user runs it: in place, `--check`, `--diff`, stdin, directories, and bad
//! input (diagnostics with file:line:col, exit 1, nothing written).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const UGLY: &str = "syntax='proto3';\nmessage A{int32 x=1;}\n";
const PRETTY: &str = "syntax = 'proto3';\n\nmessage A {\n  int32 x = 1;\n}\n";

fn iprotoc(dir: &Path, args: &[&str]) -> Output {
    crate::support::cli::run(dir, args)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A tree with a file to format, one already formatted, a non-schema file and a hidden dir.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("p/q")).unwrap();
    std::fs::create_dir_all(dir.path().join(".hidden")).unwrap();
    std::fs::write(dir.path().join("p/a.iproto"), UGLY).unwrap();
    std::fs::write(dir.path().join("p/q/b.proto"), PRETTY).unwrap();
    std::fs::write(dir.path().join("p/notes.txt"), UGLY).unwrap();
    std::fs::write(dir.path().join(".hidden/c.proto"), UGLY).unwrap();
    dir
}

#[test]
fn formats_in_place_only_what_changes() {
    let dir = tree();
    let out = iprotoc(dir.path(), &["fmt", "p", ".hidden/c.proto"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/a.iproto")).unwrap(),
        PRETTY
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/q/b.proto")).unwrap(),
        PRETTY
    );
    // Not a schema: left alone; a file named explicitly is formatted even in a hidden dir.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/notes.txt")).unwrap(),
        UGLY
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".hidden/c.proto")).unwrap(),
        PRETTY
    );
    // Nothing left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path().join("p"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".iprotoc")),
        "{names:?}"
    );
}

#[test]
fn hidden_directories_are_skipped_when_walking() {
    let dir = tree();
    let out = iprotoc(dir.path(), &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "./p/a.iproto\n");
}

#[test]
fn check_lists_what_would_change_and_writes_nothing() {
    let dir = tree();
    let out = iprotoc(dir.path(), &["fmt", "--check", "p"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "p/a.iproto\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/a.iproto")).unwrap(),
        UGLY
    );
    let out = iprotoc(dir.path(), &["fmt", "--check", "p/q"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = tree();
    let out = iprotoc(dir.path(), &["fmt", "--diff", "p/a.iproto"]);
    assert_eq!(out.status.code(), Some(0));
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with("--- p/a.iproto\n+++ p/a.iproto\n@@ -1,2 +1,5 @@\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-message A{int32 x=1;}\n"), "{diff}");
    assert!(diff.contains("\n+  int32 x = 1;\n"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/a.iproto")).unwrap(),
        UGLY
    );
    let out = iprotoc(dir.path(), &["fmt", "--diff", "--check", "p/a.iproto"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), diff);
}

#[test]
fn stdin_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_iprotoc"))
        .current_dir(dir.path())
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(UGLY.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), PRETTY);
}

#[test]
fn bad_input_is_reported_with_its_position_and_nothing_is_written() {
    let dir = tree();
    std::fs::write(
        dir.path().join("p/bad.proto"),
        "syntax = \"proto3\";\nmessage B { int32 = 1; }\n",
    )
    .unwrap();
    let out = iprotoc(dir.path(), &["fmt", "--error-format", "short", "p"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("p/bad.proto:2:19: error[SYNTAX]:"),
        "{stderr}"
    );
    // The good file beside it is not written either: all or nothing.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/a.iproto")).unwrap(),
        UGLY
    );
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn a_file_that_is_not_utf8_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.proto"), b"message A { }\n// \xff\n").unwrap();
    let out = iprotoc(dir.path(), &["fmt", "--error-format", "short", "x.proto"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("x.proto:2:4: error[FMT_NOT_UTF8]"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read(dir.path().join("x.proto")).unwrap(),
        b"message A { }\n// \xff\n"
    );
}

#[test]
fn a_missing_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = iprotoc(dir.path(), &["fmt", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("nope"), "{}", text(&out.stderr));
}

#[cfg(unix)]
#[test]
fn a_symlinked_file_is_formatted_through_the_link() {
    let dir = tree();
    std::os::unix::fs::symlink("p/a.iproto", dir.path().join("link.iproto")).unwrap();
    let out = iprotoc(dir.path(), &["fmt", "link.iproto"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::symlink_metadata(dir.path().join("link.iproto"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/a.iproto")).unwrap(),
        PRETTY
    );
}
