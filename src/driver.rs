//! The driver: one compilation, start to finish, one call a stage, with no file IO (every file
//! comes through a [`FileResolver`]).
//!
//! ```text
//! load      inputs and their imports, read, parsed (crate::load)
//! resolve   the symbol table of the parsed trees (crate::resolve)
//! lint      the parsed trees, when asked (crate::lint; reported at the end)
//! lower     each file on its own (crate::lower); the table gains what lowering generated
//! describe  lowered trees -> FileDescriptorProto, names linked, options interpreted
//!           (crate::descriptor)
//! print     the `--proto_out` tree (crate::print)
//! validate  protoc's checks over the descriptors (crate::validate)
//! emit      the FileDescriptorSet, as protoc orders and encodes it
//! ```
//!
//! Each stage returns its output and its diagnostics, and errors are reported in protoc's
//! groups: every error of a group in one run, nothing that only follows from an error of an
//! earlier group, nothing emitted.
//!
//! 1. **load**: a file that cannot be read or parsed stops the compilation (protoc stops after
//!    its parser too).
//! 2. **lower**: lowering's errors, with the names the parsed trees define twice (which do not
//!    depend on lowering).
//! 3. **describe and validate**, in protoc's order of `DescriptorBuilder` steps. Validation runs
//!    over what was built even when linking or options failed, and its findings are split
//!    ([`crate::validate::BUILD_CHECKS`]):
//!    - a scalar field's default that does not fit its type is protoc's parser's error: alone;
//!    - else building and linking: names defined twice, names that do not resolve, and the
//!      checks protoc makes while building (numbers, reserved ranges and names, extension
//!      ranges, empty enums): together;
//!    - else option interpretation (protoc interprets options only after a clean link);
//!    - else the rest of validation (protoc's `ValidateOptions`: proto3 and editions rules, JSON
//!      names, maps, packed…).
//!
//! Lint findings are warnings, reported only when every stage passed.
//!
//! **Invariant:** [`Output::has_errors`] is true exactly when some diagnostic is an error, and
//! then `proto_files` is empty and `descriptor_set` has no files.

use std::borrow::Cow;

use prost_types::{FileDescriptorProto, FileDescriptorSet};

use crate::ast;
use crate::descriptor::{self, Built, DescriptorOptions, FileInput};
use crate::diagnostics::{self, Diagnostic};
use crate::lint::{self, GeneratedInput, LintInput, Lints};
pub use crate::load::ParseCache;
use crate::load::{self, CommentPolicy, Loaded, Visible};
use crate::lower::cross::Cross;
use crate::lower::imports::FileRef;
use crate::lower::{self, GeneratedDiscriminator, Style};
use crate::resolve::symbols::SymbolTable;
use crate::source::{FileId, FileResolver, SourceMap};
use crate::validate::{self, CheckInput};
use crate::{print, wkt};

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
    /// Do not make the `.proto` tree ([`Output::proto_files`] stays empty): for callers that
    /// only want the descriptor set, such as `iprotoc compile -o` without `--proto_out`.
    pub skip_proto_files: bool,
    /// Fill [`Output::files`]: every file of the compilation encoded both as `-o` writes it and
    /// with its source-retention options kept (what protoc hands a code generator plugin).
    pub encode_every_file: bool,
    /// Warn about each class an input's root registers that no file of the compilation
    /// declares (`SUBCLASS_REGISTERED_NOT_FOUND`): `check --require-complete-hierarchies`.
    pub require_complete_hierarchies: bool,
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

/// One file of the `.proto` tree a compilation writes (`--proto_out`, or `OUT_DIR` from a build
/// script).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtoFile {
    /// Its name in the tree: the source's name with `.iproto` replaced by `.proto`
    /// (`zoo/animals.proto`).
    pub name: String,
    /// The name of the file it comes from (`zoo/animals.iproto`).
    pub source_name: String,
    /// The text.
    pub text: String,
    /// How the text was made.
    pub kind: ProtoFileKind,
}

/// How a file of the `.proto` tree was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtoFileKind {
    /// Printed from the lowered tree, with a "Generated by iprotoc" header: every `.iproto`
    /// file, and every `.proto` file that lowering changes (it declares a subclass, or imports
    /// an `.iproto` file, whose import now names the lowered `.proto`).
    Lowered,
    /// A `.proto` file lowering leaves as it is: its text as read, byte for byte.
    Copied,
}

