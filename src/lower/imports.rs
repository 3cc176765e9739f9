//! Hierarchies across files, around the per-file lowering: the facts of every class gathered
//! before any file is lowered ([`gather`]), and oneof style's reversed imports after it — a
//! parent's lowered file imports its subclasses' files — with the dependencies they give each
//! lowered file ([`lowered_deps`]), the cycles they can close ([`import_cycles`]) and the order
//! protoc writes the lowered files in ([`dependency_order`]).

use std::collections::HashMap;

use super::cross::{self, Cross};
use super::lowered_name;
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::resolve::symbols::SymbolTable;
use crate::source::FileId;

/// One loaded file, as these functions see it.
#[derive(Clone, Copy)]
pub struct FileRef<'a> {
    /// Its id.
    pub id: FileId,
    /// Its name as loaded (`zoo/cat.iproto`).
    pub name: &'a str,
    /// Its parsed tree.
    pub tree: &'a ast::File,
}

/// The facts of every class of the compilation, for the hierarchies that span files
/// ([`cross`]): each file with inheritance on its own (on all cores), then the messages of files
/// without inheritance that a class of another file inherits from. `can_see(i, f)`: whether
/// `files[i]` sees file `f`; `index_of`: the position of each file id in `files`.
pub fn gather(
    files: &[FileRef<'_>],
    can_see: &(dyn Fn(usize, FileId) -> bool + Sync),
    index_of: &HashMap<FileId, usize>,
    symbols: &SymbolTable,
    source_bytes: usize,
) -> Cross {
    let per_file = crate::parallel::map(
        files.iter().enumerate().collect(),
        source_bytes,
        |(i, f)| {
            let sees = |id: FileId| can_see(i, id);
            cross::facts_of_file(f.id, f.tree, symbols, &sees)
        },
    );
    let mut cross = Cross::build(per_file);
    for full in cross.missing_parents() {
        let Some(sym) = symbols.get(&full) else {
            continue;
        };
        let Some(f) = index_of.get(&sym.file).and_then(|&j| files.get(j)) else {
            continue;
        };
        if let Some(facts) = cross::plain_facts(sym.file, f.tree, &full) {
            cross.add(facts);
        }
    }
    cross.set_names(
        files
            .iter()
            .map(|f| (f.id, f.name.to_string(), lowered_name(f.name))),
    );
    cross
}

/// Each lowered tree's imports, resolved against the lowered names of the files (`names[i]`,
/// `ids[i]`): oneof style adds and drops imports.
pub fn lowered_deps(
    ids: &[FileId],
    names: &[String],
    lowered: &[ast::File],
) -> Vec<Vec<Option<FileId>>> {
    let by_name: HashMap<&str, FileId> = names
        .iter()
        .zip(ids)
        .map(|(n, &id)| (n.as_str(), id))
        .collect();
    lowered
        .iter()
        .map(|tree| {
            tree.items
                .iter()
                .filter_map(|i| match i {
                    ast::FileItem::Import(imp) => {
                        Some(by_name.get(imp.path.to_text().as_str()).copied())
                    }
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// `ONEOF_STYLE_IMPORT_CYCLE`: an import cycle among the lowered files (oneof style reversed the
/// imports of a hierarchy across files, and another import closes the circle), once per cycle,
/// at the import that closes it.
pub fn import_cycles(
    ids: &[FileId],
    names: &[String],
    deps: &[Vec<Option<FileId>>],
    lowered: &[ast::File],
    index_of: &HashMap<FileId, usize>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let idx = |id: FileId| index_of.get(&id).copied();
    let import_span = |f: usize, k: usize| {
        lowered[f]
            .items
            .iter()
            .filter_map(|i| match i {
                ast::FileItem::Import(imp) => Some(imp.span),
                _ => None,
            })
            .nth(k)
            .unwrap_or_default()
    };
    // 0: not visited, 1: on the stack, 2: done.
    let mut state = vec![0u8; ids.len()];
    for start in 0..ids.len() {
        if state[start] != 0 {
            continue;
        }
        // (file, next import to follow)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (u, ref mut k)) = stack.last_mut() {
            let Some(&target) = deps[u].get(*k) else {
                state[u] = 2;
                stack.pop();
                continue;
            };
            let import_no = *k;
            *k += 1;
            let Some(v) = target.and_then(idx) else {
                continue;
            };
            match state[v] {
                0 => {
                    state[v] = 1;
                    stack.push((v, 0));
                }
                1 => {
                    let from = stack.iter().position(|&(f, _)| f == v).unwrap_or(0);
                    let mut chain: Vec<String> = stack[from..]
                        .iter()
                        .map(|&(f, _)| format!("\"{}\"", names[f]))
                        .collect();
                    chain.push(format!("\"{}\"", names[v]));
                    let mut d = Diagnostic::error(
                        "ONEOF_STYLE_IMPORT_CYCLE",
                        format!(
                            "in oneof style the lowered files import each other: {}",
                            chain.join(" -> ")
                        ),
                    )
                    .at(
                        ids[u],
                        import_span(u, import_no),
                        format!("imports \"{}\"", names[v]),
                    );
                    // The other imports of the cycle (each file's last followed import).
                    for w in from..stack.len() - 1 {
                        let (f, next) = stack[w];
                        let (to, _) = stack[w + 1];
                        d = d.also(
                            ids[f],
                            import_span(f, next - 1),
                            format!("\"{}\" imports \"{}\" in oneof style", names[f], names[to]),
                        );
                    }
                    out.push(
                        d
                        .note("in oneof style a parent's `oneof subtype` names its subclasses, so the parent's file imports the files of its subclasses in other files; protobuf forbids import cycles")
                        .help("move what the subclass's side uses from the parent's side into a file both import, or use the extension style"),
                    );
                }
                _ => {}
            }
        }
    }
    out
}

/// Every file, each after the files it imports through the lowered imports: depth first from the
/// inputs (`inputs`: positions, in command-line order), as protoc orders a set, then from the
/// files no input reaches any more (a parent's file that a subclass's file imported before oneof
/// style reversed the import: still a file of the compilation, so `--include_imports` keeps it).
pub fn dependency_order(
    inputs: &[usize],
    deps: &[Vec<Option<FileId>>],
    index_of: &HashMap<FileId, usize>,
) -> Vec<usize> {
    let n = deps.len();
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for input in inputs.iter().copied().chain(0..n) {
        if done[input] {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(input, 0)];
        done[input] = true;
        while let Some(&mut (u, ref mut k)) = stack.last_mut() {
            match deps[u].get(*k) {
                Some(target) => {
                    *k += 1;
                    if let Some(v) = target.and_then(|id| index_of.get(&id).copied()) {
                        if !done[v] {
                            done[v] = true;
                            stack.push((v, 0));
                        }
                    }
                }
                None => {
                    order.push(u);
                    stack.pop();
                }
            }
        }
    }
    order
}
