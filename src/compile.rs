//! One compilation, start to finish, with no file IO: every file comes through a
//! [`FileResolver`].
//!
//! ```text
//! load: inputs and their imports, depth-first, each file lexed and parsed once
//!   -> symbols (pre-lowering) -> lower each file -> build descriptors -> validate
//!   -> lint (optional: warnings about the pre-lowering trees)
//!   -> print the lowered .proto of every .iproto input, and the FileDescriptorSet
//! ```
//!
//! Each stage returns its output and its diagnostics; the pipeline stops after a stage that
//! produced errors, so a user sees every error of that stage in one run and nothing is emitted.
//! **Invariant:** [`Output::has_errors`] is true exactly when some diagnostic is an error, and
//! then `proto_files` is empty and `descriptor_set` has no files.

use std::collections::{HashMap, HashSet};

use prost_types::{FileDescriptorProto, FileDescriptorSet};

use crate::ast::{self, FileItem, ImportKind};
use crate::diagnostics::{self, Diagnostic};
use crate::emit::descriptor::{self, DescriptorOptions, FileInput};
use crate::lint::{self, LintInput, Lints};
use crate::lower::{self, Style};
use crate::resolve::check::{self, CheckInput};
use crate::resolve::symbols::SymbolTable;
use crate::source::{FileId, FileResolver, ResolveError, SourceFile, SourceMap, Span};
use crate::{emit, parse, wkt};

/// What to produce.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// How inheritance is lowered.
    pub style: Style,
    /// Fill `source_code_info` in the descriptor set.
    pub include_source_info: bool,
    /// Put every imported file in the descriptor set too (protoc's `--include_imports`).
    pub include_imports: bool,
    /// Which lint rules run once the input is valid (their findings are warnings).
    pub lint: Lints,
    /// Do not print the lowered `.proto` text ([`Output::proto_files`] stays empty): for callers
    /// that only want the descriptor set, such as `iprotoc compile -o` without `--proto_out`.
    pub skip_proto_files: bool,
    /// Fill [`Output::files`]: every file of the compilation encoded both as `-o` writes it and
    /// with its source-retention options kept (what protoc hands a code generator plugin).
    pub encode_every_file: bool,
}

/// One file of the compilation, serialized both ways protoc serializes it (with
/// [`Options::encode_every_file`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncodedFile {
    /// Its name after lowering (`zoo.proto` for `zoo.iproto`).
    pub name: String,
    /// Whether it is an input (protoc: a file to generate).
    pub is_input: bool,
    /// As `-o` writes it: source-retention options stripped.
    pub stripped: Vec<u8>,
    /// As protoc's `FileDescriptor::CopyTo` writes it: source-retention options kept.
    pub retained: Vec<u8>,
}

/// A lowered `.proto` file for one `.iproto` input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtoFile {
    /// Its name: the input's name with `.iproto` replaced by `.proto` (`zoo/animals.proto`).
    pub name: String,
    /// The input's name (`zoo/animals.iproto`).
    pub source_name: String,
    /// The text.
    pub text: String,
}

/// Everything a compilation produced.
#[derive(Debug, Default)]
pub struct Output {
    /// Every file read, for rendering diagnostics.
    pub sources: SourceMap,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The lowered `.proto` of each `.iproto` input, in input order.
    pub proto_files: Vec<ProtoFile>,
    /// The descriptors of the inputs (lowered), or of everything with `include_imports`, as
    /// prost-types values (for prost-build; prost-types cannot hold editions-era fields or custom
    /// options, so do not re-encode these for output).
    pub descriptor_set: FileDescriptorSet,
    /// The same set serialized exactly as protoc would write it: what `-o` writes.
    pub descriptor_set_bytes: Vec<u8>,
    /// Where each file was read from (not the built-in well-known types), for
    /// `cargo:rerun-if-changed`.
    pub files_read: Vec<String>,
    /// With [`Options::encode_every_file`]: every file in load order (each after the files it
    /// imports), source info included when asked for.
    pub files: Vec<EncodedFile>,
    /// The inputs' names after lowering, in command-line order (duplicates removed).
    pub input_names: Vec<String>,
}