/// Everything a compilation produced.
#[derive(Debug, Default)]
pub struct Output {
    /// Every file read, for rendering diagnostics.
    pub sources: SourceMap,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The `.proto` tree: one file for every file of the compilation (inputs and everything
    /// they import) except protoc's well-known types, so that protoc run on this tree alone
    /// (`protoc -I TREE …`, with only its own `google/protobuf/*` besides) compiles every file of
    /// it to the descriptors of [`Output::descriptor_set`]. Each import names a file of the tree
    /// or a well-known type. Inputs come first, in input order, then the other files, each after
    /// the files it imports. Empty with `Options::skip_proto_files`.
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
    /// With `Options::encode_every_file`: every file in load order (each after the files it
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

/// Compiles `inputs` (names relative to the resolver's roots, as protoc names files).
pub fn compile(resolver: &dyn FileResolver, inputs: &[String], options: &Options) -> Output {
    compile_cached(resolver, inputs, options, None)
}

/// [`compile`], taking the parsed trees of files whose text `cache` holds instead of parsing
/// them again (and adding the others to it): for a language server, which compiles on every
/// keystroke while only the edited file changes.
pub fn compile_cached(
    resolver: &dyn FileResolver,
    inputs: &[String],
    options: &Options,
    cache: Option<&ParseCache>,
) -> Output {
    let mut out = Output::default();
    let comments = CommentPolicy {
        all: options.include_source_info,
        printed: (!options.skip_proto_files).then_some(lower::changes_file),
    };
    let (mut loaded, log) = load::load(resolver, inputs, comments, cache);
    out.sources = log.sources;
    out.files_read = log.files_read;
    out.diagnostics = log.diagnostics;
    out.diagnostics.extend(lower::name_clashes(
        loaded.files.iter().map(|f| f.name.as_str()),
    ));
    if finish_stage(&mut out) {
        return out;
    }
    let (plan, too_visible) = Plan::new(&loaded, &out.sources, options);
    if let Some(i) = too_visible {
        out.diagnostics.push(load::too_visible(&loaded.files[i]));
        finish_stage(&mut out);
        return out;
    }

    let (mut symbols, mut symbol_diags) =
        SymbolTable::build(loaded.files.iter().map(|f| (f.id, &f.ast)));

    // Lint reads the parsed trees, which lowering rewrites in place: it runs now, and its
    // findings wait for the end (reported only if every stage passes).
    let linted = if plan.lint {
        lint_parsed(&loaded, &plan.visible, &out.sources, &symbols, options.lint)
    } else {
        Vec::new()
    };

    // Hierarchies across files: the facts of every class, gathered before any file is lowered,
    // so that each file's classes are checked against the registry of their root and the range
    // of their parent in another file.
    let cross = if plan.any_subclass {
        gather_hierarchies(&loaded, &plan, &symbols)
    } else {
        Cross::default()
    };
    // Reported with the lint findings, when the compilation gets that far.
    let incomplete = if options.require_complete_hierarchies {
        cross.registered_not_found(|f| loaded.index_of.get(&f).is_some_and(|&i| loaded.is_input(i)))
    } else {
        Vec::new()
    };

    let lowered = lower_all(&mut loaded, &plan, &symbols, options.style, &cross);
    // The clashes of the parsed trees do not depend on lowering: reported with its errors.
    let parsed_clashes = symbol_diags.len();
    let mut trees = Vec::with_capacity(lowered.len());
    let mut discriminators = Vec::with_capacity(lowered.len());
    for file in lowered {
        out.diagnostics.extend(file.diagnostics);
        // The table of the lowered trees: the parsed trees' plus what lowering generated
        // (checked against it as it was generated).
        symbol_diags.extend(symbols.add(file.symbols));
        trees.push(file.tree);
        discriminators.push(file.discriminators);
    }
    let linted = if plan.lint {
        merge_lint(
            linted,
            lint_generated(&loaded, &out.sources, &discriminators, options.lint),
        )
    } else {
        Vec::new()
    };
    if out.has_errors() {
        symbol_diags.truncate(parsed_clashes);
        out.diagnostics.append(&mut symbol_diags);
        finish_stage(&mut out);
        return out;
    }
    #[cfg(debug_assertions)]
    same_as_rebuilt(&symbols, &symbol_diags, &loaded, &trees);

    let names: Vec<String> = loaded
        .files
        .iter()
        .map(|f| lower::lowered_name(&f.name))
        .collect();
    // Oneof style over a hierarchy across files reverses imports (a parent's file imports its
    // subclasses' files): the lowered trees' imports are the dependencies then.
    let reversed = options.style == Style::Oneof && cross.spans_files();
    drop(cross);
    let deps = if reversed {
        let ids: Vec<FileId> = loaded.files.iter().map(|f| f.id).collect();
        let deps = lower::imports::lowered_deps(&ids, &names, &trees);
        out.diagnostics.extend(lower::imports::import_cycles(
            &ids,
            &names,
            &deps,
            &trees,
            &loaded.index_of,
        ));
        if finish_stage(&mut out) {
            return out;
        }
        deps
    } else {
        parsed_deps(&loaded)
    };
    // The `.proto` tree is printed before the descriptors are built, since building frees each
    // lowered tree as soon as its descriptor is made (the trees are as large as the
    // descriptors); it is handed out only if the rest succeeds.
    let proto_files = if options.skip_proto_files {
        Vec::new()
    } else {
        proto_tree(&loaded, &out.sources, &names, &trees, &plan.printed)
    };
    let (mut built, diags) = describe(
        &loaded,
        &names,
        trees,
        &deps,
        &out.sources,
        options,
        (symbols, symbol_diags),
    );
    // What protoc's parser would have refused: protoc stops there.
    if diags.parse.iter().any(Diagnostic::is_error) {
        out.diagnostics.extend(diags.parse);
        finish_stage(&mut out);
        return out;
    }
    out.diagnostics.extend(diags.parse);
    let failed = diags.link.iter().any(Diagnostic::is_error)
        || diags.options.iter().any(Diagnostic::is_error);

    let proto_files = if failed { Vec::new() } else { proto_files };

    // Validation runs over what was built even when linking or options failed: the checks
    // protoc makes while building and linking are reported with the names that did not
    // resolve; option errors only when those found nothing (protoc interprets options only
    // then); the rest of validation only when everything before passed.
    let (build_checks, rest) =
        validate::split_build_checks(validate_all(&loaded, &out.sources, &built));
    if diags.link.iter().any(Diagnostic::is_error) || build_checks.iter().any(Diagnostic::is_error)
    {
        out.diagnostics.extend(diags.link);
        out.diagnostics.extend(build_checks);
        finish_stage(&mut out);
        return out;
    }
    out.diagnostics.extend(diags.link);
    out.diagnostics.extend(build_checks);
    if diags.options.iter().any(Diagnostic::is_error) {
        out.diagnostics.extend(diags.options);
        finish_stage(&mut out);
        return out;
    }
    out.diagnostics.extend(diags.options);
    out.diagnostics.extend(rest);
    if finish_stage(&mut out) {
        return out;
    }

    if plan.lint || !incomplete.is_empty() {
        out.diagnostics.extend(linted);
        out.diagnostics.extend(incomplete);
        // A denied lint rule's findings are errors: nothing is emitted then.
        if finish_stage(&mut out) {
            return out;
        }
    }

    // protoc writes each file after the files it imports, inputs included (an input that
    // imports another input comes after it, whatever the command-line order). The load order is
    // that order: depth-first from the inputs in command-line order, imports first; with
    // reversed imports, the order of the lowered imports.
    let order: Vec<usize> = if reversed {
        lower::imports::dependency_order(&loaded.input_indices, &deps, &loaded.index_of)
    } else {
        (0..loaded.files.len()).collect()
    };
    emit(
        &mut out,
        &loaded,
        &names,
        &order,
        &mut built,
        options,
        plan.source_bytes,
    );
    out.proto_files = proto_files;
    out
}

/// What the driver decides about a compilation once it is loaded.
struct Plan {
    /// The source the per-file stages stand for (whether they are worth the threads).
    source_bytes: usize,
    /// Which files each file can see: itself, its imports, and their public imports,
    /// transitively.
    visible: Vec<Visible>,
    /// Which files the `.proto` tree holds as printed from their lowered trees (the others are
    /// copied as read), decided on the trees before lowering; empty without a `.proto` tree.
    printed: Vec<bool>,
    /// Whether lint runs: not when the only rules on are the inheritance rules, which have
    /// nothing to say about a compilation that declares no subclass.
    lint: bool,
    /// Whether any file declares a subclass (or registers one).
    any_subclass: bool,
}

impl Plan {
    fn new(loaded: &Loaded, sources: &SourceMap, options: &Options) -> (Plan, Option<usize>) {
        let (visible, too_visible) = load::visible_files(&loaded.files);
        let any_subclass = loaded
            .files
            .iter()
            .any(|f| lower::hierarchy::has_inheritance(&f.ast.items));
        let plan = Plan {
            source_bytes: loaded
                .files
                .iter()
                .map(|f| sources.get(f.id).text.len())
                .sum(),
            visible,
            printed: if options.skip_proto_files {
                Vec::new()
            } else {
                loaded
                    .files
                    .iter()
                    .map(|f| f.name.ends_with(".iproto") || lower::changes_file(&f.ast))
                    .collect()
            },
            lint: !options.lint.is_off()
                && (any_subclass || options.lint.any_outside(lint::Group::Inheritance)),
            any_subclass,
        };
        (plan, too_visible)
    }

    /// Whether the file at `Loaded::files[i]` can see the file `id`.
    fn can_see(&self, loaded: &Loaded, i: usize, id: FileId) -> bool {
        loaded
            .index_of
            .get(&id)
            .is_some_and(|&j| self.visible[i].contains(j))
    }
}

/// Lowers each file on its own (against the shared symbol table), so on all cores. Takes the
/// parsed trees.
fn lower_all(
    loaded: &mut Loaded,
    plan: &Plan,
    symbols: &SymbolTable,
    style: Style,
    cross: &Cross,
) -> Vec<lower::LoweredFile> {
    let parsed: Vec<(usize, FileId, ast::File)> = loaded
        .files
        .iter_mut()
        .enumerate()
        .map(|(i, f)| (i, f.id, std::mem::take(&mut f.ast)))
        .collect();
    let loaded = &*loaded;
    crate::parallel::map(parsed, plan.source_bytes, |(i, id, tree)| {
        let can_see = |other: FileId| plan.can_see(loaded, i, other);
        lower::lower_file_recording(id, tree, symbols, &can_see, style, cross)
    })
}

/// The facts of every class of the compilation, for the hierarchies that span files.
fn gather_hierarchies(loaded: &Loaded, plan: &Plan, symbols: &SymbolTable) -> Cross {
    let files: Vec<FileRef> = loaded
        .files
        .iter()
        .map(|f| FileRef {
            id: f.id,
            name: &f.name,
            tree: &f.ast,
        })
        .collect();
    let can_see = |i: usize, id: FileId| plan.can_see(loaded, i, id);
    lower::imports::gather(
        &files,
        &can_see,
        &loaded.index_of,
        symbols,
        plan.source_bytes,
    )
}

/// Each file's imports, as parsed: the file each names (`None` when missing).
fn parsed_deps(loaded: &Loaded) -> Vec<Vec<Option<FileId>>> {
    loaded
        .files
        .iter()
        .map(|f| {
            f.imports
                .iter()
                .map(|imp| imp.target.map(|j| loaded.files[j].id))
                .collect()
        })
        .collect()
}

/// Builds the descriptors of the lowered trees (`symbols`: their table, with its diagnostics).
fn describe(
    loaded: &Loaded,
    names: &[String],
    trees: Vec<ast::File>,
    deps: &[Vec<Option<FileId>>],
    sources: &SourceMap,
    options: &Options,
    symbols: (SymbolTable, Vec<Diagnostic>),
) -> (Built, descriptor::PhasedDiagnostics) {
    let inputs: Vec<FileInput> = loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| FileInput {
            id: f.id,
            name: &names[i],
            deps: &deps[i],
        })
        .collect();
    let desc_options = DescriptorOptions {
        include_source_info: options.include_source_info,
        retain_options: options.encode_every_file,
    };
    let trees = trees.into_iter().map(Cow::Owned).collect();
    descriptor::build_phased(&inputs, trees, sources, &desc_options, Some(symbols))
}

/// Runs protoc's checks over the built descriptors.
fn validate_all(loaded: &Loaded, sources: &SourceMap, built: &Built) -> Vec<Diagnostic> {
    // iprotoc's built-in copies of protoc's own files pass every check, as long as everything
    // they import is built in too (files come in dependency order).
    let mut known_valid: Vec<bool> = Vec::with_capacity(loaded.files.len());
    for f in &loaded.files {
        let builtin = wkt::get(&f.name) == Some(sources.get(f.id).text.as_str());
        let imports_valid = f.imports.iter().all(|imp| {
            imp.target
                .is_some_and(|j| known_valid.get(j) == Some(&true))
        });
        known_valid.push(builtin && imports_valid);
    }
    let inputs: Vec<CheckInput> = loaded
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
    validate::check_files(&inputs)
}

/// Fills the descriptor set (and, when asked, every file encoded), its files in `order` (each
/// after the files it imports).
fn emit(
    out: &mut Output,
    loaded: &Loaded,
    names: &[String],
    order: &[usize],
    built: &mut Built,
    options: &Options,
    source_bytes: usize,
) {
    let pick: Vec<usize> = if options.include_imports {
        order.to_vec()
    } else {
        order
            .iter()
            .copied()
            .filter(|&i| loaded.is_input(i))
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
                is_input: loaded.is_input(i),
                stripped,
                retained,
            })
            .collect();
    }
    // The descriptors are not needed any more: move them out instead of copying.
    let mut files: Vec<Option<FileDescriptorProto>> = std::mem::take(&mut built.files)
        .into_iter()
        .map(Some)
        .collect();
    out.descriptor_set.file = pick.iter().filter_map(|&i| files[i].take()).collect();
    // What validation read (every element's options) is freed on the pool: on a large
    // compilation that is a walk through memory long out of the cache, which nothing waits for.
    let spans = std::mem::take(&mut built.spans);
    let encoded = std::mem::take(&mut built.encoded);
    let written = std::mem::take(&mut built.options);
    crate::parallel::drop_in_background((spans, encoded, written, files), source_bytes);
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

