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
pub mod packed;
pub mod pool;
pub mod source_info;
pub mod text;
pub mod wire;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use prost_types::FileDescriptorProto;

use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::protobuf::descriptor_fields as tag;
use crate::resolve::symbols::SymbolTable;
use crate::resolve::types::{Expect, Resolver};
use crate::source::{FileId, SourceMap, Span, SpanMap};
use builder::{FileContext, FileState, OptionsKind};

/// One file to build (its tree is given beside it: see [`build_phased`]).
pub struct FileInput<'a> {
    /// Its id in the source map.
    pub id: FileId,
    /// Name in the descriptor (`zoo.proto`; `.iproto` inputs are renamed by the driver).
    pub name: &'a str,
    /// For each `import` statement in source order: the file it resolved to (None: missing,
    /// already reported).
    pub deps: &'a [Option<FileId>],
}

/// What to put in the descriptors.
#[derive(Clone, Copy, Debug, Default)]
pub struct DescriptorOptions {
    /// Fill `source_code_info` (protoc's `--include_source_info`).
    pub include_source_info: bool,
    /// Also encode each file with its source-retention options kept ([`Built::retained`]).
    pub retain_options: bool,
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
    /// Per file: every element's options as interpreted, before retention stripping, keyed by
    /// the path of the `options` field (`[8]`, `[4, 0, 7]`, …). This is what protoc's validation
    /// sees; `encoded` has lost source-retention options (`features.enforce_naming_style`,
    /// extension declarations, …) by the time it is written.
    pub options: Vec<OptionsByPath>,
    /// With [`DescriptorOptions::retain_options`], one per input: the file as protoc's
    /// `FileDescriptor::CopyTo` (plus its source info, when asked for) writes it, source-retention
    /// options and their locations kept, options serialized by protoc's compiled-in classes
    /// (see [`options::Stripped::retain`]). What a plugin receives for every file but the
    /// `proto_file` entries of the files to generate. Empty otherwise.
    pub retained: Vec<Vec<u8>>,
}

/// A file's elements' options as interpreted, keyed by the path of their `options` field.
/// foldhash, since validation looks every element up (most in vain) several times; look up
/// with a borrowed path (`map.get(&[4, 0, 7][..])`).
pub type OptionsByPath = foldhash::HashMap<Vec<i32>, WrittenOptions>;

/// One element's options as protoc's validation sees them (before retention stripping).
#[derive(Clone, Debug, Default)]
pub struct WrittenOptions {
    /// The options message as interpreted, source-retention fields included, in the order
    /// protoc appends them: a message set in pieces (`features.a = …; features.b = …;`) appears
    /// once per piece, so readers merge repeated occurrences. Fields protoc's parser sets itself
    /// (`map_entry = true` on map entries) come first.
    pub fields: Vec<wire::WireField>,
    /// Each option written on the element, in source order.
    pub written: Vec<WrittenOption>,
}

/// One option as written: `option name = value;` or an entry of `[name = value, …]`.
#[derive(Clone, Debug, PartialEq)]
pub struct WrittenOption {
    /// The name's parts; extension parts keep their parentheses as written
    /// (`["features", "(pb.cpp)", "string_type"]`). Shared by the options of a file that are
    /// written with the same name.
    pub name: std::sync::Arc<[String]>,
    /// From the name to the end of the value.
    pub span: Span,
    /// The name alone.
    pub name_span: Span,
}

impl Built {
    /// A serialized `FileDescriptorSet` of the files at these indices, in the order given
    /// (protoc's `-o`: the inputs, or with `--include_imports` every file in dependency order).
    pub fn descriptor_set(&self, indices: impl IntoIterator<Item = usize>) -> Vec<u8> {
        let indices: Vec<usize> = indices.into_iter().collect();
        // Each file plus at most 6 bytes of tag and length.
        let size = indices.iter().map(|&i| self.encoded[i].len() + 6).sum();
        let mut out = Vec::with_capacity(size);
        for i in indices {
            wire::put_bytes(&mut out, 1, &self.encoded[i]);
        }
        out
    }
}