impl Output {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Renders the diagnostics.
    pub fn render(&self, format: diagnostics::Format, color: bool) -> String {
        diagnostics::render(&self.diagnostics, &self.sources, format, color)
    }
}

/// The name a file gets after lowering: `x.iproto` → `x.proto`; other names are kept.
pub fn lowered_name(name: &str) -> String {
    match name.strip_suffix(".iproto") {
        Some(stem) => format!("{stem}.proto"),
        None => name.to_string(),
    }
}

/// Compiles `inputs` (names relative to the resolver's roots, as protoc names files).
pub fn compile(resolver: &dyn FileResolver, inputs: &[String], options: &Options) -> Output {
    let mut out = Output::default();
    // Attached comments are read only by source info and by the `.proto` printer, which prints
    // the `.iproto` inputs when their text is asked for: other trees are parsed without them.
    let printed: HashSet<&str> = if options.skip_proto_files {
        HashSet::new()
    } else {
        inputs
            .iter()
            .map(String::as_str)
            .filter(|n| n.ends_with(".iproto"))
            .collect()
    };
    let comments = |name: &str| options.include_source_info || printed.contains(name);
    let mut loaded = load(resolver, inputs, &comments, &mut out);
    report_name_clashes(&loaded, &mut out);
    if finish_stage(&mut out) {
        return out;
    }

    // The source the per-file stages below stand for (whether they are worth the threads).
    let source_bytes: usize = loaded
        .files
        .iter()
        .map(|f| out.sources.get(f.id).text.len())
        .sum();

    // Which files each file can see: itself, its imports, and their public imports, transitively.
    let visible: Vec<Vec<bool>> = (0..loaded.files.len())
        .map(|i| visible_files(&loaded.files, i))
        .collect();

    // Lowering resolves base classes against the symbols of every file, before lowering. Each
    // tree is lowered in place. The inheritance lints (all that `compile` runs) read only the
    // parsed trees, so they run now, before lowering, and have nothing to say about a
    // compilation that declares no subclass. `check` runs every rule, and one of them reads the
    // lowered trees too: then the parsed trees are copied and linted at the end.
    let any_subclass = loaded
        .files
        .iter()
        .any(|f| lower::hierarchy::has_inheritance(&f.ast.items));
    let (lint_on, lint_late) = match options.lint {
        Lints::Off => (false, false),
        Lints::Inheritance => (any_subclass, false),
        Lints::All => (true, true),
    };
    let (mut symbols, mut symbol_diags) =
        SymbolTable::build(loaded.files.iter().map(|f| (f.id, &f.ast)));
    // Findings are reported only if the compilation gets as far as linting (no errors).
    let mut lint_found = Vec::new();
    if lint_on && !lint_late {
        lint_found = run_lint(
            &loaded,
            &visible,
            &out.sources,
            None,
            &symbols,
            options.lint,
        );
    }
    // Each file is lowered on its own (against the shared symbol table), so on all cores.
    let index_of = &loaded.index_of;
    let parsed: Vec<(FileId, ast::File, &Vec<bool>)> = loaded
        .files
        .iter_mut()
        .zip(&visible)
        .map(|(f, vis)| {
            let tree = if lint_late {
                f.ast.clone()
            } else {
                std::mem::take(&mut f.ast)
            };
            (f.id, tree, vis)
        })
        .collect();
    let lowered_with_diags = crate::parallel::map(parsed, source_bytes, |(id, tree, vis)| {
        let can_see = |id: FileId| index_of.get(&id).is_some_and(|&j| vis[j]);
        lower::lower_file_recording(id, tree, &symbols, &can_see, options.style)
    });
    let mut lowered = Vec::with_capacity(lowered_with_diags.len());
    let mut generated = Vec::with_capacity(lowered_with_diags.len());
    for (tree, diags, new_symbols) in lowered_with_diags {
        out.diagnostics.extend(diags);
        lowered.push(tree);
        generated.push(new_symbols);
    }
    // The descriptor builder needs the table of the lowered trees: this one plus the names
    // lowering generated (checked against this one as they were generated). `check`'s late
    // lint still reads this one, so the builder builds its own then.
    let (symbols, prebuilt) = if lint_late {
        (Some(symbols), None)
    } else {
        for new_symbols in generated {
            symbol_diags.extend(symbols.add(new_symbols));
        }
        (None, Some((symbols, symbol_diags)))
    };
    if finish_stage(&mut out) {
        return out;
    }
    #[cfg(debug_assertions)]
    if let Some((symbols, diags)) = &prebuilt {
        same_as_rebuilt(symbols, diags, &loaded, &lowered);
    }

    let names: Vec<String> = loaded.files.iter().map(|f| lowered_name(&f.name)).collect();
    let deps: Vec<Vec<Option<FileId>>> = loaded
        .files
        .iter()
        .map(|f| {
            f.imports
                .iter()
                .map(|imp| imp.target.map(|j| loaded.files[j].id))
                .collect()
        })
        .collect();
    let inputs_for_builder: Vec<FileInput> = loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| FileInput {
            id: f.id,
            name: &names[i],
            ast: &lowered[i],
            deps: &deps[i],
        })
        .collect();
    let desc_options = DescriptorOptions {
        include_source_info: options.include_source_info,
        retain_options: options.encode_every_file,
    };
    let (mut built, diags) =
        descriptor::build_with_symbols(&inputs_for_builder, &out.sources, &desc_options, prebuilt);
    drop(inputs_for_builder);
    out.diagnostics.extend(diags);
    if finish_stage(&mut out) {
        return out;
    }
    // The lowered `.proto` text is printed now, so that the lowered trees can be dropped before
    // validation (they are as large as the descriptors); it is handed out only if the rest
    // succeeds. Lint still reads the lowered trees, so they are kept when it runs.
    let mut proto_files = Vec::new();
    if !options.skip_proto_files {
        for &i in &loaded.input_indices {
            let f = &loaded.files[i];
            if !f.name.ends_with(".iproto") {
                continue;
            }
            let header = format!("Generated by iprotoc from {}. Do not edit.", f.name);
            proto_files.push(ProtoFile {
                name: names[i].clone(),
                source_name: f.name.clone(),
                text: emit::proto::print_file(&lowered[i], Some(&header)),
            });
        }
    }
    if !lint_late {
        crate::parallel::drop_in_background(std::mem::take(&mut lowered), source_bytes);
    }
    // iprotoc's built-in copies of protoc's own files pass every check, as long as everything
    // they import is built in too (files come in dependency order).
    let mut known_valid: Vec<bool> = Vec::with_capacity(loaded.files.len());
    for f in &loaded.files {
        let builtin = crate::wkt::get(&f.name) == Some(out.sources.get(f.id).text.as_str());
        let imports_valid = f.imports.iter().all(|imp| {
            imp.target
                .is_some_and(|j| known_valid.get(j) == Some(&true))
        });
        known_valid.push(builtin && imports_valid);
    }
    let check_inputs: Vec<CheckInput> = loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            CheckInput::new(f.id, &built.files[i], &built.spans[i])
                .with_encoded(&built.encoded[i])
                .with_options(&built.options[i])
                .known_valid(known_valid[i])
        })
        .collect();
    out.diagnostics.extend(check::check_files(&check_inputs));
    if finish_stage(&mut out) {
        return out;
    }

    // Lint the user's source (the trees before lowering); findings are warnings.
    if let Some(symbols) = &symbols {
        lint_found = run_lint(
            &loaded,
            &visible,
            &out.sources,
            Some(&lowered),
            symbols,
            options.lint,
        );
    }
    if lint_on {
        out.diagnostics.extend(lint_found);
        finish_stage(&mut out);
    }

    // Emit.
    // protoc writes each file after the files it imports, inputs included (an input that
    // imports another input comes after it, whatever the command-line order). The load order is
    // that order: depth-first from the inputs in command-line order, imports first.
    let pick: Vec<usize> = if options.include_imports {
        (0..loaded.files.len()).collect()
    } else {
        (0..loaded.files.len())
            .filter(|i| loaded.input_indices.contains(i))
            .collect()
    };
    out.descriptor_set_bytes = built.descriptor_set(pick.iter().copied());
    out.input_names = loaded
        .input_indices
        .iter()
        .map(|&i| names[i].clone())
        .collect();
    if options.encode_every_file {
        let stripped = std::mem::take(&mut built.encoded);
        let retained = std::mem::take(&mut built.retained);
        out.files = (0..loaded.files.len())
            .zip(stripped.into_iter().zip(retained))
            .map(|(i, (stripped, retained))| EncodedFile {
                name: names[i].clone(),
                is_input: loaded.input_indices.contains(&i),
                stripped,
                retained,
            })
            .collect();
    }
    // The descriptors are not needed any more: move them out instead of copying.
    let mut files: Vec<Option<FileDescriptorProto>> = built.files.into_iter().map(Some).collect();
    out.descriptor_set.file = pick.iter().filter_map(|&i| files[i].take()).collect();
    out.proto_files = proto_files;
    // What validation read (every element's options) is freed on the pool: on a large
    // compilation that is a walk through memory long out of the cache, which nothing waits for.
    let descriptor::Built {
        spans,
        encoded,
        options: written,
        ..
    } = built;
    crate::parallel::drop_in_background((spans, encoded, written, files), source_bytes);
    out
}

