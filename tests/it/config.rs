//! The build.rs API (`iprotoc::Config`): errors that print as diagnostics through `Debug`,
//! imports in the descriptor set by default, lints and denied warnings, and the `.proto` tree it
//! writes.

use std::path::Path;

use iprotoc::{Config, Lints, MemoryResolver};

use crate::support::cli::{self, listing, write};

const ANIMALS: &str = "syntax = \"proto2\";\npackage zoo;\nimport \"zoo/tag.iproto\";\nimport \"google/protobuf/timestamp.proto\";\n\
message Animal { optional Tag tag = 1; optional google.protobuf.Timestamp born = 2; }\n\
message Cat : Animal { optional bool declawed = 1; }\n";
const TAG: &str = "syntax = \"proto2\";\npackage zoo;\nmessage Tag { optional string id = 1; }\n";

fn zoo(dir: &Path) {
    write(dir, "proto/zoo/animals.iproto", ANIMALS);
    write(dir, "proto/zoo/tag.iproto", TAG);
}

#[test]
fn an_errors_debug_is_its_rendered_diagnostics() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "proto/bad.iproto",
        "syntax = \"proto2\";\nmessage Cat : Animl {}\n",
    );
    let err = Config::new()
        .include(tmp.path().join("proto"))
        .out_dir(tmp.path().join("gen"))
        .compile(&[tmp.path().join("proto/bad.iproto")])
        .unwrap_err();
    let debug = format!("{err:?}");
    assert_eq!(debug, format!("{err}"));
    assert_eq!(debug, err.rendered());
    assert!(debug.starts_with("error[UNKNOWN_BASE]"), "{debug}");
    assert!(debug.contains("bad.iproto:2:15"), "{debug}");
    assert!(
        debug.contains("message Cat : Animl {}"),
        "the source line: {debug}"
    );
    assert!(!debug.contains("Diagnostic {") && !debug.contains("Span"));
    // What `fn main() -> Result<(), Box<dyn Error>>` prints after `Error: `.
    let boxed: Box<dyn std::error::Error> = err.clone().into();
    assert_eq!(format!("{boxed:?}"), debug);
    // The diagnostics one by one.
    let codes: Vec<&str> = err.errors().map(|d| d.code).collect();
    assert_eq!(codes, ["UNKNOWN_BASE"]);
    assert_eq!(err.diagnostics().len(), 1);
    assert!(!tmp.path().join("gen").exists(), "nothing is written");
}

#[test]
fn the_descriptor_set_holds_the_imports_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    zoo(tmp.path());
    let names = |include_imports: Option<bool>| {
        let mut config = Config::new();
        config
            .include(tmp.path().join("proto"))
            .out_dir(tmp.path().join("gen"));
        if let Some(yes) = include_imports {
            config.include_imports(yes);
        }
        let set = config
            .compile(&[tmp.path().join("proto/zoo/animals.iproto")])
            .unwrap();
        set.file
            .iter()
            .map(|f| f.name().to_string())
            .collect::<Vec<_>>()
    };
    // Each file after its imports, as prost-build and tonic-build need them.
    let all = [
        "zoo/tag.proto",
        "google/protobuf/timestamp.proto",
        "zoo/animals.proto",
    ];
    assert_eq!(names(None), all);
    assert_eq!(names(Some(true)), all);
    assert_eq!(names(Some(false)), ["zoo/animals.proto"]);
}

#[test]
fn the_output_directory_gets_the_whole_tree() {
    let tmp = tempfile::tempdir().unwrap();
    zoo(tmp.path());
    write(
        tmp.path(),
        "proto/zoo/keeper.proto",
        "syntax = \"proto2\";\npackage zoo;\nimport \"zoo/animals.iproto\";\nmessage Keeper { repeated Animal animals = 1; }\n",
    );
    let gen = tmp.path().join("gen");
    Config::new()
        .include(tmp.path().join("proto"))
        .out_dir(&gen)
        .compile(&[tmp.path().join("proto/zoo/keeper.proto")])
        .unwrap();
    assert_eq!(
        listing(&gen),
        [
            "zoo",
            "zoo/animals.proto",
            "zoo/keeper.proto",
            "zoo/tag.proto"
        ]
    );
    let keeper = std::fs::read_to_string(gen.join("zoo/keeper.proto")).unwrap();
    assert!(keeper.contains("import \"zoo/animals.proto\";"), "{keeper}");
    // The same tree as `iprotoc compile --proto_out`.
    let cli_gen = tmp.path().join("cli_gen");
    let run = cli::command(tmp.path())
        .args(["compile", "-I", "proto", "--proto_out", "cli_gen"])
        .arg("proto/zoo/keeper.proto")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", cli::stderr(&run));
    assert_eq!(cli::files(&gen), cli::files(&cli_gen));
    assert_eq!(listing(&gen), listing(&cli_gen));
}

