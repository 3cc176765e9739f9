//! Which stage owns each schema of the invalid corpus (`invalid/` in the real-world
//! corpus), and for the validation stage, which rule explains it.
//!
//! protoc stops at the first failing stage, so each case is classified by protoc 36's first
//! message. The table below is the coverage table of `validate`: every message protoc reports
//! from `DescriptorBuilder` validation maps to a rule code, and iprotoc, run over the case, must
//! report that code.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::corpus_dir;

/// Who reports a protoc message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    /// The lexer/parser (syntax, literals, statements protoc's parser rejects).
    Parse,
    /// The descriptor builder (imports, names, option interpretation).
    Build,
    /// This stage, with the rule code.
    Check(&'static str),
}

/// (substring of protoc's message, stage). First match wins.
const TABLE: &[(&str, Stage)] = &[
    // Validation (validate).
    ("Package name is too long", Stage::Check("PACKAGE_TOO_LONG")),
    (
        "Exceeds Maximum Package Depth",
        Stage::Check("PACKAGE_TOO_LONG"),
    ),
    (
        "Reached maximum recursion limit for nested messages.",
        Stage::Parse,
    ),
    (
        "are reserved for the protocol buffer library implementation",
        Stage::Check("FIELD_NUMBER_IMPLEMENTATION_RESERVED"),
    ),
    (
        "uses reserved number",
        Stage::Check("FIELD_USES_RESERVED_NUMBER|ENUM_VALUE_USES_RESERVED_NUMBER"),
    ),
    (
        "uses the same enum value as",
        Stage::Check("ENUM_VALUE_DUPLICATE"),
    ),
    (
        "declares support for enum aliases but no enum values share",
        Stage::Check("ENUM_ALLOW_ALIAS_UNUSED"),
    ),
    (
        "declares 'option allow_alias = false;' which has no effect",
        Stage::Check("ENUM_ALLOW_ALIAS_FALSE"),
    ),
    (
        "Enums must contain at least one value.",
        Stage::Check("ENUM_EMPTY"),
    ),
    (
        "map_entry should not be set explicitly",
        // protoc says this too of a synthesised entry used as a field type.
        Stage::Check("MAP_ENTRY_EXPLICIT|MAP_ENTRY_MISUSE"),
    ),
    ("cannot be required.", Stage::Check("EXTENSION_REQUIRED")),
    (
        "overlaps with reserved range",
        Stage::Check("EXTENSION_RANGE_OVERLAPS_RESERVED"),
    ),
    (
        "Extension range end number must be greater than start number.",
        Stage::Check("EXTENSION_RANGE_INVERTED"),
    ),
    (
        "Extension numbers must be positive integers.",
        Stage::Check("EXTENSION_NUMBER_NOT_POSITIVE"),
    ),
    ("includes field", Stage::Check("FIELD_IN_EXTENSION_RANGE")),
    ("Extension range ", Stage::Check("EXTENSION_RANGE_OVERLAP")),
    (
        "is reserved multiple times.",
        Stage::Check("RESERVED_NAME_DUPLICATE"),
    ),
    (
        "Reserved range end number must be greater than start number.",
        Stage::Check("RESERVED_RANGE_INVERTED"),
    ),
    (
        "Reserved numbers must be positive integers.",
        Stage::Check("RESERVED_NUMBER_NOT_POSITIVE"),
    ),
    (
        "overlaps with already-defined range",
        Stage::Check("RESERVED_RANGE_OVERLAP|ENUM_RESERVED_RANGE_OVERLAP"),
    ),
    (
        "Enum value \"",
        Stage::Check("ENUM_VALUE_USES_RESERVED_NAME"),
    ),
    ("Field name \"", Stage::Check("FIELD_USES_RESERVED_NAME")),
    (
        "has already been used in",
        Stage::Check("FIELD_NUMBER_DUPLICATE"),
    ),
    (
        "Extension ranges are not allowed in proto3.",
        Stage::Check("PROTO3_EXTENSION_RANGE"),
    ),
    (
        "Field numbers cannot be greater than",
        Stage::Check("FIELD_NUMBER_TOO_LARGE"),
    ),
    (
        "Explicit default values are not allowed in proto3.",
        Stage::Check("PROTO3_DEFAULT"),
    ),
    (
        "The first enum value must be zero for open enums.",
        Stage::Check("ENUM_FIRST_VALUE_NOT_ZERO"),
    ),
    (
        "Required fields are not allowed in proto3.",
        Stage::Check("PROTO3_REQUIRED"),
    ),
    (
        "Groups are not supported in proto3 syntax.",
        Stage::Check("PROTO3_GROUP"),
    ),
    (
        "Features are only valid under editions.",
        Stage::Check("FEATURES_OUTSIDE_EDITIONS"),
    ),
    (
        "Field option packed is not allowed under editions.",
        Stage::Check("EDITIONS_LEGACY_SYNTAX"),
    ),
    (
        "File option java_string_check_utf8 is not allowed under editions.",
        Stage::Check("EDITIONS_LEGACY_SYNTAX"),
    ),
    (
        "if you ignore case and strip out the enum name prefix",
        Stage::Check("ENUM_VALUE_PREFIX_CONFLICT"),
    ),
    (
        "should be lower_snake_case (features.enforce_naming_style",
        Stage::Check("NAMING_STYLE"),
    ),
    (
        "as an extension number.",
        Stage::Check("EXTENSION_NUMBER_NOT_DECLARED"),
    ),
    (
        "Extensions in proto3 are only allowed for defining options.",
        Stage::Check("PROTO3_EXTENSION"),
    ),
    ("Key in map fields cannot be", Stage::Check("MAP_KEY_TYPE")),
    ("JSON name of field", Stage::Check("JSON_NAME_CONFLICT")),
    (
        "ctype option is not allowed under edition 2024",
        Stage::Check("OPTION_REMOVED"),
    ),
    (
        "has been removed in edition",
        Stage::Check("OPTION_REMOVED"),
    ),
    (
        "wasn't introduced until edition",
        Stage::Check("FEATURE_NOT_INTRODUCED"),
    ),
    (
        "Only message fields can specify message encoding.",
        Stage::Check("FEATURE_TARGET"),
    ),
    (
        "Only repeated fields can specify repeated field encoding.",
        Stage::Check("FEATURE_TARGET"),
    ),
    (
        "jstype is only allowed on",
        Stage::Check("JSTYPE_NOT_64_BIT"),
    ),
    (
        "[lazy = true] can only be specified for submessage fields.",
        Stage::Check("LAZY_NOT_MESSAGE"),
    ),
    (
        "[packed = true] can only be specified for repeated primitive fields.",
        Stage::Check("PACKED_NOT_PACKABLE"),
    ),
    (
        "cannot import files which do use this option",
        Stage::Check("LITE_IMPORT"),
    ),
    // Extension declarations (read from the ranges' interpreted options).
    (
        "extension field",
        Stage::Check(
            "EXTENSION_DECLARATION_TYPE|EXTENSION_DECLARATION_NAME|EXTENSION_DECLARATION_CARDINALITY",
        ),
    ),
    // The descriptor builder: imports, symbols, options.
    ("is not defined.", Stage::Build),
    ("seems to be defined in", Stage::Build),
    (
        "which is not defined. The innermost scope is searched first",
        Stage::Build,
    ),
    ("is not a message type.", Stage::Build),
    ("is already defined", Stage::Build),
    ("File recursively imports itself", Stage::Build),
    ("File not found.", Stage::Build),
    ("are not allowed in the virtual path", Stage::Build),
    ("Option \"", Stage::Build),
    ("Option field \"", Stage::Build),
    (
        "Option must not use reserved name",
        Stage::Check("OPTION_RESERVED_NAME"),
    ),
    (
        "cannot be set on an entity of type",
        Stage::Check("OPTION_TARGET"),
    ),
    ("Error while parsing option value", Stage::Build),
    (
        "can't be used in the same file it's defined in",
        Stage::Check("FEATURE_SAME_FILE"),
    ),
    (
        "is a nested message and cannot be `export`",
        Stage::Check("VISIBILITY_STRICT"),
    ),
    ("contains invalid UTF-8 data", Stage::Check("OPTION_INVALID_UTF8")),
    ("Protocol Buffer reflection usage error", Stage::Build),
    // The parser.
    ("Expected", Stage::Parse),
    ("Integer out of range", Stage::Parse),
    ("Reserved names must be", Stage::Parse),
    ("Unrecognized syntax identifier", Stage::Parse),
    ("Missing field number", Stage::Parse),
    ("Missing numeric value", Stage::Parse),
    ("Interpreting non ascii codepoint", Stage::Parse),
    ("Need space between number and identifier", Stage::Parse),
    ("Identifier after '-' symbol", Stage::Parse),
    ("Unknown edition", Stage::Parse),
    ("visibility modifiers are valid only on", Stage::Parse),
    (
        "option import is not supported before edition",
        Stage::Parse,
    ),
    ("weak import is not supported in edition", Stage::Parse),
    ("is not supported in editions", Stage::Parse),
    ("Group names must start with a capital letter", Stage::Parse),
    ("Fields in oneofs must not have labels", Stage::Parse),
    ("Map fields are not allowed to be extensions", Stage::Parse),
    ("was listed twice", Stage::Parse),
    ("Multiline strings are not allowed", Stage::Parse),
    ("Invalid escape sequence", Stage::Parse),
    ("Unexpected end of string", Stage::Parse),
    ("inside block comment", Stage::Parse),
    ("Already saw decimal point", Stage::Parse),
    ("Field number out of bounds", Stage::Parse),
];

