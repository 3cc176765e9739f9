//! Lowering of small hand-built trees (the parser-based tests live in `tests/lower_*.rs`).
// Tests read fixtures and run binaries: the IO that clippy.toml keeps out of the core.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::cell::Cell;

use super::*;
use crate::ast::*;
use crate::print::print_file;

thread_local! {
    static NEXT: Cell<u32> = const { Cell::new(0) };
}

/// A fresh span: plans are keyed by the span of a message's name, so names need distinct spans.
fn sp() -> Span {
    NEXT.with(|n| {
        let start = n.get() + 1;
        n.set(start + 1);
        Span::new(start as usize, start as usize + 1)
    })
}

fn id(name: &str) -> Ident {
    Ident {
        name: name.into(),
        span: sp(),
    }
}

fn full(text: &str) -> FullIdent {
    let (absolute, rest) = match text.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    FullIdent {
        absolute,
        parts: rest.split('.').map(id).collect(),
        span: sp(),
    }
}

fn int(v: u64) -> IntLit {
    IntLit {
        negative: false,
        value: Some(v),
        span: sp(),
    }
}

/// `message name [: base [= tag]] { items }`; `base` is `"Animal"` or `"Animal = 105"`.
fn msg(name: &str, base: Option<&str>, items: Vec<MessageItem>) -> Message {
    Message {
        visibility: Visibility::Default,
        name: id(name),
        base: base.map(|b| {
            let (name, tag) = match b.split_once(" = ") {
                Some((n, t)) => (n, Some(int(t.parse().unwrap()))),
                None => (b, None),
            };
            Base {
                name: full(name),
                tag,
                span: sp(),
            }
        }),
        items,
        span: sp(),
        body_span: sp(),
        comments: Comments::default(),
        origin: Origin::Source,
    }
}

fn field(label: Option<Label>, ty: &str, name: &str, number: u64) -> MessageItem {
    MessageItem::Field(Field {
        label: label.map(|l| (l, sp())),
        ty: FieldType::Named(full(ty)),
        name: id(name),
        number: int(number),
        options: Vec::new(),
        span: sp(),
        comments: Comments::default(),
        origin: Origin::Source,
    })
}

fn opt(ty: &str, name: &str, number: u64) -> MessageItem {
    field(Some(Label::Optional), ty, name, number)
}

fn range(lo: u64, hi: Option<u64>) -> Range {
    Range {
        start: int(lo),
        end: Some(match hi {
            Some(h) => RangeEnd::Int(int(h)),
            None => RangeEnd::Max(sp()),
        }),
        span: sp(),
    }
}

fn extensions(lo: u64, hi: Option<u64>) -> MessageItem {
    MessageItem::Extensions(Extensions {
        ranges: vec![range(lo, hi)],
        options: Vec::new(),
        span: sp(),
        comments: Comments::default(),
        origin: Origin::Source,
    })
}

fn reserved(lo: u64, hi: u64) -> MessageItem {
    MessageItem::Reserved(Reserved {
        kind: ReservedKind::Ranges(vec![range(lo, Some(hi))]),
        span: sp(),
        comments: Comments::default(),
    })
}

fn file(syntax: &str, items: Vec<FileItem>) -> File {
    let kind = if syntax.starts_with("proto") {
        SyntaxKind::Syntax
    } else {
        SyntaxKind::Edition
    };
    let mut all = vec![FileItem::Package(Package {
        name: full("zoo"),
        span: sp(),
        comments: Comments::default(),
    })];
    all.extend(items);
    File {
        syntax: Some(SyntaxDecl {
            kind,
            value: StringLit {
                value: syntax.as_bytes().to_vec(),
                span: sp(),
            },
            span: sp(),
            comments: Comments::default(),
        }),
        items: all,
        trailing_comments: Vec::new(),
    }
}

fn top(messages: Vec<Message>) -> Vec<FileItem> {
    messages.into_iter().map(FileItem::Message).collect()
}

fn lower(f: &File, style: Style) -> (File, Vec<Diagnostic>) {
    let (symbols, errors) = SymbolTable::build([(FileId(0), f)]);
    assert!(errors.is_empty(), "{errors:?}");
    lower_file(FileId(0), f, &symbols, &|_| true, style)
}

fn lower_ok(f: &File, style: Style) -> String {
    let (out, diags) = lower(f, style);
    assert!(diags.is_empty(), "{diags:#?}");
    print_file(&out, None)
}

fn codes(f: &File, style: Style) -> Vec<&'static str> {
    lower(f, style).1.iter().map(|d| d.code).collect()
}

