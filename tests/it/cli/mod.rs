//! The `iprotoc` binary: `compile`, `check`, `breaking`, plugins and the `--proto_out` tree.

mod breaking;
mod check;
mod compile;
mod plugin;
mod proto_out;
