//! The `iprotoc` command line: a thin clap layer where each flag maps to one compiler option.
//! The binary is [`run`](crate::cli::run); the allocator it uses is set in
//! `src/bin/iprotoc.rs`, since the library sets none.
// The shell around the core: it does the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::descriptor_set_in::{self, DescriptorSets, SetsResolver};
use crate::diagnostics::{self, Diagnostic, Format};
use crate::driver::{self, Options};
use crate::fs::{self, FsResolver};
use crate::git;
use crate::lint::{self, Level, Lints};
use crate::lower::Style;
use crate::plugin::{self, GeneratorContext, GeneratorFlags, OutputDirective};
use crate::project::Settings;
use crate::source::SourceMap;

/// Protobuf schemas with inheritance: compiles .iproto files to standard .proto files and
/// descriptor sets.
#[derive(Parser)]
#[command(name = "iprotoc", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lower .iproto files to .proto files and/or a FileDescriptorSet, and run code generators.
    #[command(after_help = COMPILE_AFTER_HELP)]
    Compile(CompileArgs),
    /// Validate and lint files without writing anything.
    Check(CheckArgs),
    /// Report wire-incompatible changes against an earlier version of the schema.
    Breaking(BreakingArgs),
    /// Run the language server on stdin/stdout (for editors): diagnostics as `check` gives them,
    /// definitions, references, hover, completion, type hierarchy, rename, formatting.
    Lsp(LspArgs),
    /// Rewrite .iproto and .proto files in the one canonical layout (docs/formatting.md).
    Fmt(FmtArgs),
}

#[derive(Args)]
struct FmtArgs {
    /// Write nothing; list the files whose layout would change, and exit 1 if there are any.
    #[arg(long)]
    check: bool,

    /// Write nothing; print the changes as a unified diff (exit 1 with --check when there are any).
    #[arg(long)]
    diff: bool,

    /// How diagnostics are printed.
    #[arg(long = "error-format", alias = "error_format", value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,

    /// Files, and directories searched for .iproto and .proto files (hidden directories and
    /// symlinked directories are skipped); `-` formats stdin to stdout.
    #[arg(required = true, value_name = "FILES|DIRS")]
    paths: Vec<PathBuf>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("old").required(true).args(["against", "against_git"])))]
struct BreakingArgs {
    #[command(flatten)]
    common: CommonArgs,

    /// The earlier version: a FileDescriptorSet (`iprotoc compile -o`, `protoc -o`), or a
    /// directory holding the earlier sources with the same -I layout inside it.
    #[arg(long, value_name = "OLD")]
    against: Option<PathBuf>,

    /// The earlier version is the same files at a git revision (`main`, `origin/main`, `HEAD~1`,
    /// a tag or a commit) of the repository holding the current directory, read with the `git`
    /// command without a checkout; -I is taken relative to the current directory in the
    /// repository (buf's `--against '.git#branch=main'`).
    #[arg(long = "against-git", alias = "against_git", value_name = "REV")]
    against_git: Option<String>,

    /// How inheritance is lowered (tags and numbers are the same in both styles).
    #[arg(long, value_enum, default_value_t = StyleArg::Extensions)]
    style: StyleArg,

    /// Also report changes that break readers of the JSON format (field JSON names, enum value
    /// names, extension and class names), as buf's WIRE_JSON category adds to WIRE.
    #[arg(long)]
    json: bool,

    /// The files of the new version.
    #[arg(required = true, value_name = "FILES")]
    files: Vec<String>,
}

#[derive(Args)]
struct LspArgs {
    /// Directory to search for imports, in order, as for `check` (relative ones are taken from
    /// the workspace root; default: the workspace root).
    #[arg(
        short = 'I',
        long = "proto_path",
        visible_alias = "proto-path",
        value_name = "DIR"
    )]
    proto_path: Vec<PathBuf>,

    /// How inheritance is lowered, as for `check` (proto3 files need oneof style) [default: the
    /// project file's `style`, else extensions].
    #[arg(long, value_enum)]
    style: Option<StyleArg>,

    /// Speak over stdin/stdout (the default and only transport; editors pass it).
    #[arg(long)]
    stdio: bool,
}

#[derive(Args)]
struct CommonArgs {
    /// Directory to search for imports and inputs, in order (default: `.`).
    #[arg(
        short = 'I',
        long = "proto_path",
        visible_alias = "proto-path",
        value_name = "DIR"
    )]
    proto_path: Vec<PathBuf>,

    /// How diagnostics are printed.
    #[arg(long = "error-format", alias = "error_format", value_enum, default_value_t = ErrorFormat::Human)]
    error_format: ErrorFormat,
}

/// The flags clap does not list (they are taken out of the arguments before it parses them).
const COMPILE_AFTER_HELP: &str = "\
Code generation (as protoc):
      --NAME_out=[PARAMS:]DIR  Run the plugin protoc-gen-NAME on the lowered files, writing into DIR
      --NAME_opt=PARAMS        More parameters for protoc-gen-NAME (joined with commas)
      --plugin=protoc-gen-NAME=PATH
                               The plugin's executable (default: protoc-gen-NAME on PATH)
Arguments can also come from a file: @FILE, one argument per line.";

#[derive(Args)]
struct CompileArgs {
    #[command(flatten)]
    common: CommonArgs,

    /// The executable of a code generator plugin: `protoc-gen-NAME=PATH`, or a PATH whose file
    /// name is `protoc-gen-NAME`.
    #[arg(long = "plugin", value_name = "PLUGIN")]
    plugin: Vec<String>,

