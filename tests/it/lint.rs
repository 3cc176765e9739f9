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

        // The directive silences findings: without it, there are more. (For the rule about
        // directives, only the directives naming it are taken out.)
        let strip = |t: &str| {
            if rule.id == lint::LINT_IGNORE_UNUSED {
                t.replace(
                    "iprotoc:lint:ignore LINT_IGNORE_UNUSED,",
                    "iprotoc:lint:ignore",
                )
            } else {
                t.replace("iprotoc:lint:ignore", "iprotoc:lint:ignored")
            }
        };
        let stripped: Vec<(String, String)> =
            files.iter().map(|(n, t)| (n.clone(), strip(t))).collect();
        // Every directive of the other fixtures names a rule and silences something (which
        // checks LINT_IGNORE_UNUSED against every rule, the one that reads lowering's output too).
        if rule.id != lint::LINT_IGNORE_UNUSED {
            let unused = of_rule(&out, lint::LINT_IGNORE_UNUSED);
            assert!(
                unused.is_empty(),
                "{}: {}",
                rule.id,
                render(
                    &unused.into_iter().cloned().collect::<Vec<_>>(),
                    &out.sources,
                    Format::Short,
                    false
                )
            );
        }
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
fn compile_runs_only_the_inheritance_rules_and_protocs_warning() {
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
    assert!(inheritance.diagnostics.iter().all(|d| lint::rule(d.code)
        .is_some_and(|r| matches!(r.group, lint::Group::Inheritance | lint::Group::Protoc))));
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

/// Compiles one in-memory file with `lints`.
fn run_with(text: &str, lints: Lints) -> Output {
    compile_files(
        &[("zoo.iproto", text)],
        &["zoo.iproto"],
        &Options {
            lint: lints,
            ..Options::default()
        },
    )
}

const UNPINNED: &str = "syntax = \"proto2\";\npackage zoo;\nmessage Animal {}\nmessage Cat : Animal {}\nmessage Owner { optional Cat pet = 1; }\n";

#[test]
fn levels_allow_warn_and_deny_rules_and_groups() {
    use lint::Level;
    let codes = |out: &Output| -> Vec<(&str, bool)> {
        out.diagnostics
            .iter()
            .map(|d| (d.code, d.is_error()))
            .collect()
    };
    // compile's defaults: both inheritance findings, as warnings, and output is written.
    let out = run_with(UNPINNED, Lints::Inheritance);
    assert_eq!(
        codes(&out),
        [
            ("SUBCLASS_TAG_UNPINNED", false),
            ("FIELD_OF_SUBCLASS_TYPE", false)
        ]
    );
    assert!(!out.proto_files.is_empty());

    // Deny one rule: its finding is an error, with a note, and nothing is produced.
    let mut lints = Lints::Inheritance;
    lints.set("field_of_subclass_type", Level::Deny).unwrap();
    let out = run_with(UNPINNED, lints);
    assert_eq!(
        codes(&out),
        [
            ("SUBCLASS_TAG_UNPINNED", false),
            ("FIELD_OF_SUBCLASS_TYPE", true)
        ]
    );
    assert!(out.diagnostics[1]
        .notes
        .iter()
        .any(|n| n.contains("denied")));
    assert!(out.proto_files.is_empty() && out.descriptor_set.file.is_empty());

    // Allow the group, then warn one rule of it again: the last setting wins.
    let mut lints = Lints::Inheritance;
    lints.set("inheritance", Level::Allow).unwrap();
    assert_eq!(codes(&run_with(UNPINNED, lints)), []);
    lints.set("SUBCLASS_TAG_UNPINNED", Level::Warn).unwrap();
    assert_eq!(
        codes(&run_with(UNPINNED, lints)),
        [("SUBCLASS_TAG_UNPINNED", false)]
    );

    // Groups: `naming` holds the spelling rules only; `all` every rule.
    let mut lints = Lints::Off;
    lints.set("naming", Level::Warn).unwrap();
    assert_eq!(lints.level("FIELD_LOWER_SNAKE_CASE"), Some(Level::Warn));
    assert_eq!(lints.level("PACKAGE_DEFINED"), Some(Level::Allow));
    assert_eq!(lints.level("SUBCLASS_TAG_UNPINNED"), Some(Level::Allow));
    lints.set("all", Level::Deny).unwrap();
    assert!(lint::rules()
        .iter()
        .all(|r| lints.level(r.id) == Some(Level::Deny)));
}

#[test]
fn group_members_are_rules_and_unknown_names_list_near_ones() {
    for g in lint::groups() {
        assert!(
            lint::rules().iter().any(|r| g.contains(r)),
            "group {} is empty",
            g.name
        );
    }
    let mut lints = Lints::All;
    let e = lints
        .set("FIELD_LOWER_SNAKE", lint::Level::Deny)
        .unwrap_err();
    assert_eq!(e.near, ["FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(
        e.to_string(),
        "no lint rule or group `FIELD_LOWER_SNAKE`; did you mean `FIELD_LOWER_SNAKE_CASE`?"
    );
    let e = lints.set("nameing", lint::Level::Deny).unwrap_err();
    assert_eq!(e.near, ["naming"]);
    let e = lints.set("zzzzzzzz", lint::Level::Deny).unwrap_err();
    assert!(e.near.is_empty());
    assert!(e.to_string().contains("--list-rules"));
}

/// `IMPORT_UNUSED` reports exactly the imports protoc 36.2 calls unused, on plain `.proto`
/// files covering protoc's rule: unused plain and weak imports, public imports, forwarding
/// files, imports used only by an option, a type or an extendee.
#[test]
fn import_unused_matches_protocs_warning() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        ("d.proto", "syntax = \"proto3\";\npackage d;\nmessage D {}\n"),
        ("e.proto", "syntax = \"proto3\";\npackage d;\nmessage E {}\n"),
        ("c.proto", "syntax = \"proto3\";\npackage c;\nmessage C {}\n"),
        ("fwd.proto", "syntax = \"proto3\";\npackage f;\nimport public \"c.proto\";\nmessage F {}\n"),
        ("opt.proto", "syntax = \"proto2\";\npackage o;\nimport \"google/protobuf/descriptor.proto\";\nextend google.protobuf.MessageOptions { optional int32 x = 50000; }\nextend google.protobuf.FileOptions { optional int32 y = 50001; }\nmessage Ext { extensions 100 to 200; }\n"),
        ("main.proto", "syntax = \"proto2\";\npackage m;\nimport \"d.proto\";\nimport \"e.proto\";\nimport weak \"c.proto\";\nimport \"fwd.proto\";\nimport public \"google/protobuf/empty.proto\";\nimport \"google/protobuf/any.proto\";\nimport \"opt.proto\";\nmessage M { option (o.x) = 1; optional d.D a = 1; }\n"),
        ("ext.proto", "syntax = \"proto2\";\npackage x;\nimport \"opt.proto\";\nimport \"google/protobuf/duration.proto\";\nextend o.Ext { optional int32 z = 100; }\n"),
        ("fileopt.proto", "syntax = \"proto2\";\npackage y;\nimport \"opt.proto\";\nimport \"d.proto\";\noption (o.y) = 2;\nservice S { rpc R(d.D) returns (d.D); }\n"),
    ];
    let (protoc_says, iprotoc_says) = unused_imports(
        dir.path(),
        files,
        &["main.proto", "ext.proto", "fileopt.proto"],
    );
    assert!(!protoc_says.is_empty());
    assert_eq!(iprotoc_says, protoc_says);
}

