//! Differential tests of the descriptor builder against protoc.
//!
//! - `fixtures_match_protoc`: every `tests/fixtures/descriptor/*.proto` is compiled by the
//!   vendored protoc (`-o`, and again with `--include_imports`) and by iprotoc; the bytes must be
//!   identical. Adding a case means adding a file.
//! - `corpus_parity`: every row of the shared corpus (`../shared/corpus/manifest.tsv`) that
//!   protoc accepts is built and compared with protoc's recorded output; prints the number that
//!   match and the mismatches grouped by where they first differ.
//!   `cargo test --test descriptor_parity corpus -- --nocapture`

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use iprotoc::ast;
use iprotoc::emit::descriptor::{build, decode_set, Built, DescriptorOptions, FileInput};
use iprotoc::source::{FileId, SourceFile, SourceMap};

/// Files loaded for one compilation, in dependency order.
struct Loaded {
    sources: SourceMap,
    files: Vec<(FileId, String, ast::File, Vec<Option<FileId>>)>,
}

fn load(roots: &[PathBuf], name: &str) -> Result<Loaded, String> {
    let mut l = Loaded {
        sources: SourceMap::new(),
        files: Vec::new(),
    };
    let mut index = HashMap::new();
    load_one(roots, name, &mut l, &mut index)?;
    Ok(l)
}

fn load_one(
    roots: &[PathBuf],
    name: &str,
    l: &mut Loaded,
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
    let id = l.sources.add(SourceFile::new(
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
            deps.push(Some(load_one(roots, &i.path.to_text(), l, index)?));
        }
    }
    index.insert(name.to_string(), Some(id));
    l.files.push((id, name.to_string(), file, deps));
    Ok(id)
}

fn compile(roots: &[PathBuf], name: &str, source_info: bool) -> Result<(Built, usize), String> {
    let l = load(roots, name)?;
    let inputs: Vec<FileInput> = l
        .files
        .iter()
        .map(|(id, name, ast, deps)| FileInput {
            id: *id,
            name,
            ast,
            deps,
        })
        .collect();
    let (built, diags) = build(
        &inputs,
        &l.sources,
        &DescriptorOptions {
            include_source_info: source_info,
            ..Default::default()
        },
    );
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(format!("{}: {}", d.code, d.message));
    }
    let n = built.files.len();
    Ok((built, n))
}

fn wkt() -> PathBuf {
    protoc_bin_vendored::include_path().unwrap()
}

fn protoc(roots: &[PathBuf], name: &str, extra: &[&str]) -> Vec<u8> {
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap());
    for r in roots {
        cmd.arg("-I").arg(r);
    }
    cmd.arg("-o").arg(out.path()).args(extra).arg(name);
    let status = cmd.output().unwrap();
    assert!(
        status.status.success(),
        "protoc failed on {name}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::read(out.path()).unwrap()
}

/// The first place two descriptor sets differ, as a readable path.
fn first_difference(ours: &[u8], theirs: &[u8]) -> String {
    let (Some(a), Some(b)) = (decode_set(ours), decode_set(theirs)) else {
        return "undecodable".into();
    };
    let a = format!("{a:#?}");
    let b = format!("{b:#?}");
    let al: Vec<&str> = a.lines().collect();
    let bl: Vec<&str> = b.lines().collect();
    for i in 0..al.len().max(bl.len()) {
        if al.get(i) != bl.get(i) {
            let context: Vec<&str> = bl[i.saturating_sub(3)..(i + 1).min(bl.len())].to_vec();
            return format!(
                "line {i}: ours {:?} protoc {:?}\n      context: {}",
                al.get(i).map(|s| s.trim()),
                bl.get(i).map(|s| s.trim()),
                context.join(" | ")
            );
        }
    }
    "same structure, different bytes (option encoding or editions fields)".into()
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/descriptor")
}

