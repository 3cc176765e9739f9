//! `--include_source_info` against protoc.
//!
//! - `corpus_source_info`: every corpus row protoc accepts (`../shared/corpus/manifest.tsv`) is
//!   compiled with `--include_source_info` by the vendored protoc and by iprotoc; each file's bytes
//!   must be identical. Rows sharing include roots are compiled in one protoc run (split in halves
//!   when a batch fails), so the test takes seconds. Prints the number that match and the
//!   mismatches grouped by their first differing location.
//!   `cargo test --release --test source_info corpus -- --nocapture`
//! - `fixtures_source_info`: the same for `tests/fixtures/descriptor/*.proto` and
//!   `tests/fixtures/source_info/*.proto`, which must all match.

mod support;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use iprotoc::ast;
use iprotoc::emit::descriptor::{build, DescriptorOptions, FileInput};
use iprotoc::source::{FileId, SourceFile, SourceMap};
use prost::Message as _;
use prost_types::source_code_info::Location;
use prost_types::FileDescriptorProto;

/// The files of a serialized `FileDescriptorSet`, each as its exact bytes.
fn split_set(mut b: &[u8]) -> Vec<Vec<u8>> {
    fn varint(b: &mut &[u8]) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let byte = b[0];
            *b = &b[1..];
            v |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return v;
            }
        }
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let key = varint(&mut b);
        assert_eq!(key, 10, "FileDescriptorSet.file");
        let len = varint(&mut b) as usize;
        out.push(b[..len].to_vec());
        b = &b[len..];
    }
    out
}

fn protoc_with_source_info(roots: &[PathBuf], names: &[String]) -> Result<Vec<u8>, String> {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(support::protoc());
    for r in roots {
        cmd.arg("-I").arg(r);
    }
    let status = cmd
        .arg("--include_source_info")
        .arg("-o")
        .arg(out.path())
        .args(names)
        .output()
        .unwrap();
    if status.status.success() {
        Ok(std::fs::read(out.path()).unwrap())
    } else {
        Err(String::from_utf8_lossy(&status.stderr).into_owned())
    }
}

/// iprotoc's descriptor builder over `names` (parse + build; no lowering, which leaves plain
/// `.proto` files alone, and no validation, which other tests cover).
fn iprotoc_with_source_info(roots: &[PathBuf], names: &[String]) -> Result<Vec<u8>, String> {
    let mut sources = SourceMap::new();
    let mut files = Vec::new();
    let mut index = HashMap::new();
    let mut inputs = Vec::new();
    for name in names {
        inputs.push(load(roots, name, &mut sources, &mut files, &mut index)?);
    }
    let builder_inputs: Vec<FileInput> = files
        .iter()
        .map(|(id, name, ast, deps)| FileInput {
            id: *id,
            name,
            ast,
            deps,
        })
        .collect();
    let (built, diags) = build(
        &builder_inputs,
        &sources,
        &DescriptorOptions {
            include_source_info: true,
            ..Default::default()
        },
    );
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(format!("{}: {}", d.code, d.message));
    }
    let position = |id: FileId| files.iter().position(|f| f.0 == id).unwrap();
    Ok(built.descriptor_set(inputs.into_iter().map(position)))
}

type Loaded = (FileId, String, ast::File, Vec<Option<FileId>>);

/// Loads `name` and its imports (depth first, each file after its imports).
fn load(
    roots: &[PathBuf],
    name: &str,
    sources: &mut SourceMap,
    files: &mut Vec<Loaded>,
    index: &mut HashMap<String, Option<FileId>>,
) -> Result<FileId, String> {
    if let Some(id) = index.get(name) {
        return id.ok_or_else(|| format!("import cycle at {name}"));
    }
    let path = roots
        .iter()
        .map(|r| r.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{name}: not found"))?;
    let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
    let id = sources.add(SourceFile::new(
        name,
        path.display().to_string(),
        text.clone(),
    ));
    index.insert(name.to_string(), None);
    let (file, diags) = iprotoc::parse::parse(id, &text);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(format!("{name}: parse error: {}", d.message));
    }
    let mut deps = Vec::new();
    for item in &file.items {
        if let ast::FileItem::Import(i) = item {
            deps.push(Some(load(roots, &i.path.to_text(), sources, files, index)?));
        }
    }
    index.insert(name.to_string(), Some(id));
    files.push((id, name.to_string(), file, deps));
    Ok(id)
}

/// One file as (ours, protoc's), or why either compiler failed.
type Compiled = Result<(Vec<u8>, Vec<u8>), String>;

