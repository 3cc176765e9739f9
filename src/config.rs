//! The library API for build scripts, in prost-build's shape.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let fds = iprotoc::Config::new()
//!         .include("proto")
//!         .style(iprotoc::Style::Oneof)
//!         .compile(&["proto/zoo.iproto"])?; // also writes the .proto tree into OUT_DIR
//!     // prost_build::Config::new().compile_fds(fds)?;
//!     # let _ = fds;
//!     Ok(())
//! }
//! ```
//!
//! [`Config::compile`] also reads the project file, `iprotoc.toml`, found beside the schemas
//! (see [`crate::project`]): its include directories and style apply when the build script sets
//! none, and its lint levels apply on top of [`Config::lints`].
// The shell around the core: it does the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::collections::HashMap;
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use prost_types::FileDescriptorSet;

use crate::diagnostics::{Diagnostic, Format, Severity};
use crate::driver::{self, Options, Output};
use crate::fs::{self, FsResolver};
use crate::lint::Level;
use crate::lint::Lints;
use crate::lower::Style;
use crate::project::{self, Settings};
use crate::source::{FileResolver, SourceMap};

/// Compiles `.iproto` (and `.proto`) files from disk. Setters take `&mut self` and chain.
///
/// The defaults suit prost-build and tonic-build: the descriptor set holds the inputs and every
/// file they import; the inheritance lints run (as `iprotoc compile` runs them) and their
/// findings are warnings, shown by cargo as `warning:` lines.
#[derive(Clone, Debug)]
pub struct Config {
    includes: Vec<PathBuf>,
    style: Option<Style>,
    project_file: ProjectFile,
    out_dir: Option<PathBuf>,
    include_imports: bool,
    include_source_info: bool,
    no_cargo_directives: bool,
    lints: Lints,
    deny_warnings: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            includes: Vec::new(),
            style: None,
            project_file: ProjectFile::Find,
            out_dir: None,
            include_imports: true,
            include_source_info: false,
            no_cargo_directives: false,
            lints: Lints::Inheritance,
            deny_warnings: false,
        }
    }
}

impl Config {
    /// A configuration with no include directories (then `.` is used, like protoc), extension
    /// style, `OUT_DIR` as the output directory, imports included in the descriptor set, and
    /// the inheritance lints as warnings.
    pub fn new() -> Self {
        Config::default()
    }

    /// Adds an include directory (protoc's `-I`), searched in the order added.
    pub fn include(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.includes.push(dir.as_ref().to_path_buf());
        self
    }

    /// How inheritance is lowered (default [`Style::Extensions`]; use [`Style::Oneof`] with prost).
    pub fn style(&mut self, style: Style) -> &mut Self {
        self.style = Some(style);
        self
    }

    /// Reads the project file at `path` instead of looking for the nearest `iprotoc.toml`
    /// (see [`ProjectSettings`](crate::ProjectSettings)).
    pub fn config_file(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.project_file = ProjectFile::At(path.as_ref().to_path_buf());
        self
    }

    /// Reads no project file: only the settings made here count.
    pub fn no_config_file(&mut self) -> &mut Self {
        self.project_file = ProjectFile::Ignore;
        self
    }

    /// Where the `.proto` tree is written (default: `$OUT_DIR` when set, else nowhere): every
    /// file of the compilation but protoc's well-known types, lowered where lowering changes it
    /// (`x.iproto` → `x.proto`), so that protoc run on that directory alone compiles it.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Whether the returned descriptor set holds every imported file too, each after the files
    /// it imports (on by default, as in protox). prost-build and tonic-build need them: without
    /// them they panic on the first type from another file. Turn it off to get only the inputs,
    /// as protoc's `-o` without `--include_imports` writes.
    pub fn include_imports(&mut self, yes: bool) -> &mut Self {
        self.include_imports = yes;
        self
    }

    /// Fills `source_code_info` (comments end up as doc comments in prost's output).
    pub fn include_source_info(&mut self, yes: bool) -> &mut Self {
        self.include_source_info = yes;
        self
    }

    /// Which lint rules run once the input is valid: [`Lints::Inheritance`] (the default: the
    /// hierarchy rules `iprotoc compile` runs), [`Lints::All`] (every rule, as `iprotoc check`
    /// runs them) or [`Lints::Off`]. Their findings are warnings; see
    /// [`Config::deny_warnings`].
    pub fn lints(&mut self, lints: Lints) -> &mut Self {
        self.lints = lints;
        self
    }

    /// Fails the compilation when it has any warning, as `iprotoc check -D warnings` does
    /// (default: off, and warnings are only shown). Nothing is written then.
    pub fn deny_warnings(&mut self, yes: bool) -> &mut Self {
        self.deny_warnings = yes;
        self
    }

