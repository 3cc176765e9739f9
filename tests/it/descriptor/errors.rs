//! Name resolution and option errors of the descriptor builder: the message protoc prints, the
//! diagnostic code, where the primary label points, and the help line.

use std::collections::HashMap;

use iprotoc::ast;
use iprotoc::descriptor::{build, DescriptorOptions, FileInput};
use iprotoc::diagnostics::Diagnostic;
use iprotoc::source::{FileId, SourceFile, SourceMap};

/// Builds in-memory files given in dependency order; `descriptor.proto` comes from protoc's
/// include directory when imported. Returns the diagnostics and the sources.
fn diagnostics(files: &[(&str, &str)]) -> (Vec<Diagnostic>, SourceMap) {
    let mut all: Vec<(String, String)> = Vec::new();
    let needs_descriptor = files
        .iter()
        .any(|(_, t)| t.contains("google/protobuf/descriptor.proto"));
    if needs_descriptor {
        let path = protoc_bin_vendored::include_path()
            .unwrap()
            .join("google/protobuf/descriptor.proto");
        all.push((
            "google/protobuf/descriptor.proto".into(),
            std::fs::read_to_string(path).unwrap(),
        ));
    }
    all.extend(files.iter().map(|(n, t)| (n.to_string(), t.to_string())));
    let mut sources = SourceMap::new();
    let mut parsed = Vec::new();
    let mut ids: HashMap<String, FileId> = HashMap::new();
    for (name, text) in &all {
        let id = sources.add(SourceFile::new(name.clone(), name.clone(), text.clone()));
        let (file, diags) = iprotoc::parse::parse(id, text);
        assert!(diags.is_empty(), "{name}: {diags:?}");
        let deps: Vec<Option<FileId>> = file
            .items
            .iter()
            .filter_map(|i| match i {
                ast::FileItem::Import(imp) => Some(ids.get(&imp.path.to_text()).copied()),
                _ => None,
            })
            .collect();
        ids.insert(name.clone(), id);
        parsed.push((id, name.clone(), file, deps));
    }
    let inputs: Vec<FileInput> = parsed
        .iter()
        .map(|(id, name, ast, deps)| FileInput {
            id: *id,
            name,
            ast,
            deps,
        })
        .collect();
    let (_, diags) = build(&inputs, &sources, &DescriptorOptions::default());
    (diags, sources)
}

/// The one error of a single file, with the text its primary label covers.
fn one_error(text: &str) -> (Diagnostic, String) {
    one_error_of(&[("test.proto", text)])
}

fn one_error_of(files: &[(&str, &str)]) -> (Diagnostic, String) {
    let (diags, sources) = diagnostics(files);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let d = diags.into_iter().next().unwrap();
    let p = d.primary.as_ref().expect("a location");
    let label = sources
        .get(p.location.file)
        .slice(p.location.span)
        .to_string();
    (d, label)
}

#[test]
fn unknown_type_suggests_a_close_name() {
    let (d, at) = one_error(
        "syntax = \"proto2\";\npackage p;\nmessage Fooo {}\nmessage M { optional Foo a = 1; }\n",
    );
    assert_eq!(d.code, "UNKNOWN_TYPE");
    assert_eq!(d.message, "\"Foo\" is not defined.");
    assert_eq!(at, "Foo");
    assert_eq!(d.help, vec!["did you mean \"Fooo\"?".to_string()]);
}

#[test]
fn compound_name_resolved_in_the_wrong_scope() {
    let (d, at) =
        one_error("syntax = \"proto2\";\npackage p;\nmessage M { optional M.Nope b = 2; }\n");
    assert_eq!(d.code, "UNKNOWN_TYPE");
    assert_eq!(
        d.message,
        "\"M.Nope\" is resolved to \"p.M.Nope\", which is not defined. The innermost scope is searched first in name resolution. Consider using a leading '.'(i.e., \".M.Nope\") to start from the outermost scope."
    );
    assert_eq!(at, "M.Nope");
}

#[test]
fn type_from_a_file_that_is_not_imported() {
    let (d, at) = one_error_of(&[
        (
            "other.proto",
            "syntax = \"proto2\";\npackage o;\nmessage Far {}\n",
        ),
        (
            "mid.proto",
            "syntax = \"proto2\";\nimport \"other.proto\";\n",
        ),
        (
            "e4.proto",
            "syntax = \"proto2\";\nimport \"mid.proto\";\nmessage X { optional o.Far f = 1; }\n",
        ),
    ]);
    assert_eq!(d.code, "NOT_IMPORTED");
    assert_eq!(
        d.message,
        "\"o.Far\" seems to be defined in \"other.proto\", which is not imported by \"e4.proto\".  To use it here, please add the necessary import."
    );
    assert_eq!(at, "o.Far");
    assert_eq!(d.help, vec!["add import \"other.proto\";".to_string()]);
}

#[test]
fn public_imports_are_visible_transitively() {
    let (diags, _) = diagnostics(&[
        (
            "other.proto",
            "syntax = \"proto2\";\npackage o;\nmessage Far {}\n",
        ),
        (
            "mid.proto",
            "syntax = \"proto2\";\nimport public \"other.proto\";\n",
        ),
        (
            "top.proto",
            "syntax = \"proto2\";\nimport \"mid.proto\";\nmessage X { optional o.Far f = 1; }\n",
        ),
    ]);
    assert!(diags.is_empty(), "{diags:#?}");
}

