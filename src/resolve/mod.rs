//! Name resolution: the symbol table and protobuf's lookup rules.
pub(crate) mod builtin;
pub mod suggest;
pub mod symbols;
pub mod types;
