//! The `--proto_out` tree is complete: protoc run on that directory alone (with only its own
//! well-known types besides) compiles every file written there, to the descriptor set iprotoc
//! writes with `-o`. The fixtures in `tests/fixtures/proto_out` mix `.proto` and `.iproto`, import
//! both ways, and include a `.proto` input that uses inheritance, an `.iproto` and a `.proto` that
//! are only imported, and well-known types.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support;
use crate::support::cli::{self, files as tree};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proto_out")
}

/// Runs the binary in the fixtures' directory.
fn iprotoc(args: &[&str]) -> Output {
    cli::run(&fixtures(), args)
}

/// The inputs, in the order given: `.iproto` and `.proto`, one of them with inheritance.
const INPUTS: [&str; 4] = [
    "shop/events.proto",
    "shop/catalog.iproto",
    "shop/order.proto",
    "shop/receipt.proto",
];

/// The names the `import` statements of a `.proto` text name.
fn imports(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("import "))
        .map(|rest| {
            let rest = rest
                .trim_start_matches("public ")
                .trim_start_matches("weak ");
            rest.trim()
                .trim_end_matches(';')
                .trim_matches('"')
                .to_string()
        })
        .collect()
}

/// Compiles the fixtures with `--proto_out` and `-o` in `style`; returns the tree, and the
/// descriptor set (imports included).
fn compile(style: &str, out: &Path) -> (BTreeMap<String, String>, Vec<u8>) {
    let gen = out.join("gen");
    let set = out.join("set.pb");
    let mut args = vec![
        "compile",
        "-I",
        ".",
        "--style",
        style,
        "--include_imports",
        "--proto_out",
        gen.to_str().unwrap(),
        "-o",
        set.to_str().unwrap(),
    ];
    args.extend(INPUTS);
    let run = iprotoc(&args);
    assert!(run.status.success(), "{style}: {}", cli::stderr(&run));
    (tree(&gen), std::fs::read(set).unwrap())
}

#[test]
fn protoc_compiles_the_tree_alone_to_the_same_descriptors_in_both_styles() {
    for style in ["extensions", "oneof"] {
        let tmp = tempfile::tempdir().unwrap();
        let (files, ours) = compile(style, tmp.path());
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "shop/catalog.proto",
                "shop/events.proto",
                "shop/money.proto",
                "shop/order.proto",
                "shop/receipt.proto",
                "shop/tags.proto",
            ],
            "{style}: every input and every file they import, the well-known types aside"
        );
        // Imports point inside the tree, or at protoc's own well-known types.
        for (name, text) in &files {
            for imported in imports(text) {
                assert!(
                    files.contains_key(&imported)
                        || (imported.starts_with("google/protobuf/")
                            && support::protoc::include().join(&imported).is_file()),
                    "{style}: {name} imports {imported}, which is neither in the tree nor a well-known type"
                );
            }
        }
        // protoc on the tree alone: every file written there compiles.
        let gen = tmp.path().join("gen");
        support::protoc::descriptor_set(&[&gen], &names).unwrap_or_else(|e| {
            panic!("{style}: protoc rejects the tree:\n{e}");
        });
        // And the inputs compile to exactly the descriptors iprotoc wrote with `-o`.
        let lowered: Vec<String> = INPUTS
            .iter()
            .map(|n| iprotoc::lower::lowered_name(n))
            .collect();
        let lowered: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let theirs = support::protoc::descriptor_set(
            &[&gen],
            &[&["--include_imports"][..], &lowered].concat(),
        )
        .unwrap_or_else(|e| panic!("{style}: {e}"));
        assert!(
            ours == theirs,
            "{style}: protoc's descriptor set of the tree differs from iprotoc's -o"
        );
    }
}

#[test]
fn each_file_is_lowered_where_lowering_changes_it_and_copied_where_not() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, _) = compile("extensions", tmp.path());
    let source = |name: &str| std::fs::read_to_string(fixtures().join(name)).unwrap();
    // Plain .proto files lowering leaves alone are copied byte for byte, input or not.
    assert_eq!(files["shop/receipt.proto"], source("shop/receipt.proto"));
    assert_eq!(files["shop/money.proto"], source("shop/money.proto"));
    // A .proto input that imports an .iproto: the import names the lowered file.
    let order = &files["shop/order.proto"];
    assert!(order.starts_with("// Generated by iprotoc from shop/order.proto. Do not edit."));
    assert_eq!(imports(order), ["shop/catalog.proto", "shop/money.proto"]);
    assert!(
        order.contains("import public \"shop/money.proto\";"),
        "{order}"
    );
    // A .proto input with inheritance is lowered under its own name.
    let events = &files["shop/events.proto"];
    assert!(events.starts_with("// Generated by iprotoc from shop/events.proto. Do not edit."));
    assert!(
        events.contains("extend Event {") && !events.contains(": Event"),
        "{events}"
    );
    // An .iproto that is only imported is in the tree, lowered.
    let tags = &files["shop/tags.proto"];
    assert!(
        tags.starts_with("// Generated by iprotoc from shop/tags.iproto. Do not edit."),
        "{tags}"
    );
    assert!(tags.contains("TYPE_COLOUR_TAG = 100;"), "{tags}");
    // Comments of lowered files survive, also for a .proto found to need lowering only once
    // parsed.
    assert!(events.contains("// A .proto input that uses inheritance"));
    assert!(order.contains("// A plain .proto input that imports an .iproto"));
    assert!(files["shop/catalog.proto"].contains("// Anything the shop sells."));
}