/// The most source (bytes) whose options are interpreted side by side before their results are
/// absorbed into the index of the files done ([`build_phased`]).
const WAVE_SLICE_BYTES: usize = 1 << 20;

/// The builder's diagnostics that protoc's parser reports (it stops before linking).
const PARSER_CHECKS: &[&str] = &["BAD_DEFAULT", "BAD_JSON_NAME"];

/// The diagnostics of [`build_phased`], by the step of protoc's that reports them: the driver
/// reports them in protoc's groups (`crate::driver`).
#[derive(Debug, Default)]
pub struct PhasedDiagnostics {
    /// What protoc's parser reports, though only the descriptor builder can tell (a scalar
    /// field's default that does not fit its type, `BAD_DEFAULT`; a `json_name` that is not a
    /// string, `BAD_JSON_NAME`): protoc stops before linking.
    pub parse: Vec<Diagnostic>,
    /// Building and cross-linking: the symbol table's clashes, names that do not resolve or
    /// resolve to the wrong kind, defaults of enum and message fields.
    pub link: Vec<Diagnostic>,
    /// Option interpretation, which protoc runs only when building and linking found no error.
    pub options: Vec<Diagnostic>,
}

/// Builds descriptors for `files`, given in dependency order (every file after the files it
/// imports), including every imported file, with the diagnostics by protoc's step. `prebuilt` is
/// the [`SymbolTable::build`] of exactly these trees (with its diagnostics), when the caller
/// already has it; otherwise the table is built here. Every file is built and its options
/// interpreted whatever the errors, so that validation can run over what was built.
///
/// `trees[i]` is the lowered tree of `files[i]`. Each is dropped as soon as its file's
/// descriptor is built, before any option is interpreted (what interpretation and source info
/// need of it is copied out): given owned, the trees are freed while the descriptors grow, so
/// that the two are never all in memory at once.
pub fn build_phased(
    files: &[FileInput],
    trees: Vec<Cow<'_, ast::File>>,
    sources: &SourceMap,
    opts: &DescriptorOptions,
    prebuilt: Option<(SymbolTable, Vec<Diagnostic>)>,
) -> (Built, PhasedDiagnostics) {
    assert_eq!(files.len(), trees.len(), "a tree per file");
    let (symbols, mut diags) = prebuilt.unwrap_or_else(|| {
        SymbolTable::build(files.iter().zip(&trees).map(|(f, t)| (f.id, &**t)))
    });
    let names: HashMap<FileId, String> = files.iter().map(|f| (f.id, f.name.to_string())).collect();
    let by_id: HashMap<FileId, usize> = files.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    let mut built = Built::default();
    // Definitions of the files built so far, for option interpretation: each file is indexed
    // once, when it is done (its options final).
    let mut done = pool::Index::default();
    // Each file's resolver (what it can see) and its descriptor without options: independent
    // of the other files' results, so built on all cores. Options are interpreted below in
    // dependency order, since they can use options defined by earlier files.
    let bytes = files.iter().map(|f| sources.get(f.id).text.len()).sum();
    let visibles: Vec<HashSet<FileId>> = crate::parallel::map(files.iter().collect(), bytes, |f| {
        visible_files(f, files, &trees, &by_id)
    });
    let suggestions = std::sync::OnceLock::new();
    let resolvers: Vec<Resolver> = files
        .iter()
        .zip(&visibles)
        .map(|(f, visible)| Resolver {
            symbols: &symbols,
            file: f.id,
            visible,
            sources,
            file_name: f.name,
            names: &names,
            suggestions: &suggestions,
            searches: Default::default(),
            work: Default::default(),
        })
        .collect();
    let states = crate::parallel::map(
        files.iter().zip(&resolvers).zip(trees).collect(),
        bytes,
        |((f, resolver), tree)| {
            let cx = FileContext {
                id: f.id,
                name: f.name,
                ast: &tree,
                dep_names: f
                    .deps
                    .iter()
                    .map(|d| d.and_then(|id| names.get(&id).cloned()))
                    .collect(),
                resolver,
                sources,
                include_source_info: opts.include_source_info,
            };
            let mut file_diags = Vec::new();
            let state = builder::build_file(&cx, &mut file_diags);
            drop(cx);
            drop(tree);
            // The file's own index (the first layer of its pools below) needs only the file.
            let mut current = pool::Index::default();
            current.add_file(0, &state.proto, state.syntax, Some(&state.extras));
            (state, current, file_diags)
        },
    );
    done.reserve_for(states.iter().map(|(_, index, _)| index));
    // Options are interpreted in waves ([`option_waves`]): each file after the files its
    // options can read, the files of a wave side by side. Without a schedule (a compilation
    // with errors so far, or one that defines an extension number twice), one file at a time.
    let failed = diags
        .iter()
        .chain(states.iter().flat_map(|(_, _, file_diags)| file_diags))
        .any(Diagnostic::is_error);
    let waves = if failed {
        None
    } else {
        option_waves(files, &resolvers, &states, sources)
    };
    let count = files.len();
    let mut interpreted: Vec<Option<Interpreted>> = (0..count).map(|_| None).collect();
    let mut build_diags = Vec::with_capacity(count);
    let mut pending_files: Vec<Option<(FileState, pool::Index)>> = states
        .into_iter()
        .map(|(state, current, file_diags)| {
            build_diags.push(file_diags);
            Some((state, current))
        })
        .collect();
    // Files that are not done yet keep an empty descriptor in their place, which no index
    // entry points to.
    built.files = vec![FileDescriptorProto::default(); count];
    let order: Vec<Vec<usize>> = match waves {
        Some(waves) => waves,
        None => (0..count).map(|i| vec![i]).collect(),
    };
    for wave in order {
        let size = |i: usize| sources.get(files[i].id).text.len();
        let wave_bytes: usize = wave.iter().map(|&i| size(i)).sum();
        let worth = wave_bytes >= crate::parallel::MIN_PARALLEL_BYTES;
        // A large wave runs in slices, each absorbed into `done` before the next starts, so
        // that the files' own indexes are not all alive beside `done` at the end of the wave.
        // A later slice sees more files done than it needs, all before it in load order: the
        // same result (see `option_waves`).
        let mut rest = wave.as_slice();
        while !rest.is_empty() {
            let mut bytes = 0;
            let n = rest
                .iter()
                .take_while(|&&i| {
                    let more = bytes < WAVE_SLICE_BYTES;
                    bytes += size(i);
                    more
                })
                .count();
            let (slice, tail) = rest.split_at(n);
            rest = tail;
            let work: Vec<(usize, FileState, pool::Index)> = slice
                .iter()
                .map(|&i| {
                    let (state, current) = pending_files[i].take().expect("in one wave");
                    (i, state, current)
                })
                .collect();
            let (done_ref, built_files) = (&done, &built.files);
            let results = crate::parallel::map_when(work, worth, |(i, state, current)| {
                let r = interpret_file(
                    files[i].id,
                    &resolvers[i],
                    state,
                    current,
                    (done_ref, built_files),
                    sources,
                    opts,
                );
                (i, r)
            });
            for (i, mut r) in results {
                done.absorb(std::mem::take(&mut r.current), i);
                built.files[i] = std::mem::take(&mut r.proto);
                interpreted[i] = Some(r);
            }
        }
    }
    let mut finishing = Vec::with_capacity(count);
    let mut option_diags = Vec::new();
    for ((f, file_diags), r) in files.iter().zip(build_diags).zip(interpreted) {
        let r = r.expect("every file interpreted");
        diags.extend(file_diags);
        option_diags.extend(r.diags);
        built.spans.push(r.spans);
        finishing.push((
            f.id,
            r.extras,
            r.locations,
            r.interpreted_paths,
            r.written,
            r.stripped,
            r.retained,
        ));
    }
    // The validation view of the options, source info and encoding need only the file itself:
    // on all cores.
    let items: Vec<_> = built.files.iter_mut().zip(finishing).collect();
    let finished = crate::parallel::map(
        items,
        bytes,
        |(proto, (id, extras, locations, interpreted_paths, written, stripped, retained))| {
            // The retained encoding first: it differs in its options and in the source info
            // of what stripping removes.
            let retained = retained.map(|options| {
                let x = encode::Extras {
                    options,
                    ..extras.clone()
                };
                proto.source_code_info = interpreted_paths.as_ref().map(|interpreted| {
                    source_info::source_code_info(&locations, interpreted, &[], sources.get(id))
                });
                encode::encode_file(proto, &x)
            });
            if let Some(interpreted_paths) = &interpreted_paths {
                proto.source_code_info = Some(source_info::source_code_info(
                    &locations,
                    interpreted_paths,
                    &stripped,
                    sources.get(id),
                ));
            }
            (encode::encode_file(proto, &extras), (written, retained))
        },
    );
    let written_and_retained: Vec<(OptionsByPath, Option<Vec<u8>>)>;
    (built.encoded, written_and_retained) = finished.into_iter().unzip();
    let retained: Vec<Option<Vec<u8>>>;
    (built.options, retained) = written_and_retained.into_iter().unzip();
    built.retained = retained.into_iter().flatten().collect();
    // The symbol table and the option index are freed on the pool (see `compile`).
    drop(resolvers);
    crate::parallel::drop_in_background((done, symbols), bytes);
    // protoc's parser checks a scalar field's default against the field's type, and that a
    // `json_name` is a string.
    let (parse, link) = diags
        .into_iter()
        .partition(|d| PARSER_CHECKS.contains(&d.code));
    (
        built,
        PhasedDiagnostics {
            parse,
            link,
            options: option_diags,
        },
    )
}

