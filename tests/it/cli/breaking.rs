//! `iprotoc breaking` through the real binary: reading OLD (a descriptor set or a directory),
//! usage and input errors, and exit codes. The comparison itself is tested exactly in
//! `tests/it/breaking.rs`; here the NEW side comes from iprotoc's own descriptor builder.

use std::path::Path;

use crate::support::cli::{run as iprotoc, stderr};

const V1: &str = "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal { optional float weight = 1; }\nmessage Cat : Animal { }\nmessage Kitten : Cat { }\n";
const V2: &str = "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal { optional float weight = 1; }\nmessage Bird : Animal { }\nmessage Cat : Animal { }\nmessage Kitten : Cat { }\n";

/// `root/proto/zoo/v1/zoo.iproto` with `text`.
fn tree(root: &Path, text: &str) {
    let dir = root.join("proto/zoo/v1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("zoo.iproto"), text).unwrap();
}

#[test]
fn unchanged_sources_pass() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tree(old.path(), V1);
    tree(new.path(), V1);
    let o = iprotoc(
        new.path(),
        &[
            "breaking",
            "--against",
            old.path().to_str().unwrap(),
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Success says what was compared: Animal, Cat, Kitten and Animal.Type.
    assert_eq!(
        stderr(&o),
        "compared 1 file, 1 hierarchy, 3 messages, 1 enum\n"
    );
    // Against a descriptor set iprotoc wrote for the same sources.
    let c = iprotoc(
        new.path(),
        &[
            "compile",
            "-I",
            "proto",
            "-o",
            "old.pb",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert!(c.status.success());
    let o = iprotoc(
        new.path(),
        &[
            "breaking",
            "--against",
            "old.pb",
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn bad_against_and_bad_input() {
    let new = tempfile::tempdir().unwrap();
    tree(new.path(), V1);
    let args = |against: &str| -> Vec<String> {
        [
            "breaking",
            "--against",
            against,
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run = |a: Vec<String>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        iprotoc(new.path(), &refs)
    };
    let o = run(args("missing.pb"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error[AGAINST_UNREADABLE]"),
        "{}",
        stderr(&o)
    );
    std::fs::write(new.path().join("garbage.pb"), b"\xff\xff\xff not protobuf").unwrap();
    let o = run(args("garbage.pb"));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not a FileDescriptorSet"),
        "{}",
        stderr(&o)
    );
    // An old directory that does not compile.
    let old = tempfile::tempdir().unwrap();
    tree(old.path(), "syntax = \"proto2\";\nmessage Cat : Nope { }\n");
    let o = run(args(old.path().to_str().unwrap()));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("UNKNOWN_BASE") && stderr(&o).contains("does not compile"));
    // New sources with errors.
    tree(new.path(), "syntax = \"proto2\";\nmessage Cat : Nope { }\n");
    let o = run(args("garbage.pb"));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[UNKNOWN_BASE]"));
    // Usage: --against is required.
    let o = iprotoc(new.path(), &["breaking", "proto/zoo/v1/zoo.iproto"]);
    assert_eq!(o.status.code(), Some(2));
}

/// End to end through the CLI: a renumbered subclass between two versions fails the build, with
/// the finding on the new source line and the old value in the message.
#[test]
fn renumbered_subclass_fails_the_build() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tree(old.path(), V1);
    tree(new.path(), V2);
    let o = iprotoc(
        new.path(),
        &[
            "breaking",
            "--error-format",
            "short",
            "--against",
            old.path().to_str().unwrap(),
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stderr(&o);
    assert!(
        text.contains("proto/zoo/v1/zoo.iproto:5:13: error[SUBCLASS_TAG_CHANGED]: the tag of `Cat` changed from 100 to 101"),
        "{text}"
    );
}

/// `breaking --against AGAINST EXTRA…` run in `dir`, with `-I proto` and
/// `proto/zoo/v1/zoo.iproto` unless EXTRA has its own `-I` or file.
fn breaking(dir: &Path, against: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["breaking", "--error-format", "short", "--against", against];
    args.extend_from_slice(extra);
    if !extra.contains(&"-I") {
        args.extend_from_slice(&["-I", "proto"]);
    }
    if !extra.iter().any(|a| a.ends_with(".iproto")) {
        args.push("proto/zoo/v1/zoo.iproto");
    }
    iprotoc(dir, &args)
}

/// An absolute `-I` with a directory OLD used to read the new sources as OLD (`OLD.join("/abs")`
/// is `/abs`), so a renumbered subclass passed. Under the current directory it is now taken
/// relative to it; outside it, refused; an OLD that is the new tree itself is refused.
#[test]
fn absolute_include_never_compares_new_with_itself() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tree(old.path(), V1);
    tree(new.path(), V2);
    let abs = new.path().join("proto");
    let o = breaking(
        new.path(),
        old.path().to_str().unwrap(),
        &["-I", abs.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("error[SUBCLASS_TAG_CHANGED]: the tag of `Cat` changed from 100 to 101"),
        "{}",
        stderr(&o)
    );
    // An absolute -I outside the current directory cannot be found inside OLD.
    let elsewhere = tempfile::tempdir().unwrap();
    tree(elsewhere.path(), V2);
    let abs = elsewhere.path().join("proto");
    let file = abs.join("zoo/v1/zoo.iproto");
    let o = breaking(
        new.path(),
        old.path().to_str().unwrap(),
        &["-I", abs.to_str().unwrap(), file.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error[AGAINST_UNREADABLE]") && stderr(&o).contains("is absolute"),
        "{}",
        stderr(&o)
    );
    // OLD naming the new tree itself.
    let o = breaking(new.path(), ".", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would read the new sources themselves"),
        "{}",
        stderr(&o)
    );
}

/// A file that is not in OLD used to pass with nothing compared.
#[test]
fn file_not_in_old_is_an_error() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tree(new.path(), V2);
    // A directory OLD without any schema.
    let other = old.path().join("proto/zoo/v1");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("README.md"), "no schemas here").unwrap();
    let o = breaking(new.path(), old.path().to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("none of the new files is in OLD"),
        "{}",
        stderr(&o)
    );
    // A directory OLD whose schemas share nothing with the new file.
    std::fs::write(
        other.join("other.iproto"),
        "syntax = \"proto2\";\npackage farm.v1;\nmessage Cow { optional int32 id = 1; }\n",
    )
    .unwrap();
    let o = breaking(new.path(), old.path().to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("matches the new files (zoo/v1/zoo.proto)"),
        "{}",
        stderr(&o)
    );
    // A descriptor set of those types only.
    let c = iprotoc(
        old.path(),
        &[
            "compile",
            "-I",
            "proto",
            "-o",
            "old.pb",
            "proto/zoo/v1/other.iproto",
        ],
    );
    assert!(c.status.success(), "{}", stderr(&c));
    let pb = old.path().join("old.pb");
    let o = breaking(new.path(), pb.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stderr(&o);
    assert!(
        text.contains("nothing in") && text.contains("matches the new files (zoo/v1/zoo.proto)"),
        "{text}"
    );
    assert!(text.contains("zoo/v1/other.proto"), "{text}");
}

/// OLD is matched by full name, never by file path: a descriptor set built with another `-I`
/// (so other file names), or with the file renamed, is compared all the same, and a real break
/// is still caught.
#[test]
fn old_built_with_another_include_or_file_name_is_compared() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tree(old.path(), V1);
    tree(new.path(), V2);
    // `-I .`: the file is `proto/zoo/v1/zoo.proto` in the set.
    let c = iprotoc(
        old.path(),
        &[
            "compile",
            "-I",
            ".",
            "-o",
            "wide.pb",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert!(c.status.success(), "{}", stderr(&c));
    // Renamed: `zoo/v1/animals.proto`.
    std::fs::rename(
        old.path().join("proto/zoo/v1/zoo.iproto"),
        old.path().join("proto/zoo/v1/animals.iproto"),
    )
    .unwrap();
    let c = iprotoc(
        old.path(),
        &[
            "compile",
            "-I",
            "proto",
            "-o",
            "renamed.pb",
            "proto/zoo/v1/animals.iproto",
        ],
    );
    assert!(c.status.success(), "{}", stderr(&c));
    // A directory OLD with the file renamed: OLD's other files are compiled and matched by name.
    let o = breaking(new.path(), old.path().to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("error[SUBCLASS_TAG_CHANGED]: the tag of `Cat` changed from 100 to 101"),
        "{}",
        stderr(&o)
    );
    for pb in ["wide.pb", "renamed.pb"] {
        let pb = old.path().join(pb);
        let o = breaking(new.path(), pb.to_str().unwrap(), &[]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o)
                .contains("error[SUBCLASS_TAG_CHANGED]: the tag of `Cat` changed from 100 to 101"),
            "{}: {}",
            pb.display(),
            stderr(&o)
        );
        // The same version against it: no change, and the summary says it was compared.
        let same = tempfile::tempdir().unwrap();
        tree(same.path(), V1);
        let o = breaking(same.path(), pb.to_str().unwrap(), &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            stderr(&o),
            "compared 1 file, 1 hierarchy, 3 messages, 1 enum\n"
        );
    }
}

/// An empty OLD, or any truncation of a real one, is an error, never a pass.
#[test]
fn empty_or_truncated_old_is_an_error() {
    let new = tempfile::tempdir().unwrap();
    tree(new.path(), V1);
    let c = iprotoc(
        new.path(),
        &[
            "compile",
            "-I",
            "proto",
            "-o",
            "full.pb",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert!(c.status.success(), "{}", stderr(&c));
    let full = std::fs::read(new.path().join("full.pb")).unwrap();
    assert!(full.len() > 20);
    let step = full.len() / 7;
    let mut cuts: Vec<usize> = (0..full.len()).step_by(step).collect();
    cuts.extend([1, 2, full.len() - 1]);
    for cut in cuts {
        std::fs::write(new.path().join("cut.pb"), &full[..cut]).unwrap();
        let o = breaking(new.path(), "cut.pb", &[]);
        assert_eq!(o.status.code(), Some(1), "cut at {cut}: {}", stderr(&o));
        let text = stderr(&o);
        assert!(
            text.contains("error[AGAINST_UNREADABLE]"),
            "cut at {cut}: {text}"
        );
        assert!(!text.contains("compared "), "cut at {cut}: {text}");
    }
    std::fs::write(new.path().join("cut.pb"), b"").unwrap();
    let o = breaking(new.path(), "cut.pb", &[]);
    assert!(
        stderr(&o).contains("holds no files (empty or truncated?)"),
        "{}",
        stderr(&o)
    );
    // The whole file passes.
    let o = breaking(new.path(), "full.pb", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------------
// `--against-git REV`: OLD is the same files at a git revision, read without a checkout. Each
// test makes its own repository in a temporary directory (git is installed wherever the tests
// run; nothing is skipped).

/// Runs `git ARGS` in `dir` with a fixed identity and no user or system configuration.
fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "-c",
            "user.name=iprotoc tests",
            "-c",
            "user.email=tests@iprotoc.invalid",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A repository whose history is one commit per text (`proto/zoo/v1/zoo.iproto`), `main` at the
/// last one.
fn repo(history: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    for (i, text) in history.iter().enumerate() {
        tree(dir.path(), text);
        git(dir.path(), &["add", "-A"]);
        git(
            dir.path(),
            &["commit", "-q", "-m", &format!("version {}", i + 1)],
        );
    }
    dir
}

/// `breaking --error-format short --against-git REV ARGS…` run in `dir`.
fn against_git(dir: &Path, rev: &str, args: &[&str]) -> std::process::Output {
    let mut all = vec!["breaking", "--error-format", "short", "--against-git", rev];
    all.extend_from_slice(args);
    iprotoc(dir, &all)
}

const CAT_RENUMBERED: &str =
    "error[SUBCLASS_TAG_CHANGED]: the tag of `Cat` changed from 100 to 101";

/// A committed break is caught against the commit before it; the working tree is compared
/// against a revision (uncommitted edits included); an unchanged tree passes with a summary.
#[test]
fn against_git_compares_the_working_tree_with_a_revision() {
    let r = repo(&[V1, V2]);
    let args = ["-I", "proto", "proto/zoo/v1/zoo.iproto"];
    let o = against_git(r.path(), "HEAD~1", &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("proto/zoo/v1/zoo.iproto:5:13: {CAT_RENUMBERED}")),
        "{}",
        stderr(&o)
    );
    // Against the last commit: nothing changed, and the summary says what was compared.
    let o = against_git(r.path(), "main", &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("compared 1 file, 1 hierarchy, 4 messages"),
        "{}",
        stderr(&o)
    );
    // An uncommitted edit of the working tree is what is compared (V1 again: Cat back to 100,
    // Bird gone, against V2).
    tree(r.path(), V1);
    let o = against_git(r.path(), "HEAD", &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("error[SUBCLASS_TAG_CHANGED]: the tag of `Cat` changed from 101 to 100"),
        "{}",
        stderr(&o)
    );
    // A commit hash and a tag name work as revisions.
    git(r.path(), &["tag", "v1", "HEAD~1"]);
    let o = against_git(r.path(), "v1", &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Run from a subdirectory of the repository, `-I` is taken from there (`git rev-parse
/// --show-prefix`); an absolute `-I` inside the repository works too.
#[test]
fn against_git_from_a_subdirectory_and_with_an_absolute_include() {
    let r = repo(&[V1, V2]);
    let proto = r.path().join("proto");
    let o = against_git(&proto, "HEAD~1", &["zoo/v1/zoo.iproto"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(CAT_RENUMBERED), "{}", stderr(&o));
    let sub = r.path().join("tools");
    std::fs::create_dir_all(&sub).unwrap();
    let o = against_git(
        &sub,
        "HEAD~1",
        &["-I", "../proto", "../proto/zoo/v1/zoo.iproto"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(CAT_RENUMBERED), "{}", stderr(&o));
    let abs = proto.to_str().unwrap();
    let file = proto.join("zoo/v1/zoo.iproto");
    let o = against_git(&sub, "HEAD~1", &["-I", abs, file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(CAT_RENUMBERED), "{}", stderr(&o));
    // The same, against the last commit: nothing to report.
    let o = against_git(&sub, "HEAD", &["-I", abs, file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A file renamed since the revision is found by its elements' names, and a new file beside an
/// old one is reported as new in the summary.
#[test]
fn against_git_finds_a_renamed_file_and_names_new_ones() {
    let r = repo(&[V1]);
    std::fs::remove_file(r.path().join("proto/zoo/v1/zoo.iproto")).unwrap();
    std::fs::write(r.path().join("proto/zoo/v1/animals.iproto"), V2).unwrap();
    let o = against_git(
        r.path(),
        "HEAD",
        &["-I", "proto", "proto/zoo/v1/animals.iproto"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(CAT_RENUMBERED), "{}", stderr(&o));
    // Back to the old name, plus a file that did not exist at HEAD.
    std::fs::remove_file(r.path().join("proto/zoo/v1/animals.iproto")).unwrap();
    tree(r.path(), V1);
    std::fs::write(
        r.path().join("proto/zoo/v1/farm.iproto"),
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage Cow { optional int32 id = 1; }\n",
    )
    .unwrap();
    let o = against_git(
        r.path(),
        "HEAD",
        &[
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
            "proto/zoo/v1/farm.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("compared 1 file, 1 hierarchy, 3 messages")
            && stderr(&o).contains("zoo/v1/farm.proto"),
        "{}",
        stderr(&o)
    );
}

/// OLD's other files are compiled in one batch when a new file is not at the revision; when the
/// batch fails (here: a file that does not compile on its own), one by one, so the renamed file
/// is still found and its break caught.
#[test]
fn against_git_skips_old_files_that_do_not_compile_on_their_own() {
    let r = tempfile::tempdir().unwrap();
    git(r.path(), &["init", "-q"]);
    tree(r.path(), V1);
    std::fs::write(
        r.path().join("proto/zoo/v1/broken.iproto"),
        "syntax = \"proto2\";\npackage zoo.v1;\nimport \"zoo/v1/gone.iproto\";\n",
    )
    .unwrap();
    git(r.path(), &["add", "-A"]);
    git(r.path(), &["commit", "-q", "-m", "v1"]);
    std::fs::remove_file(r.path().join("proto/zoo/v1/zoo.iproto")).unwrap();
    std::fs::write(r.path().join("proto/zoo/v1/animals.iproto"), V2).unwrap();
    let o = against_git(
        r.path(),
        "HEAD",
        &["-I", "proto", "proto/zoo/v1/animals.iproto"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(CAT_RENUMBERED), "{}", stderr(&o));
    assert!(!stderr(&o).contains("gone.iproto"), "{}", stderr(&o));
}

/// Every way of reading nothing is an error with exit code 1 (2 for usage), never a pass.
#[test]
fn against_git_errors_are_clear() {
    let args = ["-I", "proto", "proto/zoo/v1/zoo.iproto"];
    let unreadable = |o: &std::process::Output, needle: &str| {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
        let text = stderr(o);
        assert!(
            text.contains("error[AGAINST_UNREADABLE]") && text.contains(needle),
            "expected `{needle}`: {text}"
        );
        assert!(!text.contains("compared "), "{text}");
    };
    // Not a repository.
    let plain = tempfile::tempdir().unwrap();
    tree(plain.path(), V1);
    unreadable(
        &against_git(plain.path(), "HEAD", &args),
        "needs a git repository",
    );
    // An unknown revision, and one that looks like an option.
    let r = repo(&[V1]);
    unreadable(
        &against_git(r.path(), "nope", &args),
        "`nope` names no commit",
    );
    unreadable(&against_git(r.path(), "HEAD~5", &args), "names no commit");
    let o = iprotoc(
        r.path(),
        &[
            "breaking",
            "--against-git=--all",
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    unreadable(&o, "is not a revision");
    // The file is not at the revision, and nothing else is there either.
    let r2 = repo(&[V1]);
    std::fs::rename(r2.path().join("proto"), r2.path().join("schemas")).unwrap();
    git(r2.path(), &["add", "-A"]);
    git(r2.path(), &["commit", "-q", "-m", "move"]);
    unreadable(
        &against_git(
            r2.path(),
            "HEAD~1",
            &["-I", "schemas", "schemas/zoo/v1/zoo.iproto"],
        ),
        "none of the new files is in `HEAD~1`",
    );
    // An include directory outside the repository.
    let outside = tempfile::tempdir().unwrap();
    tree(outside.path(), V1);
    let abs = outside.path().join("proto");
    let file = abs.join("zoo/v1/zoo.iproto");
    unreadable(
        &against_git(
            r.path(),
            "HEAD",
            &["-I", abs.to_str().unwrap(), file.to_str().unwrap()],
        ),
        "is outside the git repository",
    );
    // The old version does not compile: its errors name the revision and path.
    let r3 = repo(&["syntax = \"proto2\";\nmessage Cat : Nope { }\n", V1]);
    let o = against_git(r3.path(), "HEAD~1", &args);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("HEAD~1:proto/zoo/v1/zoo.iproto:2:15: error[UNKNOWN_BASE]")
            && stderr(&o).contains("does not compile"),
        "{}",
        stderr(&o)
    );
    // No git on PATH.
    let empty = tempfile::tempdir().unwrap();
    let o = crate::support::cli::command(r.path())
        .env("PATH", empty.path())
        .args(["breaking", "--against-git", "HEAD"])
        .args(args)
        .output()
        .unwrap();
    unreadable(&o, "git is not installed");
    // Usage: both OLDs, or neither.
    let o = iprotoc(
        r.path(),
        &[
            "breaking",
            "--against",
            "old.pb",
            "--against-git",
            "HEAD",
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    let o = iprotoc(
        r.path(),
        &["breaking", "-I", "proto", "proto/zoo/v1/zoo.iproto"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Renames are wire-safe: a class renamed with its tag kept (and its subclass moved along)
/// passes. A class that takes a removed class's tag and reads its data differently fails, and
/// the help never says to give the new class the old tag.
#[test]
fn renamed_class_passes_and_a_reused_tag_fails() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal { }\nmessage Cat : Animal = 100 { optional bool declawed = 1; }\nmessage Kitten : Cat = 101 { }\n",
    );
    tree(
        new.path(),
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal { }\nmessage Feline : Animal = 100 { optional bool declawed = 1; }\nmessage Kitten : Feline = 101 { }\n",
    );
    let o = breaking(new.path(), old.path().to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    tree(
        new.path(),
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal { }\nmessage Bird : Animal = 100 { optional float wingspan = 1; }\nmessage Kitten : Bird = 101 { }\n",
    );
    let o = breaking(new.path(), old.path().to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let text = stderr(&o);
    assert!(
        text.contains("proto/zoo/v1/zoo.iproto:4:25: error[SUBCLASS_TAG_REUSED]: `Bird` takes the tag 100 of the removed `Cat`"),
        "{text}"
    );
    assert!(!text.contains("pin the old tag"), "{text}");
}

/// A deletion is reported on the enclosing declaration of the new source, and names where OLD
/// had the element: its file and line when OLD carries source info.
#[test]
fn a_deletion_names_where_old_had_it() {
    let old = tempfile::tempdir().unwrap();
    tree(
        old.path(),
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal {\n  optional float weight = 1;\n  optional int32 tail = 2;\n}\n",
    );
    let c = iprotoc(
        old.path(),
        &[
            "compile",
            "-I",
            "proto",
            "--include_source_info",
            "-o",
            "old.pb",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert!(c.status.success(), "{}", stderr(&c));
    tree(
        old.path(),
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal {\n  optional float weight = 1;\n}\n",
    );
    let o = iprotoc(
        old.path(),
        &[
            "breaking",
            "--against",
            "old.pb",
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stderr(&o);
    assert!(
        text.contains("error[FIELD_REMOVED]: field `tail` = 2 of `Animal` was removed")
            && text.contains("┌─ proto/zoo/v1/zoo.iproto:3:9"),
        "{text}"
    );
    let at = text
        .split("OLD had it at ")
        .nth(1)
        .and_then(|t| t.split(';').next())
        .unwrap_or_else(|| panic!("{text}"));
    let (file, line) = at.rsplit_once(':').unwrap_or_else(|| panic!("{text}"));
    assert_eq!(file, "zoo/v1/zoo.proto");
    assert!(line.parse::<u32>().is_ok(), "{text}");
}

/// Editions features reach the comparison through every kind of OLD: a descriptor set (its
/// bytes are read, prost-types would drop `features`) and a directory of sources. A proto2
/// `required` field moved to edition 2023 keeps `LEGACY_REQUIRED` (no change) or loses it (a
/// break); a `DELIMITED` message field is a wire-type change.
#[test]
fn editions_features_are_compared_for_every_old() {
    const OLD: &str = "syntax = \"proto2\";\npackage zoo.v1;\nmessage Toy { optional int32 size = 1; }\nmessage Animal {\n  required int32 legs = 1;\n  optional Toy toy = 2;\n}\n";
    const SAME: &str = "edition = \"2023\";\npackage zoo.v1;\nmessage Toy { int32 size = 1; }\nmessage Animal {\n  int32 legs = 1 [features.field_presence = LEGACY_REQUIRED];\n  Toy toy = 2;\n}\n";
    const BROKEN: &str = "edition = \"2023\";\npackage zoo.v1;\nmessage Toy { int32 size = 1; }\nmessage Animal {\n  int32 legs = 1;\n  Toy toy = 2 [features.message_encoding = DELIMITED];\n}\n";
    for (old_text, new_text) in [(OLD, SAME), (SAME, OLD), (OLD, BROKEN), (SAME, BROKEN)] {
        let old = tempfile::tempdir().unwrap();
        let new = tempfile::tempdir().unwrap();
        tree(old.path(), old_text);
        tree(new.path(), new_text);
        let c = iprotoc(
            old.path(),
            &[
                "compile",
                "-I",
                "proto",
                "-o",
                "old.pb",
                "proto/zoo/v1/zoo.iproto",
            ],
        );
        assert!(c.status.success(), "{}", stderr(&c));
        for against in [old.path().to_path_buf(), old.path().join("old.pb")] {
            let o = iprotoc(
                new.path(),
                &[
                    "breaking",
                    "--error-format",
                    "short",
                    "--against",
                    against.to_str().unwrap(),
                    "-I",
                    "proto",
                    "proto/zoo/v1/zoo.iproto",
                ],
            );
            let err = stderr(&o);
            if new_text == BROKEN {
                assert_eq!(o.status.code(), Some(1), "{err}");
                assert!(
                    err.contains("error[FIELD_REQUIRED_CHANGED]: field `legs` = 1"),
                    "{err}"
                );
                assert!(err.contains("error[FIELD_TYPE_CHANGED]: field `toy` = 2 of `Animal` changed its message encoding from LENGTH_PREFIXED to DELIMITED"), "{err}");
                assert_eq!(err.matches("error[").count(), 2, "{err}");
            } else {
                assert_eq!(o.status.code(), Some(0), "{against:?}: {err}");
            }
        }
    }
}

/// `--json` adds the JSON rules; without it a rename passes.
#[test]
fn json_names_are_opt_in() {
    let old = tempfile::tempdir().unwrap();
    let new = tempfile::tempdir().unwrap();
    tree(old.path(), V1);
    tree(
        new.path(),
        &V1.replace("weight", "mass").replace("Kitten", "Kitty"),
    );
    let run = |json: bool| {
        let mut args = vec![
            "breaking",
            "--error-format",
            "short",
            "--against",
            old.path().to_str().unwrap(),
            "-I",
            "proto",
            "proto/zoo/v1/zoo.iproto",
        ];
        if json {
            args.insert(1, "--json");
        }
        iprotoc(new.path(), &args)
    };
    let o = run(false);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(true);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[FIELD_JSON_NAME_CHANGED]: field `mass` = 1 of `Animal` changed its JSON name from `weight` to `mass`"), "{err}");
    assert!(err.contains("error[SUBCLASS_JSON_NAME_CHANGED]: the JSON of `Kitty` (was `Kitten`) changed: its key `[zoo.v1.Kitten.cat]` is now `[zoo.v1.Kitty.cat]`, its `type` value `TYPE_KITTEN` is now `TYPE_KITTY`"), "{err}");
    assert_eq!(err.matches("error[").count(), 2, "{err}");
}