/// The imports protoc and iprotoc call unused in `inputs` among `files` (written to `dir`), as
/// sorted `file: import` lines.
fn unused_imports(
    dir: &std::path::Path,
    files: &[(&str, &str)],
    inputs: &[&str],
) -> (Vec<String>, Vec<String>) {
    for (name, text) in files {
        cli::write(dir, name, text);
    }
    let mut protoc_says: Vec<String> = Vec::new();
    for input in inputs {
        let o = std::process::Command::new(protoc_bin_vendored::protoc_bin_path().unwrap())
            .current_dir(dir)
            .args(["-I", ".", "-o", "/dev/null", input])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        for line in String::from_utf8_lossy(&o.stderr).lines() {
            if let Some(at) = line.find(": warning: Import ") {
                let (file, rest) = line.split_at(at);
                let file = file.split(':').next().unwrap();
                let import = rest
                    .trim_start_matches(": warning: Import ")
                    .trim_end_matches(" is unused.");
                protoc_says.push(format!("{file}: {import}"));
            }
        }
    }
    protoc_says.sort();
    let out = compile_files(
        files,
        inputs,
        &Options {
            lint: Lints::Inheritance,
            ..Options::default()
        },
    );
    let mut iprotoc_says: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "IMPORT_UNUSED")
        .map(|d| {
            let p = d.primary.as_ref().unwrap();
            let file = &out.sources.get(p.location.file).name;
            let import = d
                .message
                .trim_start_matches("import `")
                .trim_end_matches("` is unused");
            format!("{file}: {import}")
        })
        .collect();
    iprotoc_says.sort();
    (protoc_says, iprotoc_says)
}