    /// FileDescriptorSets (`-o` of protoc or iprotoc; several separated by `:`) whose files serve
    /// as compiled dependencies, after the -I directories.
    #[arg(
        long = "descriptor_set_in",
        visible_alias = "descriptor-set-in",
        value_name = "FILES"
    )]
    descriptor_set_in: Option<String>,

    /// Treat warnings as errors: exit 1, write nothing (protoc's flag; `-D warnings`).
    #[arg(long = "fatal_warnings", visible_alias = "fatal-warnings")]
    fatal_warnings: bool,

    #[command(flatten)]
    lint: LintArgs,

    /// The files to compile.
    #[arg(required = true, value_name = "FILES")]
    files: Vec<String>,

    /// Write the lowered .proto of each .iproto input under DIR.
    #[arg(long = "proto_out", visible_alias = "proto-out", value_name = "DIR")]
    proto_out: Option<PathBuf>,

    /// Write a FileDescriptorSet (binary protobuf) to FILE.
    #[arg(
        short = 'o',
        long = "descriptor_set_out",
        visible_alias = "descriptor-set-out",
        value_name = "FILE"
    )]
    descriptor_set_out: Option<PathBuf>,

    /// With -o: include every imported file in the set.
    #[arg(long = "include_imports", visible_alias = "include-imports")]
    include_imports: bool,

    /// With -o: include source code info (locations and comments).
    #[arg(long = "include_source_info", visible_alias = "include-source-info")]
    include_source_info: bool,

    /// With -o: keep options with `retention = RETENTION_SOURCE` (protoc's flag).
    #[arg(long = "retain_options", visible_alias = "retain-options")]
    retain_options: bool,

    /// How inheritance is lowered [default: the project file's `style`, else extensions].
    #[arg(long, value_enum)]
    style: Option<StyleArg>,
}

/// Lint levels and the project file, for `check` and `compile`.
#[derive(Args)]
struct LintArgs {
    /// Allow a lint rule or group: it does not run (`-A naming`). `-A warnings` hides every
    /// warning.
    #[arg(short = 'A', long = "allow", value_name = "RULE|GROUP")]
    allow: Vec<String>,

    /// Warn about a lint rule or group (`-W style`).
    #[arg(short = 'W', long = "warn", value_name = "RULE|GROUP")]
    warn: Vec<String>,

    /// Deny a lint rule or group: its findings are errors (`-D FIELD_OF_SUBCLASS_TYPE`).
    /// `-D warnings` makes every warning fail the run (exit 1). -A/-W/-D apply after the
    /// project file, left to right: the last one wins.
    #[arg(short = 'D', long = "deny", value_name = "RULE|GROUP")]
    deny: Vec<String>,

    /// The project file to read (default: the nearest iprotoc.toml walking up from the first
    /// input's directory).
    #[arg(long = "config", value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,

    /// Read no project file.
    #[arg(long = "no-config")]
    no_config: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,

    /// The files to check.
    #[arg(required_unless_present_any = ["list_rules", "explain"], value_name = "FILES")]
    files: Vec<String>,

    #[command(flatten)]
    lint: LintArgs,

    /// Print every lint rule (id, group and summary) and every group, and exit.
    #[arg(long = "list-rules", exclusive = true)]
    list_rules: bool,

    /// Print the documentation of a diagnostic code (a lint rule or an error) and exit.
    #[arg(long, value_name = "CODE", exclusive = true)]
    explain: Option<String>,

    /// How inheritance is lowered (checks differ: proto3 files need oneof style) [default: the
    /// project file's `style`, else extensions].
    #[arg(long, value_enum)]
    style: Option<StyleArg>,

    /// Warn about each class a root registers (`subclass pkg.Name = TAG;`) that none of the
    /// files declares: for a check over the whole hierarchy.
    #[arg(long = "require-complete-hierarchies")]
    require_complete_hierarchies: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ErrorFormat {
    Human,
    /// `file:line:col: error[CODE]: message`; protoc's `gcc` is the same.
    #[value(alias = "gcc")]
    Short,
    Json,
    Github,
    /// protoc's Visual Studio format: `file(line) : error in column=col: message [CODE]`.
    Msvs,
}

#[derive(Clone, Copy, ValueEnum)]
enum StyleArg {
    Extensions,
    Oneof,
}

impl From<StyleArg> for Style {
    fn from(s: StyleArg) -> Style {
        match s {
            StyleArg::Extensions => Style::Extensions,
            StyleArg::Oneof => Style::Oneof,
        }
    }
}

/// Runs the `iprotoc` command line on this process's arguments and returns its exit code: 0
/// success, 1 errors in the input, 2 usage errors. This is the whole of the `iprotoc` binary.
pub fn run() -> ExitCode {
    let args = match plugin::expand_argument_files(std::env::args_os().collect()) {
        Ok(args) => args,
        Err(e) => return usage_error(&e),
    };
    // clap cannot declare `--NAME_out` for every NAME: the generator flags of `compile` are taken
    // out before it parses the rest.
    let (args, generators) = if args.get(1).is_some_and(|a| a == "compile") {
        match plugin::extract_generator_flags(args) {
            Ok(split) => split,
            Err(e) => return usage_error(&e),
        }
    } else {
        (args, GeneratorFlags::default())
    };
    let matches = Cli::command().get_matches_from(args);
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // The order of `-A/-W/-D` across the three flags is only in the matches.
    let sub = |name: &str| {
        matches
            .subcommand_matches(name)
            .expect("the parsed subcommand")
    };
    match cli.command {
        Command::Compile(args) => run_compile(args, generators, sub("compile")),
        Command::Check(args) => run_check(args, sub("check")),
        Command::Breaking(args) => run_breaking(args),
        Command::Lsp(args) => run_lsp(args),
        Command::Fmt(args) => run_fmt(args),
    }
}

/// `iprotoc lsp`: serves one editor until it says `exit`.
fn run_lsp(args: LspArgs) -> ExitCode {
    let config = crate::lsp::Config {
        includes: args.proto_path,
        style: args.style.map(Into::into),
    };
    match crate::lsp::run_stdio(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "iprotoc lsp: {e}");
            ExitCode::from(1)
        }
    }
}

