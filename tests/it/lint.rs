//! Lint rules: one fixture per rule under `tests/lint/` (a file `<rule_id>.iproto`, or a
//! directory `<rule_id>/` whose `.iproto` files are all inputs, named relative to it), one
//! snapshot per rule with the fixture's source and the rule's findings.
//!
//! Every fixture must make its rule fire, and must silence at least one finding with
//! `// iprotoc:lint:ignore RULE_ID` (checked by removing the directives and counting again).
//! `tests/lint/clean/` passes every rule in both lowering styles.
//!
//! Review new snapshots with `cargo insta review`, or accept them with
//! `INSTA_UPDATE=always cargo test --test it lint::`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use iprotoc::diagnostics::{render, Diagnostic, Format};
use iprotoc::driver::{Options, Output};
use iprotoc::lint::{self, Lints};
use iprotoc::Style;

use crate::support::cli;
use crate::support::stages::compile_files;

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint")
}

/// The fixture's files: (name relative to the fixture, text), sorted by name.
fn fixture_files(id: &str) -> Vec<(String, String)> {
    let lower = id.to_ascii_lowercase();
    let file = fixture_root().join(format!("{lower}.iproto"));
    if file.is_file() {
        return vec![(
            format!("{lower}.iproto"),
            std::fs::read_to_string(file).unwrap(),
        )];
    }
    let dir = fixture_root().join(&lower);
    assert!(
        dir.is_dir(),
        "rule {id} has no fixture: add tests/lint/{lower}.iproto or tests/lint/{lower}/"
    );
    iproto_files(&dir)
}

/// The `.iproto` files under `dir` with their text, by name relative to it, sorted.
fn iproto_files(dir: &Path) -> Vec<(String, String)> {
    cli::files(dir)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".iproto"))
        .collect()
}

/// Compiles every file of a fixture (all are inputs) with `lint`.
fn compile_fixture(files: &[(String, String)], options: &Options) -> Output {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    compile_files(&files, &names, options)
}

fn lint_files(files: &[(String, String)], style: Style) -> Output {
    let out = compile_fixture(
        files,
        &Options {
            style,
            lint: Lints::All,
            ..Options::default()
        },
    );
    assert!(
        !out.has_errors(),
        "lint fixtures must compile:\n{}",
        out.render(Format::Human, false)
    );
    out
}

fn of_rule<'a>(out: &'a Output, id: &str) -> Vec<&'a Diagnostic> {
    out.diagnostics.iter().filter(|d| d.code == id).collect()
}

#[test]
fn every_rule_has_a_fixture_that_fires_and_a_snapshot() {
    for rule in lint::rules() {
        let files = fixture_files(rule.id);
        let out = lint_files(&files, Style::Oneof);
        let found = of_rule(&out, rule.id);
        assert!(
            !found.is_empty(),
            "{}: its fixture does not trigger it",
            rule.id
        );
        assert!(
            found.iter().all(|d| !d.is_error() && !d.help.is_empty()),
            "{}: findings are warnings with a help line",
            rule.id
        );

        // The directive silences findings: without it, there are more.
        let stripped: Vec<(String, String)> = files
            .iter()
            .map(|(n, t)| {
                (
                    n.clone(),
                    t.replace("iprotoc:lint:ignore", "iprotoc:lint:ignored"),
                )
            })
            .collect();
        let unsilenced = lint_files(&stripped, Style::Oneof);
        assert!(
            of_rule(&unsilenced, rule.id).len() > found.len(),
            "{}: the fixture must silence at least one finding with `// iprotoc:lint:ignore {}`",
            rule.id,
            rule.id
        );

        // Same findings in both lowering styles: rules read the source, not the lowered output.
        let ext = lint_files(&files, Style::Extensions);
        if !files.iter().any(|(_, t)| t.contains("proto3")) {
            assert_eq!(
                of_rule(&ext, rule.id),
                found,
                "{}: style-dependent",
                rule.id
            );
        }

        let mut snap = String::new();
        for (name, text) in &files {
            let _ = writeln!(snap, "---------- {name} ----------\n{}", text.trim_end());
        }
        let owned: Vec<Diagnostic> = found.into_iter().cloned().collect();
        let _ = writeln!(
            snap,
            "==================== {} ====================\n{}",
            rule.id,
            render(&owned, &out.sources, Format::Human, false).trim_end()
        );
        insta::assert_snapshot!(format!("lint_{}", rule.id.to_ascii_lowercase()), snap);
    }
}

