//! UI tests: every `tests/ui/**/*.iproto` fixture (names starting with `_` are helpers that other
//! fixtures import) is compiled in both lowering styles, and one snapshot holds the source, the
//! diagnostics and the lowered output of each style. Every lowered output is then compiled by the
//! vendored protoc, which must accept it.
//!
//! Add a case by adding a fixture; review new snapshots with `cargo insta review`, or accept them
//! with `INSTA_UPDATE=always cargo test --test ui`.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use iprotoc::compile::{compile, Options, Output};
use iprotoc::diagnostics::Format;
use iprotoc::fs::FsResolver;
use iprotoc::Style;

fn run(dir: &Path, name: &str, style: Style) -> Output {
    let resolver = FsResolver::new(vec![dir.to_path_buf()]);
    compile(
        &resolver,
        &[name.to_string()],
        &Options {
            style,
            ..Options::default()
        },
    )
}

/// The lowered files of `name` and of every `.iproto` it imports (from `dir`), for protoc.
fn lowered_closure(dir: &Path, name: &str, style: Style, acc: &mut BTreeMap<String, String>) {
    let out = run(dir, name, style);
    assert!(
        !out.has_errors(),
        "{name} compiled alone must compile as an import too"
    );
    for f in &out.proto_files {
        acc.insert(f.name.clone(), f.text.clone());
        for line in f.text.lines() {
            let Some(rest) = line.trim().strip_prefix("import ") else {
                continue;
            };
            let imported = rest
                .trim_start_matches("public ")
                .trim_start_matches("weak ")
                .trim_matches(|c| c == '"' || c == ';');
            if acc.contains_key(imported) {
                continue;
            }
            let as_iproto = imported
                .strip_suffix(".proto")
                .map(|s| format!("{s}.iproto"));
            if let Some(src) = as_iproto.filter(|p| dir.join(p).exists()) {
                lowered_closure(dir, &src, style, acc);
            } else if dir.join(imported).exists() {
                acc.insert(
                    imported.to_string(),
                    std::fs::read_to_string(dir.join(imported)).unwrap(),
                );
            }
        }
    }
}

fn check_with_protoc(dir: &Path, name: &str, style: Style) {
    let mut files = BTreeMap::new();
    lowered_closure(dir, name, style, &mut files);
    let tmp = tempfile::tempdir().unwrap();
    for (n, text) in &files {
        let p = tmp.path().join(n);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let lowered = iprotoc::compile::lowered_name(name);
    let theirs = support::protoc_descriptor_set(tmp.path(), &[&lowered], &["--include_imports"])
        .unwrap_or_else(|e| {
            panic!(
                "protoc rejects the {style:?}-style lowering of {}:\n{e}\n--- lowered ---\n{}",
                dir.join(name).display(),
                files[&lowered]
            )
        });
    // iprotoc's own descriptor set (lowered files, imports included) is protoc's, byte for byte.
    let resolver = FsResolver::new(vec![dir.to_path_buf()]);
    let ours = compile(
        &resolver,
        &[name.to_string()],
        &Options {
            style,
            include_imports: true,
            ..Options::default()
        },
    );
    if ours.descriptor_set_bytes != theirs {
        use prost::Message as _;
        let theirs = prost_types::FileDescriptorSet::decode(theirs.as_slice()).unwrap();
        assert_eq!(
            ours.descriptor_set,
            theirs,
            "{style:?} style: the descriptor set of {} differs from protoc's",
            dir.join(name).display()
        );
        panic!("{style:?} style: the descriptor set bytes of {} differ from protoc's (decoded, they are equal)", dir.join(name).display());
    }
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

fn run_fixture(test: &str, path: &Path) {
    {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        if file_name.starts_with('_') {
            return;
        }
        // Relative to the package root (the test's working directory), so snapshots do not
        // depend on where the checkout lives.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir: PathBuf = path
            .parent()
            .unwrap()
            .strip_prefix(root)
            .unwrap_or(path.parent().unwrap())
            .to_path_buf();
        let source = std::fs::read_to_string(path).unwrap();
        let mut snapshot = String::new();
        let _ = writeln!(
            snapshot,
            "==================== source ====================\n{}",
            source.trim_end()
        );
        let ext = run(&dir, &file_name, Style::Extensions);
        let oneof = run(&dir, &file_name, Style::Oneof);
        section(&mut snapshot, "--style extensions", &ext);
        section(&mut snapshot, "--style oneof", &oneof);
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(test, snapshot);
        });
        // Rendering is deterministic: a second run gives the same bytes.
        assert_eq!(
            run(&dir, &file_name, Style::Extensions).proto_files,
            ext.proto_files
        );
        for (style, out) in [(Style::Extensions, &ext), (Style::Oneof, &oneof)] {
            if !out.has_errors() {
                check_with_protoc(&dir, &file_name, style);
            }
        }
    }
}

#[test]
fn ui() {
    insta::glob!("ui/**/*.iproto", |path| run_fixture("ui", path));
}

/// The shipped examples get the same treatment: snapshot, protoc accepts, same descriptors.
#[test]
fn examples() {
    insta::glob!("../examples", "*.iproto", |path| run_fixture(
        "examples", path
    ));
}
