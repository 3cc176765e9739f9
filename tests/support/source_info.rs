//! `--include_source_info` compared with protoc's, file by file: shared by the source-info tests
//! and the corpus suite.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

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

/// protoc's descriptor set of `names` with `--include_source_info`, or its error output.
pub fn protoc_with_source_info(roots: &[PathBuf], names: &[String]) -> Result<Vec<u8>, String> {
    let roots: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
    let args: Vec<&str> = ["--include_source_info"]
        .into_iter()
        .chain(names.iter().map(String::as_str))
        .collect();
    crate::support::protoc::descriptor_set(&roots, &args)
}

/// iprotoc's descriptor builder over `names` with source info (parse + build; no lowering, which
/// leaves plain `.proto` files alone, and no validation, which other tests cover).
pub fn iprotoc_with_source_info(roots: &[PathBuf], names: &[String]) -> Result<Vec<u8>, String> {
    let loaded = crate::support::stages::load(roots, names)?;
    let built = loaded.build_ok(true)?;
    Ok(built.descriptor_set(loaded.inputs.iter().map(|id| loaded.position(*id))))
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
