//! Differential: a generated file compiled by iprotoc (the library, in memory) and by the
//! vendored protoc (a process); they must agree on whether it is valid and, when it is, on every
//! byte of the descriptor set. The first byte picks the generator:
//!
//! - mostly `tests/support/proto_gen.rs`: plain `.proto` files aimed at the corners where
//!   compilers disagree (defaults and option values of every type, custom options, features,
//!   groups, extensions, services, comments), with or without source info and imports;
//! - sometimes `tests/support/schema_gen.rs`: a valid `.iproto` with hierarchies, lowered by
//!   iprotoc; protoc compiles the lowered `.proto`, and its descriptor set must be the one
//!   iprotoc built from the `.iproto`.
//!
//! protoc runs as a child process (a few milliseconds each): libFuzzer still steers by the
//! coverage of iprotoc's code, which is what the generator's choices explore.
#![no_main]

#[path = "../../tests/support/differential.rs"]
mod differential;
#[path = "../../tests/support/proto_gen.rs"]
mod proto_gen;
#[path = "../../tests/support/schema_gen.rs"]
mod schema_gen;

use std::path::PathBuf;
use std::sync::OnceLock;

use arbitrary::Unstructured;
use differential::{compare, Flags, Outcome};
use iprotoc::diagnostics::Format;
use iprotoc::driver::{compile, Options};
use iprotoc::{MemoryResolver, Style};
use libfuzzer_sys::fuzz_target;

/// This process's work directory for protoc's input and output.
fn work_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("iprotoc-differential-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a work directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let flags = Flags {
        source_info: mode & 1 != 0,
        include_imports: mode & 2 != 0,
    };
    let mut u = Unstructured::new(rest);
    if mode >> 2 < 52 {
        let Ok(text) = proto_gen::generate(&mut u) else {
            return;
        };
        if let Outcome::Differ(why) = compare(work_dir(), "gen.proto", &text, flags) {
            panic!("{why}\n--- gen.proto ---\n{text}");
        }
    } else {
        let Ok(schema) = schema_gen::Schema::generate(&mut u) else {
            return;
        };
        let style = if mode & 4 != 0 || schema.syntax == schema_gen::Syntax::Proto3 {
            Style::Oneof
        } else {
            Style::Extensions
        };
        let text = schema.render();
        let mut resolver = MemoryResolver::new();
        resolver.add("a.iproto", text.as_str());
        let options = Options {
            style,
            include_source_info: false,
            include_imports: flags.include_imports,
            ..Options::default()
        };
        let ours = compile(&resolver, &["a.iproto".to_string()], &options);
        assert!(!ours.has_errors(), "{}\n{text}", ours.render(Format::Short, false));
        let lowered = &ours.proto_files[0].text;
        let plain = Flags { source_info: false, ..flags };
        match differential::protoc(work_dir(), "a.proto", lowered, plain) {
            Ok(bytes) => assert!(
                bytes == ours.descriptor_set_bytes,
                "protoc's descriptor set for the lowered file differs from iprotoc's\n{text}\n--- lowered ---\n{lowered}"
            ),
            Err(e) => panic!("protoc rejects the lowered file: {e}\n{text}\n--- lowered ---\n{lowered}"),
        }
    }
});