/// A file whose options are interpreted: its final descriptor and index, and what the parallel
/// pass after needs of it.
struct Interpreted {
    proto: FileDescriptorProto,
    current: pool::Index,
    spans: SpanMap,
    extras: encode::Extras,
    locations: Vec<source_info::RecordedLocation>,
    /// With source info: where each option's location moves ([`interpreted_paths`]).
    interpreted_paths: Option<HashMap<Vec<i32>, Vec<i32>>>,
    /// The validation view of the file's options.
    written: OptionsByPath,
    stripped: Vec<Vec<i32>>,
    /// With `retain_options`: every element's options as protoc's compiled-in classes write
    /// them, source-retention fields kept, by options path.
    retained: Option<foldhash::HashMap<Vec<i32>, Vec<u8>>>,
    diags: Vec<Diagnostic>,
}

/// Interprets the options of one built file (`state`, indexed alone in `current`) against the
/// files done before it (`done`: their index and descriptors).
fn interpret_file(
    id: FileId,
    resolver: &Resolver,
    mut state: FileState,
    mut current: pool::Index,
    done: (&pool::Index, &[FileDescriptorProto]),
    sources: &SourceMap,
    opts: &DescriptorOptions,
) -> Interpreted {
    let (done, done_files) = done;
    let mut diags = Vec::new();
    // The pool of a pass: this file as it stands (options not yet set in the struct), then
    // the files done before it. This file was indexed once, on the parallel pass; pass 2 only
    // refreshes which of its fields have source retention, and the caller adds the finished
    // file's index to `done`.
    let this = std::slice::from_ref(&state.proto);
    // Pass 1: interpret every element's options into protoc's appended-field form. (This
    // file's extras already hold what encoding values needs: resolved `packed`.)
    // Each element's assignments, unpacked once for the passes below.
    let assigns: Vec<Vec<ast::OptionAssign>> = state.pending.iter().map(|p| p.assigns()).collect();
    let raw: Vec<options::Interpreted> = {
        let pool = pool::Pool::new(vec![(&current, this), (done, done_files)]);
        let interpreter = options::Interpreter {
            pool: &pool,
            resolver,
            file: id,
            sources,
        };
        state
            .pending
            .iter()
            .zip(&assigns)
            .map(|(p, a)| options::interpret(p, a, &interpreter, &mut diags))
            .collect()
    };
    // Pass 2: write them as protoc's output holds them (needs every field's `retention`,
    // which pass 1 just produced for this file's own fields).
    // protoc also drops the source info under what it strips (`retention.cc`).
    let with_raw = || state.pending.iter().zip(&raw);
    current.refresh_source_retention(
        &state.proto,
        with_raw().map(|(p, i)| (p.path.as_slice(), i.fields.as_slice())),
    );
    // The pool of the passes below: this file's index no longer changes.
    let new_pool = || pool::Pool::new(vec![(&current, this), (done, done_files)]);
    let mut stripped = Vec::new();
    // Elements with options but no assignments (map entries: `map_entry = true`) all have
    // the same fields, so each such kind and fields is canonicalized once per file (the pool
    // does not change during this pass): its bytes and the stripped paths below its options.
    let mut preset_only: Vec<PresetOnly> = Vec::new();
    let canonical: Vec<Vec<u8>> = {
        let pool = new_pool();
        with_raw()
            .map(|(p, i)| {
                let had_fields = !i.fields.is_empty();
                let memo = !p.has_assigns();
                let known = preset_only
                    .iter()
                    .find(|m| memo && m.kind == p.kind && m.fields == i.fields);
                let (bytes, below) = match known {
                    Some(m) => (m.bytes.clone(), m.stripped.clone()),
                    None => {
                        let mut s = options::Stripped {
                            path: p.path.clone(),
                            ..Default::default()
                        };
                        // `raw` is kept for the validation view, built on the last pass.
                        let bytes = options::canonicalize_at(
                            &pool,
                            p.kind.message_name(),
                            i.fields.clone(),
                            &mut s,
                        );
                        let below: Vec<Vec<i32>> = s
                            .paths
                            .into_iter()
                            .map(|path| path[p.path.len()..].to_vec())
                            .collect();
                        if memo {
                            preset_only.push(PresetOnly {
                                kind: p.kind,
                                fields: i.fields.clone(),
                                bytes: bytes.clone(),
                                stripped: below.clone(),
                            });
                        }
                        (bytes, below)
                    }
                };
                stripped.extend(below.into_iter().map(|b| [p.path.as_slice(), &b].concat()));
                if had_fields && bytes.is_empty() {
                    // An options message emptied by stripping is removed too.
                    stripped.push(p.path.clone());
                }
                bytes
            })
            .collect()
    };
    // The same options as protoc's own classes write them, nothing stripped.
    let retained_bytes: Option<Vec<Vec<u8>>> = opts.retain_options.then(|| {
        let pool = new_pool();
        with_raw()
            .map(|(p, i)| {
                let mut s = options::Stripped {
                    path: p.path.clone(),
                    retain: true,
                    ..Default::default()
                };
                options::canonicalize_at(&pool, p.kind.message_name(), i.fields.clone(), &mut s)
            })
            .collect()
    });
    let mut proto = state.proto;
    for (p, bytes) in state.pending.iter().zip(canonical) {
        if bytes.is_empty() && !p.present {
            // Emptied by retention stripping: protoc clears the options field.
            state.extras.options.remove(&p.path);
            continue;
        }
        set_options(&mut proto, &p.path, &bytes);
        state.extras.options.insert(p.path.clone(), bytes);
    }
    let retained = retained_bytes.map(|all| {
        let mut options = state.extras.options.clone();
        for (p, bytes) in state.pending.iter().zip(all) {
            if bytes.is_empty() && !p.present {
                options.remove(&p.path);
            } else {
                options.insert(p.path.clone(), bytes);
            }
        }
        options
    });
    // What the passes after need of the assignments, made now: the pending options (their
    // values, as written) are freed here, file by file, instead of after every file's options.
    let interpreted_paths = opts
        .include_source_info
        .then(|| interpreted_paths(&state.pending, &raw));
    // Names repeat from element to element (`(google.api.field_behavior)` on most fields):
    // each distinct name is kept once.
    let mut names = HashSet::new();
    let written: OptionsByPath = state
        .pending
        .iter()
        .zip(raw)
        .zip(&assigns)
        .map(|((p, interpreted), a)| {
            let w = written_options(a, interpreted.fields, &mut names);
            (p.path.clone(), w)
        })
        .collect();
    Interpreted {
        proto,
        current,
        spans: state.spans,
        extras: state.extras,
        locations: state.locations,
        interpreted_paths,
        written,
        stripped,
        retained,
        diags,
    }
}