/// Each file of `names` compiled by both compilers: (name, ours, protoc's), or an error per file.
/// Compiles the whole batch at once, splitting it in halves when either compiler rejects it (files
/// of one corpus directory may define the same names).
fn compile_both(roots: &[PathBuf], names: &[String], out: &mut Vec<(String, Compiled)>) {
    let theirs = protoc_with_source_info(roots, names);
    let ours = iprotoc_with_source_info(roots, names);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            // protoc lists inputs each after the inputs it imports: match files by name.
            let name_of = |f: &Vec<u8>| FileDescriptorProto::decode(&f[..]).unwrap().name;
            let mut theirs: HashMap<_, _> = split_set(&b)
                .into_iter()
                .map(|f| (name_of(&f), f))
                .collect();
            let ours = split_set(&a);
            assert_eq!(ours.len(), names.len());
            for (n, a) in names.iter().zip(ours) {
                let b = theirs
                    .remove(&Some(n.clone()))
                    .expect("protoc wrote every input");
                out.push((n.clone(), Ok((a, b))));
            }
        }
        (a, b) if names.len() == 1 => {
            let e = match (a, b) {
                (Err(e), _) => format!("iprotoc: {e}"),
                (_, Err(e)) => format!("protoc: {e}"),
                _ => unreachable!(),
            };
            out.push((names[0].clone(), Err(e)));
        }
        _ => {
            let (l, r) = names.split_at(names.len() / 2);
            compile_both(roots, l, out);
            compile_both(roots, r, out);
        }
    }
}

fn source_info(file: &[u8]) -> (FileDescriptorProto, Vec<Location>) {
    let mut f = FileDescriptorProto::decode(file).expect("decodes");
    let locs = f.source_code_info.take().unwrap_or_default().location;
    (f, locs)
}

fn shape(path: &[i32]) -> String {
    // Odd positions are indices: keep field numbers, blank indices.
    path.iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                "#".to_string()
            } else {
                p.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn show(l: Option<&Location>) -> String {
    match l {
        None => "none".into(),
        Some(l) => {
            let mut s = format!("{:?} {:?}", l.path, l.span);
            if let Some(c) = &l.leading_comments {
                s += &format!(" lead={c:?}");
            }
            if let Some(c) = &l.trailing_comments {
                s += &format!(" trail={c:?}");
            }
            if !l.leading_detached_comments.is_empty() {
                s += &format!(" detached={:?}", l.leading_detached_comments);
            }
            s
        }
    }
}

/// Why two encodings of one file differ: a cause (for grouping) and a detail.
fn difference(ours: &[u8], theirs: &[u8]) -> (String, String) {
    let (fa, la) = source_info(ours);
    let (fb, lb) = source_info(theirs);
    if fa != fb {
        let (a, b) = (format!("{fa:#?}"), format!("{fb:#?}"));
        let line = a.lines().zip(b.lines()).find(|(x, y)| x != y);
        return (
            "descriptor (not source info) differs".into(),
            format!("{line:?}"),
        );
    }
    for i in 0..la.len().max(lb.len()) {
        let (a, b) = (la.get(i), lb.get(i));
        if a != b {
            let cause = match (a, b) {
                (Some(a), Some(b)) if a.path != b.path => {
                    format!("path: ours {} protoc {}", shape(&a.path), shape(&b.path))
                }
                (Some(a), Some(b)) if a.span != b.span => format!("span of {}", shape(&b.path)),
                (Some(_), Some(b)) => format!("comments of {}", shape(&b.path)),
                (None, Some(b)) => format!("missing {}", shape(&b.path)),
                (Some(a), None) => format!("extra {}", shape(&a.path)),
                (None, None) => unreachable!(),
            };
            let detail = format!("location {i}: ours {} / protoc {}", show(a), show(b));
            return (cause, detail);
        }
    }
    ("same structure, different bytes".into(), String::new())
}

struct Report {
    matching: usize,
    total: usize,
    causes: BTreeMap<String, Vec<String>>,
}

fn compare(batches: &[(Vec<PathBuf>, Vec<String>)], label: impl Fn(&str) -> String) -> Report {
    let mut report = Report {
        matching: 0,
        total: 0,
        causes: BTreeMap::new(),
    };
    for (roots, names) in batches {
        let mut results = Vec::new();
        compile_both(roots, names, &mut results);
        for (name, result) in results {
            report.total += 1;
            let (cause, detail) = match result {
                Ok((a, b)) if a == b => {
                    assert!(!source_info(&b).1.is_empty(), "{name}: no source info");
                    report.matching += 1;
                    continue;
                }
                Ok((a, b)) => difference(&a, &b),
                Err(e) => (
                    format!("error: {}", e.lines().next().unwrap_or("")),
                    String::new(),
                ),
            };
            report
                .causes
                .entry(cause)
                .or_default()
                .push(format!("{}: {detail}", label(&name)));
        }
    }
    report
}

fn print(report: &Report, what: &str) {
    let mut sorted: Vec<_> = report.causes.iter().collect();
    sorted.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    for (cause, files) in &sorted {
        eprintln!("{:4}  {cause}", files.len());
        for f in files.iter().take(2) {
            eprintln!("        {f}");
        }
    }
    eprintln!(
        "{what}: {}/{} byte-identical with --include_source_info",
        report.matching, report.total
    );
}

/// Files matching protoc's output with source info; raise it as it improves.
const CORPUS_MATCHING: usize = 560;

#[test]
fn corpus_source_info() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect(
        "the shared corpus is missing: expected ../shared/corpus/manifest.tsv beside the checkout",
    );
    let mut batches: BTreeMap<String, (Vec<PathBuf>, Vec<String>)> = BTreeMap::new();
    let mut set_of = BTreeMap::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (set, roots, virtual_name, ok) = (cols[0], cols[1], cols[4], cols[5]);
        if ok != "yes" {
            continue;
        }
        let batch = batches.entry(roots.to_string()).or_insert_with(|| {
            let roots = roots
                .split(':')
                .filter(|r| *r != "_wkt")
                .map(|r| dir.join(r))
                .chain([support::protoc_include()])
                .collect();
            (roots, Vec::new())
        });
        batch.1.push(virtual_name.to_string());
        set_of.insert(virtual_name.to_string(), set.to_string());
    }
    let batches: Vec<_> = batches.into_values().collect();
    let report = compare(&batches, |n| {
        format!("{}/{n}", set_of.get(n).map_or("?", |s| s.as_str()))
    });
    print(&report, "corpus");
    assert!(report.total >= 500, "corpus rows missing");
    assert!(
        report.matching >= CORPUS_MATCHING,
        "source info parity regressed: {} < {CORPUS_MATCHING}",
        report.matching
    );
}

