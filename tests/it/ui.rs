//! UI tests: every fixture under `tests/ui/` — `.iproto` files, and `.proto` files that are plain
//! protobuf by their name (names starting with `_` are helpers that other fixtures import) — is
//! compiled in both lowering styles, and one snapshot holds the source, the diagnostics and the
//! lowered output of each style (of both at once for a `.proto`, which must not depend on the
//! style). Then:
//!
//! - **protoc agrees.** A fixture without errors: the vendored protoc accepts its lowered output
//!   (a `.proto` fixture: the fixture itself) and builds the same descriptor set, byte for byte. A
//!   fixture with errors that is plain protobuf — a `.proto` fixture, or an `.iproto` one that
//!   parses and declares no inheritance — is compiled by protoc too, which must reject it and
//!   agree error by error, by line or by message (see [`check_errors_with_protoc`]); protoc's
//!   diagnostics go into the snapshot below iprotoc's. An `.iproto` fixture that inherits or does
//!   not parse is iproto-only: protoc has nothing to say about it.
//! - **`// expect: CODE, CODE`** (one line or several) lists the codes of the diagnostics the
//!   fixture gets that are not lint findings (those are `tests/lint`'s): each code listed is
//!   reported, and nothing else is; a fixture without one gets no such diagnostic.
//!   **`// style: oneof`** names the style those codes are checked in (extensions otherwise);
//!   **`// contains: TEXT`** is a line that style's output must contain.
//! - Every error has a location; under `tests/ui/errors/` (inheritance errors) every error also
//!   has a help line.
//!
//! Add a case by adding a fixture; review new snapshots with `cargo insta review`, or accept them
//! with `INSTA_UPDATE=always cargo test --test it ui::`, reading each `.snap` in the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use iprotoc::diagnostics::Format;
use iprotoc::driver::{compile, Options, Output, ProtoFileKind};
use iprotoc::fs::FsResolver;
use iprotoc::lower::lowered_name;
use iprotoc::Style;

use crate::support;

/// The fixtures' root: the second include directory, after the fixture's own directory, so a
/// fixture imports a neighbour by its name (`_cart.iproto`) or any fixture by its path under the
/// root (`lower/lib/animals.iproto`).
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

fn run_with(dir: &Path, name: &str, options: &Options) -> Output {
    compile(
        &FsResolver::new(includes(dir)),
        &[name.to_string()],
        options,
    )
}

fn run(dir: &Path, name: &str, style: Style) -> Output {
    run_with(
        dir,
        name,
        &Options {
            style,
            ..Options::default()
        },
    )
}

/// A fixture: where it is, its text, and what its comments ask for.
struct Fixture {
    /// The fixture's directory, relative to the package root (the tests' working directory).
    dir: PathBuf,
    /// Its file name, which is also its name for the compiler.
    name: String,
    source: String,
    /// A `.proto` fixture: plain protobuf by its name.
    plain: bool,
    /// The style its `// expect:` and `// contains:` lines are checked in.
    style: Style,
}

impl Fixture {
    fn path(&self) -> PathBuf {
        self.dir.join(&self.name)
    }

    /// The words of the fixture's `prefix` lines (`// expect: A, B`), in order.
    fn directives(&self, prefix: &str) -> Vec<&str> {
        self.source
            .lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .flat_map(|codes| codes.split([',', ' ']).filter(|c| !c.is_empty()))
            .collect()
    }

    /// Whether protoc can judge the fixture: it is plain protobuf.
    fn is_plain_protobuf(&self) -> bool {
        let (ast, syntax) = iprotoc::parse::parse(iprotoc::source::FileId(0), &self.source);
        self.plain || (syntax.is_empty() && !iprotoc::lower::hierarchy::has_inheritance(&ast.items))
    }

    /// Whether the fixture declares a subclass.
    fn inherits(&self) -> bool {
        let (ast, _) = iprotoc::parse::parse(iprotoc::source::FileId(0), &self.source);
        iprotoc::lower::hierarchy::has_inheritance(&ast.items)
    }
}

/// The lowered files of `name` and of every `.iproto` it imports (from `dir`), and the `.proto`
/// files it imports from the fixtures, for protoc.
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