/// The order in which files' options can be interpreted: waves of files (each in load order),
/// every file after the files its options read. Those are the files defining the extensions
/// its option names use (with everything they import, for the types of the values), its own
/// imports when it uses its own extensions, and `descriptor.proto` when compiled. Interpreting
/// them against only those gives what interpreting against every earlier file gives: the
/// interpreter reaches other files only by those names and by extension numbers, which are
/// unique (`None`, so one file at a time, when some extendee and number is defined twice). A
/// file with an aggregate value (`{ … }`) that names extensions or `Any` types inside comes
/// after every file before it.
fn option_waves(
    files: &[FileInput],
    resolvers: &[Resolver],
    states: &[(FileState, pool::Index, Vec<Diagnostic>)],
    sources: &SourceMap,
) -> Option<Vec<Vec<usize>>> {
    let count = files.len();
    if count < 3 {
        return None;
    }
    let mut numbers = HashSet::new();
    for (_, index, _) in states {
        for key in index.extension_numbers() {
            if !numbers.insert(key) {
                return None;
            }
        }
    }
    let position: HashMap<FileId, usize> =
        files.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    let bytes = files.iter().map(|f| sources.get(f.id).text.len()).sum();
    let reads = crate::parallel::map((0..count).collect(), bytes, |i| {
        option_reads(&states[i].0.pending, &resolvers[i], &position)
    });
    let descriptor_proto = files
        .iter()
        .position(|f| f.name == "google/protobuf/descriptor.proto");
    // Per file: its wave, and the latest wave among it and everything it imports.
    let mut wave = vec![0usize; count];
    let mut reach = vec![0usize; count];
    let mut latest = 0;
    for (i, reads) in reads.into_iter().enumerate() {
        let imports_reach = files[i]
            .deps
            .iter()
            .flatten()
            .filter_map(|id| position.get(id))
            .filter(|&&j| j < i)
            .map(|&j| reach[j])
            .max();
        let mut after: Option<usize> = descriptor_proto.filter(|&d| d < i).map(|d| reach[d]);
        let mut all_before = reads.all_before;
        for j in reads.files {
            match j.cmp(&i) {
                std::cmp::Ordering::Less => after = after.max(Some(reach[j])),
                std::cmp::Ordering::Equal => after = after.max(imports_reach),
                std::cmp::Ordering::Greater => all_before = true,
            }
        }
        wave[i] = if all_before && i > 0 {
            latest + 1
        } else {
            after.map_or(0, |w| w + 1)
        };
        latest = latest.max(wave[i]);
        reach[i] = wave[i].max(imports_reach.unwrap_or(0));
    }
    let mut waves = vec![Vec::new(); latest + 1];
    for (i, &w) in wave.iter().enumerate() {
        waves[w].push(i);
    }
    Some(waves)
}