/// An import used only by a name inside an option's value or by a later part of its name is
/// used, as protoc 36.2 says: an extension in an aggregate value (`{ [pkg.ext]: 1 }`), an
/// `Any`'s type (`[type.googleapis.com/pkg.M] { }`), an extension after the first part of the
/// name (`(a.h).(xt.e)`). The control file imports the same files for nothing.
#[test]
fn import_unused_counts_names_inside_option_values_as_protoc_does() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &str)] = &[
        ("agg.proto", "syntax = \"proto2\";\npackage a;\nimport \"google/protobuf/descriptor.proto\";\nimport \"google/protobuf/any.proto\";\nmessage Holder { optional int32 v = 1; optional google.protobuf.Any any = 2; extensions 100 to 200; }\nextend google.protobuf.FileOptions { optional Holder h = 50010; }\n"),
        ("xt.proto", "syntax = \"proto2\";\npackage xt;\nimport \"agg.proto\";\nextend a.Holder { optional int32 e = 100; }\n"),
        ("m.proto", "syntax = \"proto2\";\npackage m2;\nmessage AnyTarget { optional int32 n = 1; }\n"),
        ("use_agg.proto", "syntax = \"proto2\";\npackage u1;\nimport \"agg.proto\";\nimport \"xt.proto\";\noption (a.h) = { v: 1 [xt.e]: 2 };\n"),
        ("use_any.proto", "syntax = \"proto2\";\npackage u2;\nimport \"agg.proto\";\nimport \"m.proto\";\noption (a.h) = { any { [type.googleapis.com/m2.AnyTarget] { n: 3 } } };\n"),
        ("use_part.proto", "syntax = \"proto2\";\npackage u3;\nimport \"agg.proto\";\nimport \"xt.proto\";\noption (a.h).(xt.e) = 4;\n"),
        ("control.proto", "syntax = \"proto2\";\npackage u4;\nimport \"agg.proto\";\nimport \"xt.proto\";\nimport \"m.proto\";\noption (a.h) = { v: 5 };\n"),
    ];
    let (protoc_says, iprotoc_says) = unused_imports(
        dir.path(),
        files,
        &[
            "use_agg.proto",
            "use_any.proto",
            "use_part.proto",
            "control.proto",
        ],
    );
    assert_eq!(
        protoc_says,
        ["control.proto: m.proto", "control.proto: xt.proto"],
        "protoc's own verdict on these shapes"
    );
    assert_eq!(iprotoc_says, protoc_says);
}

/// Every code the compiler can emit, read from its source: the literal codes of
/// `Diagnostic::error/warning`, and every SCREAMING_SNAKE string literal outside comments and
/// unit tests (codes also travel through helpers and tables) but the few that are not codes.
fn codes_in_source() -> std::collections::BTreeSet<String> {
    // SCREAMING_SNAKE literals of src/ that are protobuf or environment names, not codes.
    const NOT_CODES: &[&str] = &[
        "EXPORT_ALL",
        "EXPORT_TOP_LEVEL",
        "LEGACY_BEST_EFFORT",
        "LEGACY_REQUIRED",
        "LENGTH_PREFIXED",
        "LOCAL_ALL",
        "NO_COLOR",
        "OUT_DIR",
        "STYLE_LEGACY",
        "TYPE_UNSPECIFIED",
        "UPPER_SNAKE_CASE",
    ];
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs")
                && p.file_name().is_some_and(|n| n != "tests.rs")
            {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut paths,
    );
    let mut codes = std::collections::BTreeSet::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let text = match text.find("#[cfg(test)]\nmod tests") {
            Some(at) => &text[..at],
            None => &text[..],
        };
        let code: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        let code = code.join("\n");
        // A literal is a quote, SCREAMING_SNAKE characters and a quote (no pairing of quotes:
        // escaped quotes in messages would throw it off).
        let bytes = code.as_bytes();
        for (at, _) in code.match_indices('"') {
            let len = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_')
                .count();
            let end = at + 1 + len;
            if len < 3 || bytes.get(end) != Some(&b'"') || !bytes[at + 1].is_ascii_uppercase() {
                continue;
            }
            let lit = &code[at + 1..end];
            let before = code[..at].trim_end();
            let direct =
                before.ends_with("Diagnostic::error(") || before.ends_with("Diagnostic::warning(");
            if (lit.contains('_') || direct) && !lit.ends_with('_') && !NOT_CODES.contains(&lit) {
                codes.insert(lit.to_string());
            }
        }
    }
    codes
}

