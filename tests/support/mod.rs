//! Shared test helpers: the vendored protoc, and compiling lowered output with it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The protoc 36.x that the `protoc-bin-vendored` crate ships: the reference compiler.
pub fn protoc() -> PathBuf {
    protoc_bin_vendored::protoc_bin_path()
        .expect("protoc-bin-vendored has a protoc for this platform")
}

/// The include directory with the well-known types that ships with that protoc.
pub fn protoc_include() -> PathBuf {
    protoc_bin_vendored::include_path().expect("protoc-bin-vendored has an include directory")
}

/// Runs protoc over `files` (names relative to `root`) and returns the descriptor set bytes, or
/// protoc's stderr on failure.
pub fn protoc_descriptor_set(
    root: &Path,
    files: &[&str],
    extra: &[&str],
) -> Result<Vec<u8>, String> {
    let out = tempfile::NamedTempFile::new().unwrap();
    let status = Command::new(protoc())
        .arg("-I")
        .arg(root)
        .arg("-I")
        .arg(protoc_include())
        .arg("-o")
        .arg(out.path())
        .args(extra)
        .args(files)
        .output()
        .expect("protoc runs");
    if status.status.success() {
        Ok(std::fs::read(out.path()).unwrap())
    } else {
        Err(String::from_utf8_lossy(&status.stderr).into_owned())
    }
}

/// The benchmarks' generator of large, realistic schema sets (`benches/support/schema_gen.rs`).
#[path = "../../benches/support/schema_gen.rs"]
pub mod bench_schemas;
pub mod comments;
pub mod descriptors;
pub mod direct;
pub mod printing;
pub mod schema_gen;
pub mod soup;
pub mod source_info;