fn seed(syntax: &str) -> File {
    let label = (syntax == "proto2").then_some(Label::Optional);
    let req = (syntax == "proto2").then_some(Label::Required);
    file(
        syntax,
        top(vec![
            msg("Animal", None, vec![field(req, "float", "weight", 1)]),
            msg(
                "Cat",
                Some("Animal"),
                vec![field(label, "bool", "declawed", 1)],
            ),
            msg(
                "Dog",
                Some("Animal = 105"),
                vec![field(label, "uint32", "bones_buried", 1)],
            ),
            msg(
                "Kitten",
                Some("Cat"),
                vec![field(label, "string", "toy", 1)],
            ),
        ]),
    )
}

/// The tags of the `Type` enum of the first message, by value name.
fn type_values(out: &File) -> Vec<(String, u64)> {
    let FileItem::Message(root) = &out.items[1] else {
        panic!("no root")
    };
    let MessageItem::Enum(e) = &root.items[0] else {
        panic!("no enum")
    };
    e.values()
        .map(|v| (v.name.name.clone(), v.number.value.unwrap()))
        .collect()
}

#[test]
fn the_design_seed_lowers_as_shown() {
    let out = lower_ok(&seed("proto2"), Style::Extensions);
    let want = r#"syntax = "proto2";

package zoo;

message Animal {
  // Subclasses of Animal and their tags. Generated by iprotoc.
  enum Type {
    // No subclass part: a plain Animal.
    TYPE_UNSPECIFIED = 0;
    // The subclass Cat.
    TYPE_CAT = 100;
    // The subclass Dog.
    TYPE_DOG = 105;
    // The subclass Kitten.
    TYPE_KITTEN = 101;
  }

  required float weight = 1;
  // Which subclass of Animal this message holds; set by the writer. Generated by iprotoc.
  optional Type type = 99;
  // Tags of the subclasses of Animal. Generated by iprotoc.
  extensions 100 to max;
}

message Cat {
  // Cat's own fields, carried as an extension of Animal. Generated by iprotoc.
  extend Animal {
    // Present when this Animal is a Cat.
    optional Cat animal = 100;
  }

  optional bool declawed = 1;
  // Tags of the subclasses of Cat. Generated by iprotoc.
  extensions 100 to max;
}

message Dog {
  // Dog's own fields, carried as an extension of Animal. Generated by iprotoc.
  extend Animal {
    // Present when this Animal is a Dog.
    optional Dog animal = 105;
  }

  optional uint32 bones_buried = 1;
}

message Kitten {
  // Kitten's own fields, carried as an extension of Cat. Generated by iprotoc.
  extend Cat {
    // Present when this Cat is a Kitten.
    optional Kitten cat = 101;
  }

  optional string toy = 1;
}
"#;
    assert_eq!(out, want);
}

#[test]
fn the_seed_in_oneof_style() {
    let out = lower_ok(&seed("proto2"), Style::Oneof);
    assert!(out.contains("oneof subtype {"), "{out}");
    assert!(out.contains("    Cat cat = 100;"), "{out}");
    assert!(out.contains("    Dog dog = 105;"), "{out}");
    assert!(out.contains("    Kitten kitten = 101;"), "{out}");
    assert!(out.contains("  optional Type type = 99;"), "{out}");
    assert!(!out.contains("extend"), "{out}");
    assert!(!out.contains("extensions"), "{out}");
}

#[test]
fn proto3_oneof_style_has_no_labels_and_extension_style_is_an_error() {
    let out = lower_ok(&seed("proto3"), Style::Oneof);
    assert!(out.contains("  Type type = 99;"), "{out}");
    assert_eq!(
        codes(&seed("proto3"), Style::Extensions),
        ["PROTO3_EXTENSION_STYLE"]
    );
}

#[test]
fn editions_generate_no_labels() {
    let out = lower_ok(&seed("2023"), Style::Extensions);
    assert!(out.contains("  Type type = 99;"), "{out}");
    assert!(out.contains("    Cat animal = 100;"), "{out}");
}

/// A proto2 file of the root `Animal` (with `items`) and `subclasses`.
fn animals(items: Vec<MessageItem>, subclasses: Vec<Message>) -> File {
    let mut messages = vec![msg("Animal", None, items)];
    messages.extend(subclasses);
    file("proto2", top(messages))
}

/// An empty subclass `name` of `base` (`"Animal"` or `"Animal = 105"`).
fn sub(name: &str, base: &str) -> Message {
    msg(name, Some(base), vec![])
}

