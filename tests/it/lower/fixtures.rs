//! Lowering over the fixtures of `tests/ui/` beyond what `ui.rs` checks of every fixture (their
//! snapshots, protoc accepting each style's output with the same descriptors, `// contains:`
//! lines): the lowering stage alone on the error fixtures, and the design's example.

use std::path::PathBuf;

use iprotoc::driver::Options;
use iprotoc::fs::FsResolver;
use iprotoc::print::print_file;
use iprotoc::Style;

use crate::support::cli::names_in;
use crate::support::protoc;
use crate::support::stages::{fixtures, load};

/// Lowering still returns a tree, without inheritance, from a file whose hierarchies have
/// errors (the errors themselves: the fixtures' snapshots).
#[test]
fn lowering_with_errors_leaves_no_base() {
    let root = fixtures("ui");
    let dir = root.join("errors");
    let names: Vec<String> = names_in(&dir, "iproto")
        .into_iter()
        .map(|n| format!("errors/{n}"))
        .collect();
    assert!(names.len() >= 20, "{names:?}");
    for name in names {
        let loaded = load(&[&root], &[&name]).unwrap();
        let style = if loaded
            .sources
            .get(loaded.inputs[0])
            .text
            .contains("// style: oneof")
        {
            Style::Oneof
        } else {
            Style::Extensions
        };
        let symbols = loaded.symbols();
        let (lowered, diags) = loaded.lower(&symbols, loaded.inputs[0], style);
        assert!(!diags.is_empty(), "{name}: lowering reports no error");
        let printed = print_file(&lowered, None);
        assert!(
            !printed.contains(" : "),
            "{name}: a base survived\n{printed}"
        );
    }
}

#[test]
fn the_design_example_lowers_to_the_design_output() {
    let design_output = r#"
syntax = "proto2";
package zoo;
message Animal {
  enum Type {
    TYPE_UNSPECIFIED = 0;   // no subclass part: a plain Animal
    TYPE_CAT = 100;
    TYPE_DOG = 105;
    TYPE_KITTEN = 101;
  }
  required float weight = 1;
  optional Type type = 99;
  extensions 100 to max;
}
message Cat {
  extend Animal { optional Cat animal = 100; }
  optional bool declawed = 1;
  extensions 100 to max;
}
message Dog {
  extend Animal { optional Dog animal = 105; }
  optional uint32 bones_buried = 1;
}
message Kitten {
  extend Cat { optional Kitten cat = 101; }
  optional string toy = 1;
}
"#;
    let resolver = FsResolver::new(vec![PathBuf::from("tests/ui/lower")]);
    let out =
        iprotoc::driver::compile(&resolver, &["seed.iproto".to_string()], &Options::default());
    assert!(
        !out.has_errors(),
        "{}",
        out.render(iprotoc::diagnostics::Format::Human, false)
    );
    // protoc's descriptors (without source info) of a `zoo.proto` with each text.
    let descriptor = |text: &str| {
        protoc::descriptor_set_of(&[("zoo.proto", text)], &[], &["zoo.proto"])
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    };
    assert_eq!(
        descriptor(&out.proto_files[0].text),
        descriptor(design_output),
        "the descriptors differ"
    );
}
