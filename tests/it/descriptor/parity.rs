//! Differential tests of the descriptor builder against protoc.
//!
//! - `fixtures_match_protoc`: every `tests/fixtures/descriptor/*.proto` is compiled by the
//!   vendored protoc (`-o`, and again with `--include_imports`) and by iprotoc; the bytes must be
//!   identical. Adding a case means adding a file.
//!
//! The same comparison over the real-world corpus is `tests/corpus/descriptor.rs`.

use std::path::Path;

use crate::support::cli::names_in;
use crate::support::protoc;
use crate::support::stages::{first_difference, fixtures, load};

#[test]
fn fixtures_match_protoc() {
    let dir = fixtures("fixtures/descriptor");
    let names = names_in(&dir, "proto");
    let mut failures = Vec::new();
    for name in &names {
        for (flags, all) in [(&[][..], false), (&["--include_imports"][..], true)] {
            let expected = protoc::descriptor_set_ok(&[&dir], &[flags, &[name.as_str()]].concat());
            let ours = load(&[&dir], &[name]).and_then(|l| {
                let built = l.build_ok(false)?;
                Ok(if all {
                    built.descriptor_set(0..l.files.len())
                } else {
                    built.descriptor_set([l.position(l.inputs[0])])
                })
            });
            let ours = match ours {
                Ok(set) => set,
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

/// The embedded copy of protoc's `descriptor.proto` (the options schema) is what the vendored
/// protoc writes for it, and its hand-kept list of source-retention fields is complete.
#[test]
fn embedded_descriptor_proto_is_current() {
    let expected = protoc::descriptor_set_ok(&[], &["google/protobuf/descriptor.proto"]);
    let embedded = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/descriptor/descriptor_proto.pb"),
    )
    .unwrap();
    assert_eq!(
        embedded, expected,
        "regenerate descriptor_proto.pb with protoc -o"
    );
    let text = std::fs::read_to_string(protoc::include().join("google/protobuf/descriptor.proto"))
        .unwrap();
    let declared = text.matches("retention = RETENTION_SOURCE").count();
    assert_eq!(
        declared,
        iprotoc::descriptor::pool::DESCRIPTOR_PROTO_SOURCE_RETENTION.len()
    );
}