/// Lowers `Animal` (with `items`) and its subclasses `(name, base)` in extension style: the
/// `Type` values (`TYPE_UNSPECIFIED = 0, TYPE_A = 101`), the printed file and the diagnostic
/// codes.
fn lower_animals(
    items: Vec<MessageItem>,
    subclasses: &[(&str, &str)],
) -> (String, String, Vec<&'static str>) {
    let subclasses = subclasses.iter().map(|(name, base)| sub(name, base));
    let (out, diags) = lower(&animals(items, subclasses.collect()), Style::Extensions);
    let values = type_values(&out)
        .into_iter()
        .map(|(name, n)| format!("{name} = {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let codes = diags.iter().map(|d| d.code).collect();
    (values, print_file(&out, None), codes)
}

#[test]
fn unpinned_tags_skip_pinned_and_reserved_numbers() {
    let subclasses = [("A", "Animal"), ("B", "Animal = 102"), ("C", "Animal")];
    let (values, text, codes) = lower_animals(vec![reserved(100, 100)], &subclasses);
    assert!(codes.is_empty(), "{codes:?}");
    let want = "TYPE_UNSPECIFIED = 0, TYPE_A = 101, TYPE_B = 102, TYPE_C = 103";
    assert_eq!(values, want);
    // The default range avoids the reserved number; the discriminator stays at 99.
    assert!(text.contains("  extensions 101 to max;"), "{text}");
    assert!(text.contains("  optional Type type = 99;"), "{text}");
}

#[test]
fn unpinned_tags_skip_the_implementation_range_and_can_run_out() {
    let subclasses = [
        ("A", "Animal"),
        ("B", "Animal = 18999"),
        ("C", "Animal"),
        ("D", "Animal"),
    ];
    let range = extensions(18_999, Some(20_001));
    let (values, text, codes) = lower_animals(vec![range], &subclasses);
    assert_eq!(codes, ["NO_FREE_TAG"]);
    let want = "TYPE_UNSPECIFIED = 0, TYPE_A = 20000, TYPE_B = 18999, TYPE_C = 20001";
    assert_eq!(values, want);
    assert!(text.contains("  optional Type type = 18998;"), "{text}");
}

/// `message Outer { message Animal { animal } message Cat : Animal { cat } }` and, beside it,
/// `Dog : .zoo.Outer.Animal`, `Puppy : Dog = 200`, `Lion : Outer.Cat` and `more`.
fn outer_zoo(animal: Vec<MessageItem>, cat: Vec<MessageItem>, more: Vec<Message>) -> File {
    let nested = vec![
        MessageItem::Message(msg("Animal", None, animal)),
        MessageItem::Message(msg("Cat", Some("Animal"), cat)),
    ];
    let mut messages = vec![
        msg("Outer", None, nested),
        sub("Dog", ".zoo.Outer.Animal"),
        sub("Puppy", "Dog = 200"),
        sub("Lion", "Outer.Cat"),
    ];
    messages.extend(more);
    file("proto2", top(messages))
}

#[test]
fn nested_classes_and_qualified_bases() {
    let f = outer_zoo(vec![], vec![], vec![]);
    let out = lower_ok(&f, Style::Extensions);
    assert!(out.contains("TYPE_CAT = 100;"), "{out}");
    assert!(out.contains("TYPE_DOG = 101;"), "{out}");
    assert!(out.contains("TYPE_PUPPY = 200;"), "{out}");
    assert!(out.contains("TYPE_LION = 102;"), "{out}");
    // From Dog's scope, `Animal` does not find zoo.Outer.Animal: it is written in full.
    assert!(out.contains("extend .zoo.Outer.Animal {"), "{out}");
    assert!(out.contains("extend Animal {"), "{out}");
    assert!(
        out.contains("extend Outer.Cat {") || out.contains("extend .zoo.Outer.Cat {"),
        "{out}"
    );
}

#[test]
fn base_errors() {
    let f = file(
        "proto2",
        vec![
            FileItem::Enum(Enum {
                visibility: Visibility::Default,
                name: id("Color"),
                items: vec![],
                span: sp(),
                body_span: sp(),
                comments: Comments::default(),
                origin: Origin::Source,
            }),
            FileItem::Message(msg("A", Some("Nope"), vec![])),
            FileItem::Message(msg("B", Some("Color"), vec![])),
            FileItem::Message(msg("C", Some("C"), vec![])),
            FileItem::Message(msg("D", Some("E"), vec![])),
            FileItem::Message(msg("E", Some("D"), vec![])),
            FileItem::Message(msg("F", Some("E"), vec![])),
        ],
    );
    assert_eq!(
        codes(&f, Style::Extensions),
        [
            "UNKNOWN_BASE",
            "BASE_NOT_A_MESSAGE",
            "INHERITANCE_CYCLE",
            "INHERITANCE_CYCLE"
        ]
    );
}

#[test]
fn tag_errors() {
    let subclasses = vec![
        sub("A", "Animal = 105"),
        sub("B", "Animal = 105"),
        sub("C", "Animal = 50"),
        sub("D", "Animal = 19500"),
        sub("E", "Animal = 150"),
    ];
    let f = animals(vec![reserved(150, 150)], subclasses);
    assert_eq!(
        codes(&f, Style::Extensions),
        [
            "DUPLICATE_TAG",
            "TAG_OUT_OF_RANGE",
            "TAG_IN_RESERVED_RANGE",
            "TAG_RESERVED"
        ]
    );
}

#[test]
fn field_and_discriminator_errors() {
    let fields = vec![opt("int32", "legs", 99), opt("int32", "tail", 150)];
    let f = animals(fields, vec![sub("Cat", "Animal")]);
    assert_eq!(
        codes(&f, Style::Extensions),
        ["FIELD_IN_SUBCLASS_RANGE", "DISCRIMINATOR_NUMBER_TAKEN"]
    );
}

#[test]
fn a_declared_discriminator_is_used_as_written() {
    let fields = vec![opt("Animal.Type", "kind", 15), opt("int32", "type", 99)];
    let f = animals(fields, vec![sub("Cat", "Animal")]);
    let out = lower_ok(&f, Style::Extensions);
    assert!(out.contains("optional Animal.Type kind = 15;"), "{out}");
    assert!(!out.contains("optional Type type"), "{out}");
}

#[test]
fn name_errors() {
    let fields = vec![opt("int32", "type", 1), opt("int32", "TYPE_CAT", 2)];
    let subclasses = vec![
        msg("Cat", Some("Animal"), vec![opt("int32", "animal", 1)]),
        sub("HttpRequest", "Animal"),
        sub("HTTPRequest", "Animal"),
        sub("Unspecified", "Animal"),
    ];
    let f = animals(fields, subclasses);
    let mut got = codes(&f, Style::Extensions);
    got.sort();
    assert_eq!(
        got,
        [
            "GENERATED_NAME_CLASH",
            "GENERATED_NAME_CLASH",
            "GENERATED_NAME_CLASH",
            "TYPE_NAME_COLLISION",
            "TYPE_NAME_COLLISION"
        ]
    );
}

#[test]
fn message_set_bases_are_rejected() {
    let set = MessageItem::Option(OptionDecl {
        option: OptionAssign {
            name: OptionName {
                parts: vec![OptionNamePart::Field(id("message_set_wire_format"))],
                span: sp(),
            },
            value: Constant::Ident {
                negative: false,
                name: full("true"),
                span: sp(),
            },
            span: sp(),
        },
        span: sp(),
        comments: Comments::default(),
    });
    let f = file(
        "proto2",
        top(vec![
            msg("Animal", None, vec![set, extensions(4, None)]),
            msg("Cat", Some("Animal"), vec![]),
        ]),
    );
    assert_eq!(codes(&f, Style::Extensions), ["MESSAGE_SET_BASE"]);
}

#[test]
fn files_without_inheritance_are_unchanged() {
    let mut f = file(
        "proto2",
        top(vec![msg("Animal", None, vec![opt("int32", "legs", 1)])]),
    );
    f.items.insert(
        1,
        FileItem::Import(Import {
            kind: ImportKind::Default,
            path: StringLit {
                value: b"other.proto".to_vec(),
                span: sp(),
            },
            span: sp(),
            comments: Comments::default(),
        }),
    );
    let (out, diags) = lower(&f, Style::Extensions);
    assert!(diags.is_empty());
    assert_eq!(out, f);
    if let FileItem::Import(i) = &mut f.items[1] {
        i.path.value = b"other.iproto".to_vec();
    }
    let (out, _) = lower(&f, Style::Extensions);
    let FileItem::Import(i) = &out.items[1] else {
        panic!()
    };
    assert_eq!(i.path.value, b"other.proto");
}

#[test]
fn type_names_that_the_generated_enum_would_capture_are_qualified() {
    let f = file(
        "proto2",
        vec![
            FileItem::Enum(Enum {
                visibility: Visibility::Default,
                name: id("Type"),
                items: vec![],
                span: sp(),
                body_span: sp(),
                comments: Comments::default(),
                origin: Origin::Source,
            }),
            FileItem::Message(msg("Animal", None, vec![opt("Type", "kind", 1)])),
            FileItem::Message(msg("Cat", Some("Animal"), vec![])),
        ],
    );
    let out = lower_ok(&f, Style::Extensions);
    assert!(out.contains("optional .zoo.Type kind = 1;"), "{out}");
    assert!(out.contains("optional Type type = 99;"), "{out}");
}

/// Runs protoc on the printed output; panics with its message if it rejects it.
fn protoc_accepts(text: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("zoo.proto"), text).unwrap();
    let out = std::process::Command::new(protoc_bin_vendored::protoc_bin_path().unwrap())
        .arg("-I")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("out.pb"))
        .arg("zoo.proto")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "protoc rejected:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn protoc_accepts_every_style_and_syntax() {
    for (syntax, style) in [
        ("proto2", Style::Extensions),
        ("proto2", Style::Oneof),
        ("proto3", Style::Oneof),
        ("2023", Style::Extensions),
        ("2023", Style::Oneof),
    ] {
        protoc_accepts(&lower_ok(&seed(syntax), style));
    }
}

