//! Compiling through the library's stages directly (load, parse, build descriptors), and protoc
//! on the same files: shared by the descriptor tests and the corpus suite.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use iprotoc::ast;
use iprotoc::descriptor::{build, decode_set, Built, DescriptorOptions, FileInput};
use iprotoc::source::{FileId, SourceFile, SourceMap};

/// Files loaded for one compilation, in dependency order.
pub struct Loaded {
    pub sources: SourceMap,
    pub files: Vec<(FileId, String, ast::File, Vec<Option<FileId>>)>,
}

pub fn load(roots: &[PathBuf], name: &str) -> Result<Loaded, String> {
    let mut l = Loaded {
        sources: SourceMap::new(),
        files: Vec::new(),
    };
    let mut index = HashMap::new();
    load_one(roots, name, &mut l, &mut index)?;
    Ok(l)
}

pub fn load_one(
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

pub fn compile(roots: &[PathBuf], name: &str, source_info: bool) -> Result<(Built, usize), String> {
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

pub fn wkt() -> PathBuf {
    protoc_bin_vendored::include_path().unwrap()
}

pub fn protoc(roots: &[PathBuf], name: &str, extra: &[&str]) -> Vec<u8> {
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
pub fn first_difference(ours: &[u8], theirs: &[u8]) -> String {
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
