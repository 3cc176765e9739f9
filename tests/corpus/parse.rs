//! Parses every file of the real-world corpus.
//!
//! Files protoc accepts must parse without any error; the `invalid/` files (many of them broken on
//! purpose) must parse without panicking.

use std::path::Path;

use crate::corpus_dir;

use iprotoc::parse::parse;
use iprotoc::source::FileId;

fn read_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn every_accepted_corpus_file_parses_without_errors() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut total = 0;
    let mut failures = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (set, path, ok) = (cols[0], cols[2], cols[5]);
        let file = dir.join(set).join(path);
        let text = read_text(&file);
        let (_, diags) = parse(FileId(0), &text);
        total += 1;
        if ok == "yes" && !diags.is_empty() {
            failures.push(format!("{}: {:?}", file.display(), diags.first()));
        }
    }
    eprintln!(
        "corpus: {} files, {} accepted by protoc parsed with errors",
        total,
        failures.len()
    );
    assert!(total > 500, "manifest lists only {total} files");
    assert!(
        failures.is_empty(),
        "{} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn invalid_corpus_files_do_not_panic() {
    let dir = corpus_dir().join("invalid");
    let mut stack = vec![dir];
    let mut files = 0;
    let mut with_errors = 0;
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "proto" || e == "iproto")
            {
                let text = read_text(&path);
                let (_, diags) = parse(FileId(0), &text);
                files += 1;
                with_errors += usize::from(!diags.is_empty());
            }
        }
    }
    eprintln!("invalid corpus: {files} files parsed, {with_errors} with syntax errors");
    assert!(files > 100, "found only {files} files under invalid/");
}
