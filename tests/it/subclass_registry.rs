//! Hierarchies across files (the root's `subclass full.Name = TAG;` registry): every case under
//! `tests/fixtures/subclass/CASE/` (its `inputs` file lists the files to compile, relative to the
//! case directory, which is the include directory) is compiled in both styles, and one snapshot
//! holds the sources, the diagnostics and the `--proto_out` tree of each style.
//!
//! - A style that compiles: protoc compiles the `--proto_out` tree alone (it is complete), and its
//!   descriptor set (imports included) is iprotoc's, byte for byte.
//! - A style with errors writes nothing; each `// expect: CODE` line of a case's files names a
//!   code that one of the styles reports, and each such error names two places (the registry
//!   line or the root, and the class), except the few that only the root's file knows of.
//!
//! Review new snapshots with `cargo insta review`, or accept them with
//! `INSTA_UPDATE=always cargo test --test subclass_registry`.

use crate::support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use iprotoc::diagnostics::Format;
use iprotoc::driver::{compile, Options, Output};
use iprotoc::fs::FsResolver;
use iprotoc::source::MemoryResolver;
use iprotoc::Style;

const CASES: &str = "tests/fixtures/subclass";

/// Errors that only the root's file sees: there is no second place to name.
const ONE_PLACE: &[&str] = &[
    "TAG_IN_RESERVED_RANGE",
    "SUBCLASS_NAME_NOT_QUALIFIED",
    "ONEOF_STYLE_SUBCLASS_MISSING",
];

fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(CASES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("inputs").is_file())
        .collect();
    out.sort();
    assert!(out.len() >= 10, "the cases are missing: {out:?}");
    out
}

fn inputs(case: &Path) -> Vec<String> {
    std::fs::read_to_string(case.join("inputs"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Every `.iproto` file of a case, by name relative to it, sorted.
fn sources(case: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.extension().is_some_and(|x| x == "iproto") {
                let name = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(case, case, &mut out);
    out.sort();
    out
}

fn run(dir: &Path, inputs: &[String], style: Style) -> Output {
    let resolver = FsResolver::new(vec![dir.to_path_buf()]);
    compile(
        &resolver,
        inputs,
        &Options {
            style,
            include_imports: true,
            ..Options::default()
        },
    )
}

/// protoc on the `--proto_out` tree alone: it must compile, to iprotoc's descriptor set.
fn check_with_protoc(case: &Path, style: Style, out: &Output) {
    let tmp = tempfile::tempdir().unwrap();
    for f in &out.proto_files {
        let p = tmp.path().join(&f.name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &f.text).unwrap();
    }
    let names: Vec<&str> = out.input_names.iter().map(String::as_str).collect();
    let theirs = protoc_set(tmp.path(), &names, &["--include_imports"]).unwrap_or_else(|e| {
        panic!(
            "{}: protoc rejects the {style:?} lowering:\n{e}",
            case.display()
        )
    });
    assert!(
        out.descriptor_set_bytes == theirs,
        "{}: the {style:?} descriptor set differs from protoc's",
        case.display()
    );
}

fn section(snapshot: &mut String, title: &str, out: &Output) {
    let _ = writeln!(
        snapshot,
        "==================== {title} ===================="
    );
    let diags = out.render(Format::Human, false);
    if !diags.is_empty() {
        let _ = writeln!(snapshot, "{}", diags.trim_end());
    }
    for f in &out.proto_files {
        let _ = writeln!(
            snapshot,
            "---------- {} ----------\n{}",
            f.name,
            f.text.trim_end()
        );
    }
}

#[test]
fn every_case_lowers_or_reports_as_expected() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        run_case(&name, &case, &inputs(&case), &sources(&case));
    }
}

/// The shipped example of a hierarchy across packages (`examples/aquarium`, include directory
/// `examples`, as the README's first command compiles it) gets the same treatment.
#[test]
fn the_aquarium_example_compiles_in_both_styles() {
    let files: Vec<(String, String)> = sources(Path::new("examples/aquarium"))
        .into_iter()
        .map(|(n, t)| (format!("aquarium/{n}"), t))
        .collect();
    let inputs = vec![
        "aquarium/fish.iproto".to_string(),
        "aquarium/sharks/shark.iproto".to_string(),
    ];
    run_case("example_aquarium", Path::new("examples"), &inputs, &files);
}

/// Compiles `inputs` (include directory `dir`) in both styles and checks and snapshots the result.
fn run_case(name: &str, dir: &Path, inputs: &[String], files: &[(String, String)]) {
    let mut snapshot = String::new();
    for (n, text) in files {
        let _ = writeln!(
            snapshot,
            "==================== {n} ====================\n{}",
            text.trim_end()
        );
    }
    let ext = run(dir, inputs, Style::Extensions);
    let oneof = run(dir, inputs, Style::Oneof);
    section(&mut snapshot, "--style extensions", &ext);
    section(&mut snapshot, "--style oneof", &oneof);
    for (style, out) in [(Style::Extensions, &ext), (Style::Oneof, &oneof)] {
        if out.has_errors() {
            assert!(out.proto_files.is_empty() && out.descriptor_set_bytes.is_empty());
        } else {
            check_with_protoc(dir, style, out);
        }
    }
    let expected: Vec<&str> = files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter_map(|l| l.strip_prefix("// expect: "))
        .collect();
    for code in &expected {
        let found: Vec<_> = [&ext, &oneof]
            .iter()
            .flat_map(|o| &o.diagnostics)
            .filter(|d| d.code == *code && d.is_error())
            .collect();
        assert!(!found.is_empty(), "{name}: expected {code}:\n{snapshot}");
        for d in found {
            assert!(d.primary.is_some(), "{name}: {code} has no location");
            assert!(
                ONE_PLACE.contains(code) || !d.secondary.is_empty(),
                "{name}: {code} must name both places:\n{snapshot}"
            );
        }
    }
    if expected.is_empty() {
        assert!(
            !ext.has_errors() && !oneof.has_errors(),
            "{name}:\n{snapshot}"
        );
    }
    insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(format!("subclass_registry@{name}"), snapshot);
    });
}

