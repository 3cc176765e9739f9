//! `iprotoc fmt` over every fixture and example of the repository: formatting is idempotent
//! and never changes meaning. For each `.iproto` and `.proto` file under `tests/` and
//! `examples/`:
//!
//! - a file the formatter refuses is one the parser rejects (a lexical or syntax error);
//! - the formatted text formats to itself;
//! - the formatted file compiles exactly like the original, in both styles and with every lint
//!   rule: the same descriptor set bytes (without source info) and the same diagnostics (code,
//!   severity, message, and line);
//! - for a plain `.proto` that protoc accepts, protoc writes the same descriptor set for both.

use crate::support::stages::Overlay;
use crate::support::{self, schema_gen, soup};

use std::path::{Path, PathBuf};

use iprotoc::driver::{self, Options};
use iprotoc::fmt::format_source;
use iprotoc::fs::FsResolver;
use iprotoc::lint::Lints;
use iprotoc::source::{FileId, FileResolver};
use iprotoc::{MemoryResolver, Style};
use proptest::prelude::*;

fn schema_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            schema_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "proto" || e == "iproto") {
            out.push(p);
        }
    }
}

/// What a compile says, without positions (the layout moves them): the descriptor set, and each
/// diagnostic's code, severity and message.
fn outcome(
    resolver: &dyn FileResolver,
    name: &str,
    style: Style,
) -> (Vec<u8>, Vec<(String, bool, String)>) {
    let options = Options {
        style,
        lint: Lints::All,
        ..Options::default()
    };
    let out = driver::compile(resolver, &[name.to_string()], &options);
    let diags = out
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.is_error(), d.message.clone()))
        .collect();
    (out.descriptor_set_bytes, diags)
}