/// A case protoc rejects: its name, protoc's first message (without the `file:line:col: `
/// prefix), its directory and its files.
struct Rejected {
    case: String,
    msg: String,
    dir: String,
    files: Vec<String>,
}

/// Every case of the invalid corpus that protoc rejects.
fn rejected_cases() -> Vec<Rejected> {
    let manifest = std::fs::read_to_string(corpus_dir().join("invalid/manifest.tsv")).unwrap();
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.get(4) == Some(&"no")).then(|| {
                let raw = cols[5].trim_matches('"').replace("\"\"", "\"");
                let msg = match raw.find(".proto") {
                    Some(i) => raw[i..]
                        .split_once(": ")
                        .map_or(raw.as_str(), |x| x.1)
                        .to_string(),
                    None => raw.clone(),
                };
                Rejected {
                    case: cols[1].to_string(),
                    msg,
                    dir: cols[2].to_string(),
                    files: cols[3].split_whitespace().map(str::to_string).collect(),
                }
            })
        })
        .collect()
}

fn classify(msg: &str) -> Option<Stage> {
    TABLE
        .iter()
        .find(|(pat, _)| msg.contains(pat))
        .map(|(_, s)| *s)
}

/// The codes iprotoc reports for `files` of the invalid corpus's `dir`.
fn codes_reported(dir: &str, files: &[String]) -> Vec<String> {
    let resolver = iprotoc::fs::FsResolver::new(vec![corpus_dir().join(dir)]);
    let out = iprotoc::driver::compile(&resolver, files, &iprotoc::driver::Options::default());
    out.diagnostics.iter().map(|d| d.code.to_string()).collect()
}