fn memory(files: &[(&str, &str)]) -> MemoryResolver {
    let mut r = MemoryResolver::new();
    for (n, t) in files {
        r.add(*n, t.as_bytes());
    }
    r
}

fn compile_in_memory(files: &[(&str, &str)], inputs: &[&str], style: Style) -> Output {
    let inputs: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
    compile(
        &memory(files),
        &inputs,
        &Options {
            style,
            ..Options::default()
        },
    )
}

const ANIMAL: &str = r#"syntax = "proto2";
package zoo;
message Animal {
  required float weight = 1;
  subclass zoo.cats.Cat = 100;
  subclass zoo.cats.Kitten = 101;
}
message Dog : Animal { }
"#;

const CAT: &str = r#"syntax = "proto2";
package zoo.cats;
import "zoo/animal.iproto";
message Cat : zoo.Animal { optional bool declawed = 1; }
message Kitten : Cat { optional string toy = 1; }
"#;

/// The root's lowered file is a function of the root's file alone (extension style): the same
/// text and the same descriptor whether the subclasses' files are compiled with it or not.
#[test]
fn the_roots_output_does_not_depend_on_its_subclasses_files() {
    let files = [("zoo/animal.iproto", ANIMAL), ("zoo/cats/cat.iproto", CAT)];
    let alone = compile_in_memory(&files, &["zoo/animal.iproto"], Style::Extensions);
    let with = compile_in_memory(
        &files,
        &["zoo/animal.iproto", "zoo/cats/cat.iproto"],
        Style::Extensions,
    );
    let through = compile_in_memory(&files, &["zoo/cats/cat.iproto"], Style::Extensions);
    assert!(!alone.has_errors() && !with.has_errors() && !through.has_errors());
    let text = |o: &Output| {
        o.proto_files
            .iter()
            .find(|f| f.name == "zoo/animal.proto")
            .unwrap()
            .text
            .clone()
    };
    assert_eq!(text(&alone), text(&with));
    assert_eq!(text(&alone), text(&through));
    assert!(text(&alone).contains("TYPE_KITTEN = 101;"));
    assert!(text(&alone).contains("TYPE_DOG = 102;"), "{}", text(&alone));
    assert_eq!(alone.descriptor_set.file[0], with.descriptor_set.file[0]);
    // And the same input gives the same bytes.
    let again = compile_in_memory(
        &files,
        &["zoo/animal.iproto", "zoo/cats/cat.iproto"],
        Style::Extensions,
    );
    assert_eq!(with.descriptor_set_bytes, again.descriptor_set_bytes);
}

