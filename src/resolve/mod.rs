//! Name resolution and semantic checks.
pub mod symbols;
