//! Prints an [`ast::File`] as `.proto` text. (stub: owned by the printer work)
use crate::ast;

/// Prints a (lowered) file. `header` is put first as a comment when given.
pub fn print_file(file: &ast::File, header: Option<&str>) -> String {
    let _ = (file, header);
    String::new()
}
