//! iprotoc: protobuf schemas with single inheritance.
//!
//! `.iproto` files are `.proto` files plus one form, `message Cat : Animal { … }`, which iprotoc
//! lowers to standard protobuf (the base carries an `enum Type` and an extension range; each
//! subclass's fields travel as an extension of its parent, or in a `oneof` with
//! [`Style::Oneof`]). The output is `.proto` text and a `FileDescriptorSet`.
//!
//! The pipeline, one module a stage (see `ARCHITECTURE.md` and [`driver::compile`]):
//!
//! ```text
//! FileResolver -> load (lexer, parse) -> resolve -> lint (parsed trees) -> lower
//!     -> descriptor -> print (.proto tree) -> validate -> FileDescriptorSet
//! ```
//!
//! In a build script, use [`Config`]; to compile from memory, [`Config::compile_with`] and a
//! [`MemoryResolver`].
#![warn(missing_docs)]

pub mod ast;
pub mod breaking;
pub mod comments;
mod config;
pub mod descriptor;
pub mod descriptor_set_in;
pub mod diagnostics;
pub mod driver;
pub mod explain;
pub mod fmt;
pub mod fs;
pub mod lexer;
pub mod lines;
pub mod lint;
mod load;
pub mod lower;
pub mod lsp;
mod parallel;
pub mod parse;
pub mod plugin;
pub mod print;
pub mod project;
pub mod protobuf;
pub mod resolve;
pub mod source;
pub mod validate;
pub mod wkt;

pub use config::{compile, proto_tree_outputs, write_proto_files, Config, Error};
pub use lint::Lints;
pub use lower::Style;
pub use source::{FileResolver, MemoryResolver};
