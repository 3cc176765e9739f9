//! iprotoc's integration tests: one binary, one module per stage of the pipeline, and one
//! support module (`tests/support/`, shared with the corpus suite in `tests/corpus/`).
//!
//! `cargo test --test it` runs them all; `cargo test --test it validate::` one area.
// Tests read fixtures and run binaries: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "../support/mod.rs"]
mod support;

mod all_errors;
mod breaking;
mod cli;
mod config;
mod descriptor;
mod differential;
mod fmt;
mod hostile;
mod layers;
mod linear;
mod lint;
mod lower;
mod parallel;
mod parity;
mod parse;
mod print;
mod subclass_registry;
mod ui;
mod validate;
