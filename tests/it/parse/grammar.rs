//! Grammar constructs: each test parses a snippet and checks the tree.

use iprotoc::ast::*;
use iprotoc::diagnostics::Diagnostic;
use iprotoc::parse::parse;
use iprotoc::source::FileId;

fn ok(text: &str) -> File {
    let (file, diags) = parse(FileId(0), text);
    assert!(
        diags.is_empty(),
        "unexpected diagnostics for {text:?}: {diags:#?}"
    );
    file
}

/// Like [`ok`], but only the grammar must accept the text: the parse-time rules that depend on
/// the syntax or edition (`parse::syntax_rules`, tested in `parse_rules.rs`) may object, so one
/// snippet can mix constructs from proto2 and edition 2024.
fn parses(text: &str) -> File {
    let (file, diags) = parse(FileId(0), text);
    let grammar: Vec<_> = diags
        .iter()
        .filter(|d| matches!(d.code, "SYNTAX" | "LEX" | "INVALID_ESCAPE"))
        .collect();
    assert!(
        grammar.is_empty(),
        "unexpected syntax errors for {text:?}: {grammar:#?}"
    );
    file
}

fn errs(text: &str) -> Vec<Diagnostic> {
    parse(FileId(0), text).1
}

fn message(f: &File, i: usize) -> &Message {
    match &f.items[i] {
        FileItem::Message(m) => m,
        other => panic!("not a message: {other:?}"),
    }
}

