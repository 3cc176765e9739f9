//! The `iprotoc` binary: `compile`, `check`, `breaking`, `fmt`, `lsp`, plugins and the
//! `--proto_out` tree.

mod breaking;
mod check;
mod compile;
mod fmt;
mod lsp;
mod plugin;
mod proto_out;
