//! The real-world parity suite: iprotoc against protoc on the corpus of real schemas (protobuf's
//! own sources, opentelemetry, cel-spec, protoc-gen-validate, …, with the descriptor sets protoc
//! wrote for them), and protoc's rejections of the invalid corpus.
//!
//! The corpus is not part of the repository, so this suite is not part of a plain `cargo test`:
//! run it explicitly, pointing it at a corpus directory (one with `manifest.tsv`):
//!
//! ```sh
//! IPROTOC_CORPUS=/path/to/corpus cargo test --release --test corpus
//! ```
//!
//! Without `IPROTOC_CORPUS` it looks for `../shared/corpus` beside the checkout (where CI has
//! it), and fails, naming what it looked for, when there is none. `.ci/run` always runs it.
// Tests read fixtures and run binaries: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "../support/mod.rs"]
mod support;

mod check;
mod comments;
mod descriptor;
mod fmt;
mod parse;
mod printer;
mod source_info;

use std::path::PathBuf;

/// The corpus directory: `IPROTOC_CORPUS`, else `../shared/corpus` beside the checkout. Panics
/// when it has no `manifest.tsv`: this suite never passes without comparing anything.
pub fn corpus_dir() -> PathBuf {
    let dir = std::env::var_os("IPROTOC_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        dir.join("manifest.tsv").is_file(),
        "no real-world corpus: {} has no manifest.tsv; set IPROTOC_CORPUS=DIR",
        dir.display()
    );
    dir
}
