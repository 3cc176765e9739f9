//! iprotoc: protobuf schemas with single inheritance.
//!
//! `.iproto` files are `.proto` files plus one form, `message Cat : Animal { … }`, which iprotoc
//! lowers to standard protobuf (the base carries an `enum Type` and an extension range; each
//! subclass's fields travel as an extension of its parent, or in a `oneof` with
//! [`Style::Oneof`]). The output is `.proto` text and a `FileDescriptorSet`.
//!
//! The pipeline, one module a stage (see `ARCHITECTURE.md`; the modules are private to the crate):
//!
//! ```text
//! FileResolver -> load (lexer, parse) -> resolve -> lint (parsed trees) -> lower
//!     -> descriptor -> print (.proto tree) -> validate -> FileDescriptorSet
//! ```
//!
//! The public API is what a build script, an embedder and the binary need:
//!
//! - [`Config`] (prost-build's shape) and the one-line [`compile`], which return a
//!   `FileDescriptorSet` or an [`Error`] whose `Display` and `Debug` are the rendered diagnostics;
//! - [`Config::compile_with`] with a [`FileResolver`] (such as [`MemoryResolver`]) to compile
//!   without touching the file system, returning the whole [`Output`];
//! - [`Diagnostic`] and the source types it points into ([`SourceMap`], [`FileId`], [`Span`]);
//! - [`cli::run`], the whole `iprotoc` command line.
//!
//! The `internals` feature makes every stage's module public, for the test suite, benches and
//! fuzz targets; that surface is not a stable API.
#![warn(missing_docs)]
// Without the command line, what only it uses (rule docs, the parse cache, line indexes…) is
// unused; dead code is checked in the default build, which has it.
#![cfg_attr(not(feature = "cli"), allow(dead_code))]

/// Declares the pipeline's modules: private to the crate, so that rustc sees their dead code, or
/// public with the `internals` feature, which the test suite, benches and fuzz targets turn on to
/// drive one stage at a time. What they expose that way is not a stable API. Each module is
/// given with its attributes: `cfg(feature = "cli")` for the modules only the command line uses.
macro_rules! internal_modules {
    ($($(#[$attr:meta])* $name:ident)*) => {
        $(
            $(#[$attr])*
            #[cfg(feature = "internals")]
            pub mod $name;
            $(#[$attr])*
            #[cfg(not(feature = "internals"))]
            pub(crate) mod $name;
        )*
    };
}

// The modules that read untrusted text (parsing, comment attachment, formatting an editor's
// buffer) deny what can panic: unwrap, expect, panic, unchecked indexing and string slicing.
internal_modules! {
    ast
    #[cfg(feature = "cli")] breaking
    #[deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    #[deny(clippy::indexing_slicing, clippy::string_slice)]
    comments
    descriptor
    #[cfg(feature = "cli")] descriptor_set_in
    diagnostics driver
    #[cfg(feature = "cli")] explain
    #[cfg(feature = "cli")]
    #[deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    #[deny(clippy::indexing_slicing, clippy::string_slice)]
    fmt
    fs
    #[cfg(feature = "cli")] git
    #[deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    #[deny(clippy::indexing_slicing, clippy::string_slice)]
    lexer
    lines lint lower
    #[cfg(feature = "cli")] lsp
    #[deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    #[deny(clippy::indexing_slicing, clippy::string_slice)]
    parse
    #[cfg(feature = "cli")] plugin
    parallel print project protobuf resolve source validate wkt
}

/// The `iprotoc` command line (the binary is [`cli::run`]), with the `cli` feature (on by
/// default).
#[cfg(feature = "cli")]
pub mod cli;
mod config;
mod load;

pub use config::{compile, write_proto_files, Config, Error};
pub use diagnostics::{Diagnostic, Label, Location, Severity};
pub use driver::{Output, ProtoFile};
pub use lint::{Level, Lints};
pub use lower::Style;
pub use project::Settings as ProjectSettings;
pub use source::{
    FileId, FileResolver, MemoryResolver, ResolveError, ResolvedFile, SourceMap, Span,
};
