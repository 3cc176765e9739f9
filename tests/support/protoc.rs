//! The vendored protoc (the `protoc-bin-vendored` crate's protoc 36.x): the reference compiler
//! the tests compare iprotoc with. The one way the tests find and run it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The protoc binary.
pub fn bin() -> PathBuf {
    protoc_bin_vendored::protoc_bin_path()
        .expect("protoc-bin-vendored has a protoc for this platform")
}

/// The include directory with the well-known types that ships with that protoc.
pub fn include() -> PathBuf {
    protoc_bin_vendored::include_path().expect("protoc-bin-vendored has an include directory")
}

/// A command for protoc, to add arguments to (plugins, `--descriptor_set_in`, a working
/// directory).
pub fn command() -> Command {
    Command::new(bin())
}

/// Runs protoc with `-I` for each of `roots` and then for its own include directory, writing the
/// descriptor set to a temporary file; `args` are the other flags and the inputs. Returns the
/// descriptor set, or protoc's error output.
pub fn descriptor_set(roots: &[&Path], args: &[&str]) -> Result<Vec<u8>, String> {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = command();
    for root in roots {
        cmd.arg("-I").arg(root);
    }
    let output = cmd
        .arg("-I")
        .arg(include())
        .arg("-o")
        .arg(out.path())
        .args(args)
        .output()
        .expect("protoc runs");
    if output.status.success() {
        Ok(std::fs::read(out.path()).unwrap())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// [`descriptor_set`] over `files` (name, text), written to a fresh temporary directory that
/// comes first among the roots, its path taken out of protoc's error output (which then names
/// files as they are named here).
pub fn descriptor_set_of(
    files: &[(&str, &str)],
    roots: &[&Path],
    args: &[&str],
) -> Result<Vec<u8>, String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        crate::support::cli::write(dir.path(), name, text);
    }
    let all: Vec<&Path> = [dir.path()]
        .into_iter()
        .chain(roots.iter().copied())
        .collect();
    descriptor_set(&all, args).map_err(|e| e.replace(&format!("{}/", dir.path().display()), ""))
}

/// [`descriptor_set`], which must succeed.
#[track_caller]
pub fn descriptor_set_ok(roots: &[&Path], args: &[&str]) -> Vec<u8> {
    descriptor_set(roots, args).unwrap_or_else(|e| panic!("protoc {args:?} failed:\n{e}"))
}