#[test]
fn fixtures_match_protoc() {
    let dir = fixtures_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".proto"))
        .collect();
    names.sort();
    let roots = vec![dir.clone(), wkt()];
    let mut failures = Vec::new();
    for name in &names {
        for (flags, all) in [(&[][..], false), (&["--include_imports"][..], true)] {
            let expected = protoc(&roots, name, flags);
            let ours = match compile(&roots, name, false) {
                Ok((built, n)) => {
                    if all {
                        built.descriptor_set(0..n)
                    } else {
                        built.descriptor_set([n - 1])
                    }
                }
                Err(e) => {
                    failures.push(format!("{name}: {e}"));
                    break;
                }
            };
            if ours != expected {
                let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
                std::fs::write(out.with_extension("ours.pb"), &ours).unwrap();
                std::fs::write(out.with_extension("protoc.pb"), &expected).unwrap();
                failures.push(format!(
                    "{name} {flags:?}: {}",
                    first_difference(&ours, &expected)
                ));
            }
        }
    }
    assert!(names.len() >= 5, "fixtures missing in {}", dir.display());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_parity() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect(
        "the shared corpus is missing: expected ../shared/corpus/manifest.tsv beside the checkout",
    );
    let mut total = 0;
    let mut matching = 0;
    let mut causes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (set, roots, path, virtual_name, ok) = (cols[0], cols[1], cols[2], cols[4], cols[5]);
        if ok != "yes" {
            continue;
        }
        total += 1;
        let roots: Vec<PathBuf> = roots
            .split(':')
            .filter(|r| *r != "_wkt")
            .map(|r| dir.join(r))
            .chain([wkt()])
            .collect();
        let expected_path = dir
            .join("expected")
            .join(format!("{set}__{}.pb", path.replace('/', "__")));
        let Ok(expected) = std::fs::read(&expected_path) else {
            causes
                .entry("no expected file".into())
                .or_default()
                .push(path.into());
            continue;
        };
        let result = std::panic::catch_unwind(|| compile(&roots, virtual_name, false));
        let ours = match result {
            Ok(Ok((built, n))) => built.descriptor_set([n - 1]),
            Ok(Err(e)) => {
                let key = format!("error: {}", e.chars().take(90).collect::<String>());
                causes.entry(key).or_default().push(format!("{set}/{path}"));
                continue;
            }
            Err(_) => {
                causes
                    .entry("panic".into())
                    .or_default()
                    .push(format!("{set}/{path}"));
                continue;
            }
        };
        if ours == expected {
            matching += 1;
        } else {
            let diff = first_difference(&ours, &expected);
            let key = diff
                .split("context")
                .next()
                .unwrap_or("")
                .replace(|c: char| c.is_ascii_digit(), "#");
            causes
                .entry(key.chars().take(160).collect())
                .or_default()
                .push(format!("{set}/{path}: {diff}"));
        }
    }
    let mut sorted: Vec<_> = causes.into_iter().collect();
    sorted.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    for (cause, files) in &sorted {
        eprintln!("{:4}  {cause}", files.len());
        for f in files.iter().take(2) {
            eprintln!("        {f}");
        }
    }
    eprintln!("corpus parity: {matching}/{total} byte-identical");
    assert_eq!(matching, total, "corpus files no longer byte-identical");
}

/// Writes iprotoc's and protoc's output for one corpus file under the test tmp dir
/// (`CORPUS_FILE=set/path cargo test --test descriptor_parity dump -- --nocapture`).
#[test]
fn dump_one_corpus_file() {
    let Ok(which) = std::env::var("CORPUS_FILE") else {
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if format!("{}/{}", cols[0], cols[2]) != which {
            continue;
        }
        let roots: Vec<PathBuf> = cols[1]
            .split(':')
            .filter(|r| *r != "_wkt")
            .map(|r| dir.join(r))
            .chain([wkt()])
            .collect();
        let (built, n) = compile(&roots, cols[4], false).unwrap();
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus");
        std::fs::write(out.with_extension("ours.pb"), built.descriptor_set([n - 1])).unwrap();
        let expected =
            dir.join("expected")
                .join(format!("{}__{}.pb", cols[0], cols[2].replace('/', "__")));
        std::fs::copy(expected, out.with_extension("protoc.pb")).unwrap();
        eprintln!("wrote {}", out.display());
    }
}

/// How close `source_code_info` is to protoc's, per fixture (informational until it matches).
#[test]
fn source_info_report() {
    let dir = fixtures_dir();
    let roots = vec![dir.clone(), wkt()];
    for name in ["proto3.proto", "basic.proto"] {
        let expected = protoc(&roots, name, &["--include_source_info"]);
        let (built, n) = compile(&roots, name, true).unwrap();
        let ours = decode_set(&built.descriptor_set([n - 1])).unwrap();
        let theirs = decode_set(&expected).unwrap();
        let a = ours.file[0]
            .source_code_info
            .clone()
            .unwrap_or_default()
            .location;
        let b = theirs.file[0]
            .source_code_info
            .clone()
            .unwrap_or_default()
            .location;
        let key = |l: &prost_types::source_code_info::Location| (l.path.clone(), l.span.clone());
        let theirs_keys: std::collections::HashSet<_> = b.iter().map(key).collect();
        let same = a.iter().filter(|l| theirs_keys.contains(&key(l))).count();
        let in_order = a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| key(x) == key(y));
        if std::env::var("SHOW_LOCATIONS").is_ok() {
            let ours_keys: std::collections::HashSet<_> = a.iter().map(key).collect();
            for l in &b {
                if !ours_keys.contains(&key(l)) {
                    eprintln!("  missing {:?} {:?}", l.path, l.span);
                }
            }
            for l in &a {
                if !theirs_keys.contains(&key(l)) {
                    eprintln!("  extra   {:?} {:?}", l.path, l.span);
                }
            }
        }
        eprintln!(
            "{name}: {} of protoc's {} locations reproduced (path+span), {} extra, same order: {in_order}",
            same,
            b.len(),
            a.len() - same
        );
    }
}

/// The embedded copy of protoc's `descriptor.proto` (the options schema) is what the vendored
/// protoc writes for it, and its hand-kept list of source-retention fields is complete.
#[test]
fn embedded_descriptor_proto_is_current() {
    let roots = vec![wkt()];
    let expected = protoc(&roots, "google/protobuf/descriptor.proto", &[]);
    let embedded = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit/descriptor/descriptor_proto.pb"),
    )
    .unwrap();
    assert_eq!(
        embedded, expected,
        "regenerate descriptor_proto.pb with protoc -o"
    );
    let text = std::fs::read_to_string(wkt().join("google/protobuf/descriptor.proto")).unwrap();
    let declared = text.matches("retention = RETENTION_SOURCE").count();
    assert_eq!(
        declared,
        iprotoc::emit::descriptor::pool::DESCRIPTOR_PROTO_SOURCE_RETENTION.len()
    );
}