/// Runs the lint rules that read the parsed trees ([`lint::lint`]).
fn lint_parsed(
    loaded: &Loaded,
    visible: &[Visible],
    sources: &SourceMap,
    symbols: &SymbolTable,
    lints: Lints,
) -> Vec<Diagnostic> {
    let can_see: Vec<_> = (0..loaded.files.len())
        .map(|i| {
            let (index_of, vis) = (&loaded.index_of, &visible[i]);
            move |id: FileId| index_of.get(&id).is_some_and(|&j| vis.contains(j))
        })
        .collect();
    let inputs: Vec<LintInput> = loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| LintInput {
            id: f.id,
            source: sources.get(f.id),
            ast: &f.ast,
            visible: &can_see[i],
            is_input: loaded.is_input(i),
        })
        .collect();
    lint::lint(&inputs, symbols, lints)
}

/// Runs the lint rules that read what lowering generated in the input files
/// ([`lint::lint_generated`]).
fn lint_generated(
    loaded: &Loaded,
    sources: &SourceMap,
    discriminators: &[Vec<GeneratedDiscriminator>],
    lints: Lints,
) -> Vec<Diagnostic> {
    let inputs: Vec<GeneratedInput> = loaded
        .input_indices
        .iter()
        .map(|&i| {
            let id = loaded.files[i].id;
            GeneratedInput {
                id,
                source: sources.get(id),
                discriminators: &discriminators[i],
            }
        })
        .collect();
    lint::lint_generated(&inputs, lints)
}

