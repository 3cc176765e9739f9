//! `--include_source_info` compared with protoc's, file by file: shared by the source-info tests
//! and the corpus suite.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::process::Command;

use iprotoc::ast;
use iprotoc::descriptor::{build, DescriptorOptions, FileInput};
use iprotoc::source::{FileId, SourceFile, SourceMap};
use prost::Message as _;
use prost_types::source_code_info::Location;
use prost_types::FileDescriptorProto;

/// The files of a serialized `FileDescriptorSet`, each as its exact bytes.
pub fn split_set(mut b: &[u8]) -> Vec<Vec<u8>> {
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

pub fn protoc_with_source_info(roots: &[PathBuf], names: &[String]) -> Result<Vec<u8>, String> {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(super::protoc());
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
pub fn iprotoc_with_source_info(roots: &[PathBuf], names: &[String]) -> Result<Vec<u8>, String> {
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

pub type Loaded = (FileId, String, ast::File, Vec<Option<FileId>>);

/// Loads `name` and its imports (depth first, each file after its imports).
pub fn load(
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
pub type Compiled = Result<(Vec<u8>, Vec<u8>), String>;

/// Each file of `names` compiled by both compilers: (name, ours, protoc's), or an error per file.
/// Compiles the whole batch at once, splitting it in halves when either compiler rejects it (files
/// of one corpus directory may define the same names).
pub fn compile_both(roots: &[PathBuf], names: &[String], out: &mut Vec<(String, Compiled)>) {
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

pub fn source_info(file: &[u8]) -> (FileDescriptorProto, Vec<Location>) {
    let mut f = FileDescriptorProto::decode(file).expect("decodes");
    let locs = f.source_code_info.take().unwrap_or_default().location;
    (f, locs)
}

pub fn shape(path: &[i32]) -> String {
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

pub fn show(l: Option<&Location>) -> String {
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
pub fn difference(ours: &[u8], theirs: &[u8]) -> (String, String) {
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

pub struct Report {
    pub matching: usize,
    pub total: usize,
    pub causes: BTreeMap<String, Vec<String>>,
}

pub fn compare(batches: &[(Vec<PathBuf>, Vec<String>)], label: impl Fn(&str) -> String) -> Report {
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

pub fn print(report: &Report, what: &str) {
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
