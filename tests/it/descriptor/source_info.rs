//! `--include_source_info` against protoc.
//!
//! - `fixtures_source_info`: every `tests/fixtures/descriptor/*.proto` and
//!   `tests/fixtures/source_info/*.proto` is compiled with `--include_source_info` by the vendored
//!   protoc and by iprotoc; each file's bytes must be identical (where they are not, both
//!   compilers' locations are printed side by side).
//!
//! The same comparison over the real-world corpus is `tests/corpus/source_info.rs`.

use std::path::{Path, PathBuf};

use crate::support;
use crate::support::cli::names_in;
use crate::support::source_info::{
    compare, iprotoc_with_source_info, print, protoc_with_source_info, show, source_info, split_set,
};

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
        // One file per run: fixtures may define the same names.
        for n in names_in(&dir, "proto") {
            batches.push((vec![dir.clone(), support::protoc::include()], vec![n]));
        }
    }
    let report = compare(&batches, |n| n.to_string());
    print(&report, "fixtures");
    assert!(report.total >= 9, "fixtures missing");
    if report.matching != report.total {
        // Both compilers' locations side by side, for each file that differs.
        for (roots, names) in &batches {
            dump_locations(roots, &names[0]);
        }
    }
    assert_eq!(report.matching, report.total, "fixtures differ from protoc");
}

/// Prints both compilers' locations for `name`, side by side, the differing ones marked, if they
/// differ.
fn dump_locations(roots: &[PathBuf], name: &str) {
    let names = [name.to_string()];
    let (Ok(ours), Ok(theirs)) = (
        iprotoc_with_source_info(roots, &names),
        protoc_with_source_info(roots, &names),
    ) else {
        return;
    };
    let (_, a) = source_info(&split_set(&ours)[0]);
    let (_, b) = source_info(&split_set(&theirs)[0]);
    if a == b {
        return;
    }
    eprintln!("{name}:");
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (show(a.get(i)), show(b.get(i)));
        let mark = if x == y { " " } else { "*" };
        eprintln!("{mark} {i:4} ours   {x}\n         protoc {y}");
    }
}
