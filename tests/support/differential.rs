//! One differential run: a file compiled by iprotoc (in memory, the library) and by the vendored
//! protoc (a process), which must agree on whether it is valid and, when it is, on every byte of
//! the descriptor set. Shared by the differential fuzz target
//! (`fuzz/fuzz_targets/differential.rs`) and its regression test (`tests/it/differential.rs`); it
//! needs only the standard library, iprotoc and `protoc-bin-vendored`.
#![allow(dead_code, clippy::disallowed_methods, clippy::disallowed_macros)]

use std::path::Path;
use std::process::Command;

use iprotoc::diagnostics::Format;
use iprotoc::driver::{compile, Options};
use iprotoc::MemoryResolver;

/// What the two compilers made of one file.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Both accept it, with byte-identical descriptor sets.
    Same,
    /// Both reject it.
    BothReject,
    /// They disagree: what differs, with both sides' words.
    Differ(String),
}

/// How to compile.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    /// `--include_source_info`.
    pub source_info: bool,
    /// `--include_imports`.
    pub include_imports: bool,
}

/// Compiles `text` as `name` (a `.proto` file) with both compilers, in `dir` (a directory the
/// caller owns; the file and protoc's output are written there).
pub fn compare(dir: &Path, name: &str, text: &str, flags: Flags) -> Outcome {
    let mut resolver = MemoryResolver::new();
    resolver.add(name, text);
    let ours = compile(
        &resolver,
        &[name.to_string()],
        &Options {
            include_source_info: flags.source_info,
            include_imports: flags.include_imports,
            skip_proto_files: true,
            ..Options::default()
        },
    );
    let theirs = protoc(dir, name, text, flags);
    match (ours.has_errors(), theirs) {
        (true, Err(_)) => Outcome::BothReject,
        (false, Ok(bytes)) if bytes == ours.descriptor_set_bytes => Outcome::Same,
        (false, Ok(bytes)) => Outcome::Differ(format!(
            "descriptor sets differ ({} bytes from protoc, {} from iprotoc; first difference at \
             byte {})",
            bytes.len(),
            ours.descriptor_set_bytes.len(),
            bytes
                .iter()
                .zip(&ours.descriptor_set_bytes)
                .position(|(a, b)| a != b)
                .unwrap_or(bytes.len().min(ours.descriptor_set_bytes.len()))
        )),
        (true, Ok(_)) => Outcome::Differ(format!(
            "protoc accepts, iprotoc rejects:\n{}",
            ours.render(Format::Short, false)
        )),
        (false, Err(e)) => Outcome::Differ(format!("protoc rejects, iprotoc accepts:\n{e}")),
    }
}

/// protoc's descriptor set for `text`, or its errors (a schema error, or protoc aborting on the
/// schema, which it does on some invalid UTF-8). A failure to write its output (a full disk) is
/// retried once, then panics as such, so that it is never taken for protoc's verdict.
pub fn protoc(dir: &Path, name: &str, text: &str, flags: Flags) -> Result<Vec<u8>, String> {
    let not_the_schema = |e: &str| e.contains(OUTPUT) || e.trim().is_empty();
    match run_protoc(dir, name, text, flags) {
        Err(e) if not_the_schema(&e) => match run_protoc(dir, name, text, flags) {
            Err(e) if not_the_schema(&e) => {
                panic!("protoc failed for a reason other than the schema: {e}")
            }
            other => other,
        },
        other => other,
    }
}

/// protoc's output file, in the caller's directory.
const OUTPUT: &str = "protoc-out.pb";

fn run_protoc(dir: &Path, name: &str, text: &str, flags: Flags) -> Result<Vec<u8>, String> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("the work directory is writable");
    }
    std::fs::write(&path, text).expect("the work directory is writable");
    let out = dir.join(OUTPUT);
    let _ = std::fs::remove_file(&out);
    let mut cmd = Command::new(protoc_bin_vendored::protoc_bin_path().expect("vendored protoc"));
    cmd.current_dir(dir)
        .arg("-I.")
        .arg("-I")
        .arg(protoc_bin_vendored::include_path().expect("vendored includes"))
        .arg("-o")
        .arg(&out);
    if flags.source_info {
        cmd.arg("--include_source_info");
    }
    if flags.include_imports {
        cmd.arg("--include_imports");
    }
    let o = cmd.arg(name).output().expect("protoc runs");
    if o.status.success() {
        Ok(std::fs::read(&out).expect("protoc wrote its output"))
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}
