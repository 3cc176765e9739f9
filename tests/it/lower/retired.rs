//! Retired subclass tags reserved in the generated `Type` enum, beyond the `tests/ui/lower`
//! fixtures: a registered class retired in the root, proto3 in oneof style, the same numbers in
//! both styles, and protoc accepting every output with the descriptors iprotoc builds.

use iprotoc::driver::{compile, Options};
use iprotoc::source::MemoryResolver;
use iprotoc::Style;

use crate::support::protoc;

/// Compiles `files` (name, text) from memory in `style`, and returns the lowered text of each
/// `.iproto` input (by lowered name), after checking that protoc builds the same descriptor set
/// from those texts.
fn lower(files: &[(&str, &str)], style: Style) -> Vec<(String, String)> {
    let mut resolver = MemoryResolver::new();
    for (name, text) in files {
        resolver.add(*name, *text);
    }
    let inputs: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
    let options = Options {
        style,
        ..Options::default()
    };
    let out = compile(&resolver, &inputs, &options);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    let lowered: Vec<(String, String)> = out
        .proto_files
        .iter()
        .map(|p| (p.name.clone(), p.text.clone()))
        .collect();
    let texts: Vec<(&str, &str)> = lowered
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let names: Vec<&str> = lowered.iter().map(|(n, _)| n.as_str()).collect();
    let from_protoc = protoc::descriptor_set_of(&texts, &[], &names)
        .unwrap_or_else(|e| panic!("protoc rejects the lowered files:\n{e}"));
    assert_eq!(
        from_protoc, out.descriptor_set_bytes,
        "protoc builds other descriptors"
    );
    lowered
}

/// The `Type` enum block of a lowered text.
fn type_enum(text: &str) -> &str {
    let start = text.find("enum Type {").expect("a Type enum");
    let end = start + text[start..].find("\n  }").expect("its end") + 1;
    &text[start..end]
}

/// A class registered by the root and declared in another file is retired the documented way:
/// its registry line deleted, its tag reserved in the root. The root's file alone (extension
/// style: it never imports its subclasses' files) then reserves the tag in `Type`, and so does
/// oneof style.
#[test]
fn a_registered_class_retired_in_the_root_is_reserved_in_type() {
    let root = "syntax = \"proto2\";\npackage zoo;\nmessage Animal {\n  reserved 101;  // zoo.cats.Lion, retired\n  optional string name = 1;\n  subclass zoo.cats.Cat = 100;\n}\n";
    let cat = "syntax = \"proto2\";\npackage zoo.cats;\nimport \"zoo/animal.iproto\";\nmessage Cat : zoo.Animal { optional bool declawed = 1; }\n";
    let alone = lower(&[("zoo/animal.iproto", root)], Style::Extensions);
    let enum_alone = type_enum(&alone[0].1);
    assert!(
        enum_alone.contains("TYPE_CAT = 100;\n") && enum_alone.contains("reserved 101;\n"),
        "{enum_alone}"
    );
    for style in [Style::Extensions, Style::Oneof] {
        // Oneof style needs the subclasses' files (the root's `oneof subtype` imports them).
        let both = lower(
            &[("zoo/animal.iproto", root), ("zoo/cats/cat.iproto", cat)],
            style,
        );
        let root_in_both = &both
            .iter()
            .find(|(n, _)| n == "zoo/animal.proto")
            .unwrap()
            .1;
        assert_eq!(type_enum(root_in_both), enum_alone, "{style:?}");
        if style == Style::Extensions {
            // The root's output does not depend on the files that import it.
            assert_eq!(&alone[0].1, root_in_both);
        }
    }
}

/// proto3 (oneof style only): the enum's `reserved` statement is valid there too, and both
/// styles of a proto2 file give the same enum.
#[test]
fn proto3_and_both_styles_reserve_the_same_tags() {
    let proto3 = "syntax = \"proto3\";\npackage zoo;\nmessage Animal {\n  reserved 100, 102 to 103;\n  string name = 1;\n}\nmessage Cat : Animal = 101 { reserved 104; }\n";
    let lowered = lower(&[("zoo.iproto", proto3)], Style::Oneof);
    let e = type_enum(&lowered[0].1);
    assert!(e.contains("reserved 100, 102 to 104;\n"), "{e}");

    let proto2 = proto3
        .replace("proto3", "proto2")
        .replace("string", "optional string");
    let ext = lower(&[("zoo.iproto", &proto2)], Style::Extensions);
    let oneof = lower(&[("zoo.iproto", &proto2)], Style::Oneof);
    assert_eq!(type_enum(&ext[0].1), type_enum(&oneof[0].1));
    assert!(type_enum(&ext[0].1).contains("reserved 100, 102 to 104;\n"));
}

/// A hierarchy without retired tags, or whose reserved numbers are all fields (below the
/// subclass range), gets no `reserved` in `Type`; a `reserved N to max` of a class's own range is
/// copied with the largest field number as its end (enum values are 32-bit, tags are not).
#[test]
fn only_retired_tags_are_reserved_and_max_is_the_largest_tag() {
    let fields_only = "syntax = \"proto2\";\npackage zoo;\nmessage Animal {\n  reserved 2, 5 to 9;\n  optional string name = 1;\n}\nmessage Cat : Animal { reserved 3; }\n";
    let lowered = lower(&[("zoo.iproto", fields_only)], Style::Extensions);
    assert!(
        !type_enum(&lowered[0].1).contains("reserved"),
        "{}",
        lowered[0].1
    );

    let to_max = "syntax = \"proto2\";\npackage zoo;\nmessage Animal { optional string name = 1; }\nmessage Cat : Animal = 100 {\n  reserved 150 to max;\n}\n";
    let lowered = lower(&[("zoo.iproto", to_max)], Style::Extensions);
    let e = type_enum(&lowered[0].1);
    assert!(e.contains("reserved 150 to 536870911;\n"), "{e}");
}
