//! Comment attachment against protoc's `SourceCodeInfo` on every corpus file.

use std::collections::BTreeMap;

use iprotoc::parse::parse;
use iprotoc::source::FileId;

use crate::corpus_dir;
use crate::support::comments::{collect, protoc_comments, Triple};

/// Compares the comments of every corpus file with protoc's, as multisets (paths aside).
#[test]
fn comments_match_protoc_on_the_corpus() {
    let corpus = corpus_dir();
    let manifest = std::fs::read_to_string(corpus.join("manifest.tsv")).unwrap();
    let (mut same, mut total, mut ours_n, mut theirs_n, mut missing) = (0, 0, 0, 0, 0);
    let mut examples = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[5] != "yes" {
            continue;
        }
        let Some(theirs) = protoc_comments(&corpus, cols[1], cols[4]) else {
            continue;
        };
        let bytes = std::fs::read(corpus.join(cols[0]).join(cols[2])).unwrap();
        let (file, _) = parse(FileId(0), &String::from_utf8_lossy(&bytes));
        let ours = collect(&file);
        total += 1;
        let mut count: BTreeMap<&Triple, i64> = BTreeMap::new();
        for t in &theirs {
            *count.entry(t).or_default() += 1;
        }
        for t in &ours {
            *count.entry(t).or_default() -= 1;
        }
        let diff: i64 = count.values().map(|v| v.abs()).sum();
        if diff == 0 {
            same += 1;
        } else {
            missing += diff;
            if examples.len() < 10 {
                let first = count.iter().find(|(_, v)| **v != 0).unwrap();
                examples.push(format!("{}: {:?} x{}", cols[2], first.0, first.1));
            }
        }
        ours_n += ours.len();
        theirs_n += theirs.len();
    }
    eprintln!(
        "comments: {same}/{total} files identical to protoc; {ours_n} commented nodes here, {theirs_n} in protoc, {missing} differences\n{}",
        examples.join("\n")
    );
    assert!(total > 400, "protoc ran on only {total} files");
    assert_eq!(
        same,
        total,
        "files whose comments differ from protoc's:\n{}",
        examples.join("\n")
    );
}