/// A plain-protobuf fixture and the fixtures it imports, as they are, each under its lowered
/// name (`x.iproto` → `x.proto`, imports renamed to match), for protoc.
fn sources_closure(dir: &Path, name: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut todo = vec![name.to_string()];
    let mut seen = BTreeSet::new();
    while let Some(n) = todo.pop() {
        let Some(text) = find(dir, &n).map(|p| std::fs::read_to_string(p).unwrap()) else {
            continue; // a well-known type: protoc has its own
        };
        if !seen.insert(n.clone()) {
            continue;
        }
        let (file, _) = iprotoc::parse::parse(iprotoc::source::FileId(0), &text);
        for item in &file.items {
            if let iprotoc::ast::FileItem::Import(i) = item {
                todo.push(i.path.to_text());
            }
        }
        files.insert(lowered_name(&n), text.replace(".iproto\"", ".proto\""));
    }
    files
}

/// protoc over `files` with `main` as its input: the descriptor set (imports included), or
/// protoc's error output.
fn protoc(files: &BTreeMap<String, String>, main: &str) -> Result<Vec<u8>, String> {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    support::protoc::descriptor_set_of(&files, &[], &["--include_imports", main])
}

/// protoc accepts the fixture (a `.proto` fixture as it is, an `.iproto` one as lowered in
/// `style`), and iprotoc's descriptor set (imports included) is protoc's, byte for byte.
fn check_with_protoc(f: &Fixture, style: Style) {
    let files = if f.plain {
        sources_closure(&f.dir, &f.name)
    } else {
        let mut files = BTreeMap::new();
        lowered_closure(&f.dir, &f.name, style, &mut files);
        files
    };
    let main = lowered_name(&f.name);
    let theirs = protoc(&files, &main).unwrap_or_else(|e| {
        panic!(
            "protoc rejects the {style:?}-style lowering of {}:\n{e}\n--- lowered ---\n{}",
            f.path().display(),
            files[&main]
        )
    });
    let ours = run_with(
        &f.dir,
        &f.name,
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
            f.path().display()
        );
        panic!(
            "{style:?} style: the descriptor set bytes of {} differ from protoc's (decoded, they are equal)",
            f.path().display()
        );
    }
}

/// The errors `out` reports in the file `name`: (1-based line, message).
fn errors_in(out: &Output, name: &str) -> Vec<(usize, String)> {
    out.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| Some((d.primary.as_ref()?, &d.message)))
        .filter(|(p, _)| out.sources.get(p.location.file).name == name)
        .map(|(p, message)| {
            let file = out.sources.get(p.location.file);
            let line = file.line_col(p.location.span.start).0 as usize + 1;
            (line, message.clone())
        })
        .collect()
}

/// A line of protoc's error output about the file `main`: its line and column where it gives
/// them, and its message. protoc names the file as given: `name.proto:12:3: message`, or
/// `name.proto: message` where it has no position.
fn protoc_diagnostic(line: &str, main: &str) -> Option<(Option<(usize, usize)>, String)> {
    let rest = line.strip_prefix(main)?.strip_prefix(':')?;
    let mut parts = rest.splitn(3, ':');
    let position = (|| Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?)))();
    match position {
        Some(at) => Some((Some(at), parts.next()?.trim().to_string())),
        None => Some((None, rest.trim().to_string())),
    }
}