/// Checks (in debug builds, so on every compile of the test suite) that the table lowering
/// extended is the one a fresh build of the lowered trees gives, diagnostics included.
#[cfg(debug_assertions)]
fn same_as_rebuilt(
    symbols: &SymbolTable,
    diags: &[Diagnostic],
    loaded: &Loaded,
    lowered: &[ast::File],
) {
    let (rebuilt, rebuilt_diags) =
        SymbolTable::build(loaded.files.iter().zip(lowered).map(|(f, t)| (f.id, t)));
    assert_eq!(symbols.sorted(), rebuilt.sorted(), "extended symbol table");
    let messages =
        |d: &[Diagnostic]| -> Vec<String> { d.iter().map(|d| format!("{d:?}")).collect() };
    assert_eq!(
        messages(diags),
        messages(&rebuilt_diags),
        "symbol diagnostics"
    );
}

/// Runs the lint rules selected by `lints` over the loaded files (`lowered`: their trees after
/// lowering, for the rules that read them; without it those rules find nothing).
fn run_lint(
    loaded: &Loaded,
    visible: &[Vec<bool>],
    sources: &SourceMap,
    lowered: Option<&[ast::File]>,
    symbols: &SymbolTable,
    lints: Lints,
) -> Vec<Diagnostic> {
    let can_see: Vec<_> = (0..loaded.files.len())
        .map(|i| {
            let (index_of, vis) = (&loaded.index_of, &visible[i]);
            move |id: FileId| index_of.get(&id).is_some_and(|&j| vis[j])
        })
        .collect();
    let lint_inputs: Vec<LintInput> = loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| LintInput {
            id: f.id,
            source: sources.get(f.id),
            ast: &f.ast,
            lowered: lowered.map(|l| &l[i]),
            visible: &can_see[i],
            is_input: loaded.input_indices.contains(&i),
        })
        .collect();
    lint::lint(&lint_inputs, symbols, lints)
}

