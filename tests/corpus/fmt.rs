//! `iprotoc fmt` over the real-world corpus: every file formats to a fixed point, and the
//! formatted file compiles to the same descriptor set as the original, with iprotoc (every file)
//! and with protoc (the files protoc accepts, against the set protoc wrote for the original).

use std::path::PathBuf;

use iprotoc::driver::{self, Options};
use iprotoc::fmt::format_source;
use iprotoc::fs::FsResolver;
use iprotoc::source::{FileId, FileResolver};

use crate::corpus_dir;
use crate::support::protoc;
use crate::support::stages::Overlay;

fn ours(resolver: &dyn FileResolver, name: &str) -> (Vec<u8>, Vec<String>) {
    let out = driver::compile(resolver, &[name.to_string()], &Options::default());
    let diags = out
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    (out.descriptor_set_bytes, diags)
}

#[test]
fn corpus_formats_to_a_fixed_point_with_the_same_descriptors() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).unwrap();
    let (mut formatted, mut changed, mut protoc_checked) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (set, roots, path, virtual_name, ok) = (cols[0], cols[1], cols[2], cols[4], cols[5]);
        let shown = format!("{set}/{path}");
        let Ok(text) = std::fs::read_to_string(dir.join(set).join(path)) else {
            failures.push(format!("{shown}: unreadable or not UTF-8"));
            continue;
        };
        let out = match format_source(FileId(0), &text) {
            Ok(out) => out,
            Err(e) if ok == "yes" => {
                failures.push(format!("{shown}: refused: {e:?}"));
                continue;
            }
            Err(_) => continue,
        };
        formatted += 1;
        changed += usize::from(out != text);
        if format_source(FileId(0), &out).as_ref() != Ok(&out) {
            failures.push(format!("{shown}: not idempotent"));
            continue;
        }
        let roots: Vec<PathBuf> = roots
            .split(':')
            .filter(|r| *r != "_wkt")
            .map(|r| dir.join(r))
            .collect();
        let fs = FsResolver::new(roots.clone());
        let overlay = Overlay {
            inner: &fs,
            name: virtual_name,
            text: &out,
        };
        if ours(&fs, virtual_name) != ours(&overlay, virtual_name) {
            failures.push(format!("{shown}: iprotoc compiles it differently"));
            continue;
        }
        if ok != "yes" {
            continue;
        }
        let expected = dir
            .join("expected")
            .join(format!("{set}__{}.pb", path.replace('/', "__")));
        let Ok(expected) = std::fs::read(&expected) else {
            continue;
        };
        let mut includes: Vec<&std::path::Path> = roots.iter().map(PathBuf::as_path).collect();
        let wkt = dir.join("_wkt");
        includes.push(&wkt);
        match protoc::descriptor_set_of(&[(virtual_name, &out)], &includes, &[virtual_name]) {
            Ok(set) if set == expected => protoc_checked += 1,
            Ok(_) => failures.push(format!("{shown}: protoc's descriptor set differs")),
            Err(e) => failures.push(format!("{shown}: protoc rejects it: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(formatted >= 500, "only {formatted} formatted");
    assert!(changed >= 100, "only {changed} changed");
    assert!(
        protoc_checked >= 400,
        "protoc compared only {protoc_checked}"
    );
    eprintln!("fmt: {formatted} formatted ({changed} changed), {protoc_checked} checked by protoc");
}