#[test]
fn services_are_not_types() {
    let (d, _) = one_error(
        "syntax = \"proto2\";\npackage p;\nservice Svc {}\nmessage M { optional Svc d = 4; }\n",
    );
    // protoc skips non-types while searching outwards, so it ends up not finding anything.
    assert_eq!(d.message, "\"Svc\" is not defined.");
}

#[test]
fn extendee_must_be_a_message() {
    let (d, at) = one_error(
        "syntax = \"proto2\";\npackage p;\nenum En { A = 0; }\nextend En { optional int32 x = 100; }\n",
    );
    assert_eq!(d.code, "NOT_A_MESSAGE");
    assert_eq!(d.message, "\"En\" is not a message type.");
    assert_eq!(at, "En");
}

const OPTIONS_PRELUDE: &str = "syntax = \"proto2\";\npackage p;\nimport \"google/protobuf/descriptor.proto\";\nenum En { A = 0; }\nextend google.protobuf.FileOptions { optional int32 small = 50000; optional En en = 50001; }\n";

fn option_error(option: &str) -> (Diagnostic, String) {
    one_error(&format!("{OPTIONS_PRELUDE}{option}\n"))
}

#[test]
fn unknown_custom_option() {
    let (d, at) = option_error("option (nope) = 1;");
    assert_eq!(d.code, "UNKNOWN_OPTION");
    assert_eq!(
        d.message,
        "Option \"(nope)\" unknown. Ensure that your proto definition file imports the proto which defines the option (i.e. via import option after edition 2024)."
    );
    assert_eq!(at, "(nope)");
}

#[test]
fn option_value_of_the_wrong_type() {
    let (d, at) = option_error("option java_package = 1;");
    assert_eq!(d.code, "BAD_OPTION_VALUE");
    assert_eq!(
        d.message,
        "Value must be quoted string for string option \"google.protobuf.FileOptions.java_package\"."
    );
    assert_eq!(at, "1");
}

#[test]
fn option_value_out_of_range() {
    let (d, _) = option_error("option (small) = 3000000000;");
    assert_eq!(
        d.message,
        "Value out of range, -2147483648 to 2147483647, for int32 option \"p.small\"."
    );
}

#[test]
fn option_set_twice() {
    let (d, _) = option_error("option optimize_for = SPEED;\noption optimize_for = SIZE;");
    assert_eq!(d.code, "OPTION_ALREADY_SET");
    assert_eq!(d.message, "Option \"optimize_for\" was already set.");
}

#[test]
fn option_extension_part_naming_a_plain_field() {
    // protoc looks up `(…)` as any field: the options message's own field is accepted ...
    let (diags, _) = diagnostics(&[(
        "test.proto",
        &format!("{OPTIONS_PRELUDE}option (google.protobuf.FileOptions.deprecated) = true;\n"),
    )]);
    assert!(diags.is_empty(), "{diags:#?}");
    // ... and another message's field is not one of its fields.
    let (d, at) = option_error("option (google.protobuf.MessageOptions.deprecated) = true;");
    assert_eq!(d.code, "UNKNOWN_OPTION");
    assert_eq!(
        d.message,
        "Option field \"(google.protobuf.MessageOptions.deprecated)\" is not a field or extension of message \"FileOptions\"."
    );
    assert_eq!(at, "(google.protobuf.MessageOptions.deprecated)");
}

#[test]
fn option_enum_value_not_in_enum() {
    let (d, _) = option_error("option (en) = B;");
    assert_eq!(
        d.message,
        "Enum type \"p.En\" has no value named \"B\" for option \"p.en\"."
    );
}

#[test]
fn option_path_through_a_scalar() {
    let (d, _) = option_error("option java_package.x = 1;");
    assert_eq!(
        d.message,
        "Option \"java_package\" is an atomic type, not a message."
    );
    let (d, _) = option_error("option (small).x = 1;");
    assert_eq!(
        d.message,
        "Option \"(small)\" is an atomic type, not a message."
    );
}

#[test]
fn spans_locate_elements() {
    let text = "syntax = \"proto3\";\nmessage M {\n  int32 count = 7;\n}\n";
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new("s.proto", "s.proto", text));
    let (file, _) = iprotoc::parse::parse(id, text);
    let inputs = [FileInput {
        id,
        name: "s.proto",
        ast: &file,
        deps: &[],
    }];
    let (built, diags) = build(&inputs, &sources, &DescriptorOptions::default());
    assert!(diags.is_empty());
    let spans = &built.spans[0];
    let at = |path: &[i32]| &text[spans[path].range()];
    assert_eq!(at(&[4, 0, 1]), "M");
    assert_eq!(at(&[4, 0, 2, 0, 1]), "count");
    assert_eq!(at(&[4, 0, 2, 0, 3]), "7");
    assert_eq!(at(&[4, 0, 2, 0, 5]), "int32");
}
