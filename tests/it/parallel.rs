//! Above a size threshold, the per-file stages (parsing, lint, lowering, descriptors, validation)
//! run on all cores. What a compilation produces must not depend on that: the same descriptor
//! bytes, `.proto` text and diagnostics, in the same order, on one thread and on several.

use iprotoc::diagnostics::Format;
use iprotoc::driver::{compile, Options};
use iprotoc::lint::Lints;
use iprotoc::MemoryResolver;

use crate::support::bench_schemas as schema_gen;

/// Everything a compilation hands out, rendered to bytes.
fn outputs(resolver: &MemoryResolver, inputs: &[String], options: &Options) -> Vec<Vec<u8>> {
    let out = compile(resolver, inputs, options);
    let mut all = vec![
        out.render(Format::Human, false).into_bytes(),
        out.descriptor_set_bytes,
    ];
    all.extend(out.proto_files.into_iter().map(|p| p.text.into_bytes()));
    all
}

fn run_on(threads: usize, f: impl FnOnce() -> Vec<Vec<u8>> + Send) -> Vec<Vec<u8>> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(f)
}

#[test]
fn one_thread_and_several_give_the_same_output() {
    // 500 messages in hierarchies over five files: above the 256 KB threshold for threads.
    // The set with the inheritance lints' findings: the rendering of diagnostics is compared too.
    let schema = schema_gen::generate_with_findings(500);
    assert!(schema.bytes() > 300 * 1024, "{} bytes", schema.bytes());
    let mut resolver = MemoryResolver::new();
    for f in &schema.files {
        resolver.add(f.name.clone(), f.text.as_str());
    }
    // `compile` (inheritance lints, read before lowering) and `check` (every rule, at the end).
    for lint in [Lints::Inheritance, Lints::All] {
        let options = Options {
            lint,
            include_source_info: true,
            ..Options::default()
        };
        let single = run_on(1, || outputs(&resolver, &schema.inputs, &options));
        let several = run_on(4, || outputs(&resolver, &schema.inputs, &options));
        let diagnostics = String::from_utf8_lossy(&single[0]);
        if lint == Lints::All {
            // Enough to be rendered on several threads (from 256).
            assert!(diagnostics.matches("warning[").count() >= 256);
        }
        assert!(
            diagnostics.contains("SUBCLASS_TAG_UNPINNED"),
            "the schema has findings to order: {diagnostics}"
        );
        assert!(!single[1].is_empty(), "a descriptor set");
        assert_eq!(single.len(), several.len());
        for (one, many) in single.iter().zip(&several) {
            assert!(one == many, "{lint:?}: outputs differ with threads");
        }
    }
}