/// Prints diagnostics to stderr in the chosen format.
fn report(diags: &[Diagnostic], sources: &SourceMap, format: ErrorFormat) {
    let format = match format {
        ErrorFormat::Human => Format::Human,
        ErrorFormat::Short => Format::Short,
        ErrorFormat::Json => Format::Json,
        ErrorFormat::Github => Format::Github,
        ErrorFormat::Msvs => Format::Msvs,
    };
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = diagnostics::render(diags, sources, format, color);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Maps the inputs to protoc names and compiles them; `Err` (after reporting) on input errors.
fn compile_inputs(
    common: &CommonArgs,
    files: &[String],
    options: &Options,
) -> Result<driver::Output, ()> {
    compile_with_sets(common, files, options, None).map(|(out, _)| out)
}

/// [`compile_inputs`], with the files of `sets` (`--descriptor_set_in`) after the include
/// directories; also returns the names the sets supplied.
fn compile_with_sets(
    common: &CommonArgs,
    files: &[String],
    options: &Options,
    sets: Option<&DescriptorSets>,
) -> Result<(driver::Output, std::collections::BTreeSet<String>), ()> {
    // protoc: with descriptor sets and no -I, only the sets (not `.`).
    let includes = match (common.proto_path.is_empty(), sets) {
        (false, _) => common.proto_path.clone(),
        (true, None) => vec![PathBuf::from(".")],
        (true, Some(_)) => Vec::new(),
    };
    let mut names = Vec::new();
    let mut errors = Vec::new();
    let namer = fs::InputNamer::new(&includes);
    for f in files {
        match namer.name(f) {
            Ok(n) => names.push(n),
            // An input that is the name of a file in a set is that file (protoc's fallback).
            Err(_) if sets.is_some_and(|s| s.get(f).is_some()) => names.push(f.clone()),
            Err(d) => errors.push(*d),
        }
    }
    if !errors.is_empty() {
        report(&errors, &SourceMap::new(), common.error_format);
        return Err(());
    }
    let fs_resolver = FsResolver::new(includes);
    match sets {
        None => Ok((
            driver::compile(&fs_resolver, &names, options),
            Default::default(),
        )),
        Some(sets) => {
            let fs_resolver = (!common.proto_path.is_empty()).then_some(fs_resolver);
            let resolver = SetsResolver::new(fs_resolver, sets);
            let out = driver::compile(&resolver, &names, options);
            Ok((out, resolver.served()))
        }
    }
}

/// A command-line mistake clap cannot see: said on stderr, exit 2 (clap's code for usage errors).
fn usage_error(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(2)
}

/// What `check` and `compile` lint with, once the project file and `-A/-W/-D` are applied.
struct LintSetup {
    /// The levels of the rules.
    lints: Lints,
    /// The level of `warnings`: `Deny` fails the run on any warning, `Allow` hides them.
    warnings: Level,
    /// The project file's settings (includes and style are applied by [`LintSetup::common`]
    /// and [`LintSetup::style`]).
    settings: Settings,
}

impl LintSetup {
    /// Reads the project file and applies it and the `-A/-W/-D` flags (in command-line order)
    /// to `defaults`. `Err` is the exit code, after the problem is reported: 1 for an error in
    /// the project file, 2 for an unknown rule or group on the command line.
    fn new(
        defaults: Lints,
        args: &LintArgs,
        matches: &ArgMatches,
        first_input: Option<&str>,
        format: ErrorFormat,
    ) -> Result<LintSetup, ExitCode> {
        let loaded = if args.no_config {
            Ok(Settings::default())
        } else if let Some(file) = &args.config {
            Settings::load(file)
        } else {
            Settings::for_file(std::path::Path::new(first_input.unwrap_or(".")))
        };
        let settings = match loaded {
            Ok(s) => s,
            Err(e) => {
                let (d, sources) = e.into_parts();
                report(&[d], &sources, format);
                return Err(ExitCode::from(1));
            }
        };
        let mut lints = defaults;
        let mut warnings = settings.apply_lints(&mut lints).unwrap_or(Level::Warn);
        let mut flags: Vec<(usize, Level, &String)> = Vec::new();
        for (id, level) in [
            ("allow", Level::Allow),
            ("warn", Level::Warn),
            ("deny", Level::Deny),
        ] {
            if let (Some(indices), Some(values)) =
                (matches.indices_of(id), matches.get_many::<String>(id))
            {
                flags.extend(indices.zip(values).map(|(i, v)| (i, level, v)));
            }
        }
        flags.sort_by_key(|&(i, _, _)| i);
        for (_, level, name) in flags {
            if name.trim().eq_ignore_ascii_case(lint::WARNINGS) {
                warnings = level;
            } else if let Err(e) = lints.set(name, level) {
                let flag = match level {
                    Level::Allow => "-A",
                    Level::Warn => "-W",
                    Level::Deny => "-D",
                };
                return Err(usage_error(&format!("{flag} {name}: {e}")));
            }
        }
        Ok(LintSetup {
            lints,
            warnings,
            settings,
        })
    }

    /// `common` with the project file's include directories when the command line gives none.
    fn common(&self, common: &CommonArgs) -> CommonArgs {
        CommonArgs {
            proto_path: if common.proto_path.is_empty() {
                self.settings.includes.clone()
            } else {
                common.proto_path.clone()
            },
            error_format: common.error_format,
        }
    }

    /// The style: the command line's, else the project file's, else extensions.
    fn style(&self, arg: Option<StyleArg>) -> Style {
        arg.map(Style::from)
            .or(self.settings.style)
            .unwrap_or_default()
    }

    /// Drops the warnings when `warnings` is allowed; whether the run fails on them (denied
    /// and some are left).
    fn judge_warnings(&self, diagnostics: &mut Vec<Diagnostic>) -> bool {
        match self.warnings {
            Level::Allow => {
                diagnostics.retain(Diagnostic::is_error);
                false
            }
            Level::Warn => false,
            Level::Deny => diagnostics.iter().any(|d| !d.is_error()),
        }
    }
}

fn run_compile(args: CompileArgs, generators: GeneratorFlags, matches: &ArgMatches) -> ExitCode {
    let format = args.common.error_format;
    if let Some(name) = generators.unmatched_option() {
        return usage_error(&format!(
            "Unknown flag: --{name}_opt (no --{name}_out runs protoc-gen-{name})"
        ));
    }
    let plugins = plugin::plugin_paths(&args.plugin);
    let builtin: Vec<&OutputDirective> = generators
        .outputs
        .iter()
        .filter(|o| {
            plugin::builtin_generator(&o.name).is_some() && !plugins.contains_key(&o.plugin_name())
        })
        .collect();
    if !builtin.is_empty() {
        return usage_error(&builtin_advice(&args, &generators, &builtin));
    }
    if let Some(o) = generators.outputs.iter().find(|o| o.is_archive()) {
        return usage_error(&format!(
            "{}={}: iprotoc writes generated files into a directory, not into a .zip/.jar/.srcjar \
             archive; give a directory (and archive it afterwards)",
            o.flag, o.location
        ));
    }
    let sets = match &args.descriptor_set_in {
        None => None,
        Some(value) => match descriptor_set_in::read(value) {
            Ok(sets) => Some(sets),
            Err(e) => {
                let d = Diagnostic::error("DESCRIPTOR_SET_IN", format!("--descriptor_set_in: {e}"));
                report(&[d], &SourceMap::new(), format);
                return ExitCode::from(1);
            }
        },
    };
    let setup = match LintSetup::new(
        Lints::Inheritance,
        &args.lint,
        matches,
        args.files.first().map(String::as_str),
        format,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let has_generators = !generators.outputs.is_empty();
    // Outputs are assembled from each file's encodings when a plugin needs them, or when files
    // from descriptor sets are to be written as the sets hold them.
    let every_file = has_generators || sets.is_some() || args.retain_options;
    let options = Options {
        style: setup.style(args.style),
        // A plugin's request always holds source info (protoc's does).
        include_source_info: args.include_source_info || has_generators,
        include_imports: args.include_imports,
        lint: setup.lints,
        skip_proto_files: args.proto_out.is_none(),
        encode_every_file: every_file,
        require_complete_hierarchies: false,
    };
    let Ok((mut out, from_sets)) = compile_with_sets(
        &setup.common(&args.common),
        &args.files,
        &options,
        sets.as_ref(),
    ) else {
        return ExitCode::from(1);
    };
    // A file read from a descriptor set is passed on as the set holds it (protoc does not
    // re-encode it); the compiler only read it back as text.
    if let Some(sets) = &sets {
        for f in &mut out.files {
            if let Some(bytes) = from_sets
                .contains(&f.name)
                .then(|| sets.original(&f.name))
                .flatten()
            {
                f.stripped = bytes.to_vec();
                f.retained = bytes.to_vec();
            }
        }
    }
    let warnings_fail = setup.judge_warnings(&mut out.diagnostics);
    report(&out.diagnostics, &out.sources, format);
    let fatal = args.fatal_warnings && !out.diagnostics.is_empty();
    if out.has_errors() || warnings_fail || fatal {
        return ExitCode::from(1);
    }
    if generators.outputs.is_empty()
        && args.proto_out.is_none()
        && args.descriptor_set_out.is_none()
    {
        // protoc's words and exit code (protoc says it before reading the inputs; iprotoc
        // reports their errors first).
        let _ = writeln!(
            std::io::stderr(),
            "Missing output directives.\n\
             help: say what to write: --proto_out DIR, -o FILE, or --NAME_out=DIR for a plugin \
             (to validate only, use `iprotoc check`)"
        );
        return ExitCode::from(1);
    }
    // Every generator runs before anything is written; their files are kept in memory, one
    // context per output location (generators sharing a location can insert into each other's
    // files, as with protoc).
    let mut contexts: Vec<(String, GeneratorContext)> = Vec::new();
    if has_generators {
        let inputs = plugin::InputFeatures::of(out.files.iter().filter(|f| f.is_input));
        for o in &generators.outputs {
            let key = o.location.trim_end_matches('/').to_string();
            let at = match contexts.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    contexts.push((key, GeneratorContext::default()));
                    contexts.len() - 1
                }
            };
            if let Err(d) = generate(o, &generators, &plugins, &out, &inputs, &mut contexts[at].1) {
                report(&[*d], &SourceMap::new(), format);
                return ExitCode::from(1);
            }
        }
    }
    // Stage every output, then rename them all into place: all or nothing.
    let mut files = Vec::new();
    if let Some(dir) = &args.proto_out {
        match crate::config::proto_tree_outputs(&mut out, dir) {
            Ok(tree) => files.extend(tree),
            Err(e) => {
                let d = Diagnostic::error("OUTPUT_WRITE", e);
                report(&[d], &SourceMap::new(), args.common.error_format);
                return ExitCode::from(1);
            }
        }
    }
    for (location, cx) in std::mem::take(&mut contexts) {
        let dir = PathBuf::from(if location.is_empty() { "/" } else { &location });
        for (name, bytes) in cx.files {
            files.push(fs::OutputFile::in_dir(&dir, name, bytes));
        }
    }
    if let Some(path) = &args.descriptor_set_out {
        let bytes = if every_file {
            // The compilation kept source info for the plugins: -o drops it unless asked for.
            let picked = out
                .files
                .iter()
                .filter(|f| args.include_imports || f.is_input)
                .map(|f| {
                    if args.retain_options {
                        f.retained.as_slice()
                    } else {
                        f.stripped.as_slice()
                    }
                });
            plugin::descriptor_set(picked, args.include_source_info)
        } else {
            std::mem::take(&mut out.descriptor_set_bytes)
        };
        files.push(fs::OutputFile::at(path, bytes));
    }
    let written = fs::write_all_atomically(&files);
    // The process ends now: freeing the compilation's trees, descriptors and sources one by one
    // would only delay the exit (about 1 % of a large compile); the OS takes the memory back.
    std::mem::forget(out);
    std::mem::forget(files);
    if let Err(e) = written {
        report(
            &[Diagnostic::error("OUTPUT_WRITE", e)],
            &SourceMap::new(),
            format,
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Runs the plugin of one `--NAME_out` and applies its response to `cx`.
fn generate(
    o: &OutputDirective,
    generators: &GeneratorFlags,
    plugins: &HashMap<String, PathBuf>,
    out: &driver::Output,
    inputs: &plugin::InputFeatures,
    cx: &mut GeneratorContext,
) -> Result<(), Box<Diagnostic>> {
    let name = o.plugin_name();
    let (program, search_path) = match plugins.get(&name) {
        Some(path) => (path.clone(), false),
        None => (PathBuf::from(&name), true),
    };
    let fail = |code: &'static str, message: String| {
        Box::new(Diagnostic::error(code, format!("{}: {message}", o.flag)))
    };
    let request = plugin::request(&out.files, &out.input_names, &generators.parameter(o));
    let response = match plugin::run(&program, search_path, &request) {
        Ok(bytes) => bytes,
        Err(plugin::RunError::NotFound(e)) => {
            let help = if search_path {
                format!("put {name} on PATH, or name its executable with --plugin={name}=PATH")
            } else {
                format!("check the path given with --plugin={name}=…")
            };
            return Err(Box::new(
                Diagnostic::error(
                    "PLUGIN_NOT_FOUND",
                    format!(
                        "{}: {name}: program not found or is not executable ({e}): {}",
                        o.flag,
                        program.display()
                    ),
                )
                .help(help),
            ));
        }
        Err(plugin::RunError::Status(code)) => {
            return Err(fail(
                "PLUGIN_FAILED",
                format!("{name}: Plugin failed with status code {code}."),
            ))
        }
        Err(plugin::RunError::Signal(sig)) => {
            return Err(fail(
                "PLUGIN_FAILED",
                format!("{name}: Plugin killed by signal {sig}."),
            ))
        }
        Err(plugin::RunError::Io(e)) => {
            return Err(fail("PLUGIN_FAILED", format!("{name}: {e}")));
        }
    };
    let response = plugin::Response::parse(&response).map_err(|e| {
        fail(
            "PLUGIN_FAILED",
            format!("{name}: Plugin output is unparseable: {e}"),
        )
    })?;
    if let Some(error) = &response.error {
        return Err(fail("PLUGIN_ERROR", error.clone()));
    }
    if let Some(message) = response.unsupported(&name, inputs) {
        return Err(fail("PLUGIN_UNSUPPORTED", message));
    }
    cx.apply(response.files)
        .map_err(|e| fail("PLUGIN_OUTPUT", format!("{name}: {e}")))
}

/// The one line that tells how to get a built-in generator of protoc: compile to a descriptor
/// set with iprotoc, then let protoc generate from it.
fn builtin_advice(
    args: &CompileArgs,
    generators: &GeneratorFlags,
    builtin: &[&OutputDirective],
) -> String {
    let includes = if args.common.proto_path.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.common.proto_path.clone()
    };
    let set = args
        .descriptor_set_out
        .as_ref()
        .map_or_else(|| "out.pb".to_string(), |p| p.display().to_string());
    let mut first: Vec<String> = vec!["iprotoc".into(), "compile".into()];
    for dir in &args.common.proto_path {
        first.push("-I".into());
        first.push(dir.display().to_string());
    }
    if let Some(sets) = &args.descriptor_set_in {
        first.push(format!("--descriptor_set_in={sets}"));
    }
    if matches!(args.style, Some(StyleArg::Oneof)) {
        first.extend(["--style".into(), "oneof".into()]);
    }
    first.extend(["-o".into(), set.clone(), "--include_imports".into()]);
    first.extend(args.files.iter().cloned());
    let mut second: Vec<String> = vec!["protoc".into(), format!("--descriptor_set_in={set}")];
    for o in builtin {
        let parameter = generators.parameter(o);
        second.push(if parameter.is_empty() {
            format!("{}={}", o.flag, o.location)
        } else {
            format!("{}={parameter}:{}", o.flag, o.location)
        });
    }
    let namer = fs::InputNamer::new(&includes);
    for f in &args.files {
        let name = namer.name(f).unwrap_or_else(|_| f.clone());
        second.push(crate::lower::lowered_name(&name));
    }
    let which: Vec<String> = builtin
        .iter()
        .map(|o| {
            format!(
                "{} is protoc's built-in {} generator",
                o.flag,
                plugin::builtin_generator(&o.name).unwrap_or("")
            )
        })
        .collect();
    let quote = |v: Vec<String>| -> String {
        v.iter()
            .map(|a| shell_quote(a))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "{}, not a plugin iprotoc can run; the same result: {} && {}",
        which.join(", "),
        quote(first),
        quote(second)
    )
}

/// An argument as a POSIX shell reads it back.
fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./=:,@%+".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

fn run_check(args: CheckArgs, matches: &ArgMatches) -> ExitCode {
    if args.list_rules {
        return list_rules();
    }
    if let Some(id) = &args.explain {
        return explain(id);
    }
    let format = args.common.error_format;
    let setup = match LintSetup::new(
        Lints::All,
        &args.lint,
        matches,
        args.files.first().map(String::as_str),
        format,
    ) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let options = Options {
        style: setup.style(args.style),
        lint: setup.lints,
        require_complete_hierarchies: args.require_complete_hierarchies,
        ..Options::default()
    };
    let Ok(mut out) = compile_inputs(&setup.common(&args.common), &args.files, &options) else {
        return ExitCode::from(1);
    };
    let warnings_fail = setup.judge_warnings(&mut out.diagnostics);
    report(&out.diagnostics, &out.sources, format);
    if out.has_errors() || warnings_fail {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `check --list-rules`: one line per rule.
fn list_rules() -> ExitCode {
    let width = lint::rules().iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut text = String::new();
    for r in lint::rules() {
        text.push_str(&format!(
            "{:width$}  {:11}  {}\n",
            r.id,
            r.group.as_str(),
            r.summary
        ));
    }
    text.push_str("\nGroups (for -A/-W/-D and iprotoc.toml):\n");
    for g in lint::groups() {
        text.push_str(&format!("{:width$}  {}\n", g.name, g.summary));
    }
    let _ = std::io::stdout().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

/// `check --explain CODE`: the documentation of a lint rule or any other diagnostic code, as
/// plain text.
fn explain(code: &str) -> ExitCode {
    match crate::explain::explain(code) {
        Some(e) => {
            let _ = std::io::stdout().write_all(e.to_plain_text().as_bytes());
            ExitCode::SUCCESS
        }
        None => usage_error(&format!(
            "no diagnostic code `{code}`; `iprotoc check --list-rules` lists the lint rules, \
             and every code is in docs/codes.md"
        )),
    }
}

fn run_breaking(args: BreakingArgs) -> ExitCode {
    let options = Options {
        style: args.style.into(),
        ..Options::default()
    };
    let format = args.common.error_format;
    let Ok(new) = compile_inputs(&args.common, &args.files, &options) else {
        return ExitCode::from(1);
    };
    if new.has_errors() {
        report(&new.diagnostics, &new.sources, format);
        return ExitCode::from(1);
    }
    let fail = |msg: String| {
        report(
            &[Diagnostic::error("AGAINST_UNREADABLE", msg)],
            &SourceMap::new(),
            format,
        );
        ExitCode::from(1)
    };
    let new_includes = if args.common.proto_path.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.common.proto_path.clone()
    };
    // What OLD is called in messages.
    let old_label;
    let (old_files, old_features) = if let Some(rev) = &args.against_git {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let revision = match git::Revision::read(&cwd, rev, &args.common.proto_path) {
            Ok(r) => r,
            Err(e) => return fail(e.0),
        };
        old_label = format!(
            "`{rev}` (commit {})",
            &revision.commit[..revision.commit.len().min(12)]
        );
        let namer = fs::InputNamer::new(&new_includes);
        let names: Vec<String> = args
            .files
            .iter()
            .filter_map(|f| namer.name(f).ok())
            .filter(|n| revision.has(n))
            .collect();
        let others: Vec<String> = if args.files.len() > names.len() {
            revision
                .names()
                .into_iter()
                .filter(|n| !names.contains(n))
                .collect()
        } else {
            Vec::new()
        };
        if names.is_empty() && others.is_empty() {
            let dirs: Vec<String> = revision
                .includes()
                .iter()
                .map(|d| {
                    if d.is_empty() {
                        "/".to_string()
                    } else {
                        format!("{d}/")
                    }
                })
                .collect();
            return fail(format!(
                "none of the new files is in {old_label}: looked for {} under {} of the \
                 repository at {}, and no .iproto or .proto file is there; nothing to compare with",
                args.files.join(", "),
                dirs.join(", "),
                revision.toplevel.display()
            ));
        }
        match compile_old(&revision, &names, others, &options, format, &old_label) {
            Ok(old) => old,
            Err(code) => return code,
        }
    } else if let Some(against) = args.against.as_ref().filter(|a| a.is_dir()) {
        old_label = against.display().to_string();
        // The same inputs, found through the same include directories inside OLD. An absolute
        // `-I` would name the new sources themselves (`OLD.join("/abs")` is `/abs`): one under
        // the current directory is taken relative to it, any other is refused.
        let cwd = std::env::current_dir().ok();
        let mut relative = Vec::new();
        for i in &args.common.proto_path {
            if i.is_absolute() {
                let inside = cwd.as_ref().and_then(|cwd| {
                    let abs = i.canonicalize().ok()?;
                    let cwd = cwd.canonicalize().ok()?;
                    abs.strip_prefix(&cwd).ok().map(|r| {
                        if r.as_os_str().is_empty() {
                            PathBuf::from(".")
                        } else {
                            r.to_path_buf()
                        }
                    })
                });
                match inside {
                    Some(r) => relative.push(r),
                    None => {
                        return fail(format!(
                            "-I {} is absolute and outside the current directory, so it cannot \
                             be found inside the directory OLD {}; give -I relative to the \
                             current directory (it is read inside OLD by the same relative path)",
                            i.display(),
                            against.display()
                        ))
                    }
                }
            } else {
                relative.push(i.clone());
            }
        }
        let includes: Vec<PathBuf> = if relative.is_empty() {
            vec![against.clone()]
        } else {
            relative.iter().map(|i| against.join(i)).collect()
        };
        // OLD must not be the new sources themselves.
        let canon = |p: &PathBuf| p.canonicalize().ok();
        if let Some(same) = includes
            .iter()
            .find(|o| canon(o).is_some() && new_includes.iter().any(|n| canon(n) == canon(o)))
        {
            return fail(format!(
                "OLD would read the new sources themselves ({} is also a new include directory); \
                 --against must name a copy of the earlier version",
                same.display()
            ));
        }
        let namer = fs::InputNamer::new(&new_includes);
        let names: Vec<String> = args
            .files
            .iter()
            .filter_map(|f| namer.name(f).ok())
            .filter(|n| includes.iter().any(|i| i.join(n).is_file()))
            .collect();
        // A new file missing from OLD may have been renamed or moved: OLD's other files are
        // compiled too (in one batch, else one by one skipping those that do not compile on
        // their own), and
        // matched by full name like a descriptor set's.
        let missing = args.files.len() > names.len();
        let others: Vec<String> = if missing {
            old_tree_files(&includes)
                .into_iter()
                .filter(|n| !names.contains(n))
                .collect()
        } else {
            Vec::new()
        };
        if names.is_empty() && others.is_empty() {
            let dirs: Vec<String> = includes.iter().map(|i| i.display().to_string()).collect();
            return fail(format!(
                "none of the new files is in OLD: looked for {} in {}; nothing to compare with",
                args.files.join(", "),
                dirs.join(", ")
            ));
        }
        let resolver = FsResolver::new(includes);
        match compile_old(&resolver, &names, others, &options, format, &old_label) {
            Ok(old) => old,
            Err(code) => return code,
        }
    } else {
        let against = args
            .against
            .as_ref()
            .expect("clap requires --against or --against-git");
        old_label = against.display().to_string();
        let bytes = match std::fs::read(against) {
            Ok(b) => b,
            Err(e) => return fail(format!("{}: {e}", against.display())),
        };
        match <prost_types::FileDescriptorSet as prost::Message>::decode(bytes.as_slice()) {
            Ok(set) => (set.file, crate::breaking::Features::of_set(&bytes)),
            Err(e) => {
                return fail(format!(
                    "{} is not a FileDescriptorSet: {e}",
                    against.display()
                ))
            }
        }
    };
    let inputs: Vec<_> = new
        .descriptor_set
        .file
        .iter()
        .filter_map(|f| {
            let source = f
                .name()
                .strip_suffix(".proto")
                .map(|s| format!("{s}.iproto"));
            source
                .and_then(|s| new.sources.find(&s))
                .or_else(|| new.sources.find(f.name()))
        })
        .collect();
    let locate = crate::breaking::Locator::new(&new.sources, &inputs);
    if old_files.is_empty() {
        return fail(format!(
            "{old_label} holds no files (empty or truncated?): nothing to compare with"
        ));
    }
    let (found, summary) = crate::breaking::compare_full(
        &old_files,
        &old_features,
        &new.descriptor_set.file,
        &crate::breaking::Features::of_set(&new.descriptor_set_bytes),
        &locate,
        args.json,
    );
    if summary.files == 0 {
        let old_names: Vec<&str> = old_files.iter().take(5).map(|f| f.name()).collect();
        return fail(format!(
            "nothing in {} matches the new files ({}): no message, enum or extension of theirs \
             is in OLD (whose files are {}{}), so nothing was compared; check {} and -I",
            old_label,
            summary.unmatched.join(", "),
            old_names.join(", "),
            if old_files.len() > 5 { ", …" } else { "" },
            if args.against_git.is_some() {
                "--against-git"
            } else {
                "--against"
            }
        ));
    }
    report(&found, &new.sources, format);
    if !matches!(format, ErrorFormat::Json) {
        let _ = writeln!(std::io::stderr(), "{summary}");
    }
    if found.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Compiles the earlier version of the new files from `resolver` (a directory or a git
/// revision, called `label` in messages): `names` (the new files found there) in one batch, whose
/// errors are reported and fail the run; then `others` (the rest of OLD's files, when some new
/// files were not found, so a renamed or moved file's old content is found by name) in one batch,
/// or one by one, skipping those that do not compile on their own, when the batch has errors.
fn compile_old(
    resolver: &dyn crate::source::FileResolver,
    names: &[String],
    others: Vec<String>,
    options: &Options,
    format: ErrorFormat,
    label: &str,
) -> Result<
    (
        Vec<prost_types::FileDescriptorProto>,
        crate::breaking::Features,
    ),
    ExitCode,
> {
    // Editions features are read from the encoded descriptors (prost-types drops them).
    let mut features = crate::breaking::Features::default();
    let mut files = Vec::new();
    if !names.is_empty() {
        let old = driver::compile(resolver, names, options);
        if old.has_errors() {
            report(&old.diagnostics, &old.sources, format);
            report(
                &[Diagnostic::error(
                    "AGAINST_UNREADABLE",
                    format!("the earlier version in {label} does not compile"),
                )],
                &SourceMap::new(),
                format,
            );
            return Err(ExitCode::from(1));
        }
        features.add_set(&old.descriptor_set_bytes);
        files = old.descriptor_set.file;
    }
    let mut add = |found: Vec<prost_types::FileDescriptorProto>| {
        for f in found {
            if files.iter().all(|g| g.name() != f.name()) {
                files.push(f);
            }
        }
    };
    if !others.is_empty() {
        let batch = driver::compile(resolver, &others, options);
        if batch.has_errors() {
            for other in others {
                let old = driver::compile(resolver, std::slice::from_ref(&other), options);
                if !old.has_errors() {
                    features.add_set(&old.descriptor_set_bytes);
                    add(old.descriptor_set.file);
                }
            }
        } else {
            features.add_set(&batch.descriptor_set_bytes);
            add(batch.descriptor_set.file);
        }
    }
    if files.is_empty() {
        report(
            &[Diagnostic::error(
                "AGAINST_UNREADABLE",
                format!(
                    "none of the new files is in {label}, and none of its other files compiles \
                     on its own; nothing to compare with"
                ),
            )],
            &SourceMap::new(),
            format,
        );
        return Err(ExitCode::from(1));
    }
    Ok((files, features))
}

/// The `.iproto` and `.proto` files under `includes`, by their names relative to the include
/// directory, sorted (hidden and symlinked directories skipped; at most 10,000).
fn old_tree_files(includes: &[PathBuf]) -> Vec<String> {
    const MAX: usize = 10_000;
    let mut out = std::collections::BTreeSet::new();
    for include in includes {
        let mut stack = vec![include.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                let name = e.file_name();
                if name.to_string_lossy().starts_with('.') {
                    continue;
                }
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    continue;
                };
                if meta.is_dir() {
                    stack.push(path);
                } else if path
                    .extension()
                    .is_some_and(|x| x == "iproto" || x == "proto")
                    && out.len() < MAX
                {
                    if let Ok(rel) = path.strip_prefix(include) {
                        let parts: Vec<String> = rel
                            .components()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect();
                        out.insert(parts.join("/"));
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// The files `fmt` formats: each file named, and the `.iproto` and `.proto` files under each
/// directory named (sorted; hidden and symlinked directories skipped). `Err` names a path that
/// cannot be read.
fn fmt_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                if !hidden {
                    walk(&path, out)?;
                }
            } else if path
                .extension()
                .is_some_and(|e| e == "proto" || e == "iproto")
                && std::fs::metadata(&path).is_ok_and(|m| m.is_file())
            {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out)?,
            Ok(_) => out.push(p.clone()),
            Err(e) => return Err(format!("{}: {e}", p.display())),
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

/// A unified diff of one file's layout change.
fn fmt_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string()
}

fn run_fmt(args: FmtArgs) -> ExitCode {
    use crate::source::SourceFile;
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.paths.len() > 1 {
        return usage_error("`-` (stdin) cannot be formatted together with files");
    }
    let inputs = if stdin {
        vec![PathBuf::from("-")]
    } else {
        match fmt_inputs(&args.paths) {
            Ok(inputs) => inputs,
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "error: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let mut sources = SourceMap::new();
    let mut errors = Vec::new();
    // (path, display name, old text, new text) of each file whose layout changes.
    let mut changed = Vec::new();
    for path in &inputs {
        let (name, bytes) = if stdin {
            let mut bytes = Vec::new();
            if let Err(e) = std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes) {
                let _ = writeln!(std::io::stderr(), "error: stdin: {e}");
                return ExitCode::from(1);
            }
            ("<stdin>".to_string(), bytes)
        } else {
            match std::fs::read(path) {
                Ok(b) => (path.display().to_string(), b),
                Err(e) => {
                    let _ = writeln!(std::io::stderr(), "error: {}: {e}", path.display());
                    return ExitCode::from(1);
                }
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let id = sources.add(SourceFile::new(name.clone(), name.clone(), text));
                errors.push(
                    Diagnostic::error("FMT_NOT_UTF8", "the file is not UTF-8; it is left as it is")
                        .at(id, crate::source::Span::new(at, at), "invalid UTF-8 here"),
                );
                continue;
            }
        };
        let id = sources.add(SourceFile::new(name.clone(), name.clone(), text.clone()));
        match crate::fmt::format_source(id, &text) {
            Ok(new) if new != text => changed.push((path.clone(), name, text, new)),
            Ok(new) => {
                if stdin && !args.check && !args.diff {
                    let _ = std::io::stdout().write_all(new.as_bytes());
                }
            }
            Err(d) => errors.extend(d),
        }
    }
    if !errors.is_empty() {
        report(&errors, &sources, args.error_format);
        return ExitCode::from(1);
    }
    let mut stdout = String::new();
    for (_, name, old, new) in &changed {
        if args.diff {
            stdout.push_str(&fmt_diff(name, old, new));
        } else if args.check {
            stdout.push_str(name);
            stdout.push('\n');
        } else if stdin {
            stdout.push_str(new);
        }
    }
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    if args.check || args.diff {
        return if args.check && !changed.is_empty() {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if stdin {
        return ExitCode::SUCCESS;
    }
    // In place, all or nothing; a symlink's target is rewritten, not the link.
    let mut outputs = Vec::with_capacity(changed.len());
    for (path, _, _, new) in changed {
        let target = std::fs::canonicalize(&path).unwrap_or(path);
        outputs.push(fs::OutputFile::at(target, new.into_bytes()));
    }
    match fs::write_all_atomically(&outputs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(1)
        }
    }
}
