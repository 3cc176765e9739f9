//! The whole pipeline on arbitrary bytes, from memory, in both styles and through both entry
//! points (`driver::compile` and `Config::compile_with`), rendering diagnostics in every format.
//!
//! The input is split at the first `\0\0` into `a.iproto` and `b.iproto` (and `a.iproto` imports
//! whatever it likes), so imports between fuzzed files are exercised too. Checks: no panic; errors
//! and outputs are exclusive; the two entry points agree.
#![no_main]

use iprotoc::driver::{compile, Options};
use iprotoc::diagnostics::Format;
use iprotoc::{Config, MemoryResolver, Style};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut resolver = MemoryResolver::new();
    match data.windows(2).position(|w| w == b"\0\0") {
        Some(at) => {
            resolver.add("a.iproto", &data[..at]);
            resolver.add("b.iproto", &data[at + 2..]);
        }
        None => {
            resolver.add("a.iproto", data);
        }
    }
    for style in [Style::Extensions, Style::Oneof] {
        let options = Options {
            style,
            include_imports: true,
            include_source_info: data.len() % 2 == 0,
            lint: iprotoc::lint::Lints::All,
            ..Options::default()
        };
        let out = compile(&resolver, &["a.iproto".to_string()], &options);
        for format in [Format::Human, Format::Short, Format::Json, Format::Github] {
            out.render(format, false);
        }
        if out.has_errors() {
            assert!(out.proto_files.is_empty() && out.descriptor_set_bytes.is_empty());
        } else {
            // a.proto first; b.proto too when a.iproto imports it (the built-in files are not
            // part of the tree).
            assert_eq!(out.proto_files[0].name, "a.proto");
            assert!(out.proto_files.len() <= 2);
            assert!(!out.descriptor_set.file.is_empty());
        }
        let via_config = Config::new()
            .style(style)
            .include_imports(true)
            .include_source_info(options.include_source_info)
            .compile_with(&resolver, &["a.iproto"]);
        match via_config {
            Ok(o) => {
                assert!(!out.has_errors());
                assert_eq!(o.descriptor_set_bytes, out.descriptor_set_bytes);
                assert_eq!(o.proto_files, out.proto_files);
            }
            Err(e) => {
                assert!(out.has_errors());
                let _ = e.to_string();
            }
        }
    }
});
