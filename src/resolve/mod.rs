//! Name resolution and semantic checks.
pub mod symbols;
pub mod types;