    /// Stops printing cargo directives: `cargo:rerun-if-changed` for every file read and
    /// `cargo:warning` for every warning (printed by default when `OUT_DIR` is set, i.e. in a
    /// build script).
    pub fn skip_cargo_directives(&mut self) -> &mut Self {
        self.no_cargo_directives = true;
        self
    }

    /// The options of a compile under this configuration and the project file's `settings`,
    /// and the level of `warnings` they set.
    fn options(&self, settings: &Settings) -> (Options, Level) {
        let mut lints = self.lints;
        let file_warnings = settings.apply_lints(&mut lints);
        let warnings = if self.deny_warnings {
            Level::Deny
        } else {
            file_warnings.unwrap_or(Level::Warn)
        };
        let options = Options {
            style: self.style.or(settings.style).unwrap_or_default(),
            include_source_info: self.include_source_info,
            include_imports: self.include_imports,
            lint: lints,
            ..Options::default()
        };
        (options, warnings)
    }

    /// The compilation's outcome under this configuration: its output, or the error that
    /// reports its errors (or, when warnings are denied, its warnings). Allowed `warnings`
    /// are dropped.
    fn judge(&self, mut out: Output, warnings: Level) -> Result<Output, Error> {
        if out.has_errors() {
            return Err(Error::from_output(&out));
        }
        if warnings == Level::Allow {
            out.diagnostics.retain(Diagnostic::is_error);
        }
        let denied = warnings == Level::Deny;
        let warnings = out.diagnostics.len();
        if denied && warnings > 0 {
            let mut denied = out;
            denied.diagnostics.push(
                Diagnostic::error(
                    "WARNINGS_DENIED",
                    format!(
                        "{warnings} warning{} and warnings are denied",
                        if warnings == 1 { "" } else { "s" }
                    ),
                )
                .help(
                    "fix them, or stop denying warnings (`iprotoc::Config::deny_warnings(false)`)",
                ),
            );
            return Err(Error::from_output(&denied));
        }
        Ok(out)
    }

    fn include_dirs(&self, settings: &Settings) -> Vec<PathBuf> {
        if !self.includes.is_empty() {
            self.includes.clone()
        } else if !settings.includes.is_empty() {
            settings.includes.clone()
        } else {
            vec![PathBuf::from(".")]
        }
    }

    /// Compiles files given as paths on disk (inside an include directory), writes the `.proto`
    /// tree into the output directory (see [`Config::out_dir`]; paths kept relative to the
    /// include directory), and returns the descriptor set. On any error nothing is written.
    ///
    /// The project file (`iprotoc.toml`, the nearest one walking up from the first file's
    /// directory, or [`Config::config_file`]) supplies the include directories and the style
    /// when none were set here, and lint levels on top of [`Config::lints`]; an error in it
    /// fails the compile with a diagnostic at its line and column.
    ///
    /// In a build script (`OUT_DIR` set) it also prints `cargo:rerun-if-changed` for every
    /// file read (inputs, imports and the project file) and `cargo:warning` lines for the
    /// warnings, unless [`Config::skip_cargo_directives`].
    pub fn compile(&self, files: &[impl AsRef<Path>]) -> Result<FileDescriptorSet, Error> {
        let in_build_script = std::env::var_os("OUT_DIR").is_some();
        let directives = in_build_script && !self.no_cargo_directives;
        let first = files.first().map(|f| f.as_ref());
        let project_file = match &self.project_file {
            ProjectFile::Ignore => None,
            ProjectFile::At(path) => Some(path.clone()),
            ProjectFile::Find => project::find(first.unwrap_or(Path::new("."))),
        };
        if directives {
            if let Some(p) = &project_file {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
        let settings = match &project_file {
            None => Settings::default(),
            Some(p) => Settings::load(p).map_err(|e| {
                let (d, sources) = e.into_parts();
                Error::from_diagnostics(vec![d], &sources)
            })?,
        };
        let includes = self.include_dirs(&settings);
        let mut names = Vec::new();
        let mut input_errors = Vec::new();
        let namer = fs::InputNamer::new(&includes);
        for f in files {
            match namer.name(&f.as_ref().to_string_lossy()) {
                Ok(n) => names.push(n),
                Err(d) => input_errors.push(*d),
            }
        }
        if !input_errors.is_empty() {
            return Err(Error::from_diagnostics(input_errors, &SourceMap::new()));
        }
        let resolver = FsResolver::new(includes);
        let (options, warnings) = self.options(&settings);
        let out = driver::compile(&resolver, &names, &options);
        if directives {
            for line in rerun_directives(&out) {
                println!("{line}");
            }
        }
        let out = self.judge(out, warnings)?;
        if directives {
            for line in warning_directives(&out) {
                println!("{line}");
            }
        }
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from));
        let mut out = out;
        if let Some(dir) = out_dir {
            let files = proto_tree_outputs(&mut out, &dir).map_err(Error::io)?;
            fs::write_all_atomically(&files).map_err(Error::io)?;
        }
        Ok(out.descriptor_set)
    }

