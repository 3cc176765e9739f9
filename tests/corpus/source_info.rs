//! `--include_source_info` on every corpus file protoc accepts, compiled by the vendored protoc
//! and by iprotoc: each file's bytes must be identical. Rows sharing include roots are compiled in
//! one protoc run (split in halves when a batch fails). Prints the number that match and the
//! mismatches grouped by their first differing location.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::corpus_dir;
use crate::support::source_info::{compare, print};

/// Files matching protoc's output with source info; raise it as it improves.
const CORPUS_MATCHING: usize = 560;

#[test]
fn corpus_source_info() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut batches: BTreeMap<String, (Vec<PathBuf>, Vec<String>)> = BTreeMap::new();
    let mut set_of = BTreeMap::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (set, roots, virtual_name, ok) = (cols[0], cols[1], cols[4], cols[5]);
        if ok != "yes" {
            continue;
        }
        let batch = batches.entry(roots.to_string()).or_insert_with(|| {
            let roots = roots
                .split(':')
                .filter(|r| *r != "_wkt")
                .map(|r| dir.join(r))
                .chain([crate::support::protoc::include()])
                .collect();
            (roots, Vec::new())
        });
        batch.1.push(virtual_name.to_string());
        set_of.insert(virtual_name.to_string(), set.to_string());
    }
    let batches: Vec<_> = batches.into_values().collect();
    let report = compare(&batches, |n| {
        format!("{}/{n}", set_of.get(n).map_or("?", |s| s.as_str()))
    });
    print(&report, "corpus");
    assert!(report.total >= 500, "corpus rows missing");
    assert!(
        report.matching >= CORPUS_MATCHING,
        "source info parity regressed: {} < {CORPUS_MATCHING}",
        report.matching
    );
}