#[test]
fn every_fixture_and_example_keeps_its_meaning_and_formats_to_a_fixed_point() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    schema_files(&root.join("tests"), &mut files);
    schema_files(&root.join("examples"), &mut files);
    assert!(files.len() >= 100, "only {} files found", files.len());

    let (mut formatted, mut changed, mut refused, mut protoc_checked) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let shown = path.strip_prefix(&root).unwrap().display().to_string();
        let Ok(text) = String::from_utf8(std::fs::read(path).unwrap()) else {
            // `iprotoc fmt` refuses a file that is not UTF-8 (tests/cli_fmt.rs).
            refused += 1;
            continue;
        };
        let dir = path.parent().unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let includes = vec![
            dir.to_path_buf(),
            root.join("tests/ui"),
            root.join("examples"),
        ];
        let fs = FsResolver::new(includes);
        let out = match format_source(FileId(0), &text) {
            Ok(out) => out,
            Err(errors) => {
                // Refused: the parser must reject the file for its structure.
                let (_, diags) = iprotoc::parse::parse(FileId(0), &text);
                let parse_errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
                if parse_errors.is_empty() || errors.iter().any(|e| e.code == "FMT_INTERNAL") {
                    failures.push(format!(
                        "{shown}: refused without a parse error: {errors:?}"
                    ));
                }
                refused += 1;
                continue;
            }
        };
        formatted += 1;
        if out != text {
            changed += 1;
        }
        match format_source(FileId(0), &out) {
            Ok(again) if again == out => {}
            Ok(again) => {
                failures.push(format!(
                    "{shown}: not idempotent:\n--- first\n{out}\n--- second\n{again}"
                ));
                continue;
            }
            Err(e) => {
                failures.push(format!("{shown}: its own output is refused: {e:?}"));
                continue;
            }
        }
        let overlay = Overlay {
            inner: &fs,
            name,
            text: &out,
        };
        for style in [Style::Extensions, Style::Oneof] {
            let before = outcome(&fs, name, style);
            let after = outcome(&overlay, name, style);
            if before.0 != after.0 {
                failures.push(format!("{shown} ({style:?}): the descriptor set differs"));
            }
            if before.1 != after.1 {
                failures.push(format!(
                    "{shown} ({style:?}): the diagnostics differ:\n{:#?}\n{:#?}",
                    before.1, after.1
                ));
            }
        }
        if name.ends_with(".proto") {
            let tmp = tempfile::tempdir().unwrap();
            std::fs::write(tmp.path().join(name), &out).unwrap();
            let protoc = |first: &Path| {
                let mut args = vec![];
                for d in [first, dir, &root.join("tests/ui"), &root.join("examples")] {
                    args.push(format!("-I{}", d.display()));
                }
                let out = tmp.path().join("set.pb");
                let status = support::protoc::command()
                    .args(&args)
                    .arg(format!("-I{}", support::protoc::include().display()))
                    .arg(format!("-o{}", out.display()))
                    .arg(name)
                    .output()
                    .unwrap();
                status
                    .status
                    .success()
                    .then(|| std::fs::read(&out).unwrap())
            };
            let original = protoc(dir);
            if original.is_some() {
                protoc_checked += 1;
                if protoc(tmp.path()) != original {
                    failures.push(format!("{shown}: protoc's descriptor set differs"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The sweep compared real work: most files were formatted and changed, protoc took part.
    assert!(formatted >= 100, "only {formatted} files formatted");
    assert!(changed >= 50, "only {changed} files changed by formatting");
    assert!(
        protoc_checked >= 10,
        "protoc compared only {protoc_checked}"
    );
    assert!(
        refused >= 1,
        "no refused file: the hostile fixtures should give some"
    );
}

/// Token soup never panics the formatter, and whatever it formats is a fixed point.
#[test]
fn token_soup_never_panics() {
    for seed in 0..300 {
        let text = soup::token_soup(seed, 400);
        if let Ok(out) = format_source(FileId(0), &text) {
            assert_eq!(
                format_source(FileId(0), &out).ok().as_deref(),
                Some(out.as_str()),
                "seed {seed}"
            );
        }
    }
}

/// The text of `text` with the whitespace between its tokens replaced by choices from `pick`
/// (never a blank line, and never touching the space before a `.`, which may separate a label
/// from an absolute type name).
fn rewhitespace(text: &str, mut pick: impl FnMut() -> u64) -> String {
    const GAPS: &[&str] = &[" ", "\n", "   ", "\t", " \n  ", ""];
    let lexed = iprotoc::lexer::lex(FileId(0), text);
    let toks = lexed.written();
    let mut out = String::new();
    let mut last = 0;
    for (i, (s, tok, e)) in toks.iter().enumerate() {
        let gap = &text[last..*s];
        if i == 0 || *tok == iprotoc::lexer::Tok::Dot || gap.contains("//") || gap.contains("/*") {
            out.push_str(gap);
        } else {
            let word = |t: &str| {
                t.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            };
            let choice = GAPS[(pick() % GAPS.len() as u64) as usize];
            let both_words = word(&text[toks[i - 1].0..toks[i - 1].2]) && word(&text[*s..*e]);
            out.push_str(if choice.is_empty() && both_words {
                " "
            } else {
                choice
            });
        }
        out.push_str(&text[*s..*e]);
        last = *e;
    }
    out.push_str(&text[last..]);
    out
}

fn compile_memory(text: &str, style: Style) -> (Vec<u8>, Vec<String>) {
    let mut resolver = MemoryResolver::new();
    resolver.add("a.iproto", text);
    let out = driver::compile(
        &resolver,
        &["a.iproto".to_string()],
        &Options {
            style,
            ..Options::default()
        },
    );
    let codes = out.diagnostics.iter().map(|d| d.code.to_string()).collect();
    (out.descriptor_set_bytes, codes)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Generated schemas with their whitespace scrambled: the layout depends only on the tokens
    /// (one canonical layout), and the formatted file compiles to the original's descriptors.
    #[test]
    fn the_layout_depends_only_on_the_tokens(
        data in proptest::collection::vec(any::<u8>(), 0..3000),
        seed in 1u64..u64::MAX,
    ) {
        let schema = schema_gen::Schema::generate(&mut arbitrary::Unstructured::new(&data))
            .expect("the generator takes any bytes");
        let text = schema.render();
        let scrambled = rewhitespace(&text, soup::rng(seed));
        let canonical = format_source(FileId(0), &text).expect("a generated schema parses");
        let from_scrambled = format_source(FileId(0), &scrambled).expect("still parses");
        prop_assert_eq!(&from_scrambled, &canonical, "scrambled:\n{}", scrambled);
        for style in [Style::Extensions, Style::Oneof] {
            prop_assert_eq!(compile_memory(&canonical, style), compile_memory(&text, style));
        }
    }
}