    /// Compiles from any [`FileResolver`] (e.g. [`crate::MemoryResolver`]), writing nothing and
    /// reading no project file (the resolver's files may be nowhere on disk).
    ///
    /// ```
    /// let mut files = iprotoc::MemoryResolver::new();
    /// files.add("zoo.iproto", "syntax = \"proto2\";\nmessage Animal {}\nmessage Cat : Animal = 100 {}\n");
    /// let out = iprotoc::Config::new().compile_with(&files, &["zoo.iproto"])?;
    /// assert_eq!(out.proto_files[0].name, "zoo.proto");
    /// assert!(out.proto_files[0].text.contains("optional Cat animal = 100;"));
    /// assert_eq!(out.descriptor_set.file[0].name(), "zoo.proto");
    /// # Ok::<(), iprotoc::Error>(())
    /// ```
    /// `names` are the names the resolver knows the files by. The returned [`Output`] holds the
    /// `.proto` tree, the descriptor set and the diagnostics (warnings included).
    pub fn compile_with(
        &self,
        resolver: &dyn FileResolver,
        names: &[&str],
    ) -> Result<Output, Error> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let (options, warnings) = self.options(&Settings::default());
        self.judge(driver::compile(resolver, &names, &options), warnings)
    }
}

/// Which project file a [`Config`] reads.
#[derive(Clone, Debug)]
enum ProjectFile {
    /// The nearest `iprotoc.toml` walking up from the first input.
    Find,
    /// This one.
    At(PathBuf),
    /// None.
    Ignore,
}

/// `cargo:rerun-if-changed` for every file the compilation read (not the built-in well-known
/// types, which change only with iprotoc).
fn rerun_directives(out: &Output) -> Vec<String> {
    out.files_read
        .iter()
        .map(|path| format!("cargo:rerun-if-changed={path}"))
        .collect()
}

/// The warnings as `cargo:warning` lines, which cargo shows as `warning:` lines of the build:
/// one `file:line:col: warning[CODE]: message` line each, then its `help:` lines.
fn warning_directives(out: &Output) -> Vec<String> {
    let mut lines = Vec::new();
    for d in out
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        let short =
            crate::diagnostics::render(std::slice::from_ref(d), &out.sources, Format::Short, false);
        let help = d.help.iter().map(|h| format!("  help: {h}"));
        for line in short.lines().map(str::to_string).chain(help) {
            // A directive is one line: a newline inside a message would end it.
            lines.push(format!("cargo:warning={}", line.replace(['\r', '\n'], " ")));
        }
    }
    lines
}

/// Writes the `.proto` tree of `out` ([`Output::proto_files`]) under `dir`, atomically: every
/// file is written or none is, and a path that would leave `dir` or overwrite a file the compile
/// read is refused.
pub fn write_proto_files(out: &Output, dir: &Path) -> Result<(), String> {
    let files = stage(out.proto_files.clone(), &out.files_read, dir)?;
    fs::write_all_atomically(&files)
}

/// The `.proto` tree of `out` as the files to write under `dir` (for
/// `fs::write_all_atomically`, with any other outputs): the texts are taken out of
/// [`Output::proto_files`].
///
/// Refused: a name that leaves `dir`, and a lowered file that would replace a file the
/// compilation read (a `.proto` source that lowering changes, when `dir` is one of the include
/// directories: its text would be lost). A copied file that is its own source is left as it is.
pub fn proto_tree_outputs(out: &mut Output, dir: &Path) -> Result<Vec<fs::OutputFile>, String> {
    stage(std::mem::take(&mut out.proto_files), &out.files_read, dir)
}