/// Prints both compilers' locations for one file, side by side
/// (`SOURCE_INFO_FILE=path/to/x.proto SOURCE_INFO_ROOTS=dir:dir cargo test --test source_info dump -- --nocapture`).
#[test]
fn dump_locations() {
    let (Ok(name), Ok(roots)) = (
        std::env::var("SOURCE_INFO_FILE"),
        std::env::var("SOURCE_INFO_ROOTS"),
    ) else {
        return;
    };
    let roots: Vec<PathBuf> = roots
        .split(':')
        .map(PathBuf::from)
        .chain([support::protoc_include()])
        .collect();
    let names = [name];
    let ours = iprotoc_with_source_info(&roots, &names).unwrap();
    let theirs = protoc_with_source_info(&roots, &names).unwrap();
    let (_, a) = source_info(&split_set(&ours)[0]);
    let (_, b) = source_info(&split_set(&theirs)[0]);
    for i in 0..a.len().max(b.len()) {
        let (x, y) = (show(a.get(i)), show(b.get(i)));
        let mark = if x == y { " " } else { "*" };
        eprintln!("{mark} {i:4} ours   {x}\n         protoc {y}");
    }
}

/// Every `tests/fixtures/descriptor/*.proto` and `tests/fixtures/source_info/*.proto` (small files
/// exercising what the corpus rarely has: groups in oneofs and extends, options in brackets with
/// comments, tabs, `- 1` ranges, repeated and source-retention custom options, edition 2024
/// `export`/`local`/`import option`, an empty file) is byte-identical to protoc's.
#[test]
fn fixtures_source_info() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut batches = Vec::new();
    for dir in ["descriptor", "source_info"] {
        let dir = base.join(dir);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".proto"))
            .collect();
        names.sort();
        // One file per run: fixtures may define the same names.
        for n in names {
            batches.push((vec![dir.clone(), support::protoc_include()], vec![n]));
        }
    }
    let report = compare(&batches, |n| n.to_string());
    print(&report, "fixtures");
    assert!(report.total >= 9, "fixtures missing");
    assert_eq!(report.matching, report.total, "fixtures differ from protoc");
}
