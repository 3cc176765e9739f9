//! Builds `FileDescriptorProto`s from lowered files, byte-identical to what protoc 36 writes.
//!
//! The pipeline for each file, in dependency order:
//!
//! 1. [`builder`] walks the tree and fills the descriptor as protoc's parser and
//!    `DescriptorBuilder` do: declaration order, generated map entries and synthetic oneofs,
//!    resolved type names, canonical defaults, `json_name`, ranges. It records where every
//!    element was written (a [`SpanMap`]) and queues each element's options.
//! 2. [`options`] interprets the options against a [`pool::Pool`] of every definition built so
//!    far (plus protoc's own `descriptor.proto`), producing each options message as bytes in
//!    protoc's order; custom options cannot live in `prost_types` structs, so the exact bytes are
//!    kept aside in [`encode::Extras`], and the known fields are also decoded into the structs.
//! 3. [`encode`] serializes the descriptor exactly as protoc does; [`Built::encoded`] holds the
//!    result and [`Built::descriptor_set`] frames a `FileDescriptorSet`.
//!
//! **Invariant:** `Built::encoded[i]` decodes to `Built::files[i]` (prost drops what it cannot
//! represent: custom options and editions-era fields).

pub mod builder;
pub mod encode;
pub mod options;
pub mod pool;
pub mod source_info;
pub mod text;
pub mod wire;

use std::collections::{HashMap, HashSet};

use prost::Message as _;
use prost_types::FileDescriptorProto;

use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::resolve::symbols::SymbolTable;
use crate::resolve::types::Resolver;
use crate::source::{FileId, SourceMap, SpanMap};
use builder::{FileContext, OptionsKind};

/// One file to build.
pub struct FileInput<'a> {
    /// Its id in the source map.
    pub id: FileId,
    /// Name in the descriptor (`zoo.proto`; `.iproto` inputs are renamed by the driver).
    pub name: &'a str,
    /// The lowered tree.
    pub ast: &'a ast::File,
    /// For each `import` statement in source order: the file it resolved to (None: missing,
    /// already reported).
    pub deps: &'a [Option<FileId>],
}

/// What to put in the descriptors.
#[derive(Clone, Copy, Debug, Default)]
pub struct DescriptorOptions {
    /// Fill `source_code_info` (protoc's `--include_source_info`).
    pub include_source_info: bool,
}

/// The built descriptors.
#[derive(Clone, Debug, Default)]
pub struct Built {
    /// One per input, same order.
    pub files: Vec<FileDescriptorProto>,
    /// Where each element was written, per file (paths as in SourceCodeInfo).
    pub spans: Vec<SpanMap>,
    /// Each file serialized exactly as protoc serializes it (with custom options and the
    /// editions-era fields that `prost_types` cannot hold). Write these, not `files`.
    pub encoded: Vec<Vec<u8>>,
}

impl Built {
    /// A serialized `FileDescriptorSet` of the files at these indices, in the order given
    /// (protoc's `-o`: the inputs, or with `--include_imports` every file in dependency order).
    pub fn descriptor_set(&self, indices: impl IntoIterator<Item = usize>) -> Vec<u8> {
        let mut out = Vec::new();
        for i in indices {
            wire::put_bytes(&mut out, 1, &self.encoded[i]);
        }
        out
    }
}

/// Builds descriptors for `files`, given in dependency order (every file after the files it
/// imports), including every imported file.
pub fn build(
    files: &[FileInput],
    sources: &SourceMap,
    opts: &DescriptorOptions,
) -> (Built, Vec<Diagnostic>) {
    let (symbols, mut diags) = SymbolTable::build(files.iter().map(|f| (f.id, f.ast)));
    let names: HashMap<FileId, String> = files.iter().map(|f| (f.id, f.name.to_string())).collect();
    let by_id: HashMap<FileId, &FileInput> = files.iter().map(|f| (f.id, f)).collect();
    let mut built = Built::default();
    let mut syntaxes = Vec::new();
    let mut all_extras: Vec<encode::Extras> = Vec::new();
    for f in files {
        let visible = visible_files(f, &by_id);
        let resolver = Resolver {
            symbols: &symbols,
            file: f.id,
            visible: &visible,
            sources,
            file_name: f.name,
            names: &names,
        };
        let cx = FileContext {
            id: f.id,
            name: f.name,
            ast: f.ast,
            dep_names: f
                .deps
                .iter()
                .map(|d| d.and_then(|id| names.get(&id).cloned()))
                .collect(),
            resolver: &resolver,
            sources,
        };
        let mut state = builder::build_file(&cx, &mut diags);
        syntaxes.push(state.syntax);
        built.files.push(state.proto.clone());
        // Pass 1: interpret every element's options into protoc's appended-field form. (This
        // file's extras already hold what encoding values needs: resolved `packed`.)
        // (A pool indexes every file built so far: only make one when there are options, or a
        // long chain of files costs quadratic time.)
        let raw: Vec<Vec<wire::WireField>> = if state.pending.is_empty() {
            Vec::new()
        } else {
            let pool = make_pool(&built.files, &syntaxes, &all_extras, Some(&state.extras));
            let interpreter = options::Interpreter {
                pool: &pool,
                resolver: &resolver,
                file: f.id,
                sources,
            };
            state
                .pending
                .iter()
                .map(|p| options::interpret(p, &interpreter, &mut diags))
                .collect()
        };
        for (p, fields) in state.pending.iter().zip(&raw) {
            let mut bytes = Vec::new();
            wire::encode_fields(fields, &mut bytes);
            state.extras.options.insert(p.path.clone(), bytes);
        }
        // Pass 2: write them as protoc's output holds them (needs every field's `retention`,
        // which pass 1 just produced for this file's own fields).
        let canonical: Vec<Vec<u8>> = if state.pending.is_empty() {
            Vec::new()
        } else {
            let pool = make_pool(&built.files, &syntaxes, &all_extras, Some(&state.extras));
            state
                .pending
                .iter()
                .zip(raw)
                .map(|(p, fields)| options::canonicalize(&pool, p.kind.message_name(), fields))
                .collect()
        };
        let proto = built.files.last_mut().expect("just pushed");
        for (p, bytes) in state.pending.iter().zip(canonical) {
            if bytes.is_empty() && !p.present {
                // Emptied by retention stripping: protoc clears the options field.
                state.extras.options.remove(&p.path);
                continue;
            }
            set_options(proto, &p.path, p.kind, &bytes);
            state.extras.options.insert(p.path.clone(), bytes);
        }
        if opts.include_source_info {
            proto.source_code_info = Some(source_info::source_code_info(
                f.ast,
                &state.spans,
                sources.get(f.id),
            ));
        }
        built
            .encoded
            .push(encode::encode_file(proto, &state.extras));
        built.spans.push(state.spans);
        all_extras.push(state.extras);
    }
    (built, diags)
}