#[test]
fn the_tree_is_the_same_bytes_every_time() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(
        compile("oneof", a.path()),
        compile("oneof", b.path()),
        "same input, same output"
    );
}

#[test]
fn the_library_reports_how_each_file_was_made() {
    use iprotoc::driver::ProtoFileKind;
    let resolver = iprotoc::fs::FsResolver::new(vec![fixtures()]);
    let out = iprotoc::Config::new()
        .compile_with(&resolver, &["shop/order.proto", "shop/receipt.proto"])
        .unwrap();
    let kinds: Vec<(&str, &str, ProtoFileKind)> = out
        .proto_files
        .iter()
        .map(|f| (f.name.as_str(), f.source_name.as_str(), f.kind))
        .collect();
    // Inputs first, in input order; then the imports, each after its own imports.
    assert_eq!(
        kinds,
        [
            (
                "shop/order.proto",
                "shop/order.proto",
                ProtoFileKind::Lowered
            ),
            (
                "shop/receipt.proto",
                "shop/receipt.proto",
                ProtoFileKind::Copied
            ),
            (
                "shop/money.proto",
                "shop/money.proto",
                ProtoFileKind::Copied
            ),
            (
                "shop/tags.proto",
                "shop/tags.iproto",
                ProtoFileKind::Lowered
            ),
            (
                "shop/catalog.proto",
                "shop/catalog.iproto",
                ProtoFileKind::Lowered
            ),
        ]
    );
}

#[test]
fn a_users_copy_of_a_well_known_type_is_not_written() {
    // An include directory that carries protobuf's own files (as `-I third_party/protobuf/src`
    // does): protoc has them, the tree does not need them.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("proto");
    std::fs::create_dir_all(root.join("google/protobuf")).unwrap();
    std::fs::copy(
        support::protoc::include().join("google/protobuf/timestamp.proto"),
        root.join("google/protobuf/timestamp.proto"),
    )
    .unwrap();
    std::fs::write(
        root.join("a.iproto"),
        "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nmessage A { google.protobuf.Timestamp at = 1; }\n",
    )
    .unwrap();
    let gen = tmp.path().join("gen");
    let run = cli::command(tmp.path())
        .args([
            "compile",
            "-I",
            "proto",
            "--proto_out",
            "gen",
            "proto/a.iproto",
        ])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", cli::stderr(&run));
    let files = tree(&gen);
    assert_eq!(files.keys().collect::<Vec<_>>(), ["a.proto"]);
    support::protoc::descriptor_set_ok(&[&gen], &["a.proto"]);
}

#[test]
fn the_tree_written_over_its_own_include_directory_never_replaces_a_source() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let zoo = "syntax = \"proto2\";\npackage zoo;\nimport \"tag.proto\";\nmessage Animal { optional Tag tag = 1; }\nmessage Cat : Animal = 100 {}\n";
    let tag = "syntax = \"proto2\";\npackage zoo;\nmessage Tag {}\n";
    let park = "syntax = \"proto2\";\npackage zoo;\n// Mine.\nimport \"zoo.iproto\";\nmessage Park { repeated Animal animals = 1; }\n";
    std::fs::write(root.join("zoo.iproto"), zoo).unwrap();
    std::fs::write(root.join("tag.proto"), tag).unwrap();
    std::fs::write(root.join("park.proto"), park).unwrap();
    let run = |inputs: &[&str]| {
        cli::command(root)
            .args(["compile", "-I", ".", "--proto_out", "."])
            .args(inputs)
            .output()
            .unwrap()
    };
    // In place: zoo.proto is written beside zoo.iproto; tag.proto, a copy of itself, is left
    // alone.
    let ok = run(&["zoo.iproto"]);
    assert!(ok.status.success(), "{}", cli::stderr(&ok));
    assert!(std::fs::read_to_string(root.join("zoo.proto"))
        .unwrap()
        .contains("extend Animal"));
    assert_eq!(
        std::fs::read_to_string(root.join("tag.proto")).unwrap(),
        tag
    );
    // Again, now that zoo.proto exists: it is iprotoc's own output, replaced as usual.
    assert!(run(&["zoo.iproto"]).status.success());
    // park.proto imports an .iproto: its lowered text would replace the user's file. Refused,
    // and nothing is written.
    std::fs::remove_file(root.join("zoo.proto")).unwrap();
    let refused = run(&["park.proto"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = cli::stderr(&refused);
    assert!(
        stderr.contains("error[OUTPUT_WRITE]") && stderr.contains("park.proto"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("park.proto")).unwrap(),
        park
    );
    assert!(!root.join("zoo.proto").exists());
    // The same from a build script's Config.
    let err = iprotoc::Config::new()
        .include(root)
        .out_dir(root)
        .compile(&[root.join("park.proto")])
        .unwrap_err();
    assert!(
        err.to_string().contains("which this compilation reads"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("park.proto")).unwrap(),
        park
    );
}