/// What a file's options read of other files ([`option_waves`]).
struct OptionReads {
    /// The files defining the extensions its option names use (positions; its own included).
    files: Vec<usize>,
    /// An aggregate value naming extensions or `Any` types inside, or a name defined outside the
    /// compilation's files: needs every file before it.
    all_before: bool,
}

/// The files `pending`'s option names resolve to. Names repeat from element to element, and
/// the elements of one scope come together: each name is resolved once per run of a scope.
fn option_reads(
    pending: &[builder::PendingOptions],
    resolver: &Resolver,
    position: &HashMap<FileId, usize>,
) -> OptionReads {
    let mut reads = OptionReads {
        files: Vec::new(),
        all_before: false,
    };
    let mut scope: &str = "";
    // Hashed: a scope (a message's fields) can use any number of distinct names.
    let mut seen: HashSet<NameKey> = HashSet::new();
    let mut files: HashSet<usize> = HashSet::new();
    for p in pending {
        if *p.scope != *scope {
            scope = &p.scope;
            seen.clear();
        }
        for (name, naming) in packed::names(&p.packed) {
            if naming {
                reads.all_before = true;
            }
            for part in name.parts {
                let ast::OptionNamePart::Extension(name, _) = part else {
                    continue;
                };
                let key = NameKey(name);
                if seen.contains(&key) {
                    continue;
                }
                // An unresolved name is an error of its own, whatever the order.
                if let Ok((_, symbol)) = resolver.resolve(&key.0, scope, Expect::Any) {
                    match position.get(&symbol.file) {
                        Some(&j) if files.insert(j) => reads.files.push(j),
                        Some(_) => {}
                        None => reads.all_before = true,
                    }
                }
                seen.insert(key);
            }
        }
    }
    reads
}

