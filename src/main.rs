//! The `iprotoc` command line: a thin clap layer where each flag maps to one compiler option.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use iprotoc::compile::{self, Options};
use iprotoc::diagnostics::{self, Diagnostic, Format};
use iprotoc::fs::{self, FsResolver};
use iprotoc::source::SourceMap;
use iprotoc::Style;

/// A faster allocator for the command line (see docs/performance.md); the library sets none.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Lower .iproto files to .proto files and/or a FileDescriptorSet.
    Compile(CompileArgs),
    /// Validate files without writing anything.
    Check(CheckArgs),
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

    /// The files to compile.
    #[arg(required = true, value_name = "FILES")]
    files: Vec<String>,
}

#[derive(Args)]
struct CompileArgs {
    #[command(flatten)]
    common: CommonArgs,

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

    /// How inheritance is lowered.
    #[arg(long, value_enum, default_value_t = StyleArg::Extensions)]
    style: StyleArg,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,

    /// `-D warnings`: treat warnings as errors.
    #[arg(short = 'D', long = "deny", value_name = "LINT")]
    deny: Vec<DenyArg>,

    /// How inheritance is lowered (checks differ: proto3 files need oneof style).
    #[arg(long, value_enum, default_value_t = StyleArg::Extensions)]
    style: StyleArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum ErrorFormat {
    Human,
    Short,
    Json,
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum StyleArg {
    Extensions,
    Oneof,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DenyArg {
    Warnings,
}

impl From<StyleArg> for Style {
    fn from(s: StyleArg) -> Style {
        match s {
            StyleArg::Extensions => Style::Extensions,
            StyleArg::Oneof => Style::Oneof,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Compile(args) => run_compile(args),
        Command::Check(args) => run_check(args),
    }
}

/// Prints diagnostics to stderr in the chosen format.
fn report(diags: &[Diagnostic], sources: &SourceMap, format: ErrorFormat) {
    let format = match format {
        ErrorFormat::Human => Format::Human,
        ErrorFormat::Short => Format::Short,
        ErrorFormat::Json => Format::Json,
        ErrorFormat::Github => Format::Github,
    };
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = diagnostics::render(diags, sources, format, color);
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// Maps the inputs to protoc names and compiles them; `None` (after reporting) on input errors.
fn compile_inputs(common: &CommonArgs, options: &Options) -> Result<compile::Output, ()> {
    let includes = if common.proto_path.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        common.proto_path.clone()
    };
    let mut names = Vec::new();
    let mut errors = Vec::new();
    for f in &common.files {
        match fs::input_name(f, &includes) {
            Ok(n) => names.push(n),
            Err(d) => errors.push(*d),
        }
    }
    if !errors.is_empty() {
        report(&errors, &SourceMap::new(), common.error_format);
        return Err(());
    }
    Ok(compile::compile(&FsResolver { includes }, &names, options))
}

fn run_compile(args: CompileArgs) -> ExitCode {
    let options = Options {
        style: args.style.into(),
        include_source_info: args.include_source_info,
        include_imports: args.include_imports,
        skip_proto_files: args.proto_out.is_none(),
    };
    let Ok(out) = compile_inputs(&args.common, &options) else {
        return ExitCode::from(1);
    };
    report(&out.diagnostics, &out.sources, args.common.error_format);
    if out.has_errors() {
        return ExitCode::from(1);
    }
    // Stage every output, then rename them all into place: all or nothing.
    let mut files = Vec::new();
    if let Some(dir) = &args.proto_out {
        for f in &out.proto_files {
            files.push((dir.join(&f.name), f.text.clone().into_bytes()));
        }
    }
    if let Some(path) = &args.descriptor_set_out {
        files.push((path.clone(), out.descriptor_set_bytes.clone()));
    }
    if let Err(e) = fs::write_all_atomically(&files) {
        report(
            &[Diagnostic::error("OUTPUT_WRITE", e)],
            &SourceMap::new(),
            args.common.error_format,
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn run_check(args: CheckArgs) -> ExitCode {
    let options = Options {
        style: args.style.into(),
        ..Options::default()
    };
    let Ok(out) = compile_inputs(&args.common, &options) else {
        return ExitCode::from(1);
    };
    report(&out.diagnostics, &out.sources, args.common.error_format);
    let deny_warnings = args.deny.contains(&DenyArg::Warnings);
    if out.has_errors() || (deny_warnings && !out.diagnostics.is_empty()) {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
