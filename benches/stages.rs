//! Micro-benchmarks of each pipeline stage, on a generated schema set held in memory.
//!
//! ```text
//! cargo bench --bench stages                 # every stage, 100 and 1,000 messages
//! cargo bench --bench stages -- lexer        # only benchmarks whose name contains "lexer"
//! ```
//!
//! The stages (see `ARCHITECTURE.md`): `lexer` (tokens), `parser` (lexer + grammar + comments:
//! the tree), `resolver` (symbol table, then lowering of every file), `descriptors` (lowered trees
//! to encoded `FileDescriptorProto`s, options interpreted), `proto_printer` (lowered trees to
//! `.proto` text), and `compile` (the whole pipeline through `driver::compile`, no file IO).
//! Inputs are built outside the timed part; the sizes are messages in the generated set
//! (`support/schema_gen.rs`: inheritance, imports, options, comments, enums, services).
// Tests read fixtures and run binaries: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

// Shared with the `compare` harness, which uses all of it.
#[allow(dead_code)]
#[path = "support/schema_gen.rs"]
mod schema_gen;

use divan::{black_box, Bencher};
use iprotoc::ast;
use iprotoc::descriptor::{self, DescriptorOptions, FileInput};
use iprotoc::driver::{self, Options};
use iprotoc::lower::lowered_name;
use iprotoc::lower::{self, Style};
use iprotoc::resolve::symbols::SymbolTable;
use iprotoc::source::{FileId, SourceFile, SourceMap};
use iprotoc::MemoryResolver;

/// Messages in the generated set for each benchmark.
const SIZES: &[usize] = &[100, 1000];

fn main() {
    divan::main();
}

/// A generated set with the built-in `descriptor.proto` it imports, in dependency order (every
/// file after the files it imports: the options file's import first, then the options file, then
/// the data files in index order, which only import lower indices).
struct Prepared {
    names: Vec<String>,
    texts: Vec<String>,
    /// Each file's imports, as indices into `names`.
    deps: Vec<Vec<usize>>,
}

fn prepare(messages: usize) -> Prepared {
    let schema = schema_gen::generate(messages);
    let mut names = vec!["google/protobuf/descriptor.proto".to_string()];
    let mut texts = vec![iprotoc::wkt::get(&names[0])
        .expect("built-in descriptor.proto")
        .to_string()];
    for f in &schema.files {
        names.push(f.name.clone());
        texts.push(f.text.clone());
    }
    let deps = texts
        .iter()
        .map(|t| {
            t.lines()
                .filter_map(|l| l.strip_prefix("import \"")?.strip_suffix("\";"))
                .map(|imp| names.iter().position(|n| n == imp).expect("import found"))
                .collect()
        })
        .collect();
    Prepared { names, texts, deps }
}

/// Parses every file (ids are positions).
fn parse_all(p: &Prepared) -> Vec<ast::File> {
    p.texts
        .iter()
        .enumerate()
        .map(|(i, t)| iprotoc::parse::parse(FileId(i as u32), t).0)
        .collect()
}

/// Lowers every file against the symbols of all (each file sees everything: the generated set
/// has no visibility errors).
fn lower_all(trees: &[ast::File]) -> Vec<ast::File> {
    let (symbols, _) =
        SymbolTable::build(trees.iter().enumerate().map(|(i, t)| (FileId(i as u32), t)));
    trees
        .iter()
        .enumerate()
        .map(|(i, t)| {
            lower::lower_file(FileId(i as u32), t, &symbols, &|_| true, Style::Extensions).0
        })
        .collect()
}

#[divan::bench(args = SIZES)]
fn lexer(bencher: Bencher, messages: usize) {
    let p = prepare(messages);
    bencher.bench(|| {
        for (i, t) in p.texts.iter().enumerate() {
            black_box(iprotoc::lexer::lex(FileId(i as u32), t));
        }
    });
}

#[divan::bench(args = SIZES)]
fn parser(bencher: Bencher, messages: usize) {
    let p = prepare(messages);
    bencher.bench(|| black_box(parse_all(&p)));
}

#[divan::bench(args = SIZES)]
fn resolver(bencher: Bencher, messages: usize) {
    let trees = parse_all(&prepare(messages));
    bencher.bench(|| black_box(lower_all(&trees)));
}

#[divan::bench(args = SIZES)]
fn descriptors(bencher: Bencher, messages: usize) {
    let p = prepare(messages);
    let lowered = lower_all(&parse_all(&p));
    let mut sources = SourceMap::new();
    for (n, t) in p.names.iter().zip(&p.texts) {
        sources.add(SourceFile::new(n, n.clone(), t.clone()));
    }
    let names: Vec<String> = p.names.iter().map(|n| lowered_name(n)).collect();
    let deps: Vec<Vec<Option<FileId>>> = p
        .deps
        .iter()
        .map(|d| d.iter().map(|&j| Some(FileId(j as u32))).collect())
        .collect();
    let inputs: Vec<FileInput> = (0..names.len())
        .map(|i| FileInput {
            id: FileId(i as u32),
            name: &names[i],
            deps: &deps[i],
        })
        .collect();
    let options = DescriptorOptions::default();
    bencher.bench(|| {
        let trees = lowered.iter().map(std::borrow::Cow::Borrowed).collect();
        let (built, diags) = descriptor::build_phased(&inputs, trees, &sources, &options, None);
        assert!(
            diags.parse.is_empty() && diags.link.is_empty() && diags.options.is_empty(),
            "{diags:?}"
        );
        black_box(built.descriptor_set(0..inputs.len()))
    });
}

#[divan::bench(args = SIZES)]
fn proto_printer(bencher: Bencher, messages: usize) {
    let lowered = lower_all(&parse_all(&prepare(messages)));
    bencher.bench(|| {
        for t in &lowered {
            black_box(iprotoc::print::print_file(t, Some("header")));
        }
    });
}

#[divan::bench(args = SIZES)]
fn compile(bencher: Bencher, messages: usize) {
    let schema = schema_gen::generate(messages);
    let mut resolver = MemoryResolver::new();
    for f in &schema.files {
        resolver.add(f.name.clone(), f.text.clone());
    }
    let options = Options {
        include_imports: true,
        skip_proto_files: true,
        ..Options::default()
    };
    bencher.bench(|| {
        let out = driver::compile(&resolver, &schema.inputs, &options);
        assert!(!out.has_errors());
        black_box(out.descriptor_set_bytes)
    });
}