/// A schema with an unpinned subclass tag (an inheritance lint) and a `required` field (a style
/// lint, reported only by `check`'s full set).
fn linted() -> MemoryResolver {
    let mut files = MemoryResolver::new();
    files.add(
        "zoo.iproto",
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage Animal { required float weight = 1; optional Type type = 99; }\nmessage Cat : Animal { optional bool declawed = 1; }\n",
    );
    files
}

fn codes(config: &Config) -> Vec<&'static str> {
    let out = config.compile_with(&linted(), &["zoo.iproto"]).unwrap();
    assert!(out.diagnostics.iter().all(|d| !d.is_error()));
    out.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn lints_are_the_inheritance_rules_by_default_and_configurable() {
    assert_eq!(codes(&Config::new()), ["SUBCLASS_TAG_UNPINNED"]);
    assert_eq!(
        codes(Config::new().lints(Lints::Inheritance)),
        ["SUBCLASS_TAG_UNPINNED"]
    );
    let all = codes(Config::new().lints(Lints::All));
    assert!(
        all.contains(&"SUBCLASS_TAG_UNPINNED") && all.contains(&"FIELD_NOT_REQUIRED"),
        "{all:?}"
    );
    assert_eq!(codes(Config::new().lints(Lints::Off)), Vec::<&str>::new());
}

#[test]
fn denied_warnings_fail_the_compilation_and_write_nothing() {
    let err = Config::new()
        .deny_warnings(true)
        .compile_with(&linted(), &["zoo.iproto"])
        .unwrap_err();
    let errors: Vec<&str> = err.errors().map(|d| d.code).collect();
    assert_eq!(errors, ["WARNINGS_DENIED"]);
    assert!(err
        .diagnostics()
        .iter()
        .any(|d| d.code == "SUBCLASS_TAG_UNPINNED"));
    let text = err.to_string();
    assert!(
        text.contains("zoo.iproto:4:13") && text.contains("1 warning and warnings are denied"),
        "{text}"
    );
    // No warnings, nothing to deny.
    assert!(Config::new()
        .deny_warnings(true)
        .lints(Lints::Off)
        .compile_with(&linted(), &["zoo.iproto"])
        .is_ok());

    // From disk: nothing is written.
    let tmp = tempfile::tempdir().unwrap();
    zoo(tmp.path());
    let gen = tmp.path().join("gen");
    let mut config = Config::new();
    config.include(tmp.path().join("proto")).out_dir(&gen);
    let input = [tmp.path().join("proto/zoo/animals.iproto")];
    let err = config
        .clone()
        .deny_warnings(true)
        .compile(&input)
        .unwrap_err();
    assert!(err.to_string().contains("SUBCLASS_TAG_UNPINNED"), "{err}");
    assert!(!gen.exists());
    config.compile(&input).unwrap();
    assert!(gen.join("zoo/animals.proto").exists());
}

