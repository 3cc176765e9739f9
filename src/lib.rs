//! iprotoc: protobuf schemas with single inheritance.
//!
//! The pipeline, file by file (see `ARCHITECTURE.md`):
//!
//! ```text
//! load (imports, via FileResolver) -> lex + parse -> resolve names -> lower inheritance
//!     -> check -> emit (.proto text, FileDescriptorSet)
//! ```
pub mod ast;
pub mod comments;
pub mod diagnostics;
pub mod emit;
pub mod lexer;
pub mod lower;
pub mod parse;
pub mod resolve;
pub mod source;