/// protoc's verdict on a plain-protobuf fixture with errors, and the text for the snapshot: its
/// diagnostics about the fixture, sorted by position. protoc must reject the fixture and agree
/// with iprotoc error by error: each error iprotoc reports is on a line where protoc reports one,
/// or has the message of one of protoc's; and each of protoc's diagnostics is on a line where
/// iprotoc reports an error, or has the message of one of iprotoc's. (Where both compilers point
/// at the same statement their lines agree, not always their columns: in a dotted option name
/// iprotoc points at the part that is wrong, protoc at the start of the name. For many validation
/// errors protoc names a coarser place — the message, the enum, or no line at all — and iprotoc
/// the element at fault; there their messages agree.)
///
/// A fixture marked `// protoc: aborts` is one protoc fails on without a diagnostic (a failed
/// internal check): protoc must still exit with an error, and print nothing about the file.
fn check_errors_with_protoc(f: &Fixture, out: &Output) -> (String, Result<(), String>) {
    let main = lowered_name(&f.name);
    let Err(stderr) = protoc(&sources_closure(&f.dir, &f.name), &main) else {
        let e = format!(
            "protoc accepts {}, which iprotoc rejects",
            f.path().display()
        );
        return (String::new(), Err(e));
    };
    let mut theirs: Vec<(Option<(usize, usize)>, String)> = stderr
        .lines()
        .filter_map(|l| protoc_diagnostic(l, &main))
        .collect();
    theirs.sort_by_key(|(at, _)| at.unwrap_or((usize::MAX, 0)));
    if f.source.lines().any(|l| l.trim() == "// protoc: aborts") {
        let verdict = if theirs.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{}: protoc no longer aborts on it:\n{stderr}",
                f.path().display()
            ))
        };
        return (
            "(protoc aborts: a failed check, no diagnostic)".into(),
            verdict,
        );
    }
    let text = theirs
        .iter()
        .map(|(at, message)| match at {
            Some((l, c)) => format!("{main}:{l}:{c}: {message}"),
            None => format!("{main}: {message}"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let ours = errors_in(out, &f.name);
    let mut disagreements = Vec::new();
    for (line, message) in &ours {
        if !theirs
            .iter()
            .any(|(at, m)| at.is_some_and(|(l, _)| l == *line) || m == message)
        {
            disagreements.push(format!("iprotoc's error on line {line} ({message})"));
        }
    }
    for (at, message) in &theirs {
        if !ours
            .iter()
            .any(|(l, m)| at.is_some_and(|(line, _)| line == *l) || m == message)
        {
            disagreements.push(format!("protoc's diagnostic at {at:?} ({message})"));
        }
    }
    let verdict = if theirs.is_empty() {
        Err(format!(
            "{}: protoc rejects it without a diagnostic about it:\n{stderr}",
            f.path().display()
        ))
    } else if disagreements.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: protoc disagrees: nothing on the other side matches {}\n--- protoc ---\n{text}",
            f.path().display(),
            disagreements.join(", ")
        ))
    };
    (text, verdict)
}

/// The codes of the diagnostics `out` has that are not lint findings, each once.
fn codes(out: &Output) -> BTreeSet<&'static str> {
    out.diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| iprotoc::lint::rule(c).is_none())
        .collect()
}

/// The fixture's `// expect:` codes are exactly the codes of its diagnostics (lint findings
/// aside), in its style; every error has a location, and, where `help` is asked for, a help line.
fn check_diagnostics(f: &Fixture, out: &Output, help: bool) {
    let expected: BTreeSet<&str> = f.directives("// expect: ").into_iter().collect();
    assert_eq!(
        codes(out),
        expected,
        "{}: the diagnostics' codes are not the `// expect:` line's:\n{}",
        f.path().display(),
        out.render(Format::Short, false)
    );
    for d in out.diagnostics.iter().filter(|d| d.is_error()) {
        assert!(
            d.primary.is_some(),
            "{}: {} has no location",
            f.path().display(),
            d.code
        );
        assert!(
            !help || !d.help.is_empty(),
            "{}: {} has no help line",
            f.path().display(),
            d.code
        );
    }
}

