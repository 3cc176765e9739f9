//! Every corpus file protoc accepts is built and compared with the descriptor set protoc wrote
//! for it (`expected/`); prints the number that match and the mismatches grouped by where they
//! first differ.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::corpus_dir;
use crate::support::stages::{first_difference, load};

/// Every file byte-identical to protoc's output.
#[test]
fn corpus_parity() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let mut total = 0;
    let mut matching = 0;
    let mut causes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (set, roots, path, virtual_name, ok) = (cols[0], cols[1], cols[2], cols[4], cols[5]);
        if ok != "yes" {
            continue;
        }
        total += 1;
        // `load` looks in protoc's include directory last, for the well-known types.
        let roots: Vec<PathBuf> = roots
            .split(':')
            .filter(|r| *r != "_wkt")
            .map(|r| dir.join(r))
            .collect();
        let expected_path = dir
            .join("expected")
            .join(format!("{set}__{}.pb", path.replace('/', "__")));
        let Ok(expected) = std::fs::read(&expected_path) else {
            causes
                .entry("no expected file".into())
                .or_default()
                .push(path.into());
            continue;
        };
        let result = std::panic::catch_unwind(|| {
            let loaded = load(&roots, &[virtual_name])?;
            let built = loaded.build_ok(false)?;
            Ok::<_, String>(built.descriptor_set([loaded.position(loaded.inputs[0])]))
        });
        let ours = match result {
            Ok(Ok(set)) => set,
            Ok(Err(e)) => {
                let key = format!("error: {}", e.chars().take(90).collect::<String>());
                causes.entry(key).or_default().push(format!("{set}/{path}"));
                continue;
            }
            Err(_) => {
                causes
                    .entry("panic".into())
                    .or_default()
                    .push(format!("{set}/{path}"));
                continue;
            }
        };
        if ours == expected {
            matching += 1;
        } else {
            let diff = first_difference(&ours, &expected);
            let key = diff
                .split("context")
                .next()
                .unwrap_or("")
                .replace(|c: char| c.is_ascii_digit(), "#");
            causes
                .entry(key.chars().take(160).collect())
                .or_default()
                .push(format!("{set}/{path}: {diff}"));
        }
    }
    let mut sorted: Vec<_> = causes.into_iter().collect();
    sorted.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    for (cause, files) in &sorted {
        eprintln!("{:4}  {cause}", files.len());
        for f in files.iter().take(2) {
            eprintln!("        {f}");
        }
    }
    eprintln!("corpus parity: {matching}/{total} byte-identical");
    assert_eq!(matching, total, "corpus files no longer byte-identical");
}
