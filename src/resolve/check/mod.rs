//! Validation of built descriptors. (stub: owned by the validation work)
use crate::diagnostics::Diagnostic;
use crate::source::{FileId, SpanMap};

/// One file to validate.
pub struct CheckInput<'a> {
    /// Its id.
    pub id: FileId,
    /// The built descriptor.
    pub descriptor: &'a prost_types::FileDescriptorProto,
    /// Where its elements were written.
    pub spans: &'a SpanMap,
}

/// Validates every file.
pub fn check_files(files: &[CheckInput]) -> Vec<Diagnostic> {
    let _ = files;
    Vec::new()
}
