//! Lowering over the fixtures in `tests/ui/lower` (must lower cleanly, and protoc must accept the
//! output) and `tests/ui/errors` (must report exactly the codes in their `// expect:` line, each
//! with a label and a `help:` line). A `// style: oneof` line selects the oneof style; each
//! `// contains: TEXT` line of a lowering fixture is a line the output must contain.
//!
//! `IPROTOC_SHOW=1 cargo test --test lower_fixtures -- --nocapture` prints every output and every
//! rendered diagnostic.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use iprotoc::ast;
use iprotoc::diagnostics::{render, Diagnostic, Format};
use iprotoc::lower::{lower_file, Style};
use iprotoc::parse::parse;
use iprotoc::print::print_file;
use iprotoc::resolve::symbols::SymbolTable;
use iprotoc::source::{FileId, SourceFile, SourceMap};

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui")
}

/// A fixture and everything it imports, parsed.
struct Compilation {
    sources: SourceMap,
    asts: HashMap<FileId, ast::File>,
    imports: HashMap<FileId, Vec<FileId>>,
    /// Dependencies first.
    order: Vec<FileId>,
    /// Files read from `tests/ui` (the rest are well-known types).
    ours: Vec<FileId>,
}

impl Compilation {
    fn load(name: &str) -> (Compilation, FileId) {
        let mut c = Compilation {
            sources: SourceMap::new(),
            asts: HashMap::new(),
            imports: HashMap::new(),
            order: Vec::new(),
            ours: Vec::new(),
        };
        let id = c.file(name);
        (c, id)
    }

    fn file(&mut self, name: &str) -> FileId {
        if let Some(id) = self.sources.find(name) {
            return id;
        }
        let ours = ui_dir().join(name);
        let (path, is_ours) = if ours.exists() {
            (ours, true)
        } else {
            (
                protoc_bin_vendored::include_path().unwrap().join(name),
                false,
            )
        };
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let id = self.sources.add(SourceFile::new(name, name, text.clone()));
        let (file, diags) = parse(id, &text);
        assert!(diags.is_empty(), "{}", self.render(&diags));
        let mut deps = Vec::new();
        for item in &file.items {
            if let ast::FileItem::Import(i) = item {
                deps.push(self.file(&i.path.to_text()));
            }
        }
        self.asts.insert(id, file);
        self.imports.insert(id, deps);
        self.order.push(id);
        if is_ours {
            self.ours.push(id);
        }
        id
    }

    fn symbols(&self) -> SymbolTable {
        let (symbols, diags) =
            SymbolTable::build(self.order.iter().map(|id| (*id, &self.asts[id])));
        assert!(diags.is_empty(), "{}", self.render(&diags));
        symbols
    }

    fn lower(
        &self,
        symbols: &SymbolTable,
        id: FileId,
        style: Style,
    ) -> (ast::File, Vec<Diagnostic>) {
        let deps = &self.imports[&id];
        let visible = |f: FileId| f == id || deps.contains(&f);
        lower_file(id, &self.asts[&id], symbols, &visible, style)
    }

    fn render(&self, diags: &[Diagnostic]) -> String {
        render(diags, &self.sources, Format::Human, false)
    }
}

fn style_of(text: &str) -> Style {
    if text.lines().any(|l| l.trim() == "// style: oneof") {
        Style::Oneof
    } else {
        Style::Extensions
    }
}

fn fixtures(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(ui_dir().join(dir))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            (name.ends_with(".iproto") || name.ends_with(".proto")).then(|| format!("{dir}/{name}"))
        })
        .collect();
    out.sort();
    out
}

fn show() -> bool {
    std::env::var_os("IPROTOC_SHOW").is_some()
}