/// A name as written (leading dot and parts), hashed by its text without building it.
struct NameKey(ast::FullIdent);

impl PartialEq for NameKey {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (&self.0, &other.0);
        a.absolute == b.absolute
            && a.parts.len() == b.parts.len()
            && a.parts.iter().zip(&b.parts).all(|(x, y)| x.name == y.name)
    }
}

impl Eq for NameKey {}

impl std::hash::Hash for NameKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.absolute.hash(state);
        for part in &self.0.parts {
            part.name.hash(state);
        }
    }
}

/// One canonicalized options message of an element without option assignments.
struct PresetOnly {
    kind: OptionsKind,
    /// The interpreted fields (the preset ones).
    fields: Vec<wire::WireField>,
    /// Their canonical bytes.
    bytes: Vec<u8>,
    /// The paths retention stripping removed, below the options field's path.
    stripped: Vec<Vec<i32>>,
}

/// The validation view of one element's options.
fn written_options(
    assigns: &[ast::OptionAssign],
    fields: Vec<wire::WireField>,
    names: &mut HashSet<std::sync::Arc<[String]>>,
) -> WrittenOptions {
    // Kept until validation, for every file: without the slack of the pushes that built it (a
    // `Vec` pushed one field has room for four).
    let mut fields = fields;
    fields.shrink_to_fit();
    let written = assigns
        .iter()
        .map(|a| {
            let name: Vec<String> = a
                .name
                .parts
                .iter()
                .map(|part| match part {
                    ast::OptionNamePart::Field(id) => id.name.clone(),
                    ast::OptionNamePart::Extension(name, _) => format!("({})", name.to_text()),
                })
                .collect();
            let name = match names.get(name.as_slice()) {
                Some(shared) => std::sync::Arc::clone(shared),
                None => {
                    let shared: std::sync::Arc<[String]> = name.into();
                    names.insert(std::sync::Arc::clone(&shared));
                    shared
                }
            };
            WrittenOption {
                name,
                span: a.span,
                name_span: a.name.span,
            }
        })
        .collect();
    WrittenOptions { fields, written }
}