/// `a.iproto` and `a.proto` in one compilation would both become `a.proto`.
fn report_name_clashes(loaded: &Loaded, out: &mut Output) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for f in &loaded.files {
        let lowered = lowered_name(&f.name);
        if let Some(first) = seen.insert(lowered.clone(), &f.name) {
            out.diagnostics.push(
                Diagnostic::error("LOWERED_NAME_CLASH", format!("\"{first}\" and \"{}\" would both be written as \"{lowered}\"", f.name))
                    .help("rename one of them: a lowered .iproto file takes the name of the .proto beside it"),
            );
        }
    }
}

/// Sorts the diagnostics so far; true when they hold an error (the pipeline stops).
fn finish_stage(out: &mut Output) -> bool {
    diagnostics::sort(&mut out.diagnostics);
    out.has_errors()
}

/// A loaded, parsed file.
struct LoadedFile {
    id: FileId,
    name: String,
    ast: ast::File,
    imports: Vec<ResolvedImport>,
}

/// An import statement and the file it names.
struct ResolvedImport {
    kind: ImportKind,
    /// Index into `Loaded::files`; `None` when missing (already reported).
    target: Option<usize>,
}

/// Every file of the compilation, in dependency order (each after the files it imports).
#[derive(Default)]
struct Loaded {
    files: Vec<LoadedFile>,
    /// `Loaded::files` index of each input, in command-line order (deduplicated).
    input_indices: Vec<usize>,
    index_of: HashMap<FileId, usize>,
}