/// Oneof style reverses the imports: the parent's file imports the subclass's, which stops
/// importing the parent's; the descriptor set lists the subclass's file first.
#[test]
fn oneof_style_reverses_the_imports() {
    let files = [("zoo/animal.iproto", ANIMAL), ("zoo/cats/cat.iproto", CAT)];
    let out = compile_in_memory(
        &files,
        &["zoo/animal.iproto", "zoo/cats/cat.iproto"],
        Style::Oneof,
    );
    assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
    let names: Vec<&str> = out.descriptor_set.file.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["zoo/cats/cat.proto", "zoo/animal.proto"]);
    assert_eq!(out.descriptor_set.file[0].dependency, Vec::<String>::new());
    assert_eq!(
        out.descriptor_set.file[1].dependency,
        ["zoo/cats/cat.proto"]
    );
    let animal = &out.descriptor_set.file[1].message_type[0];
    let subtype: Vec<(&str, i32)> = animal
        .field
        .iter()
        .filter(|f| f.oneof_index.is_some())
        .map(|f| (f.name(), f.number()))
        .collect();
    // Direct subclasses only: Kitten is Cat's.
    assert_eq!(subtype, [("dog", 102), ("cat", 100)]);
    // A subclass's file alone, imports included: the parent's file is still in the set (after
    // the subclass's, which it imports now).
    let alone = compile(
        &memory(&files),
        &["zoo/cats/cat.iproto".to_string()],
        &Options {
            style: Style::Oneof,
            include_imports: true,
            ..Options::default()
        },
    );
    let names: Vec<&str> = alone.descriptor_set.file.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["zoo/cats/cat.proto", "zoo/animal.proto"]);
    // The order of the inputs changes nothing in the lowered files.
    let reversed = compile_in_memory(
        &files,
        &["zoo/cats/cat.iproto", "zoo/animal.iproto"],
        Style::Oneof,
    );
    assert_eq!(reversed.proto_files.len(), 2);
    for f in &reversed.proto_files {
        let same = out.proto_files.iter().find(|g| g.name == f.name).unwrap();
        assert_eq!(f.text, same.text);
    }
}

/// `subclass` is a keyword only in the registry's shape: everywhere else it is a name, as in
/// protobuf (a field of a message type named `subclass`, a field named `subclass`).
#[test]
fn subclass_stays_an_identifier_elsewhere() {
    let text = r#"syntax = "proto3";
package p;
message subclass { int32 subclass = 1; }
message M {
  subclass Cat = 1;
  subclass subclass = 2;
  repeated subclass many = 3;
}
"#;
    let out = compile_in_memory(&[("p.proto", text)], &["p.proto"], Style::Extensions);
    assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("p.proto"), text).unwrap();
    let theirs = protoc_set(tmp.path(), &["p.proto"], &[]).unwrap();
    assert_eq!(out.descriptor_set_bytes, theirs);
}

/// A registry in a source file prints back as written (the printer, and `fmt`, keep it).
#[test]
fn the_registry_prints_back() {
    let (tree, diags) = iprotoc::parse::parse(iprotoc::source::FileId(0), ANIMAL);
    assert!(diags.is_empty());
    let printed = iprotoc::print::print_file(&tree, None);
    assert!(
        printed.contains("  subclass zoo.cats.Cat = 100;\n"),
        "{printed}"
    );
    assert!(
        printed.contains("  subclass zoo.cats.Kitten = 101;\n"),
        "{printed}"
    );
}

/// The descriptors `breaking` reads: iprotoc's, of every file of the compilation.
fn descriptors(
    files: &[(&str, &str)],
    style: Style,
) -> (Output, Vec<prost_types::FileDescriptorProto>) {
    let inputs: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
    let out = compile(
        &memory(files),
        &inputs,
        &Options {
            style,
            include_imports: true,
            ..Options::default()
        },
    );
    assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
    let fds = out.descriptor_set.file.clone();
    (out, fds)
}

fn breaking_codes(old: &[(&str, &str)], new: &[(&str, &str)], style: Style) -> Vec<&'static str> {
    let (_, old_fds) = descriptors(old, style);
    let (out, new_fds) = descriptors(new, style);
    let ids: Vec<_> = new
        .iter()
        .map(|(n, _)| out.sources.find(n).unwrap())
        .collect();
    let found = iprotoc::breaking::compare(
        &old_fds,
        &new_fds,
        &iprotoc::breaking::Locator::new(&out.sources, &ids),
    );
    let mut codes: Vec<&str> = found.iter().map(|d| d.code).collect();
    codes.sort();
    codes
}

const ONE_FILE: &str = r#"syntax = "proto2";
package zoo;
message Animal { optional float weight = 1; }
message Cat : Animal = 100 { optional bool declawed = 1; }
"#;

