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
    assert_eq!(stderr(&o), "");
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