/// A file being visited by the depth-first load.
struct Pending {
    id: FileId,
    name: String,
    ast: ast::File,
    /// The import statements: kind, name as written, span of the name.
    imports: Vec<(ImportKind, String, Span)>,
    /// Resolved so far (by position in `imports`).
    resolved: Vec<ResolvedImport>,
}

/// Reads and parses the inputs and everything they import, depth-first with an explicit stack (a
/// long import chain cannot overflow the call stack), reporting missing files and cycles.
/// Comments are attached to the trees of the files `comments` names.
fn load(
    resolver: &dyn FileResolver,
    inputs: &[String],
    comments: &(dyn Fn(&str) -> bool + Sync),
    out: &mut Output,
) -> Loaded {
    let mut preloaded = preload(resolver, inputs, comments);
    let mut loaded = Loaded::default();
    // State of each name: being loaded (on the stack) or done (index into loaded.files).
    let mut done: HashMap<String, usize> = HashMap::new();
    let mut on_stack: Vec<Pending> = Vec::new();
    let mut missing: HashSet<String> = HashSet::new();

    for input in inputs {
        if let Some(&i) = done.get(input.as_str()) {
            if !loaded.input_indices.contains(&i) {
                loaded.input_indices.push(i);
            }
            continue;
        }
        match open(resolver, &mut preloaded, input, comments, out) {
            Ok(p) => on_stack.push(p),
            Err(e) => {
                let mut d = Diagnostic::error("INPUT_NOT_FOUND", format!("{input}: {e}"));
                if e == ResolveError::NotFound {
                    d = d.help(resolver_help(resolver, input));
                }
                out.diagnostics.push(d);
                continue;
            }
        }
        while let Some(top) = on_stack.last() {
            let next = top.resolved.len();
            if next == top.imports.len() {
                let p = on_stack.pop().expect("stack is not empty");
                let index = loaded.files.len();
                done.insert(p.name.clone(), index);
                loaded.index_of.insert(p.id, index);
                loaded.files.push(LoadedFile {
                    id: p.id,
                    name: p.name,
                    ast: p.ast,
                    imports: p.resolved,
                });
                continue;
            }
            let (kind, name, span) = top.imports[next].clone();
            let file = top.id;
            let target = if let Some(&j) = done.get(&name) {
                Some(j)
            } else if let Some(pos) = on_stack.iter().position(|p| p.name == name) {
                let mut chain: Vec<&str> =
                    on_stack[pos..].iter().map(|p| p.name.as_str()).collect();
                chain.push(&name);
                out.diagnostics.push(
                    Diagnostic::error("IMPORT_CYCLE", format!("file recursively imports itself: {}", chain.join(" -> ")))
                        .at(file, span, "this import closes the cycle")
                        .help("protobuf imports cannot form a cycle: move the shared definitions into a file both can import"),
                );
                None
            } else if missing.contains(&name) {
                out.diagnostics.push(missing_import(
                    resolver,
                    file,
                    span,
                    &name,
                    &ResolveError::NotFound,
                ));
                None
            } else {
                match open(resolver, &mut preloaded, &name, comments, out) {
                    Ok(p) => {
                        // Visit the import first; this statement is resolved when it is done.
                        on_stack.push(p);
                        continue;
                    }
                    Err(e) => {
                        out.diagnostics
                            .push(missing_import(resolver, file, span, &name, &e));
                        missing.insert(name);
                        None
                    }
                }
            };
            on_stack
                .last_mut()
                .expect("stack is not empty")
                .resolved
                .push(ResolvedImport { kind, target });
        }
        if let Some(&i) = done.get(input.as_str()) {
            if !loaded.input_indices.contains(&i) {
                loaded.input_indices.push(i);
            }
        }
    }
    loaded
}

fn missing_import(
    resolver: &dyn FileResolver,
    file: FileId,
    span: Span,
    name: &str,
    e: &ResolveError,
) -> Diagnostic {
    let d = Diagnostic::error(
        "IMPORT_NOT_FOUND",
        format!("import \"{name}\" was not found"),
    );
    match e {
        ResolveError::NotFound => d
            .at(file, span, "no include directory has this file")
            .help(resolver_help(resolver, name)),
        ResolveError::Io(msg) => d
            .at(file, span, "this file could not be read")
            .note(msg.clone()),
    }
}