/// Where protoc's `OptionInterpreter` moves each option's location: from `[…options, 999, k]`
/// to `[…options, field numbers…]`, plus an index for repeated options (counted per target path,
/// in interpretation order).
fn interpreted_paths(
    pending: &[builder::PendingOptions],
    interpreted: &[options::Interpreted],
) -> HashMap<Vec<i32>, Vec<i32>> {
    let mut map = HashMap::new();
    let mut repeated_counts: HashMap<Vec<i32>, i32> = HashMap::new();
    for (p, i) in pending.iter().zip(interpreted) {
        for (k, (numbers, repeated)) in i.targets.iter().enumerate() {
            let mut src = p.path.clone();
            src.extend([tag::UNINTERPRETED_OPTION, k as i32]);
            let mut dest = p.path.clone();
            dest.extend(numbers);
            if *repeated {
                let count = repeated_counts.entry(dest.clone()).or_default();
                dest.push(*count);
                *count += 1;
            }
            map.insert(src, dest);
        }
    }
    map
}

/// The files whose symbols `f` may use: itself, its imports, and their public imports,
/// transitively.
fn visible_files(
    f: &FileInput,
    files: &[FileInput],
    trees: &[Cow<'_, ast::File>],
    by_id: &HashMap<FileId, usize>,
) -> HashSet<FileId> {
    let mut seen = HashSet::from([f.id]);
    let mut stack: Vec<FileId> = f.deps.iter().flatten().copied().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(&j) = by_id.get(&id) {
            let dep = &files[j];
            let imports = trees[j].items.iter().filter_map(|i| match i {
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
fn set_options(file: &mut FileDescriptorProto, path: &[i32], bytes: &[u8]) {
    use prost_types as p;
    fn decode<M: prost::Message + Default>(b: &[u8]) -> Option<M> {
        M::decode(b).ok()
    }
    /// Calls `set` on the `i`-th element, if there is one.
    fn at<T>(items: &mut [T], i: i32, set: impl FnOnce(&mut T)) {
        if let Some(item) = items.get_mut(i as usize) {
            set(item);
        }
    }
    fn message<'m>(
        mut m: &'m mut p::DescriptorProto,
        path: &mut &[i32],
    ) -> Option<&'m mut p::DescriptorProto> {
        while let [tag::MSG_NESTED, i, rest @ ..] = *path {
            m = m.nested_type.get_mut(*i as usize)?;
            *path = rest;
        }
        Some(m)
    }
    fn enum_options(e: &mut p::EnumDescriptorProto, path: &[i32], bytes: &[u8]) {
        match path {
            [tag::ENUM_OPTIONS] => e.options = decode(bytes),
            [tag::ENUM_VALUE, k, tag::VALUE_OPTIONS] => {
                at(&mut e.value, *k, |v| v.options = decode(bytes))
            }
            _ => {}
        }
    }
    match path {
        [tag::FILE_OPTIONS] => file.options = decode(bytes),
        [tag::FILE_EXTENSION, i, tag::FIELD_OPTIONS] => {
            at(&mut file.extension, *i, |f| f.options = decode(bytes))
        }
        [tag::FILE_ENUM, i, tail @ ..] => {
            at(&mut file.enum_type, *i, |e| enum_options(e, tail, bytes))
        }
        [tag::FILE_SERVICE, i, tail @ ..] => at(&mut file.service, *i, |s| match tail {
            [tag::SERVICE_OPTIONS] => s.options = decode(bytes),
            [tag::SERVICE_METHOD, j, tag::METHOD_OPTIONS] => {
                at(&mut s.method, *j, |m| m.options = decode(bytes))
            }
            _ => {}
        }),
        [tag::FILE_MESSAGE, i, tail @ ..] => {
            let mut rest = tail;
            let Some(m) = file
                .message_type
                .get_mut(*i as usize)
                .and_then(|top| message(top, &mut rest))
            else {
                return;
            };
            match rest {
                [tag::MSG_OPTIONS] => m.options = decode(bytes),
                [tag::MSG_FIELD, j, tag::FIELD_OPTIONS] => {
                    at(&mut m.field, *j, |f| f.options = decode(bytes))
                }
                [tag::MSG_EXTENSION, j, tag::FIELD_OPTIONS] => {
                    at(&mut m.extension, *j, |f| f.options = decode(bytes))
                }
                [tag::MSG_ONEOF, j, tag::ONEOF_OPTIONS] => {
                    at(&mut m.oneof_decl, *j, |o| o.options = decode(bytes))
                }
                [tag::MSG_EXT_RANGE, j, tag::EXT_RANGE_OPTIONS] => {
                    at(&mut m.extension_range, *j, |r| r.options = decode(bytes))
                }
                [tag::MSG_ENUM, j, tail @ ..] => {
                    at(&mut m.enum_type, *j, |e| enum_options(e, tail, bytes))
                }
                _ => {}
            }
        }
        _ => {}
    }
}

