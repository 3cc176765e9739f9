//! The `.proto` printer over protoc's own sources.

use std::path::PathBuf;

use crate::corpus_dir;
use crate::support::printing::{comments_of, print_stable};
use crate::support::protoc;

/// protoc's own sources: each printed file compiles to exactly the descriptor protoc wrote
/// for the original (`corpus/expected`), keeps its comments where they were, and prints the
/// same text again after a round trip.
#[test]
fn protobuf_sources_round_trip_through_protoc() {
    let corpus = corpus_dir();
    let root = corpus.join("protobuf-v35.1/src");
    let wkt = corpus.join("_wkt");
    let dir = root.join("google/protobuf");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "proto"))
        .collect();
    names.sort();

    let mut checked = 0;
    let mut failures = Vec::new();
    for path in &names {
        let file_name = path.file_name().unwrap().to_str().unwrap();
        let virtual_name = format!("google/protobuf/{file_name}");
        let text = std::fs::read_to_string(path).unwrap();
        let printed = match print_stable(&virtual_name, &text) {
            Ok(printed) => printed,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let expected = corpus.join(format!(
            "expected/protobuf-v35.1__src__google__protobuf__{file_name}.pb"
        ));
        let expected = std::fs::read(&expected).unwrap();
        let compile = |files: &[(&str, &str)], extra: &[&str]| {
            protoc::descriptor_set_of(
                files,
                &[&root, &wkt],
                &[extra, &[virtual_name.as_str()]].concat(),
            )
        };
        match compile(&[(&virtual_name, &printed)], &[]) {
            Ok(set) if set == expected => {}
            Ok(_) => {
                failures.push(format!("{virtual_name}: the descriptor differs"));
                continue;
            }
            Err(e) => {
                failures.push(format!("{virtual_name}: protoc rejected it: {e}"));
                continue;
            }
        }
        // The original comes from its own include root; the printed file shadows it.
        let info = ["--include_source_info"];
        let original = compile(&[], &info).unwrap();
        let printed_set = compile(&[(&virtual_name, &printed)], &info).unwrap();
        if comments_of(&printed_set) != comments_of(&original) {
            failures.push(format!("{virtual_name}: comments moved"));
            continue;
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {} files failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
    assert!(checked >= 30, "only {checked} files checked");
}
