//! Output: `.proto` text and descriptor sets.
pub mod descriptor;
pub mod proto;