#[test]
fn protoc_accepts_nested_reserved_and_declared_ranges() {
    let f = outer_zoo(
        vec![reserved(100, 100), reserved(300, 400)],
        vec![extensions(18_999, Some(20_001))],
        vec![sub("Type", "Outer.Cat")],
    );
    for style in [Style::Extensions, Style::Oneof] {
        let out = lower_ok(&f, style);
        if std::env::var_os("IPROTOC_SHOW").is_some() {
            println!("{out}");
        }
        protoc_accepts(&out);
    }
}

#[test]
fn a_base_in_another_file_needs_its_file_imported() {
    let base_file = file("proto2", top(vec![msg("Animal", None, vec![])]));
    let sub_file = file("proto2", top(vec![msg("Cat", Some("Animal"), vec![])]));
    let (symbols, errors) = SymbolTable::build([(FileId(0), &base_file), (FileId(1), &sub_file)]);
    assert!(errors.is_empty());
    // Imported: a hierarchy across files, which one file alone cannot check (the compilation
    // checks it against the root's registry, see `tests/subclass_registry.rs`).
    let (out, diags) = lower_file(FileId(1), &sub_file, &symbols, &|_| true, Style::Extensions);
    assert!(diags.is_empty(), "{diags:?}");
    // Not imported: the base is not visible.
    let (_, diags) = lower_file(
        FileId(1),
        &sub_file,
        &symbols,
        &|f| f == FileId(1),
        Style::Extensions,
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "BASE_NOT_IMPORTED");
    assert_eq!(diags[0].secondary[0].location.file, FileId(0));
    let FileItem::Message(m) = &out.items[1] else {
        panic!()
    };
    assert!(m.base.is_none());
}