const ROOT_REGISTERS_CAT: &str = r#"syntax = "proto2";
package zoo;
message Animal {
  optional float weight = 1;
  subclass zoo.Cat = 100;
}
"#;

const CAT_ALONE: &str = r#"syntax = "proto2";
package zoo;
import "zoo/animal.iproto";
message Cat : Animal { optional bool declawed = 1; }
"#;

/// `breaking` matches classes by full name: moving `Cat` out of the root's file (registered with
/// its tag) is no change, in either style; changing the registered tag is.
#[test]
fn breaking_sees_moves_between_files_as_no_change_and_registry_tags_as_tags() {
    let old = [("zoo/animal.iproto", ONE_FILE)];
    let moved = [
        ("zoo/animal.iproto", ROOT_REGISTERS_CAT),
        ("zoo/cat.iproto", CAT_ALONE),
    ];
    let retagged_root = ROOT_REGISTERS_CAT.replace("zoo.Cat = 100", "zoo.Cat = 101");
    let retagged = [
        ("zoo/animal.iproto", retagged_root.as_str()),
        ("zoo/cat.iproto", CAT_ALONE),
    ];
    for style in [Style::Extensions, Style::Oneof] {
        assert_eq!(breaking_codes(&old, &moved, style), Vec::<&str>::new());
        assert_eq!(breaking_codes(&moved, &old, style), Vec::<&str>::new());
        let codes = breaking_codes(&moved, &retagged, style);
        assert!(
            codes.contains(&"SUBCLASS_TAG_CHANGED"),
            "{style:?}: {codes:?}"
        );
    }
}

/// The build.rs API compiles a hierarchy across files as the command line does: both lowered
/// files written to the output directory, the descriptor set holding both.
#[test]
fn the_build_rs_api_compiles_a_hierarchy_across_files() {
    for style in [Style::Extensions, Style::Oneof] {
        let out_dir = tempfile::tempdir().unwrap();
        let fds = iprotoc::Config::new()
            .include("examples")
            .style(style)
            .out_dir(out_dir.path())
            .skip_cargo_directives()
            .compile(&[
                "examples/aquarium/fish.iproto",
                "examples/aquarium/sharks/shark.iproto",
            ])
            .unwrap_or_else(|e| panic!("{style:?}: {e}"));
        let mut names: Vec<&str> = fds.file.iter().map(|f| f.name()).collect();
        names.sort();
        assert_eq!(
            names,
            ["aquarium/fish.proto", "aquarium/sharks/shark.proto"]
        );
        for name in names {
            let text = std::fs::read_to_string(out_dir.path().join(name)).unwrap();
            assert!(
                !text
                    .lines()
                    .any(|l| l.trim_start().starts_with("subclass ")),
                "{name}: {text}"
            );
        }
    }
}

/// `--include_source_info` over a hierarchy across files: every location of each lowered file
/// points inside its own source; a registry line is where its class's `Type` value comes from
/// (the imports oneof style adds point at the file's `syntax` statement).
#[test]
fn source_info_stays_inside_each_source() {
    let files = [("zoo/animal.iproto", ANIMAL), ("zoo/cats/cat.iproto", CAT)];
    for style in [Style::Extensions, Style::Oneof] {
        let out = compile(
            &memory(&files),
            &files.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>(),
            &Options {
                style,
                include_source_info: true,
                ..Options::default()
            },
        );
        assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
        for fd in &out.descriptor_set.file {
            let source = files
                .iter()
                .find(|(n, _)| iprotoc::lower::lowered_name(n) == fd.name())
                .unwrap()
                .1;
            let lines: Vec<&str> = source.lines().collect();
            let info = fd.source_code_info.as_ref().expect("source info");
            assert!(info.location.len() > 10);
            let mut registry_locations = 0;
            for l in &info.location {
                let line = l.span[0] as usize;
                let col = l.span[1] as usize;
                assert!(line < lines.len(), "{}: {l:?}", fd.name());
                assert!(col <= lines[line].len(), "{}: {l:?}", fd.name());
                // A registry line is the source of its class's `Type` value, and of nothing else.
                if lines[line].trim_start().starts_with("subclass ") {
                    assert!(
                        l.path.starts_with(&[4, 0, 4, 0, 2]),
                        "{}: a location on a registry line that is not a Type value: {l:?}",
                        fd.name()
                    );
                    registry_locations += 1;
                }
            }
            if fd.name() == "zoo/animal.proto" {
                // TYPE_CAT and TYPE_KITTEN: the value, its name and its number.
                assert_eq!(registry_locations, 6, "{:?}", info.location);
            }
        }
    }
}