#[test]
fn the_clean_schema_passes_every_rule_in_both_styles() {
    let root = fixture_root().join("clean");
    let files = iproto_files(&root);
    for style in [Style::Extensions, Style::Oneof] {
        let out = lint_files(&files, style);
        assert!(
            out.diagnostics.is_empty(),
            "{style:?}:\n{}",
            out.render(Format::Short, false)
        );
    }
}

#[test]
fn rule_ids_are_stable_screaming_snake_and_unique() {
    let mut seen = std::collections::HashSet::new();
    for r in lint::rules() {
        assert!(
            r.id.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "{}",
            r.id
        );
        assert!(seen.insert(r.id), "duplicate id {}", r.id);
        for part in ["**What:**", "**Why:**", "**Example:**", "**Fix:**"] {
            assert!(r.doc.contains(part), "{}: doc lacks {part}", r.id);
        }
        assert!(lint::rule(r.id).is_some());
    }
}

#[test]
fn compile_runs_only_the_inheritance_rules() {
    let files = fixture_files("SUBCLASS_TAG_UNPINNED");
    let run = |lint| {
        compile_fixture(
            &files,
            &Options {
                lint,
                ..Options::default()
            },
        )
    };
    assert!(run(Lints::Off).diagnostics.is_empty());
    let inheritance = run(Lints::Inheritance);
    assert!(!inheritance.diagnostics.is_empty());
    assert!(inheritance
        .diagnostics
        .iter()
        .all(|d| lint::rule(d.code).is_some_and(|r| r.group == lint::Group::Inheritance)));
    let all = run(Lints::All);
    assert!(all.diagnostics.len() > inheritance.diagnostics.len());
    // Lint findings never stop the output.
    assert_eq!(all.proto_files.len(), 1);
}

#[test]
fn subclass_tag_help_is_the_allocated_tag() {
    let out = lint_files(&fixture_files("SUBCLASS_TAG_UNPINNED"), Style::Extensions);
    let helps: Vec<&str> = of_rule(&out, "SUBCLASS_TAG_UNPINNED")
        .iter()
        .map(|d| d.help[0].as_str())
        .collect();
    assert_eq!(
        helps,
        [
            "pin the allocated tag: `message Cat : Animal = 100`",
            "pin the allocated tag: `message Kitten : Cat = 101`",
        ]
    );
    // The lowered output really uses those tags.
    let text = &out.proto_files[0].text;
    assert!(text.contains("TYPE_CAT = 100;") && text.contains("TYPE_KITTEN = 101;"));
}

#[test]
fn discriminator_help_is_the_generated_field() {
    let out = lint_files(&fixture_files("DISCRIMINATOR_IMPLICIT"), Style::Extensions);
    let helps: Vec<&str> = of_rule(&out, "DISCRIMINATOR_IMPLICIT")
        .iter()
        .map(|d| d.help[0].as_str())
        .collect();
    assert_eq!(
        helps,
        [
            "declare it in `Animal` to pin the number: `optional Type type = 99;`",
            "declare it in `Vehicle` to pin the number: `optional Type type = 999;`",
        ]
    );
    let text = &out.proto_files[0].text;
    assert!(
        text.contains("optional Type type = 99;") && text.contains("optional Type type = 999;")
    );
}

/// The rule reference in `docs/ci.md`, between its markers, generated from the registry.
fn rules_markdown() -> String {
    let mut s = String::new();
    for r in lint::rules() {
        let _ = write!(
            s,
            "### `{}` ({})\n\n{}.\n\n{}\n\n",
            r.id,
            r.group.as_str(),
            r.summary,
            r.doc
        );
    }
    s
}

#[test]
fn docs_ci_lists_every_rule_with_its_doc() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let a = text
        .find(begin)
        .expect("docs/ci.md has the rules:begin marker")
        + begin.len();
    let b = text.find(end).expect("docs/ci.md has the rules:end marker");
    let want = rules_markdown();
    if std::env::var_os("IPROTOC_BLESS_DOCS").is_some() {
        std::fs::write(&path, format!("{}{}{}", &text[..a], want, &text[b..])).unwrap();
        return;
    }
    assert!(
        text[a..b] == want,
        "docs/ci.md's rule reference is stale: regenerate it with `IPROTOC_BLESS_DOCS=1 cargo test --test it lint::docs_ci`"
    );
}