/// A pool over the files built so far; the last file's extras may still be in progress.
fn make_pool<'p>(
    files: &'p [FileDescriptorProto],
    syntaxes: &[builder::Syntax],
    extras: &'p [encode::Extras],
    current: Option<&'p encode::Extras>,
) -> pool::Pool<'p> {
    let mut pool = pool::Pool::default();
    for (i, (file, syntax)) in files.iter().zip(syntaxes).enumerate() {
        pool.add_file(file, *syntax, extras.get(i).or(current));
    }
    pool
}

/// The files whose symbols `f` may use: itself, its imports, and their public imports,
/// transitively.
fn visible_files(f: &FileInput, by_id: &HashMap<FileId, &FileInput>) -> HashSet<FileId> {
    let mut seen = HashSet::from([f.id]);
    let mut stack: Vec<FileId> = f.deps.iter().flatten().copied().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(dep) = by_id.get(&id) {
            let imports = dep.ast.items.iter().filter_map(|i| match i {
                ast::FileItem::Import(imp) => Some(imp.kind),
                _ => None,
            });
            for (kind, target) in imports.zip(dep.deps.iter()) {
                if kind == ast::ImportKind::Public {
                    if let Some(t) = target {
                        stack.push(*t);
                    }
                }
            }
        }
    }
    seen
}

/// Decodes interpreted options into the prost struct at `path` (known fields only).
fn set_options(file: &mut FileDescriptorProto, path: &[i32], kind: OptionsKind, bytes: &[u8]) {
    use prost_types as p;
    fn decode<M: prost::Message + Default>(b: &[u8]) -> Option<M> {
        M::decode(b).ok()
    }
    fn message<'m>(
        mut m: &'m mut p::DescriptorProto,
        path: &mut &[i32],
    ) -> Option<&'m mut p::DescriptorProto> {
        while let [3, i, rest @ ..] = *path {
            m = m.nested_type.get_mut(*i as usize)?;
            *path = rest;
        }
        Some(m)
    }
    let _ = kind;
    let mut rest = path;
    match rest {
        [8] => file.options = decode(bytes),
        [7, i, 8] => {
            if let Some(f) = file.extension.get_mut(*i as usize) {
                f.options = decode(bytes);
            }
        }
        [5, i, tail @ ..] => {
            if let Some(e) = file.enum_type.get_mut(*i as usize) {
                set_enum_options(e, tail, bytes);
            }
        }
        [6, i, tail @ ..] => {
            if let Some(s) = file.service.get_mut(*i as usize) {
                match tail {
                    [3] => s.options = decode(bytes),
                    [2, j, 4] => {
                        if let Some(m) = s.method.get_mut(*j as usize) {
                            m.options = decode(bytes);
                        }
                    }
                    _ => {}
                }
            }
        }
        [4, i, tail @ ..] => {
            rest = tail;
            let Some(top) = file.message_type.get_mut(*i as usize) else {
                return;
            };
            let Some(m) = message(top, &mut rest) else {
                return;
            };
            match rest {
                [7] => m.options = decode(bytes),
                [2, j, 8] => {
                    if let Some(f) = m.field.get_mut(*j as usize) {
                        f.options = decode(bytes);
                    }
                }
                [6, j, 8] => {
                    if let Some(f) = m.extension.get_mut(*j as usize) {
                        f.options = decode(bytes);
                    }
                }
                [8, j, 2] => {
                    if let Some(o) = m.oneof_decl.get_mut(*j as usize) {
                        o.options = decode(bytes);
                    }
                }
                [5, j, 3] => {
                    if let Some(r) = m.extension_range.get_mut(*j as usize) {
                        r.options = decode(bytes);
                    }
                }
                [4, j, tail @ ..] => {
                    if let Some(e) = m.enum_type.get_mut(*j as usize) {
                        set_enum_options(e, tail, bytes);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

fn set_enum_options(e: &mut prost_types::EnumDescriptorProto, tail: &[i32], bytes: &[u8]) {
    match tail {
        [3] => e.options = prost::Message::decode(bytes).ok(),
        [2, k, 3] => {
            if let Some(v) = e.value.get_mut(*k as usize) {
                v.options = prost::Message::decode(bytes).ok();
            }
        }
        _ => {}
    }
}

/// Decodes a serialized `FileDescriptorSet` (test and tooling helper).
pub fn decode_set(bytes: &[u8]) -> Option<prost_types::FileDescriptorSet> {
    prost_types::FileDescriptorSet::decode(bytes).ok()
}