#[test]
fn every_code_the_compiler_emits_has_an_explanation() {
    let codes = codes_in_source();
    // The walk finds the codes of every stage.
    for known in [
        "SYNTAX",
        "LEX",
        "UNKNOWN_TYPE",
        "UNKNOWN_BASE",
        "FIELD_NUMBER_DUPLICATE",
        "FIELD_REMOVED",
        "CONFIG_UNKNOWN_LINT",
        "SUBCLASS_TAG_UNPINNED",
    ] {
        assert!(codes.contains(known), "{known} not found in the source");
    }
    assert!(codes.len() > 150, "{} codes", codes.len());
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| iprotoc::explain::explain(c).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a doc (add a section to docs/codes.md): {missing:?}"
    );
    // And nothing is documented that the compiler cannot emit.
    for c in iprotoc::explain::codes() {
        assert!(
            codes.contains(c) || lint::rule(c).is_some(),
            "docs/codes.md documents {c}, which nothing emits"
        );
    }
}

#[test]
fn a_directive_for_a_rule_that_did_not_run_is_left_alone() {
    use lint::Level;
    let text = "syntax = \"proto3\";\npackage zoo.v1;\nmessage Owner {\n  int32 age = 1; // iprotoc:lint:ignore FIELD_LOWER_SNAKE_CASE\n}\n";
    let unused = |lints: Lints| -> usize {
        run_with(text, lints)
            .diagnostics
            .iter()
            .filter(|d| d.code == lint::LINT_IGNORE_UNUSED)
            .count()
    };
    assert_eq!(
        unused(Lints::All),
        1,
        "the rule ran and found nothing there"
    );
    let mut lints = Lints::All;
    lints.set("naming", Level::Allow).unwrap();
    assert_eq!(unused(lints), 0, "the rule did not run: nothing to judge");
    lints.set(lint::LINT_IGNORE_UNUSED, Level::Allow).unwrap();
    lints.set("naming", Level::Warn).unwrap();
    assert_eq!(unused(lints), 0, "the check itself is off");
}

/// The inheritance rules see hierarchies across files: an ancestor in an imported file, a
/// subclass used as an rpc type in a third file.
#[test]
fn inheritance_rules_follow_hierarchies_across_files() {
    let animal = "syntax = \"proto2\";\npackage zoo;\nmessage Animal {\n  optional float weight = 1;\n  subclass zoo.cats.Cat = 100;\n}\n";
    let cat = "syntax = \"proto2\";\npackage zoo.cats;\nimport \"zoo/animal.iproto\";\nmessage Cat : zoo.Animal = 100 {\n  optional float weight = 1;\n}\n";
    let shelter = "syntax = \"proto2\";\npackage zoo.shelter;\nimport \"zoo/cats/cat.iproto\";\nimport \"zoo/animal.iproto\";\nservice ShelterService {\n  rpc Adopt(zoo.cats.Cat) returns (zoo.Animal);\n}\n";
    let files = [
        ("zoo/animal.iproto", animal),
        ("zoo/cats/cat.iproto", cat),
        ("zoo/shelter.iproto", shelter),
    ];
    for style in [Style::Extensions, Style::Oneof] {
        let out = compile_files(
            &files,
            &[
                "zoo/animal.iproto",
                "zoo/cats/cat.iproto",
                "zoo/shelter.iproto",
            ],
            &Options {
                style,
                lint: Lints::Inheritance,
                ..Options::default()
            },
        );
        let found: Vec<(&str, String)> = out
            .diagnostics
            .iter()
            .map(|d| {
                let p = d.primary.as_ref().unwrap();
                (d.code, out.sources.get(p.location.file).name.clone())
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "FIELD_SHADOWS_BASE_FIELD",
                    "zoo/cats/cat.iproto".to_string()
                ),
                ("RPC_OF_SUBCLASS_TYPE", "zoo/shelter.iproto".to_string()),
            ],
            "{style:?}: {}",
            out.render(Format::Short, false)
        );
    }
}
