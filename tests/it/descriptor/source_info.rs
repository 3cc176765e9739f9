//! `--include_source_info` against protoc.
//!
//! - `fixtures_source_info`: every `tests/fixtures/descriptor/*.proto` and
//!   `tests/fixtures/source_info/*.proto` is compiled with `--include_source_info` by the vendored
//!   protoc and by iprotoc; each file's bytes must be identical.
//!
//! The same comparison over the real-world corpus is `tests/corpus/source_info.rs`.

use crate::support;

use std::path::{Path, PathBuf};

use support::source_info::{
    compare, iprotoc_with_source_info, print, protoc_with_source_info, show, source_info, split_set,
};

/// Prints both compilers' locations for one file, side by side
/// (`SOURCE_INFO_FILE=path/to/x.proto SOURCE_INFO_ROOTS=dir:dir cargo test --test source_info dump -- --nocapture`).
#[test]
fn dump_locations() {
    let (Ok(name), Ok(roots)) = (
        std::env::var("SOURCE_INFO_FILE"),
        std::env::var("SOURCE_INFO_ROOTS"),
    ) else {
        return;
    };
    let roots: Vec<PathBuf> = roots
        .split(':')
        .map(PathBuf::from)
        .chain([support::protoc_include()])
        .collect();
    let names = [name];
    let ours = iprotoc_with_source_info(&roots, &names).unwrap();
    let theirs = protoc_with_source_info(&roots, &names).unwrap();
    let (_, a) = source_info(&split_set(&ours)[0]);
    let (_, b) = source_info(&split_set(&theirs)[0]);
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (show(a.get(i)), show(b.get(i)));
        let mark = if x == y { " " } else { "*" };
        eprintln!("{mark} {i:4} ours   {x}\n         protoc {y}");
    }
}

/// Every `tests/fixtures/descriptor/*.proto` and `tests/fixtures/source_info/*.proto` (small files
/// exercising what the corpus rarely has: groups in oneofs and extends, options in brackets with
/// comments, tabs, `- 1` ranges, repeated and source-retention custom options, edition 2024
/// `export`/`local`/`import option`, an empty file) is byte-identical to protoc's.
#[test]
fn fixtures_source_info() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut batches = Vec::new();
    for dir in ["descriptor", "source_info"] {
        let dir = base.join(dir);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".proto"))
            .collect();
        names.sort();
        // One file per run: fixtures may define the same names.
        for n in names {
            batches.push((vec![dir.clone(), support::protoc_include()], vec![n]));
        }
    }
    let report = compare(&batches, |n| n.to_string());
    print(&report, "fixtures");
    assert!(report.total >= 9, "fixtures missing");
    assert_eq!(report.matching, report.total, "fixtures differ from protoc");
}
