//! UI tests: every `tests/ui/**/*.iproto` fixture (names starting with `_` are helpers that other
//! fixtures import) is compiled in both lowering styles, and one snapshot holds the source, the
//! diagnostics and the lowered output of each style. Every lowered output is then compiled by the
//! vendored protoc, which must accept it. A fixture with errors that is plain protobuf is compiled
//! by protoc too, which must reject it on the same lines; `// expect: CODE` in a fixture names a
//! diagnostic it must produce.
//!
//! Add a case by adding a fixture; review new snapshots with `cargo insta review`, or accept them
//! with `INSTA_UPDATE=always cargo test --test ui`.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use iprotoc::compile::{compile, Options, Output};
use iprotoc::diagnostics::Format;
use iprotoc::fs::FsResolver;
use iprotoc::Style;

/// The fixtures' root: the second include directory, after the fixture's own directory, so a
/// fixture imports a neighbour by its name (`_cart.iproto`) or any fixture by its path under the
/// root (`lower/lib/animals.iproto`), as `tests/lower_fixtures.rs` does.
const ROOT: &str = "tests/ui";

/// The include directories of a fixture in `dir`.
fn includes(dir: &Path) -> Vec<PathBuf> {
    vec![dir.to_path_buf(), PathBuf::from(ROOT)]
}

/// Where an imported fixture file is, if it is one (else it is a well-known type).
fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    includes(dir)
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn run(dir: &Path, name: &str, style: Style) -> Output {
    let resolver = FsResolver::new(includes(dir));
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
            if let Some(src) = as_iproto.filter(|p| find(dir, p).is_some()) {
                lowered_closure(dir, &src, style, acc);
            } else if let Some(path) = find(dir, imported) {
                acc.insert(imported.to_string(), std::fs::read_to_string(path).unwrap());
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
    let resolver = FsResolver::new(includes(dir));
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

/// The lines (1-based) of the errors `out` reports in the fixture `name` itself.
fn error_lines(out: &Output, name: &str) -> BTreeSet<usize> {
    out.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.primary.as_ref())
        .filter(|p| out.sources.get(p.location.file).name == name)
        .map(|p| {
            let file = out.sources.get(p.location.file);
            file.line_col(p.location.span.start).0 as usize + 1
        })
        .collect()
}

/// A fixture with errors that is plain protobuf (it parses, and nothing in it inherits) is
/// compiled by protoc too, as `.proto` (with the fixtures it imports): protoc must reject it,
/// with its errors on the lines iprotoc reports. (Lines, not columns: in a dotted option name
/// iprotoc points at the part that is wrong, protoc at the start of the name.)
fn check_errors_with_protoc(dir: &Path, name: &str, out: &Output) {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let (ast, syntax) = iprotoc::parse::parse(iprotoc::source::FileId(0), &text);
    if !syntax.is_empty() || iprotoc::lower::hierarchy::has_inheritance(&ast.items) {
        return;
    }
    let as_proto = |text: &str| text.replace(".iproto\"", ".proto\"");
    let tmp = tempfile::tempdir().unwrap();
    let mut todo = vec![name.to_string()];
    let mut copied = BTreeSet::new();
    while let Some(n) = todo.pop() {
        let Some(text) = find(dir, &n).map(|p| std::fs::read_to_string(p).unwrap()) else {
            continue; // a well-known type: protoc has its own
        };
        if !copied.insert(n.clone()) {
            continue;
        }
        let (file, _) = iprotoc::parse::parse(iprotoc::source::FileId(0), &text);
        for item in &file.items {
            if let iprotoc::ast::FileItem::Import(i) = item {
                todo.push(i.path.to_text());
            }
        }
        let p = tmp.path().join(iprotoc::compile::lowered_name(&n));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, as_proto(&text)).unwrap();
    }
    let lowered = iprotoc::compile::lowered_name(name);
    let Err(stderr) = support::protoc_descriptor_set(tmp.path(), &[&lowered], &[]) else {
        panic!(
            "protoc accepts {}, which iprotoc rejects",
            dir.join(name).display()
        );
    };
    // protoc names the file as given, or by its path on disk.
    let prefix = format!("{lowered}:");
    let on_disk = format!("{}:", tmp.path().join(&lowered).display());
    let theirs: BTreeSet<usize> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix).or_else(|| l.strip_prefix(&on_disk)))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    assert_eq!(
        error_lines(out, name),
        theirs,
        "{}: iprotoc's errors are not on the lines of protoc's:\n{stderr}",
        dir.join(name).display()
    );
}

