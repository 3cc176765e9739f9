//! The library API for build scripts, in prost-build's shape.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let fds = iprotoc::Config::new()
//!         .include("proto")
//!         .style(iprotoc::Style::Oneof)
//!         .compile(&["proto/zoo.iproto"])?; // also writes OUT_DIR/zoo.proto
//!     // prost_build::Config::new().compile_fds(fds)?;
//!     # let _ = fds;
//!     Ok(())
//! }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use prost_types::FileDescriptorSet;

use crate::compile::{self, Options, Output};
use crate::diagnostics::{Diagnostic, Format};
use crate::fs::{self, FsResolver};
use crate::lower::Style;
use crate::source::{FileResolver, SourceMap};

/// Compiles `.iproto` (and `.proto`) files from disk. Setters take `&mut self` and chain.
#[derive(Clone, Debug, Default)]
pub struct Config {
    includes: Vec<PathBuf>,
    style: Style,
    out_dir: Option<PathBuf>,
    include_imports: bool,
    include_source_info: bool,
    no_cargo_directives: bool,
}

impl Config {
    /// A configuration with no include directories (then `.` is used, like protoc), extension
    /// style, and `OUT_DIR` as the output directory.
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
        self.style = style;
        self
    }

    /// Where the lowered `.proto` files are written (default: `$OUT_DIR` when set, else nowhere).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Puts every imported file in the returned descriptor set (needed by prost-build when the
    /// inputs import other files).
    pub fn include_imports(&mut self, yes: bool) -> &mut Self {
        self.include_imports = yes;
        self
    }

    /// Fills `source_code_info` (comments end up as doc comments in prost's output).
    pub fn include_source_info(&mut self, yes: bool) -> &mut Self {
        self.include_source_info = yes;
        self
    }

    /// Stops printing `cargo:rerun-if-changed` lines (printed by default when `OUT_DIR` is set,
    /// i.e. in a build script).
    pub fn skip_cargo_directives(&mut self) -> &mut Self {
        self.no_cargo_directives = true;
        self
    }

    fn options(&self) -> Options {
        Options {
            style: self.style,
            include_source_info: self.include_source_info,
            include_imports: self.include_imports,
            ..Options::default()
        }
    }

    fn include_dirs(&self) -> Vec<PathBuf> {
        if self.includes.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.includes.clone()
        }
    }

    /// Compiles files given as paths on disk (inside an include directory), writes the lowered
    /// `.proto` of each `.iproto` input into the output directory (paths kept relative to the
    /// include directory), and returns the descriptor set. On any error nothing is written.
    pub fn compile(&self, files: &[impl AsRef<Path>]) -> Result<FileDescriptorSet, Error> {
        let includes = self.include_dirs();
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
        let out = compile::compile(&resolver, &names, &self.options());
        let in_build_script = std::env::var_os("OUT_DIR").is_some();
        if in_build_script && !self.no_cargo_directives {
            for path in &out.files_read {
                println!("cargo:rerun-if-changed={path}");
            }
        }
        if out.has_errors() {
            return Err(Error::from_output(&out));
        }
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from));
        if let Some(dir) = out_dir {
            write_proto_files(&out, &dir).map_err(Error::io)?;
        }
        Ok(out.descriptor_set)
    }

    /// Compiles from any [`FileResolver`] (e.g. [`crate::MemoryResolver`]), writing nothing.
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
    /// lowered `.proto` texts, the descriptor set and the diagnostics (warnings included).
    pub fn compile_with(
        &self,
        resolver: &dyn FileResolver,
        names: &[&str],
    ) -> Result<Output, Error> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let out = compile::compile(resolver, &names, &self.options());
        if out.has_errors() {
            return Err(Error::from_output(&out));
        }
        Ok(out)
    }
}

/// Writes the lowered files of `out` under `dir`, atomically.
pub fn write_proto_files(out: &Output, dir: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    for f in &out.proto_files {
        if !fs::is_safe_name(&f.name) {
            return Err(format!(
                "refusing to write \"{}\": the name leaves the output directory",
                f.name
            ));
        }
        files.push((dir.join(&f.name), f.text.clone().into_bytes()));
    }
    fs::write_all_atomically(&files)
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

/// A failed compilation. `Display` is the rendered diagnostics with source snippets, without
/// colour, so `?` in a build script prints them.
#[derive(Clone, Debug)]
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

    /// The diagnostics (errors and warnings).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rendered.trim_end())
    }
}

impl std::error::Error for Error {}
