//! Name resolution and semantic checks.
pub mod check;
pub mod symbols;
pub mod types;