/// The codes a fixture's `// expect: CODE` lines name: its diagnostics (in either style) must
/// include each.
fn check_expected_codes(source: &str, path: &Path, outs: [&Output; 2]) {
    for code in source
        .lines()
        .filter_map(|l| l.strip_prefix("// expect: "))
        .flat_map(|codes| codes.split([',', ' ']).filter(|c| !c.is_empty()))
    {
        assert!(
            outs.iter()
                .flat_map(|o| &o.diagnostics)
                .any(|d| d.code == code),
            "{}: expected a diagnostic {code}, got:\n{}",
            path.display(),
            outs.map(|o| o.render(Format::Short, false)).concat()
        );
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
        check_expected_codes(&source, path, [&ext, &oneof]);
        for (style, out) in [(Style::Extensions, &ext), (Style::Oneof, &oneof)] {
            if !out.has_errors() {
                check_with_protoc(&dir, &file_name, style);
            }
        }
        if ext.has_errors() {
            check_errors_with_protoc(&dir, &file_name, &ext);
        }
    }
}

#[test]
fn ui() {
    insta::glob!("../ui", "**/*.iproto", |path| run_fixture("ui", path));
}

/// The shipped examples get the same treatment: snapshot, protoc accepts, same descriptors.
#[test]
fn examples() {
    insta::glob!("../../examples", "*.iproto", |path| run_fixture(
        "examples", path
    ));
}

/// The first-day slips of `tests/ui/diagnostics`: every slip has a help line, and every format
/// gives its file:line:col; the formats that carry help lines (all but the one-line `short`)
/// carry each of them.
#[test]
fn first_day_slips_in_every_format() {
    let dir = Path::new(ROOT).join("diagnostics");
    let mut fixtures: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".iproto") && !n.starts_with('_'))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10, "{fixtures:?}");
    for name in fixtures {
        let out = run(&dir, &name, Style::Extensions);
        assert!(out.has_errors(), "{name}");
        let [human, short, json, github] =
            [Format::Human, Format::Short, Format::Json, Format::Github]
                .map(|f| out.render(f, false));
        let (short, json, github): (Vec<&str>, Vec<&str>, Vec<&str>) = (
            short.lines().collect(),
            json.lines().collect(),
            github.lines().collect(),
        );
        assert_eq!(short.len(), out.diagnostics.len(), "{name}: {short:#?}");
        assert_eq!(json.len(), out.diagnostics.len(), "{name}: {json:#?}");
        // A GitHub annotation is one line: its help lines are escaped into it.
        assert_eq!(github.len(), out.diagnostics.len(), "{name}: {github:#?}");
        for (i, d) in out.diagnostics.iter().enumerate() {
            assert!(d.is_error(), "{name}: {d:?}");
            // (`expected …, found …` is an ordinary syntax error, there to show that parsing goes
            // on after a slip.)
            assert!(
                !d.help.is_empty() || d.message.starts_with("expected "),
                "{name}: {} has no help line",
                d.message
            );
            let p = d.primary.as_ref().expect("a location");
            let file = out.sources.get(p.location.file);
            let (l, c) = file.line_col(p.location.span.start);
            let (l, c) = (l + 1, c + 1);
            let path = &file.display_path;
            let at = format!("{path}:{l}:{c}");
            assert!(
                human.contains(&format!("┌─ {at}\n")),
                "{name}: {at}\n{human}"
            );
            assert_eq!(
                short[i],
                format!("{at}: error[{}]: {}", d.code, d.message),
                "{name}"
            );
            assert!(
                json[i].contains(&format!("\"line\":{l},\"column\":{c},"))
                    && json[i].contains(&format!("\"code\":\"{}\"", d.code)),
                "{name}: {}",
                json[i]
            );
            assert!(
                github[i].starts_with(&format!("::error file={path},line={l},col={c},")),
                "{name}: {}",
                github[i]
            );
            for h in &d.help {
                assert!(human.contains(&format!("= help: {h}\n")), "{name}: {h}");
                let escaped = h.replace('\\', "\\\\").replace('"', "\\\"");
                assert!(json[i].contains(&escaped), "{name}: {h}\n{}", json[i]);
                assert!(
                    github[i].contains(&format!("%0Ahelp: {h}")),
                    "{name}: {h}\n{}",
                    github[i]
                );
            }
        }
    }
}