#[test]
fn a_range_starting_at_one_leaves_no_discriminator_number() {
    let f = file(
        "proto2",
        top(vec![
            msg("Animal", None, vec![extensions(1, None)]),
            msg("Cat", Some("Animal"), vec![]),
        ]),
    );
    assert_eq!(
        codes(&f, Style::Extensions),
        ["DISCRIMINATOR_NUMBER_INVALID"]
    );
}

#[test]
fn oneof_style_names_are_checked() {
    let f = file(
        "proto3",
        top(vec![
            msg(
                "Animal",
                None,
                vec![
                    field(None, "int32", "subtype", 1),
                    field(None, "int32", "goldenRetriever", 2),
                ],
            ),
            msg("Cat", Some("Animal"), vec![]),
            msg("GoldenRetriever", Some("Animal"), vec![]),
        ]),
    );
    assert_eq!(
        codes(&f, Style::Oneof),
        ["GENERATED_NAME_CLASH", "GENERATED_NAME_CLASH"]
    );
    // In extension style those names are free, but proto3 needs the oneof style.
    assert_eq!(codes(&f, Style::Extensions), ["PROTO3_EXTENSION_STYLE"]);
}

#[test]
fn reserved_names_are_not_generated() {
    let f = file(
        "proto2",
        top(vec![
            msg(
                "Animal",
                None,
                vec![MessageItem::Reserved(Reserved {
                    kind: ReservedKind::Names(vec![ReservedName::Quoted(StringLit {
                        value: b"type".to_vec(),
                        span: sp(),
                    })]),
                    span: sp(),
                    comments: Comments::default(),
                })],
            ),
            msg("Cat", Some("Animal"), vec![]),
        ]),
    );
    assert_eq!(codes(&f, Style::Extensions), ["GENERATED_NAME_CLASH"]);
}

#[test]
fn lowering_is_deterministic() {
    let f = seed("proto2");
    let first = lower_ok(&f, Style::Extensions);
    for _ in 0..5 {
        assert_eq!(lower_ok(&f, Style::Extensions), first);
    }
}
