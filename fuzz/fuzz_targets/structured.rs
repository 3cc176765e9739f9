//! Structure-aware: a valid schema with hierarchies generated from the input by the generator the
//! property tests use (`tests/support/schema_gen.rs`). It must compile (in every style its syntax
//! allows), twice to the same bytes, and the lowered `.proto` must compile again as plain protobuf
//! to the same descriptor set. (That protoc accepts the output is checked outside the fuzz loop,
//! in `tests/it/lower/properties.rs`.)
#![no_main]

#[path = "../../tests/support/schema_gen.rs"]
mod schema_gen;

use arbitrary::Unstructured;
use iprotoc::driver::{compile, Options};
use iprotoc::diagnostics::Format;
use iprotoc::{MemoryResolver, Style};
use libfuzzer_sys::fuzz_target;
use schema_gen::{Schema, Syntax};

fuzz_target!(|data: &[u8]| {
    let Ok(schema) = Schema::generate(&mut Unstructured::new(data)) else {
        return;
    };
    let text = schema.render();
    let mut resolver = MemoryResolver::new();
    resolver.add("a.iproto", text.as_str());
    let styles: &[Style] = if schema.syntax == Syntax::Proto3 && schema.has_inheritance() {
        &[Style::Oneof]
    } else {
        &[Style::Extensions, Style::Oneof]
    };
    for &style in styles {
        let options = Options {
            style,
            ..Options::default()
        };
        let first = compile(&resolver, &["a.iproto".to_string()], &options);
        assert!(
            !first.has_errors(),
            "{}\n{text}",
            first.render(Format::Short, false)
        );
        let second = compile(&resolver, &["a.iproto".to_string()], &options);
        assert_eq!(first.descriptor_set_bytes, second.descriptor_set_bytes);
        assert_eq!(first.proto_files, second.proto_files);

        // The lowered text is plain protobuf: compiling it gives the same descriptors.
        let lowered = &first.proto_files[0].text;
        let mut again = MemoryResolver::new();
        again.add("a.proto", lowered.as_str());
        let plain = compile(&again, &["a.proto".to_string()], &options);
        assert!(
            !plain.has_errors(),
            "{}\n{lowered}",
            plain.render(Format::Short, false)
        );
        assert_eq!(
            plain.descriptor_set_bytes, first.descriptor_set_bytes,
            "lowered output compiles to different descriptors:\n{lowered}"
        );
    }
});