#[test]
fn the_project_file_supplies_includes_style_and_lint_levels() {
    let tmp = tempfile::tempdir().unwrap();
    zoo(tmp.path());
    let input = tmp.path().join("proto/zoo/animals.iproto");
    // No project file: the defaults (the unpinned tag is a warning).
    let gen = tmp.path().join("gen");
    let fds = Config::new()
        .include(tmp.path().join("proto"))
        .out_dir(&gen)
        .compile(&[&input])
        .unwrap();
    assert_eq!(fds.file.last().unwrap().name(), "zoo/animals.proto");

    write(
        tmp.path(),
        "iprotoc.toml",
        "include = [\"proto\"]\nstyle = \"oneof\"\n[lint]\ndeny = [\"SUBCLASS_TAG_UNPINNED\"]\n",
    );
    // Found beside the schemas, walking up from the first input: its include directory (no
    // `.include` here) and its denied rule.
    let err = Config::new().out_dir(&gen).compile(&[&input]).unwrap_err();
    let codes: Vec<&str> = err.errors().map(|d| d.code).collect();
    assert_eq!(codes, ["SUBCLASS_TAG_UNPINNED"]);
    assert!(
        err.rendered().contains("zoo/animals.iproto:6:"),
        "{}",
        err.rendered()
    );

    // The builder's own lint setting is applied first, the file's on top; its style applies.
    write(
        tmp.path(),
        "iprotoc.toml",
        "include = [\"proto\"]\nstyle = \"oneof\"\n[lint]\nallow = [\"inheritance\"]\n",
    );
    let out_dir = tmp.path().join("gen2");
    Config::new()
        .lints(Lints::All)
        .deny_warnings(true)
        .out_dir(&out_dir)
        .compile(&[&input])
        .expect_err("the style rules still run and warnings are denied");
    write(
        tmp.path(),
        "iprotoc.toml",
        "include = [\"proto\"]\nstyle = \"oneof\"\n[lint]\nallow = [\"inheritance\"]\ndeny = [\"warnings\"]\n",
    );
    Config::new().out_dir(&out_dir).compile(&[&input]).unwrap();
    let lowered = std::fs::read_to_string(out_dir.join("zoo/animals.proto")).unwrap();
    assert!(
        lowered.contains("oneof subtype"),
        "the file's style: {lowered}"
    );
    // `.style` wins over the file's.
    let ext_dir = tmp.path().join("gen3");
    Config::new()
        .style(iprotoc::Style::Extensions)
        .out_dir(&ext_dir)
        .compile(&[&input])
        .unwrap();
    let lowered = std::fs::read_to_string(ext_dir.join("zoo/animals.proto")).unwrap();
    assert!(!lowered.contains("oneof subtype"), "{lowered}");

    // `.no_config_file()` ignores it, `.config_file()` names another.
    write(
        tmp.path(),
        "iprotoc.toml",
        "include = [\"nowhere\"]\n[lint]\ndeny = [\"all\"]\n",
    );
    Config::new()
        .no_config_file()
        .include(tmp.path().join("proto"))
        .out_dir(tmp.path().join("gen4"))
        .compile(&[&input])
        .unwrap();
    write(
        tmp.path(),
        "other.toml",
        "[lint]\ndeny = [\"SUBCLASS_TAG_UNPINNED\"]\n",
    );
    let err = Config::new()
        .config_file(tmp.path().join("other.toml"))
        .include(tmp.path().join("proto"))
        .out_dir(tmp.path().join("gen5"))
        .compile(&[&input])
        .unwrap_err();
    assert_eq!(
        err.errors().map(|d| d.code).collect::<Vec<_>>(),
        ["SUBCLASS_TAG_UNPINNED"]
    );
    assert!(!tmp.path().join("gen5").exists(), "nothing is written");
}

#[test]
fn an_error_in_the_project_file_fails_the_build_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    zoo(tmp.path());
    write(
        tmp.path(),
        "iprotoc.toml",
        "include = [\"proto\"]\n[lint]\nwarn = [\"SUBCLASS_TAG\"]\n",
    );
    let err = Config::new()
        .out_dir(tmp.path().join("gen"))
        .compile(&[tmp.path().join("proto/zoo/animals.iproto")])
        .unwrap_err();
    let codes: Vec<&str> = err.errors().map(|d| d.code).collect();
    assert_eq!(codes, ["CONFIG_UNKNOWN_LINT"]);
    assert!(
        err.rendered().contains("iprotoc.toml:3:9"),
        "{}",
        err.rendered()
    );
    assert!(
        err.rendered().contains("SUBCLASS_TAG_UNPINNED"),
        "the near name: {}",
        err.rendered()
    );
    assert!(!tmp.path().join("gen").exists());
}

#[test]
fn settings_for_a_file_are_what_check_uses() {
    let tmp = tempfile::tempdir().unwrap();
    zoo(tmp.path());
    let file = tmp.path().join("proto/zoo/animals.iproto");
    let none = iprotoc::project::Settings::for_file(&file).unwrap();
    assert_eq!(none, iprotoc::project::Settings::default());
    write(
        tmp.path(),
        "proto/iprotoc.toml",
        "include = [\".\", \"../vendor\"]\n[lint]\nwarn = [\"style\"]\n",
    );
    let s = iprotoc::project::Settings::for_file(&file).unwrap();
    assert_eq!(
        s.file.as_deref(),
        Some(tmp.path().join("proto/iprotoc.toml").as_path())
    );
    assert_eq!(
        s.includes,
        [
            tmp.path().join("proto/."),
            tmp.path().join("proto/../vendor")
        ]
    );
    // A file not saved yet (an editor's new buffer) gets the settings of its directory.
    let unsaved = iprotoc::project::Settings::for_file(&tmp.path().join("proto/zoo/new.iproto"));
    assert_eq!(unsaved.unwrap(), s);
    let mut lints = Lints::Inheritance;
    assert_eq!(s.apply_lints(&mut lints), None);
    assert_eq!(
        lints.level("PACKAGE_DEFINED"),
        Some(iprotoc::lint::Level::Warn)
    );
}
