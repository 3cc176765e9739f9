//! The module tree is the pipeline: each module of `src/` uses only modules of the layers below
//! its own (ARCHITECTURE.md, "Code map"). This test reads every `crate::…` path outside comments
//! and unit tests and fails on an arrow that runs back up, or on a module missing from
//! the list (so a new module gets a place in the pipeline when it is added).

use std::collections::BTreeSet;
use std::path::Path;

/// Bottom to top. A module may use the modules of earlier layers (and its own submodules).
const LAYERS: &[&[&str]] = &[
    // Shared leaves.
    &["source", "parallel", "lines"],
    &["diagnostics", "protobuf", "wkt"],
    &["ast"],
    // The stages, in pipeline order.
    &["lexer"],
    &["comments"],
    &["parse"],
    &["load"],
    &["resolve"],
    &["lower"],
    &["print"],
    &["descriptor"],
    &["validate"],
    &["lint", "breaking"],
    &["explain"],
    // The formatter reads tokens only, and lint's ignore directive (kept on its line).
    &["fmt"],
    &["driver"],
    // The shell: file system, build scripts, plugins, the command line.
    &["fs"],
    &["project"],
    &["config", "plugin", "git"],
    &["descriptor_set_in"],
    // The language server: the editor's view of the driver, the stages and fmt.
    &["lsp"],
    // The command line, the crate root, and the binary (`src/bin`, a crate of its own).
    &["cli", "lib", "bin"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The code of a file without comments and without its unit tests (`#[cfg(test)] mod tests`, last
/// in the file).
fn code(text: &str) -> String {
    let end = text
        .find("\nmod tests")
        .map_or(text.len(), |m| text[..m].rfind("#[cfg(test)]").unwrap_or(m));
    let text = &text[..end];
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code names through `crate::`.
fn uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c, d::{e, f}}`: the first segment of each top-level path.
            let mut depth = 0;
            let mut token = String::new();
            let mut first = true;
            for ch in group.chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => first = true,
                    c if depth == 0 && first && (c.is_alphanumeric() || c == '_') => token.push(c),
                    ':' if depth == 0 && first && !token.is_empty() => {
                        out.insert(std::mem::take(&mut token));
                        first = false;
                    }
                    ' ' | '\n' => {}
                    _ => {}
                }
                if ch == ',' && depth == 0 && !token.is_empty() {
                    out.insert(std::mem::take(&mut token));
                }
            }
            if !token.is_empty() {
                out.insert(token);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // Unit-test files of a module (`lower/tests.rs`) may use anything.
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let Some(own) = layer(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no layer in LAYERS",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        for used in uses(&code(&text)) {
            if used == module || used == "self" || used == "super" {
                continue;
            }
            match layer(&used) {
                Some(l) if l < own => {}
                Some(_) => wrong.push(format!(
                    "{}: `{module}` uses `crate::{used}`, which is not below it",
                    rel.display()
                )),
                None => wrong.push(format!(
                    "{}: `crate::{used}` has no layer in LAYERS",
                    rel.display()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_reader_of_paths_finds_grouped_and_plain_uses() {
    let found =
        uses("use crate::{ast::{self, File}, lexer, parse::x};\nlet a = crate::wkt::get(n);");
    let want: BTreeSet<String> = ["ast", "lexer", "parse", "wkt"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, want);
}
