//! Differential cases against protoc: each case is a few small files; the last one is compiled
//! by the vendored protoc and by the `iprotoc` binary (`--include_imports -o`), and
//!
//! - protoc's verdict must be the one the case states (the case documents protoc's rule, and a
//!   harness that fails both compilers for an unrelated reason cannot pass);
//! - iprotoc must agree: where protoc accepts, the descriptor sets are byte-identical; where
//!   protoc rejects, iprotoc exits 1 with a `file:line:col` diagnostic containing the case's
//!   text, and writes nothing.

mod encoding;
mod findings;
mod literals;
mod numbers;
mod schema;

use std::path::Path;

/// protoc's verdict on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// protoc writes a descriptor set: ours must be byte-identical.
    Accepts,
    /// protoc exits non-zero; our diagnostic must contain this text.
    Rejects(&'static str),
}

/// A case: its name, its files (path, text; the last one is compiled), protoc's verdict.
pub type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], Verdict);

fn run_protoc(dir: &Path, file: &str, out: &Path) -> Result<Vec<u8>, String> {
    let include = crate::support::protoc::include();
    let o = crate::support::protoc::command()
        .current_dir(dir)
        .arg("-I.")
        .arg("-I")
        .arg(include)
        .arg("--include_imports")
        .arg("-o")
        .arg(out)
        .arg(file)
        .output()
        .expect("protoc runs");
    if o.status.success() {
        Ok(std::fs::read(out).unwrap())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

fn run_iprotoc(dir: &Path, file: &str, out: &Path) -> (Option<i32>, String) {
    let o = crate::support::cli::command(dir)
        .args([
            "compile",
            "-I.",
            "--include_imports",
            "--error-format",
            "short",
        ])
        .arg("-o")
        .arg(out)
        .arg(file)
        .output()
        .expect("iprotoc runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs every case; panics with the list of cases where iprotoc and protoc disagree.
pub fn check(cases: &[Case<'_>]) {
    let mut failures = Vec::new();
    for &(name, files, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let file = files.last().expect("a case has files").0;
        let theirs_out = dir.path().join("protoc.pb");
        let ours_out = dir.path().join("iprotoc.pb");
        let theirs = run_protoc(dir.path(), file, &theirs_out);
        let (code, stderr) = run_iprotoc(dir.path(), file, &ours_out);
        match (expected, &theirs) {
            (Verdict::Accepts, Err(e)) => {
                failures.push(format!(
                    "{name}: protoc was expected to accept, it said: {e}"
                ));
                continue;
            }
            (Verdict::Rejects(_), Ok(_)) => {
                failures.push(format!(
                    "{name}: protoc was expected to reject, it accepted"
                ));
                continue;
            }
            _ => {}
        }
        match (theirs, expected) {
            (Ok(bytes), _) => {
                if code != Some(0) {
                    failures.push(format!(
                        "{name}: protoc accepts, iprotoc rejects:\n{stderr}"
                    ));
                } else if std::fs::read(&ours_out).ok().as_deref() != Some(&bytes[..]) {
                    failures.push(format!("{name}: descriptor sets differ"));
                }
            }
            (Err(e), Verdict::Rejects(text)) => {
                let located = stderr.lines().any(|l| {
                    l.starts_with(&format!("{file}:"))
                        && l.split(':')
                            .nth(1)
                            .is_some_and(|n| n.parse::<u32>().is_ok())
                        && l.split(':')
                            .nth(2)
                            .is_some_and(|n| n.parse::<u32>().is_ok())
                });
                if code != Some(1) {
                    failures.push(format!(
                        "{name}: protoc rejects ({}), iprotoc exits {code:?}:\n{stderr}",
                        e.trim()
                    ));
                } else if !stderr.contains(text) || !located {
                    failures.push(format!(
                        "{name}: iprotoc rejects without `{text}` at file:line:col:\n{stderr}"
                    ));
                } else if ours_out.exists() {
                    failures.push(format!("{name}: iprotoc rejected but wrote its output"));
                }
            }
            (Err(_), Verdict::Accepts) => unreachable!("checked above"),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree with protoc:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