fn resolver_help(resolver: &dyn FileResolver, name: &str) -> String {
    match resolver.search_description() {
        Some(dirs) => {
            format!("looked for \"{name}\" in {dirs}; add the directory that holds it with -I")
        }
        None => format!("make \"{name}\" available to the resolver"),
    }
}

/// The largest file read: spans are `u32` byte offsets.
pub const MAX_FILE_SIZE: usize = u32::MAX as usize - 1;

/// A file read, decoded and parsed ahead of the depth-first load, which only has to give it its
/// [`FileId`] (in the same order as without preloading, so diagnostics sort the same).
struct Preloaded {
    display_path: String,
    builtin: bool,
    text: String,
    /// Offset of the first byte that is not UTF-8.
    bad_utf8: Option<usize>,
    ast: ast::File,
    /// Located in [`PROVISIONAL`]: the loader moves them to the file's id.
    diags: Vec<Diagnostic>,
}

/// The file id parse diagnostics carry until the loader assigns the real one.
const PROVISIONAL: FileId = FileId(u32::MAX);

/// Reads every file the inputs reach through imports, breadth first, and parses each wave of
/// newly discovered files on all cores. Reading goes through the resolver on this thread (it need
/// not be `Sync`), while helper threads parse what is read ([`crate::parallel::map_as_produced`]);
/// the results are keyed by name, so they do not depend on thread timing.
/// Comments are attached to the files `comments` names.
fn preload(
    resolver: &dyn FileResolver,
    inputs: &[String],
    comments: &(dyn Fn(&str) -> bool + Sync),
) -> HashMap<String, Result<Preloaded, ResolveError>> {
    let mut done: HashMap<String, Result<Preloaded, ResolveError>> = HashMap::new();
    let mut wave: Vec<String> = Vec::new();
    // Every name ever put in a wave.
    let mut queued: HashSet<String> = HashSet::new();
    for i in inputs {
        if queued.insert(i.clone()) {
            wave.push(i.clone());
        }
    }
    while !wave.is_empty() {
        // Files are parsed on helper threads while this thread reads the rest of the wave.
        let mut failed = Vec::new();
        let read = wave
            .drain(..)
            .filter_map(|name| match read_file(resolver, &name) {
                Ok(r) => {
                    let size = r.text.len();
                    Some(((name, r), size))
                }
                Err(e) => {
                    failed.push((name, e));
                    None
                }
            });
        let parsed = crate::parallel::map_as_produced(read, |(name, r)| {
            let comments = comments(&name);
            (name, parse_one(r, comments))
        });
        for (name, e) in failed {
            done.insert(name, Err(e));
        }
        let mut next: Vec<String> = Vec::new();
        for (name, p) in parsed {
            for item in &p.ast.items {
                if let FileItem::Import(imp) = item {
                    let target = imp.path.to_text();
                    if !queued.contains(&target) {
                        queued.insert(target.clone());
                        next.push(target);
                    }
                }
            }
            done.insert(name, Ok(p));
        }
        wave = next;
    }
    done
}

/// A file as read: display path, text, whether built in, and where UTF-8 decoding failed.
struct Read {
    display_path: String,
    builtin: bool,
    text: String,
    bad_utf8: Option<usize>,
}

/// Reads one file from the resolver, else the built-in well-known types, and decodes it.
fn read_file(resolver: &dyn FileResolver, name: &str) -> Result<Read, ResolveError> {
    let (display_path, contents, builtin) = match resolver.open(name) {
        Ok(f) => (f.display_path, f.contents, false),
        Err(ResolveError::NotFound) => match wkt::get(name) {
            Some(text) => (format!("<built-in>/{name}"), text.as_bytes().to_vec(), true),
            None => return Err(ResolveError::NotFound),
        },
        Err(e) => return Err(e),
    };
    if contents.len() > MAX_FILE_SIZE {
        return Err(ResolveError::Io(format!(
            "{display_path}: the file is larger than 4 GiB, the most iprotoc reads"
        )));
    }
    let (text, bad_utf8) = match String::from_utf8(contents) {
        Ok(t) => (t, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
        }
    };
    Ok(Read {
        display_path,
        builtin,
        text,
        bad_utf8,
    })
}

