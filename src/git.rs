//! The schemas of a git revision, read without a checkout: `breaking --against-git REF`.
//!
//! The `git` command line does the reading: `git rev-parse` finds the repository, the current
//! directory's place in it and the commit REF names; `git ls-tree -r -z` lists the `.iproto` and
//! `.proto` files under the include directories at that commit; one `git cat-file --batch` reads
//! them all. The files are then served from memory through [`FileResolver`], found through the
//! same include directories as the working tree's (taken relative to the repository's top, so the
//! command may run in a subdirectory). No temporary tree, no worktree, nothing written.
//!
//! Part of the shell (it runs a process); the core never calls it.
#![allow(clippy::disallowed_methods)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::source::{FileResolver, ResolveError, ResolvedFile};

/// The schema files of one commit, found through include directories (repository-relative).
#[derive(Debug)]
pub struct Revision {
    /// The revision as the user wrote it (`main`, `HEAD~1`, `origin/main`).
    pub rev: String,
    /// The commit it names (full hash).
    pub commit: String,
    /// The repository's top directory, as git reports it.
    pub toplevel: PathBuf,
    /// The include directories, relative to the top (`""` for the top itself), in search order.
    includes: Vec<String>,
    /// The `.iproto` and `.proto` files under the include directories at the commit, by
    /// repository path (`proto/zoo/v1/zoo.iproto`).
    files: BTreeMap<String, Vec<u8>>,
}

/// Why a revision could not be read. Every case is an error for the user: `breaking` must never
/// pass because nothing was read.
#[derive(Debug)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

/// Runs `git ARGS` in `dir` and returns its stdout; `Err` says why it failed, with git's own
/// message.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(spawn_error)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError(git_message(&out.stderr)))
    }
}

fn spawn_error(e: std::io::Error) -> GitError {
    if e.kind() == std::io::ErrorKind::NotFound {
        GitError(
            "git is not installed (no `git` on PATH): --against-git runs it to read the revision"
                .into(),
        )
    } else {
        GitError(format!("cannot run git: {e}"))
    }
}

/// Git's error output on one line, without its `fatal: ` prefix.
fn git_message(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.strip_prefix("fatal: ").unwrap_or(l))
        .collect();
    if lines.is_empty() {
        "git failed without a message".into()
    } else {
        lines.join("; ")
    }
}

/// Joins `dir` to the repository-relative `base` lexically (`.` dropped, `..` going up); `None`
/// when it climbs above the top.
fn join_relative(base: &str, dir: &Path) -> Option<String> {
    let mut parts: Vec<String> = base
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    for c in dir.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

impl Revision {
    /// Reads the `.iproto` and `.proto` files under `includes` (the `-I` directories as given on
    /// the command line, relative to `cwd` or absolute; none means `.`) at revision `rev` of the
    /// repository that holds `cwd`.
    pub fn read(cwd: &Path, rev: &str, includes: &[PathBuf]) -> Result<Revision, GitError> {
        let where_ = git(cwd, &["rev-parse", "--show-toplevel", "--show-prefix"]).map_err(|e| {
            GitError(format!(
                "--against-git needs a git repository: {} is not in one ({e})",
                cwd.display()
            ))
        })?;
        let where_ = String::from_utf8_lossy(&where_).into_owned();
        let mut lines = where_.lines();
        let toplevel = PathBuf::from(lines.next().unwrap_or_default());
        let prefix = lines
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string();
        if toplevel.as_os_str().is_empty() {
            return Err(GitError(format!(
                "--against-git needs a work tree: {} is inside a git directory, not a checkout",
                cwd.display()
            )));
        }
        if rev.starts_with('-') || rev.is_empty() {
            return Err(GitError(format!(
                "`{rev}` is not a revision (a branch, tag or commit such as `main` or `HEAD~1`)"
            )));
        }
        let spec = format!("{rev}^{{commit}}");
        let commit = git(cwd, &["rev-parse", "--verify", "--quiet", &spec])
            .ok()
            .map(|o| String::from_utf8_lossy(&o).trim().to_string())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| {
                GitError(format!(
                    "`{rev}` names no commit of the repository at {} (misspelt? in CI, a shallow \
                 clone lacks the base branch: fetch it, e.g. `fetch-depth: 0` in \
                 actions/checkout or `git fetch origin main`)",
                    toplevel.display()
                ))
            })?;

        // The include directories, relative to the top.
        let top_canon = toplevel.canonicalize().unwrap_or_else(|_| toplevel.clone());
        let given: Vec<PathBuf> = if includes.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            includes.to_vec()
        };
        let mut dirs = Vec::new();
        for dir in &given {
            let rel = if dir.is_absolute() {
                let canon = dir.canonicalize().unwrap_or_else(|_| dir.clone());
                canon
                    .strip_prefix(&top_canon)
                    .ok()
                    .and_then(|r| join_relative("", r))
            } else {
                join_relative(&prefix, dir)
            };
            match rel {
                Some(r) => dirs.push(r),
                None => {
                    return Err(GitError(format!(
                        "-I {} is outside the git repository at {}, so it has no version at \
                         `{rev}`",
                        dir.display(),
                        toplevel.display()
                    )))
                }
            }
        }

        // List the schema files under them at the commit.
        let mut args: Vec<&str> = vec![
            "--literal-pathspecs",
            "ls-tree",
            "-r",
            "-z",
            "--full-tree",
            &commit,
            "--",
        ];
        let specs: BTreeSet<&str> = dirs
            .iter()
            .map(|d| if d.is_empty() { "." } else { d.as_str() })
            .collect();
        args.extend(specs.iter().copied());
        let listing = git(&toplevel, &args)
            .map_err(|e| GitError(format!("cannot list the files of `{rev}`: {e}")))?;
        let mut wanted: Vec<(String, String)> = Vec::new(); // (object, path)
        for record in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let record = String::from_utf8_lossy(record);
            let Some((meta, path)) = record.split_once('\t') else {
                continue;
            };
            let mut meta = meta.split(' ');
            let (Some(mode), Some(kind), Some(object)) = (meta.next(), meta.next(), meta.next())
            else {
                continue;
            };
            // Regular files only: a symlink's blob is its target's path, a gitlink a commit.
            if kind != "blob" || !(mode == "100644" || mode == "100755") {
                continue;
            }
            if path.ends_with(".iproto") || path.ends_with(".proto") {
                wanted.push((object.to_string(), path.to_string()));
            }
        }
        let files = cat_files(&toplevel, &wanted)
            .map_err(|e| GitError(format!("cannot read the files of `{rev}`: {e}")))?;
        Ok(Revision {
            rev: rev.to_string(),
            commit,
            toplevel,
            includes: dirs,
            files,
        })
    }

    /// The include directories, relative to the repository's top (`""` for the top).
    pub fn includes(&self) -> &[String] {
        &self.includes
    }

    /// The repository path of the file protoc would call `name`: the first include directory
    /// that has it.
    fn locate(&self, name: &str) -> Option<String> {
        self.includes.iter().find_map(|dir| {
            let path = if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            };
            self.files.contains_key(&path).then_some(path)
        })
    }

    /// Whether the revision has the file protoc would call `name`.
    pub fn has(&self, name: &str) -> bool {
        self.locate(name).is_some()
    }

    /// Every `.iproto` and `.proto` file under the include directories, by the name protoc would
    /// give it, sorted; files under hidden directories (`.git`, `.github`) left out.
    pub fn names(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        for dir in &self.includes {
            for path in self.files.keys() {
                let name = if dir.is_empty() {
                    Some(path.as_str())
                } else {
                    path.strip_prefix(dir.as_str())
                        .and_then(|r| r.strip_prefix('/'))
                };
                if let Some(name) = name {
                    if !name.split('/').any(|p| p.starts_with('.')) {
                        out.insert(name.to_string());
                    }
                }
            }
        }
        out.into_iter().collect()
    }
}