fn stage(
    tree: Vec<driver::ProtoFile>,
    files_read: &[String],
    dir: &Path,
) -> Result<Vec<fs::OutputFile>, String> {
    // The files read, by file name: indexed only when some target already exists.
    let mut read_by_file_name: Option<HashMap<&OsStr, Vec<&Path>>> = None;
    let mut staged = Vec::with_capacity(tree.len());
    for f in tree {
        if !fs::is_safe_name(&f.name) {
            return Err(format!(
                "refusing to write \"{}\": the name leaves the output directory",
                f.name
            ));
        }
        let target = dir.join(&f.name);
        if target.exists() {
            let read = read_by_file_name.get_or_insert_with(|| {
                let mut index: HashMap<&OsStr, Vec<&Path>> = HashMap::new();
                for p in files_read.iter().map(Path::new) {
                    if let Some(n) = p.file_name() {
                        index.entry(n).or_default().push(p);
                    }
                }
                index
            });
            let same = |p: &&Path| match (p.canonicalize(), target.canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => false,
            };
            let source = target
                .file_name()
                .and_then(|n| read.get(n))
                .and_then(|candidates| candidates.iter().find(|p| same(p)));
            if let Some(source) = source {
                match f.kind {
                    driver::ProtoFileKind::Copied => continue,
                    driver::ProtoFileKind::Lowered => {
                        return Err(format!(
                            "refusing to write \"{}\": it is {}, which this compilation reads, and its lowered text would replace it; write the tree to a directory of its own",
                            target.display(),
                            source.display()
                        ))
                    }
                }
            }
        }
        staged.push(fs::OutputFile::in_dir(dir, f.name, f.text.into_bytes()));
    }
    Ok(staged)
}

/// Compiles `files` with `includes` and default settings: the one-line form of [`Config`].
pub fn compile(
    files: &[impl AsRef<Path>],
    includes: &[impl AsRef<Path>],
) -> Result<FileDescriptorSet, Error> {
    let mut config = Config::new();
    for dir in includes {
        config.include(dir);
    }
    config.compile(files)
}

/// A failed compilation. `Display` and `Debug` are both the rendered diagnostics with source
/// snippets, without colour, so `?` in a build script's `fn main() -> Result<…>` (which prints
/// `Debug`) shows them as `iprotoc check` would. [`Error::diagnostics`] has them one by one.
#[derive(Clone)]
pub struct Error {
    rendered: String,
    diagnostics: Vec<Diagnostic>,
}

impl Error {
    fn from_output(out: &Output) -> Self {
        Error {
            rendered: out.render(Format::Human, false),
            diagnostics: out.diagnostics.clone(),
        }
    }

    fn from_diagnostics(diagnostics: Vec<Diagnostic>, sources: &SourceMap) -> Self {
        Error {
            rendered: crate::diagnostics::render(&diagnostics, sources, Format::Human, false),
            diagnostics,
        }
    }

    fn io(message: String) -> Self {
        Error::from_diagnostics(
            vec![Diagnostic::error("OUTPUT_WRITE", message)],
            &SourceMap::new(),
        )
    }

    /// The diagnostics (errors and warnings), sorted by file and position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The errors among [`Error::diagnostics`].
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The diagnostics rendered with source snippets, without colour: what `Display` and
    /// `Debug` print.
    pub fn rendered(&self) -> &str {
        self.rendered.trim_end()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered())
    }
}

/// The rendered diagnostics, as `Display`: `fn main() -> Result<(), E>` prints an error with
/// `Debug`, and a struct dump of spans would hide the message.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryResolver;

    fn compiled(files: &[(&str, &str)], inputs: &[&str]) -> Output {
        let mut resolver = MemoryResolver::new();
        for (name, text) in files {
            resolver.add(*name, *text);
        }
        Config::new().compile_with(&resolver, inputs).unwrap()
    }

    #[test]
    fn every_file_read_is_a_rerun_directive_and_built_in_files_are_not() {
        let out = compiled(
            &[
                ("a.iproto", "syntax = \"proto3\";\nimport \"b.proto\";\nimport \"google/protobuf/empty.proto\";\n"),
                ("b.proto", "syntax = \"proto3\";\n"),
            ],
            &["a.iproto"],
        );
        let mut lines = rerun_directives(&out);
        lines.sort();
        assert_eq!(
            lines,
            [
                "cargo:rerun-if-changed=a.iproto",
                "cargo:rerun-if-changed=b.proto"
            ]
        );
    }

    #[test]
    fn each_warning_is_a_cargo_warning_line_with_its_help() {
        let out = compiled(
            &[(
                "zoo.iproto",
                "syntax = \"proto2\";\nmessage Animal {}\nmessage Cat : Animal {}\n",
            )],
            &["zoo.iproto"],
        );
        assert_eq!(
            warning_directives(&out),
            [
                "cargo:warning=zoo.iproto:3:13: warning[SUBCLASS_TAG_UNPINNED]: the tag of `Cat` is not pinned: the compiler allocated 100, and a subclass added above it would renumber it",
                "cargo:warning=  help: pin the allocated tag: `message Cat : Animal = 100`",
            ]
        );
    }

    #[test]
    fn a_clean_compilation_has_no_warning_lines() {
        let out = compiled(
            &[(
                "zoo.iproto",
                "syntax = \"proto2\";\nmessage Animal {}\nmessage Cat : Animal = 100 {}\n",
            )],
            &["zoo.iproto"],
        );
        assert!(warning_directives(&out).is_empty());
    }
}