/// The findings of both lint passes in one list, sorted by position, in registry order at one
/// position: `DISCRIMINATOR_IMPLICIT`, the one rule that reads what lowering generated, comes
/// before every rule that can report at a root's name.
fn merge_lint(parsed: Vec<Diagnostic>, generated: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut all = generated;
    all.extend(parsed);
    diagnostics::sort(&mut all);
    all
}

/// The `.proto` tree ([`Output::proto_files`]): inputs first, in input order, then every other
/// file in load order (each after its imports); built-in well-known types are left out (protoc
/// has its own), and so is a file of the resolver's named like one, unless lowering changes it.
fn proto_tree(
    loaded: &Loaded,
    sources: &SourceMap,
    names: &[String],
    lowered: &[ast::File],
    printed: &[bool],
) -> Vec<ProtoFile> {
    let rest = (0..loaded.files.len()).filter(|&i| !loaded.is_input(i));
    let mut tree = Vec::new();
    for i in loaded.input_indices.iter().copied().chain(rest) {
        let f = &loaded.files[i];
        if f.builtin || (!printed[i] && wkt::get(&f.name).is_some()) {
            continue;
        }
        let (text, kind) = if printed[i] {
            let header = format!("Generated by iprotoc from {}. Do not edit.", f.name);
            let text = print::print_file(&lowered[i], Some(&header));
            (text, ProtoFileKind::Lowered)
        } else {
            (sources.get(f.id).text.clone(), ProtoFileKind::Copied)
        };
        tree.push(ProtoFile {
            name: names[i].clone(),
            source_name: f.name.clone(),
            text,
            kind,
        });
    }
    tree
}

/// Sorts the diagnostics so far; true when they hold an error (the pipeline stops).
fn finish_stage(out: &mut Output) -> bool {
    diagnostics::sort(&mut out.diagnostics);
    out.has_errors()
}
