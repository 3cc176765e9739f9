//! Differential testing against protoc over generated `.proto` files (`support/proto_gen.rs`,
//! shared with the `differential` fuzz target): both compilers must agree on whether each file
//! is valid and, when it is, on every byte of the descriptor set (with and without source info
//! and imports). A fixed set of seeds keeps this deterministic; the fuzz target explores further.

use crate::support::{differential, proto_gen};

use arbitrary::Unstructured;
use differential::{compare, Flags, Outcome};

/// Deterministic pseudo-random bytes (splitmix64) for seed `seed`.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

#[test]
fn generated_files_agree_with_protoc() {
    let cases: u64 = std::env::var("IPROTOC_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    let dir = tempfile::tempdir().unwrap();
    let (mut same, mut both_reject, mut differ) = (0, 0, Vec::new());
    // To look at one seed: IPROTOC_DIFF_FIRST=SEED IPROTOC_DIFF_CASES=1.
    let first: u64 = std::env::var("IPROTOC_DIFF_FIRST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for seed in first..first + cases {
        let data = bytes(seed, 4096);
        let Ok(text) = proto_gen::generate(&mut Unstructured::new(&data)) else {
            continue;
        };
        // To look at what the generator writes: IPROTOC_DIFF_DUMP=DIR.
        if let Ok(dump) = std::env::var("IPROTOC_DIFF_DUMP") {
            std::fs::write(format!("{dump}/gen{seed}.proto"), &text).unwrap();
        }
        let flags = Flags {
            source_info: seed % 2 == 0,
            include_imports: seed % 3 == 0,
        };
        match compare(dir.path(), "gen.proto", &text, flags) {
            Outcome::Same => same += 1,
            Outcome::BothReject => both_reject += 1,
            Outcome::Differ(why) => differ.push(format!("seed {seed}: {why}\n{text}")),
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {cases} generated files disagree with protoc:\n\n{}",
        differ.len(),
        differ.join("\n\n")
    );
    // The generator is meant to write mostly valid files: a change that made it write mostly
    // broken ones would leave the comparison of descriptor sets untested.
    assert!(
        same >= both_reject,
        "only {same} of {cases} generated files are valid ({both_reject} rejected by both)"
    );
}