/// Parses one file as read, attaching comments if asked to.
fn parse_one(r: Read, comments: bool) -> Preloaded {
    let (ast, diags) = parse::parse_with(PROVISIONAL, &r.text, parse::ParseOptions { comments });
    Preloaded {
        display_path: r.display_path,
        builtin: r.builtin,
        text: r.text,
        bad_utf8: r.bad_utf8,
        ast,
        diags,
    }
}

/// Opens one file: takes it from the preloaded files (else reads and parses it now), gives it
/// its id and reports undecodable bytes.
fn open(
    resolver: &dyn FileResolver,
    preloaded: &mut HashMap<String, Result<Preloaded, ResolveError>>,
    name: &str,
    comments: &(dyn Fn(&str) -> bool + Sync),
    out: &mut Output,
) -> Result<Pending, ResolveError> {
    let p = match preloaded.remove(name) {
        Some(p) => p?,
        None => parse_one(read_file(resolver, name)?, comments(name)),
    };
    if !p.builtin {
        out.files_read.push(p.display_path.clone());
    }
    let id = out
        .sources
        .add(SourceFile::new(name, p.display_path, p.text));
    if let Some(at) = p.bad_utf8 {
        out.diagnostics.push(
            Diagnostic::error("INVALID_UTF8", "the file is not valid UTF-8")
                // The text holds U+FFFD (3 bytes) where the bad byte was; the prefix is unchanged.
                .at(id, Span::new(at, at + char::REPLACEMENT_CHARACTER.len_utf8()), "this byte is not UTF-8")
                .help("protobuf files are UTF-8 text: save the file as UTF-8 (use escapes such as \\xFF for bytes in strings)"),
        );
    }
    let tree = p.ast;
    out.diagnostics.extend(p.diags.into_iter().map(|mut d| {
        for label in d.primary.iter_mut().chain(d.secondary.iter_mut()) {
            label.location.file = id;
        }
        d
    }));
    check_package_length(id, &tree, out);
    let imports = tree
        .items
        .iter()
        .filter_map(|item| match item {
            FileItem::Import(imp) => Some((imp.kind, imp.path.to_text(), imp.path.span)),
            _ => None,
        })
        .collect();
    Ok(Pending {
        id,
        name: name.to_string(),
        ast: tree,
        imports,
        resolved: Vec::new(),
    })
}

/// The most components a package name may have. Every prefix of a package is a symbol (as in
/// protoc), so the symbol table holds a quadratic number of bytes in the package's length: 50,000
/// components took minutes and gigabytes. Real packages have a handful.
pub const MAX_PACKAGE_COMPONENTS: usize = 1000;

fn check_package_length(id: FileId, tree: &ast::File, out: &mut Output) {
    for item in &tree.items {
        let FileItem::Package(p) = item else { continue };
        if let Some(first_extra) = p.name.parts.get(MAX_PACKAGE_COMPONENTS) {
            let end = p.name.parts.last().map_or(first_extra.span, |l| l.span);
            out.diagnostics.push(
                Diagnostic::error(
                    "PACKAGE_TOO_LONG",
                    format!(
                        "the package name has {} components; iprotoc reads at most {MAX_PACKAGE_COMPONENTS}",
                        p.name.parts.len()
                    ),
                )
                .at(id, first_extra.span.to(end), "too many components"),
            );
        }
    }
}

/// Which files (by `Loaded::files` index) file `i` can see.
fn visible_files(files: &[LoadedFile], i: usize) -> Vec<bool> {
    let mut seen = vec![false; files.len()];
    seen[i] = true;
    let mut stack: Vec<usize> = files[i]
        .imports
        .iter()
        .filter_map(|imp| imp.target)
        .collect();
    while let Some(j) = stack.pop() {
        if std::mem::replace(&mut seen[j], true) {
            continue;
        }
        stack.extend(
            files[j]
                .imports
                .iter()
                .filter(|imp| imp.kind == ImportKind::Public)
                .filter_map(|imp| imp.target),
        );
    }
    seen
}
