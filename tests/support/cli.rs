//! The `iprotoc` binary, run as a user runs it, and the files around it: the one way the tests
//! run the binary, write inputs and look at what it wrote.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A command for the binary, run in `dir`, without colour (`NO_COLOR=1`).
pub fn command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iprotoc"));
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

/// Runs the binary in `dir` with `args`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    command(dir).args(args).output().expect("iprotoc runs")
}

/// Runs the binary in `dir` with `args`, killing it (and failing) if it runs past `limit`: a
/// guard, not a timing assertion, so that a regression that hangs fails instead.
pub fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = command(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("iprotoc starts");
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("iprotoc {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A run's standard error, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A run's standard output, as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Writes `contents` to `dir/name`, creating the directories on the way.
pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) },
        0,
        "mkfifo {}",
        path.display()
    );
}

/// Every entry under `dir` — files, directories, links (not followed) — by its path relative to
/// `dir` with `/`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && !p.is_symlink() {
                stack.push(p.clone());
            }
            out.push(relative(dir, &p));
        }
    }
    out.sort();
    out
}

/// The names of the files directly in `dir` that end in `.extension`, sorted.
pub fn names_in(dir: &Path, extension: &str) -> Vec<String> {
    let suffix = format!(".{extension}");
    listing(dir)
        .into_iter()
        .filter(|n| !n.contains('/') && n.ends_with(&suffix) && dir.join(n).is_file())
        .collect()
}

/// The regular files under `dir` (links not followed) with their text, by relative path with `/`.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, String> {
    listing(dir)
        .into_iter()
        .filter(|name| {
            let p = dir.join(name);
            p.is_file() && !p.is_symlink()
        })
        .map(|name| {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            (name, text)
        })
        .collect()
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