/// Each `// contains:` line is a line of the fixture's output.
fn check_contains(f: &Fixture, out: &Output) {
    let main = lowered_name(&f.name);
    let Some(text) = out.proto_files.iter().find(|p| p.name == main) else {
        assert!(
            f.directives("// contains: ").is_empty(),
            "{}: no output to contain anything",
            f.path().display()
        );
        return;
    };
    for want in f
        .source
        .lines()
        .filter_map(|l| l.strip_prefix("// contains: "))
    {
        assert!(
            text.text.contains(want),
            "{}: the output lacks `{want}`:\n{}",
            f.path().display(),
            text.text
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
        if f.kind == ProtoFileKind::Copied {
            let _ = writeln!(
                snapshot,
                "---------- {} (copied as it is) ----------",
                f.name
            );
        } else {
            let _ = writeln!(
                snapshot,
                "---------- {} ----------\n{}",
                f.name,
                f.text.trim_end()
            );
        }
    }
}

/// Runs one fixture, `path` relative to the package root (the tests' working directory), so that
/// snapshots do not depend on where the checkout lives.
fn run_fixture(test: &str, path: &Path) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let source = std::fs::read_to_string(path).unwrap();
    let f = Fixture {
        dir: path.parent().unwrap().to_path_buf(),
        plain: name.ends_with(".proto"),
        style: if source.lines().any(|l| l.trim() == "// style: oneof") {
            Style::Oneof
        } else {
            Style::Extensions
        },
        name,
        source,
    };
    let ext = run(&f.dir, &f.name, Style::Extensions);
    let oneof = run(&f.dir, &f.name, Style::Oneof);
    let mut snapshot = String::new();
    let _ = writeln!(
        snapshot,
        "==================== source ====================\n{}",
        f.source.trim_end()
    );
    if f.plain {
        // Plain protobuf: the style changes nothing, and nothing is lowered unless it inherits.
        assert_eq!(
            ext.render(Format::Human, false),
            oneof.render(Format::Human, false),
            "{}",
            f.path().display()
        );
        assert_eq!(ext.proto_files, oneof.proto_files, "{}", f.path().display());
        // Unless it inherits or imports an `.iproto`, lowering leaves it as it is.
        if !ext.has_errors() && !f.inherits() && !f.source.contains(".iproto\"") {
            let main = ext.proto_files.iter().find(|p| p.name == f.name);
            assert!(
                main.is_some_and(|m| m.kind == ProtoFileKind::Copied && m.text == f.source),
                "{}: lowering changed a plain .proto",
                f.path().display()
            );
        }
        section(&mut snapshot, "either style", &ext);
    } else {
        section(&mut snapshot, "--style extensions", &ext);
        section(&mut snapshot, "--style oneof", &oneof);
    }
    let protoc_verdict =
        (ext.has_errors() && f.is_plain_protobuf()).then(|| check_errors_with_protoc(&f, &ext));
    if let Some((stderr, _)) = protoc_verdict.as_ref().filter(|(e, _)| !e.is_empty()) {
        let _ = writeln!(
            snapshot,
            "==================== protoc ====================\n{}",
            stderr.trim_end()
        );
    }
    insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(test, snapshot);
    });
    if let Some((_, Err(e))) = protoc_verdict {
        panic!("{e}");
    }
    // Rendering is deterministic: a second run gives the same bytes.
    assert_eq!(
        run(&f.dir, &f.name, Style::Extensions).proto_files,
        ext.proto_files
    );
    let primary = match f.style {
        Style::Extensions => &ext,
        Style::Oneof => &oneof,
    };
    let help = f.dir.starts_with(Path::new(ROOT).join("errors"));
    check_diagnostics(&f, primary, help);
    check_contains(&f, primary);
    // A plain fixture compiles alike in both styles (checked above): protoc sees it once.
    let styles = if f.plain { 1 } else { 2 };
    for (style, out) in [(Style::Extensions, &ext), (Style::Oneof, &oneof)]
        .into_iter()
        .take(styles)
    {
        if !out.has_errors() {
            check_with_protoc(&f, style);
        }
    }
}

/// The fixtures under `root` (relative to the package root; in its subdirectories too when
/// `deep`) with one of `extensions`, sorted, helpers (`_name`) left out.
fn fixtures(root: &str, deep: bool, extensions: &[&str]) -> Vec<PathBuf> {
    support::cli::listing(Path::new(root))
        .into_iter()
        .filter(|n| deep || !n.contains('/'))
        .filter(|n| !n.rsplit('/').next().unwrap().starts_with('_'))
        .filter(|n| extensions.iter().any(|e| n.ends_with(&format!(".{e}"))))
        .map(|n| Path::new(root).join(n))
        .collect()
}

/// Runs every fixture under `root` (see [`fixtures`]), whose snapshot is
/// `<test>@<path under root>.snap`, and fails naming every fixture that failed.
fn run_all(test: &str, root: &str, deep: bool, extensions: &[&str]) {
    let all = fixtures(root, deep, extensions);
    assert!(!all.is_empty(), "no fixtures under {root}");
    let failed: Vec<String> = all
        .iter()
        .filter_map(|path| {
            let suffix = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let result = std::panic::catch_unwind(|| {
                insta::with_settings!({ snapshot_suffix => suffix, input_file => path }, {
                    run_fixture(test, path);
                });
            });
            result.is_err().then(|| path.display().to_string())
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failed.len(),
        all.len(),
        failed.join("\n")
    );
}

#[test]
fn ui() {
    run_all("ui", ROOT, true, &["iproto", "proto"]);
}

/// The shipped examples get the same treatment: snapshot, protoc accepts, same descriptors.
#[test]
fn examples() {
    run_all("examples", "examples", false, &["iproto"]);
}

/// The first-day slips of `tests/ui/diagnostics`: every slip has a help line, and every format
/// gives its file:line:col; the formats that carry help lines (all but the one-line `short`)
/// carry each of them.
#[test]
fn first_day_slips_in_every_format() {
    let dir = Path::new(ROOT).join("diagnostics");
    let fixtures: Vec<String> = support::cli::names_in(&dir, "iproto")
        .into_iter()
        .filter(|n| !n.starts_with('_'))
        .collect();
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
