//! Runs LALRPOP over `grammar/`, writing the generated parser into `OUT_DIR`
//! (included by `src/parse.rs` as `grammar/iproto.lalrpop` → `OUT_DIR/iproto.rs`).
// A build script talks to cargo on stdout: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_macros)]
fn main() {
    println!("cargo:rerun-if-changed=grammar");
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .set_in_dir("grammar")
        .emit_rerun_directives(true)
        .process()
        .expect("LALRPOP failed to process grammar/");
}
