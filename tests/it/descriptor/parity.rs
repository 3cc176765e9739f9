//! Differential tests of the descriptor builder against protoc.
//!
//! - `fixtures_match_protoc`: every `tests/fixtures/descriptor/*.proto` is compiled by the
//!   vendored protoc (`-o`, and again with `--include_imports`) and by iprotoc; the bytes must be
//!   identical. Adding a case means adding a file.
//!
//! The same comparison over the real-world corpus is `tests/corpus/descriptor.rs`.

use crate::support;

use std::path::{Path, PathBuf};

use iprotoc::descriptor::decode_set;
use support::direct::{compile, first_difference, protoc, wkt};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/descriptor")
}

#[test]
fn fixtures_match_protoc() {
    let dir = fixtures_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".proto"))
        .collect();
    names.sort();
    let roots = vec![dir.clone(), wkt()];
    let mut failures = Vec::new();
    for name in &names {
        for (flags, all) in [(&[][..], false), (&["--include_imports"][..], true)] {
            let expected = protoc(&roots, name, flags);
            let ours = match compile(&roots, name, false) {
                Ok((built, n)) => {
                    if all {
                        built.descriptor_set(0..n)
                    } else {
                        built.descriptor_set([n - 1])
                    }
                }
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    break;
                }
            };
            if ours != expected {
                let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
                std::fs::write(out.with_extension("ours.pb"), &ours).unwrap();
                std::fs::write(out.with_extension("protoc.pb"), &expected).unwrap();
                failures.push(format!(
                    "{name} {flags:?}: {}",
                    first_difference(&ours, &expected)
                ));
            }
        }
    }
    assert!(names.len() >= 5, "fixtures missing in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// How close `source_code_info` is to protoc's, per fixture (informational until it matches).
#[test]
fn source_info_report() {
    let dir = fixtures_dir();
    let roots = vec![dir.clone(), wkt()];
    for name in ["proto3.proto", "basic.proto"] {
        let expected = protoc(&roots, name, &["--include_source_info"]);
        let (built, n) = compile(&roots, name, true).unwrap();
        let ours = decode_set(&built.descriptor_set([n - 1])).unwrap();
        let theirs = decode_set(&expected).unwrap();
        let a = ours.file[0]
            .source_code_info
            .clone()
            .unwrap_or_default()
            .location;
        let b = theirs.file[0]
            .source_code_info
            .clone()
            .unwrap_or_default()
            .location;
        let key = |l: &prost_types::source_code_info::Location| (l.path.clone(), l.span.clone());
        let theirs_keys: std::collections::HashSet<_> = b.iter().map(key).collect();
        let same = a.iter().filter(|l| theirs_keys.contains(&key(l))).count();
        let in_order = a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| key(x) == key(y));
        if std::env::var("SHOW_LOCATIONS").is_ok() {
            let ours_keys: std::collections::HashSet<_> = a.iter().map(key).collect();
            for l in &b {
                if !ours_keys.contains(&key(l)) {
                    eprintln!("  missing {:?} {:?}", l.path, l.span);
                }
            }
            for l in &a {
                if !theirs_keys.contains(&key(l)) {
                    eprintln!("  extra   {:?} {:?}", l.path, l.span);
                }
            }
        }
        eprintln!(
            "{name}: {} of protoc's {} locations reproduced (path+span), {} extra, same order: {in_order}",
            same,
            b.len(),
            a.len() - same
        );
    }
}

/// The embedded copy of protoc's `descriptor.proto` (the options schema) is what the vendored
/// protoc writes for it, and its hand-kept list of source-retention fields is complete.
#[test]
fn embedded_descriptor_proto_is_current() {
    let roots = vec![wkt()];
    let expected = protoc(&roots, "google/protobuf/descriptor.proto", &[]);
    let embedded = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/descriptor/descriptor_proto.pb"),
    )
    .unwrap();
    assert_eq!(
        embedded, expected,
        "regenerate descriptor_proto.pb with protoc -o"
    );
    let text = std::fs::read_to_string(wkt().join("google/protobuf/descriptor.proto")).unwrap();
    let declared = text.matches("retention = RETENTION_SOURCE").count();
    assert_eq!(
        declared,
        iprotoc::descriptor::pool::DESCRIPTOR_PROTO_SOURCE_RETENTION.len()
    );
}
