//! The tests' one support module, shared by the integration tests (`tests/it`) and the corpus
//! suite (`tests/corpus`): the vendored protoc ([`protoc`]), the binary and the files around it
//! ([`cli`]), compiling from memory and the library's stages one at a time ([`stages`]), and the
//! comparisons and generators the tests share.
#![allow(dead_code)]

/// The benchmarks' generator of large, realistic schema sets (`benches/support/schema_gen.rs`).
#[path = "../../benches/support/schema_gen.rs"]
pub mod bench_schemas;
pub mod cli;
pub mod comments;
pub mod descriptors;
pub mod differential;
pub mod printing;
pub mod proto_gen;
pub mod protoc;
pub mod schema_gen;
pub mod soup;
pub mod source_info;
pub mod stages;