/// `check --require-complete-hierarchies`: a registered class that no file of the compilation
/// declares is a warning, only when asked, and only while the hierarchy is incomplete.
#[test]
fn complete_hierarchies_are_checked_only_when_asked() {
    let files = [("zoo/animal.iproto", ANIMAL), ("zoo/cats/cat.iproto", CAT)];
    let run = |inputs: &[&str], asked: bool| {
        let inputs: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
        let out = compile(
            &memory(&files),
            &inputs,
            &Options {
                require_complete_hierarchies: asked,
                ..Options::default()
            },
        );
        assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
        out.diagnostics
            .iter()
            .filter(|d| d.code == "SUBCLASS_REGISTERED_NOT_FOUND")
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    let missing = run(&["zoo/animal.iproto"], true);
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(missing[0].contains("zoo.cats.Cat") && missing[1].contains("zoo.cats.Kitten"));
    assert!(run(&["zoo/animal.iproto"], false).is_empty());
    assert!(run(&["zoo/animal.iproto", "zoo/cats/cat.iproto"], true).is_empty());
}

/// The lints know hierarchies across files: a registered class's tag counts as pinned (no
/// `SUBCLASS_TAG_UNPINNED`), and a field of a subclass declared in another file is
/// `FIELD_OF_SUBCLASS_TYPE`, naming the root of the other files.
#[test]
fn lints_see_hierarchies_across_files() {
    let pen = r#"syntax = "proto2";
package zoo.pens;
import "zoo/cats/cat.iproto";
message Pen { repeated zoo.cats.Kitten kittens = 1; }
"#;
    let files = [
        ("zoo/animal.iproto", ANIMAL),
        ("zoo/cats/cat.iproto", CAT),
        ("zoo/pens/pen.iproto", pen),
    ];
    let inputs: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
    let out = compile(
        &memory(&files),
        &inputs,
        &Options {
            lint: iprotoc::lint::Lints::All,
            ..Options::default()
        },
    );
    assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
    let unpinned: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "SUBCLASS_TAG_UNPINNED")
        .map(|d| d.message.as_str())
        .collect();
    // Only Dog, allocated in the root's file; Cat and Kitten take their registered tags.
    assert_eq!(unpinned.len(), 1, "{unpinned:?}");
    assert!(unpinned[0].contains("`Dog`"));
    let field: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "FIELD_OF_SUBCLASS_TYPE")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(field.len(), 1, "{field:?}");
    assert!(field[0].contains("a subclass of `zoo.Animal`"), "{field:?}");
}

/// Thousands of registered classes in another file: every class gets its registered tag (the
/// checks are map lookups, so this stays as fast as a single-file hierarchy of the same size).
#[test]
fn thousands_of_registered_classes() {
    let n = 5000;
    let tag = |i: u32| if 100 + i < 19_000 { 100 + i } else { 1100 + i };
    let mut root = String::from("syntax = \"proto2\";\npackage zoo;\nmessage Animal {\n");
    let mut subs =
        String::from("syntax = \"proto2\";\npackage zoo.cats;\nimport \"zoo/animal.iproto\";\n");
    for i in 0..n {
        root.push_str(&format!("  subclass zoo.cats.C{i} = {};\n", tag(i)));
        subs.push_str(&format!("message C{i} : zoo.Animal {{ }}\n"));
    }
    root.push_str("}\n");
    let files = [
        ("zoo/animal.iproto", root.as_str()),
        ("zoo/cats.iproto", subs.as_str()),
    ];
    let out = compile_in_memory(&files, &["zoo/cats.iproto"], Style::Extensions);
    assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
    let cats = &out.descriptor_set.file[0];
    assert_eq!(cats.message_type.len(), n as usize);
    for (i, m) in cats.message_type.iter().enumerate() {
        assert_eq!(
            m.extension[0].number(),
            tag(i as u32) as i32,
            "{}",
            m.name()
        );
    }
}

/// protoc's descriptor set of `names` under `root` (with `args`), or its error output.
fn protoc_set(root: &Path, names: &[&str], args: &[&str]) -> Result<Vec<u8>, String> {
    let all: Vec<&str> = args.iter().chain(names).copied().collect();
    support::protoc::descriptor_set(&[root], &all)
}