impl FileResolver for Revision {
    fn open(&self, name: &str) -> Result<ResolvedFile, ResolveError> {
        let path = self.locate(name).ok_or(ResolveError::NotFound)?;
        Ok(ResolvedFile {
            name: name.to_string(),
            display_path: format!("{}:{path}", self.rev),
            contents: self.files[&path].clone(),
        })
    }

    fn search_description(&self) -> Option<String> {
        let dirs: Vec<String> = self
            .includes
            .iter()
            .map(|d| {
                if d.is_empty() {
                    format!("{}:", self.rev)
                } else {
                    format!("{}:{d}", self.rev)
                }
            })
            .collect();
        Some(dirs.join(", "))
    }
}

/// Reads blobs with one `git cat-file --batch`, keyed by path. A writer thread feeds the object
/// names while this thread reads, so neither pipe can fill up and stall the other.
fn cat_files(
    toplevel: &Path,
    wanted: &[(String, String)],
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut out = BTreeMap::new();
    if wanted.is_empty() {
        return Ok(out);
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(toplevel)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(e).0)?;
    let mut stdin = child.stdin.take().expect("piped");
    let objects: Vec<String> = wanted.iter().map(|(o, _)| o.clone()).collect();
    let writer = std::thread::spawn(move || {
        for o in objects {
            if writeln!(stdin, "{o}").is_err() {
                break;
            }
        }
    });
    let mut reader = BufReader::new(child.stdout.take().expect("piped"));
    let mut failure = None;
    for (object, path) in wanted {
        let mut header = String::new();
        if reader.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
            failure = Some(format!("git cat-file stopped before {path}"));
            break;
        }
        // `<object> blob <size>`, or `<object> missing`.
        let mut parts = header.split_whitespace();
        let (Some(_), Some("blob"), Some(size)) = (parts.next(), parts.next(), parts.next()) else {
            failure = Some(format!("{path} ({object}): {}", header.trim()));
            break;
        };
        let size: usize = size
            .parse()
            .map_err(|_| format!("bad size in `{header}`"))?;
        let mut contents = vec![0; size];
        reader
            .read_exact(&mut contents)
            .map_err(|e| format!("{path}: {e}"))?;
        let mut newline = [0u8; 1];
        reader
            .read_exact(&mut newline)
            .map_err(|e| format!("{path}: {e}"))?;
        out.insert(path.clone(), contents);
    }
    drop(reader);
    let _ = writer.join();
    let status = child.wait_with_output().map_err(|e| e.to_string())?;
    if let Some(f) = failure {
        return Err(f);
    }
    if !status.status.success() {
        return Err(git_message(&status.stderr));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_directories_are_joined_to_the_prefix_lexically() {
        assert_eq!(join_relative("", Path::new(".")).as_deref(), Some(""));
        assert_eq!(join_relative("sub", Path::new(".")).as_deref(), Some("sub"));
        assert_eq!(
            join_relative("sub/dir", Path::new("../proto/./v1")).as_deref(),
            Some("sub/proto/v1")
        );
        assert_eq!(join_relative("sub", Path::new("..")).as_deref(), Some(""));
        assert_eq!(join_relative("sub", Path::new("../..")), None);
        assert_eq!(join_relative("", Path::new("/abs")), None);
    }

    #[test]
    fn git_messages_lose_their_fatal_prefix() {
        assert_eq!(
            git_message(b"fatal: not a git repository (or any of the parent directories): .git\n"),
            "not a git repository (or any of the parent directories): .git"
        );
        assert_eq!(git_message(b""), "git failed without a message");
    }
}
