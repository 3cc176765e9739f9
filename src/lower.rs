//! Lowers inheritance to plain protobuf. (stub: owned by the lowering work)
use crate::ast;
use crate::diagnostics::Diagnostic;
use crate::resolve::symbols::SymbolTable;
use crate::source::FileId;

/// Which lowering: DESIGN.md section 3 (default) or section 4.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    /// Subclass data in extensions of the parent.
    #[default]
    Extensions,
    /// Subclass data in a `oneof subtype` of the parent.
    Oneof,
}

/// Lowers one parsed file.
pub fn lower_file(
    file: FileId,
    ast: &ast::File,
    symbols: &SymbolTable,
    visible: &dyn Fn(FileId) -> bool,
    style: Style,
) -> (ast::File, Vec<Diagnostic>) {
    let _ = (file, symbols, visible, style);
    (ast.clone(), Vec::new())
}