/// Every case protoc rejects is claimed by a stage; a case that protoc's validation rejects is
/// rejected by iprotoc with the rule the table names for it.
#[test]
fn every_rejected_case_has_an_owner_and_validation_reports_its_rule() {
    let cases = rejected_cases();
    assert!(cases.len() > 300, "only {} rejected cases", cases.len());
    let mut unknown = Vec::new();
    let mut wrong_rule = Vec::new();
    let mut by_stage: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &cases {
        match classify(&r.msg) {
            None => unknown.push(format!("{}: {}", r.case, r.msg)),
            Some(stage) => {
                let key = match stage {
                    Stage::Check(code) => {
                        let reported = codes_reported(&r.dir, &r.files);
                        if !code.split('|').any(|c| reported.iter().any(|r| r == c)) {
                            wrong_rule.push(format!(
                                "{}: expected {code}, reported {reported:?}",
                                r.case
                            ));
                        }
                        format!("check {code}")
                    }
                    other => format!("{other:?}"),
                };
                by_stage.entry(key).or_default().push(r.case.clone());
            }
        }
    }
    for (stage, cases) in &by_stage {
        eprintln!("{:4}  {stage}", cases.len());
    }
    assert!(
        unknown.is_empty(),
        "unclassified protoc messages:\n{}",
        unknown.join("\n")
    );
    assert!(
        wrong_rule.is_empty(),
        "validation cases without their rule's diagnostic:\n{}",
        wrong_rule.join("\n")
    );
}

/// Every descriptor protoc wrote for a file it accepts (`../shared/corpus/expected/*.pb`) passes
/// validation without errors. (Imports are not in those sets, so rules that need an imported
/// type simply do not fire. prost-types drops the `features` protoc interpreted, so in editions
/// files the rules that depend on them — open enums, JSON format — cannot be judged here.)
#[test]
fn descriptors_protoc_accepts_pass_validation() {
    use iprotoc::source::{FileId, SpanMap};
    use iprotoc::validate::{check_files, CheckInput};
    use prost::Message;

    let dir = corpus_dir().join("expected");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pb"))
        .collect();
    paths.sort();
    assert!(
        paths.len() > 400,
        "only {} expected descriptor sets",
        paths.len()
    );
    let spans = SpanMap::new();
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let set = prost_types::FileDescriptorSet::decode(bytes.as_slice()).unwrap();
        let inputs: Vec<CheckInput> = set
            .file
            .iter()
            .enumerate()
            .map(|(i, fd)| CheckInput::new(FileId(i as u32), fd, &spans))
            .collect();
        let editions = set
            .file
            .iter()
            .any(|f| f.syntax.as_deref() == Some("editions"));
        let feature_dependent = ["ENUM_FIRST_VALUE_NOT_ZERO", "JSON_NAME_CONFLICT"];
        for d in check_files(&inputs) {
            if d.is_error() && !(editions && feature_dependent.contains(&d.code)) {
                failures.push(format!("{}: {} {}", path.display(), d.code, d.message));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} false errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