/// Lowers a fixture and its imports, writes the `.proto` files and runs protoc on them.
fn compile_with_protoc(name: &str) -> Result<(), String> {
    let (c, main) = Compilation::load(name);
    let symbols = c.symbols();
    let style = style_of(&c.sources.get(main).text);
    let dir = tempfile::tempdir().unwrap();
    for &id in &c.ours {
        let (lowered, diags) = c.lower(&symbols, id, style);
        if !diags.is_empty() {
            return Err(format!(
                "{name}: unexpected diagnostics\n{}",
                c.render(&diags)
            ));
        }
        if c.sources.get(id).name.ends_with(".proto") {
            assert_eq!(lowered, c.asts[&id], "{name}: a plain .proto changed");
        }
        let text = print_file(&lowered, None);
        if show() && id == main {
            println!("==== {name}\n{text}");
        }
        for want in c
            .sources
            .get(id)
            .text
            .lines()
            .filter_map(|l| l.strip_prefix("// contains: "))
        {
            if !text.contains(want) {
                return Err(format!("{name}: output lacks `{want}`:\n{text}"));
            }
        }
        let out_name = c.sources.get(id).name.replace(".iproto", ".proto");
        let path = dir.path().join(&out_name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap())
        .arg("-I")
        .arg(dir.path())
        .arg("-I")
        .arg(protoc_bin_vendored::include_path().unwrap())
        .arg("-o")
        .arg(dir.path().join("out.pb"))
        .arg(c.sources.get(main).name.replace(".iproto", ".proto"))
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(format!(
            "{name}: protoc rejected the output:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

#[test]
fn lowered_fixtures_are_accepted_by_protoc() {
    let failures: Vec<String> = fixtures("lower")
        .iter()
        .filter_map(|f| compile_with_protoc(f).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_fixtures_report_their_codes() {
    let mut failures = Vec::new();
    for name in fixtures("errors") {
        let (c, main) = Compilation::load(&name);
        let text = &c.sources.get(main).text;
        let expected: Vec<&str> = text
            .lines()
            .find_map(|l| l.strip_prefix("// expect: "))
            .unwrap_or_else(|| panic!("{name}: no `// expect:` line"))
            .split(", ")
            .collect();
        let symbols = c.symbols();
        let (lowered, diags) = c.lower(&symbols, main, style_of(text));
        let rendered = c.render(&diags);
        if show() {
            println!("==== {name}\n{rendered}");
        }
        let got: Vec<&str> = diags.iter().map(|d| d.code).collect();
        if got != expected {
            failures.push(format!(
                "{name}: expected {expected:?}, got {got:?}\n{rendered}"
            ));
        }
        for d in &diags {
            if d.primary.is_none() || d.help.is_empty() {
                failures.push(format!("{name}: {} needs a label and a help line", d.code));
            }
        }
        // Lowering still returns a tree without inheritance.
        let printed = print_file(&lowered, None);
        assert!(
            !printed.contains(" : "),
            "{name}: a base survived\n{printed}"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_design_example_lowers_to_the_design_output() {
    let design_output = r#"
syntax = "proto2";
package zoo;
message Animal {
  enum Type {
    TYPE_UNSPECIFIED = 0;   // no subclass part: a plain Animal
    TYPE_CAT = 100;
    TYPE_DOG = 105;
    TYPE_KITTEN = 101;
  }
  required float weight = 1;
  optional Type type = 99;
  extensions 100 to max;
}
message Cat {
  extend Animal { optional Cat animal = 100; }
  optional bool declawed = 1;
  extensions 100 to max;
}
message Dog {
  extend Animal { optional Dog animal = 105; }
  optional uint32 bones_buried = 1;
}
message Kitten {
  extend Cat { optional Kitten cat = 101; }
  optional string toy = 1;
}
"#;
    let (c, main) = Compilation::load("lower/seed.iproto");
    let symbols = c.symbols();
    let (lowered, diags) = c.lower(&symbols, main, Style::Extensions);
    assert!(diags.is_empty(), "{}", c.render(&diags));
    let ours = descriptor(&print_file(&lowered, None));
    let theirs = descriptor(design_output);
    assert_eq!(ours, theirs, "the descriptors differ");
}

/// protoc's descriptor set (without source info) for a `zoo.proto` with this text.
fn descriptor(text: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("zoo.proto"), text).unwrap();
    let out = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap())
        .arg("-I")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("out.pb"))
        .arg("zoo.proto")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dir.path().join("out.pb")).unwrap()
}
