//! Name resolution: the symbol table and protobuf's lookup rules.
pub mod symbols;
pub mod types;