fn fields(m: &Message) -> Vec<&Field> {
    m.items
        .iter()
        .filter_map(|i| match i {
            MessageItem::Field(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn type_text(f: &Field) -> String {
    match &f.ty {
        FieldType::Named(n) => n.to_text(),
        FieldType::Map(m) => format!("map<{},{}>", m.key.to_text(), m.value.to_text()),
        FieldType::Group { .. } => "group".into(),
    }
}

#[test]
fn header_statements() {
    let f = parses(
        r#"syntax = "proto" '2'; package foo.syntax.import;
        import "a.proto"; import public "b.proto"; import weak "c.proto"; import option "d.proto";
        option java_package = "x"; option (foo.bar).baz = 1; option (.foo.bar) = -2.5;
        option (foo).(bar.baz) = inf; ;"#,
    );
    let s = f.syntax.as_ref().unwrap();
    assert_eq!(
        (s.kind, s.value.value.as_slice()),
        (SyntaxKind::Syntax, &b"proto2"[..])
    );
    let FileItem::Package(p) = &f.items[0] else {
        panic!()
    };
    assert_eq!(p.name.to_text(), "foo.syntax.import");
    let kinds: Vec<ImportKind> = f
        .items
        .iter()
        .filter_map(|i| match i {
            FileItem::Import(i) => Some(i.kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ImportKind::Default,
            ImportKind::Public,
            ImportKind::Weak,
            ImportKind::Option
        ]
    );
    let FileItem::Option(o) = &f.items[6] else {
        panic!()
    };
    assert!(
        matches!(&o.option.name.parts[..], [OptionNamePart::Extension(n, _), OptionNamePart::Field(b)]
        if n.to_text() == "foo.bar" && b.name == "baz")
    );
    let FileItem::Option(o) = &f.items[7] else {
        panic!()
    };
    assert!(
        matches!(&o.option.value, Constant::Float(FloatLit { negative: true, value, .. }) if *value == 2.5)
    );
    let FileItem::Option(o) = &f.items[8] else {
        panic!()
    };
    assert_eq!(o.option.name.parts.len(), 2);
    assert!(matches!(f.items[9], FileItem::Empty(_)));
    let e = ok(r#"edition = "2023";"#);
    assert_eq!(e.syntax.unwrap().kind, SyntaxKind::Edition);
}

#[test]
fn keywords_are_contextual() {
    let f = parses(
        "message message { optional int32 optional = 1; required message.to max = 2; }
        enum to { max = 0; message = 1; }
        message syntax { stream returns = 1; .message.Foo f = 2; map map = 3; }
        service stream { rpc stream(stream .stream) returns (stream.Foo); }",
    );
    let m = message(&f, 0);
    assert_eq!(m.name.name, "message");
    let fs = fields(m);
    assert_eq!(
        (fs[0].name.name.as_str(), type_text(fs[0])),
        ("optional", "int32".into())
    );
    assert_eq!(type_text(fs[1]), "message.to");
    assert_eq!(fs[1].name.name, "max");
    let FileItem::Enum(e) = &f.items[1] else {
        panic!()
    };
    assert_eq!(e.name.name, "to");
    let fs = fields(message(&f, 2));
    assert_eq!(type_text(fs[0]), "stream");
    assert_eq!(type_text(fs[1]), ".message.Foo");
    assert_eq!(type_text(fs[2]), "map");
    let FileItem::Service(s) = &f.items[3] else {
        panic!()
    };
    let ServiceItem::Rpc(r) = &s.items[0] else {
        panic!()
    };
    assert_eq!(r.name.name, "stream");
    assert_eq!(r.input.to_text(), ".stream");
    // As in protoc, `stream` after `(` is always the marker: `stream.Foo` is `stream .Foo`.
    assert!(r.client_streaming.is_some() && r.server_streaming.is_some());
    assert_eq!(r.output.to_text(), ".Foo");
}

#[test]
fn inheritance_headers() {
    let f = ok("message Cat : Animal { optional bool declawed = 1; }
        message Dog : .zoo.Animal = 105 { }
        message Outer { message Kitten : Outer.Cat = 0x7F {} }");
    let cat = message(&f, 0);
    let base = cat.base.as_ref().unwrap();
    assert_eq!(
        (base.name.to_text(), base.tag.is_none()),
        ("Animal".into(), true)
    );
    let dog = message(&f, 1);
    let base = dog.base.as_ref().unwrap();
    assert_eq!(base.name.to_text(), ".zoo.Animal");
    assert_eq!(base.tag.as_ref().unwrap().value, Some(105));
    let MessageItem::Message(k) = &message(&f, 2).items[0] else {
        panic!()
    };
    assert_eq!(
        k.base.as_ref().unwrap().tag.as_ref().unwrap().value,
        Some(127)
    );
    // spans: from `message` to `}`, body from `{` to `}`.
    let text = "message A : B = 1 { }";
    let m = message(&ok(text), 0).clone();
    assert_eq!(&text[m.span.range()], text);
    assert_eq!(&text[m.body_span.range()], "{ }");
    assert_eq!(&text[m.base.unwrap().span.range()], ": B = 1");
}

#[test]
fn fields_groups_maps_oneofs() {
    let text = "message M {
        repeated group Result = 1 [deprecated = true] { required string url = 2; }
        map<string, .foo.Bar> m = 3 [json_name = \"mm\"];
        int32 plain = 4 [default = -5, (custom).x = { a: 1 }];
        oneof choice { option (o) = 1; string s = 5; group G = 6 { } }
        extensions 100 to 199, 500 to max [declaration = { number: 100 full_name: \".a.b\" type: \"int32\" }];
        reserved 1, 2 to 5, 9 to max; reserved \"a\", \"b\"; reserved c, d;
        extend Other { optional int32 e = 100; optional group EG = 101 {} }
        export enum E { option allow_alias = true; A = -1 [deprecated = true]; B = 0x10; reserved -5 to -1, 3 to max; reserved \"Z\"; }
        local message L {}
        ;
    }";
    // `export` / `local` are modifiers from edition 2024 on.
    let text = format!("edition = \"2024\";\n{text}");
    let text = text.as_str();
    let f = parses(text);
    let m = message(&f, 0);
    let fs = fields(m);
    assert_eq!(type_text(fs[0]), "group");
    assert_eq!(fs[0].name.name, "Result");
    assert_eq!(fs[0].label.unwrap().0, Label::Repeated);
    assert_eq!(
        &text[fs[0].span.range()],
        "repeated group Result = 1 [deprecated = true] { required string url = 2; }"
    );
    assert_eq!(type_text(fs[1]), "map<string,.foo.Bar>");
    assert!(fs[2].label.is_none());
    assert!(matches!(
        &fs[2].options[0].value,
        Constant::Int(IntLit {
            negative: true,
            value: Some(5),
            ..
        })
    ));
    assert!(matches!(&fs[2].options[1].value, Constant::Aggregate(_)));
    let MessageItem::Oneof(o) = &m.items[3] else {
        panic!()
    };
    assert_eq!(o.items.len(), 3);
    let MessageItem::Extensions(x) = &m.items[4] else {
        panic!()
    };
    assert_eq!(x.ranges.len(), 2);
    assert!(matches!(x.ranges[1].end, Some(RangeEnd::Max(_))));
    let Constant::Aggregate(agg) = &x.options[0].value else {
        panic!()
    };
    assert_eq!(agg.fields.len(), 3);
    let MessageItem::Reserved(r) = &m.items[5] else {
        panic!()
    };
    assert!(matches!(&r.kind, ReservedKind::Ranges(v) if v.len() == 3));
    let MessageItem::Reserved(r) = &m.items[7] else {
        panic!()
    };
    assert!(matches!(&r.kind, ReservedKind::Names(v) if matches!(v[0], ReservedName::Bare(_))));
    let MessageItem::Extend(e) = &m.items[8] else {
        panic!()
    };
    assert_eq!(e.items.len(), 2);
    let MessageItem::Enum(e) = &m.items[9] else {
        panic!()
    };
    assert_eq!(e.visibility, Visibility::Export);
    let EnumItem::Value(a) = &e.items[1] else {
        panic!()
    };
    assert_eq!(a.number.as_i128(), Some(-1));
    let MessageItem::Message(l) = &m.items[10] else {
        panic!()
    };
    assert_eq!(l.visibility, Visibility::Local);
    // The lone `;` after it is no statement: nothing is kept for it.
    assert_eq!(m.items.len(), 11);
}

#[test]
fn text_format_values() {
    let f = ok(r#"option (x) = {
        a: 1 b: -inf c: "s" 't' d { e: true }, f < g: 1.5 >; h: [1, -2, 3]
        i: [{ j: 1 }, { j: 2 }] k [ { } ] [ext.name]: 5 [type.googleapis.com/pkg.Msg] { l: ENUM }
        m: {} n: -nan
    };"#);
    let FileItem::Option(o) = &f.items[0] else {
        panic!()
    };
    let Constant::Aggregate(v) = &o.option.value else {
        panic!()
    };
    let names: Vec<String> = v
        .fields
        .iter()
        .map(|f| match &f.name {
            FieldValueName::Field(i) => i.name.clone(),
            FieldValueName::Extension(n) => format!("[{}]", n.to_text()),
            FieldValueName::AnyType {
                domain, type_name, ..
            } => format!("[{domain}/{}]", type_name.to_text()),
        })
        .collect();
    assert_eq!(
        names,
        [
            "a",
            "b",
            "c",
            "d",
            "f",
            "h",
            "i",
            "k",
            "[ext.name]",
            "[type.googleapis.com/pkg.Msg]",
            "m",
            "n"
        ]
    );
    assert!(matches!(
        &v.fields[1].value,
        TextValue::Scalar(Constant::Ident { negative: true, .. })
    ));
    assert!(
        matches!(&v.fields[2].value, TextValue::Scalar(Constant::String(s)) if s.value == b"st")
    );
    assert!(matches!(&v.fields[5].value, TextValue::List(l, _) if l.len() == 3));
}

#[test]
fn services() {
    let text = "service S { option (a) = 1; rpc A(Req) returns (stream Resp); rpc B(stream .p.Req) returns (Resp) { option deprecated = true; ; } ; }";
    let f = ok(text);
    let FileItem::Service(s) = &f.items[0] else {
        panic!()
    };
    // Two rpcs and an option; the lone `;` keeps nothing.
    assert_eq!(s.items.len(), 3);
    let ServiceItem::Rpc(b) = &s.items[2] else {
        panic!()
    };
    assert_eq!(b.body.as_ref().unwrap().options.len(), 1);
    assert_eq!(
        &text[b.span.range()],
        "rpc B(stream .p.Req) returns (Resp) { option deprecated = true; ; }"
    );
}

#[test]
fn labels_and_keywords_protoc_rejects() {
    // protoc reads a statement-leading `message` as a nested message, and `stream` in an rpc as the
    // streaming marker; these are errors there too.
    assert!(!errs("message M { message x = 1; }").is_empty());
    assert!(!errs("service S { rpc A(stream) returns (B); }").is_empty());
}
