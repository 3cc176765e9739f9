//! `breaking`: each `tests/breaking/<case>/` holds `old.iproto` and `new.iproto` (both compiled
//! as `zoo/v1/zoo.iproto`). Each side is lowered by iprotoc and its descriptor set built by the
//! vendored protoc from the lowered text, exactly what `--against` reads; the NEW side is located
//! in the new `.iproto`. The first line of `new.iproto`, `// expect: CODE…`, lists the codes the
//! comparison must report (none: compatible). One snapshot per case holds the findings.

use std::path::Path;

use iprotoc::breaking::{self, Features, Locator};
use iprotoc::diagnostics::{render, Format};
use iprotoc::driver::{Options, Output};
use iprotoc::Style;
use prost::Message as _;
use prost_types::{FileDescriptorProto, FileDescriptorSet};

use crate::support;
use crate::support::stages::compile_one;

const NAME: &str = "zoo/v1/zoo.iproto";

/// Lowers `text` with iprotoc, then has protoc build the descriptors of the lowered file (and
/// read their editions features from protoc's bytes, as `breaking` does).
fn lowered_set(text: &str, style: Style) -> (Output, Vec<FileDescriptorProto>, Features) {
    let out = compile_one(
        NAME,
        text,
        &Options {
            style,
            ..Options::default()
        },
    );
    assert!(!out.has_errors(), "{}", out.render(Format::Human, false));
    let lowered = &out.proto_files[0];
    let files = [(lowered.name.as_str(), lowered.text.as_str())];
    let bytes = support::protoc::descriptor_set_of(&files, &[], &[&lowered.name])
        .unwrap_or_else(|e| panic!("protoc rejects the lowered file: {e}"));
    let features = Features::of_set(&bytes);
    (
        out,
        FileDescriptorSet::decode(bytes.as_slice()).unwrap().file,
        features,
    )
}

/// [`lowered_set`] without the features.
fn lowered_descriptors(text: &str, style: Style) -> (Output, Vec<FileDescriptorProto>) {
    let (out, files, _) = lowered_set(text, style);
    (out, files)
}

fn run(
    old: &str,
    new: &str,
    old_style: Style,
    new_style: Style,
) -> (Output, Vec<iprotoc::diagnostics::Diagnostic>) {
    run_json(old, new, old_style, new_style, false)
}

/// [`run`], with `--json` or not.
fn run_json(
    old: &str,
    new: &str,
    old_style: Style,
    new_style: Style,
    json: bool,
) -> (Output, Vec<iprotoc::diagnostics::Diagnostic>) {
    let (_, old_fds, of) = lowered_set(old, old_style);
    let (out, new_fds, nf) = lowered_set(new, new_style);
    let id = out.sources.find(NAME).unwrap();
    let locate = Locator::new(&out.sources, &[id]);
    let (found, _) = breaking::compare_full(&old_fds, &of, &new_fds, &nf, &locate, json);
    (out, found)
}

#[test]
fn pairs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8);
    let mut json_mismatches = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let old = std::fs::read_to_string(case.join("old.iproto")).unwrap();
        let new = std::fs::read_to_string(case.join("new.iproto")).unwrap();
        let expect = new
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// expect:"))
            .unwrap_or_else(|| panic!("{name}: new.iproto starts with `// expect: CODE…`"));
        let mut want: Vec<&str> = expect.split_whitespace().collect();
        want.sort();
        // `// json: CODE…` (a later header line): what `--json` reports on top; `// json oneof:
        // CODE…` when oneof style differs (a class's JSON key there is its own name only).
        let header = |prefix: &str| {
            new.lines()
                .take_while(|l| l.starts_with("//"))
                .find_map(|l| l.strip_prefix(prefix))
        };
        let json_line = header("// json:");
        let json_oneof = header("// json oneof:").or(json_line);
        for (os, ns) in [
            (Style::Extensions, Style::Extensions),
            (Style::Oneof, Style::Oneof),
        ] {
            let (out, found) = run(&old, &new, os, ns);
            let mut got: Vec<&str> = found.iter().map(|d| d.code).collect();
            got.sort();
            assert_eq!(
                got,
                want,
                "{name} ({os:?}):\n{}",
                render(&found, &out.sources, Format::Short, false)
            );
            assert!(found
                .iter()
                .all(|d| d.is_error() && d.primary.is_some() && !d.help.is_empty()));
            if os == Style::Extensions {
                let text = render(&found, &out.sources, Format::Human, false);
                insta::assert_snapshot!(
                    format!("breaking_{name}"),
                    format!("{}\n==========\n{}", new.trim_end(), text.trim_end())
                );
            }
            let mut want_json: Vec<&str> = want
                .iter()
                .copied()
                .chain(
                    if os == Style::Oneof {
                        json_oneof
                    } else {
                        json_line
                    }
                    .into_iter()
                    .flat_map(str::split_whitespace),
                )
                .collect();
            want_json.sort();
            let (out, found) = run_json(&old, &new, os, ns, true);
            let mut got: Vec<&str> = found.iter().map(|d| d.code).collect();
            got.sort();
            if got != want_json {
                json_mismatches.push(format!(
                    "{name} ({os:?}, --json): want {want_json:?}, got:\n{}",
                    render(&found, &out.sources, Format::Short, false)
                ));
            }
            if os == Style::Extensions && json_line.is_some() {
                let text = render(&found, &out.sources, Format::Human, false);
                insta::assert_snapshot!(
                    format!("breaking_json_{name}"),
                    format!("{}\n==========\n{}", new.trim_end(), text.trim_end())
                );
            }
        }
    }
    assert!(json_mismatches.is_empty(), "{}", json_mismatches.join("\n"));
}

#[test]
fn switching_style_is_not_a_break() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking/tag_changed/old.iproto"),
    )
    .unwrap();
    let (_, found) = run(&text, &text, Style::Extensions, Style::Oneof);
    assert!(found.is_empty(), "{found:?}");
    let (_, found) = run(&text, &text, Style::Oneof, Style::Extensions);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn hierarchies_are_recovered_from_lowered_descriptors() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking/tag_changed/new.iproto"),
    )
    .unwrap();
    for style in [Style::Extensions, Style::Oneof] {
        let (_, fds) = lowered_descriptors(&text, style);
        let refs: Vec<&FileDescriptorProto> = fds.iter().collect();
        let hs = breaking::hierarchy::of(&refs);
        let h = &hs["zoo.v1.Animal"];
        assert_eq!(h.discriminator, Some(("type".to_string(), 99)));
        let tags: Vec<(&str, i32, &str)> = h
            .classes
            .iter()
            .map(|(c, k)| (c.as_str(), k.tag, k.parent.as_str()))
            .collect();
        assert_eq!(
            tags,
            [
                ("zoo.v1.Bird", 100, "zoo.v1.Animal"),
                ("zoo.v1.Cat", 101, "zoo.v1.Animal"),
                ("zoo.v1.Kitten", 102, "zoo.v1.Cat"),
            ],
            "{style:?}"
        );
    }
}

/// Elements are matched by full name, never by file path: with OLD's file renamed (moved to
/// another directory, or built with another `-I`) every change is still found, an unrenamed
/// unchanged file is no change, and the summary counts what both versions share.
#[test]
fn files_are_matched_by_full_name_not_path() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking/tag_changed");
    let old = std::fs::read_to_string(case.join("old.iproto")).unwrap();
    let new = std::fs::read_to_string(case.join("new.iproto")).unwrap();
    let (_, mut old_fds) = lowered_descriptors(&old, Style::Extensions);
    let (out, new_fds) = lowered_descriptors(&new, Style::Extensions);
    let id = out.sources.find(NAME).unwrap();
    let locate = Locator::new(&out.sources, &[id]);
    let (by_path, summary) = breaking::compare_summarized(&old_fds, &new_fds, &locate);
    assert_eq!(summary.files, 1);
    assert!(summary.unmatched.is_empty());
    old_fds[0].name = Some("somewhere/else/animals.proto".to_string());
    let (by_name, moved) = breaking::compare_summarized(&old_fds, &new_fds, &locate);
    let codes = |d: &[iprotoc::diagnostics::Diagnostic]| -> Vec<String> {
        d.iter()
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect()
    };
    assert_eq!(codes(&by_name), codes(&by_path));
    assert_eq!(
        by_name
            .iter()
            .filter(|d| d.code == "SUBCLASS_TAG_CHANGED")
            .count(),
        2
    );
    assert_eq!(moved, summary);
    // The same version under another file name: nothing changed, and something was compared
    // (old.iproto has Animal, Cat, Kitten and Animal.Type).
    let (_, same_fds) = lowered_descriptors(&old, Style::Extensions);
    let (found, s) = breaking::compare_summarized(&old_fds, &same_fds, &locate);
    assert!(found.is_empty(), "{found:?}");
    assert!(
        s.files == 1 && s.hierarchies == 1 && s.messages == 3 && s.enums == 1,
        "{s:?}"
    );
    // OLD sharing nothing with the new files compares nothing: `breaking` refuses that.
    old_fds[0].package = Some("farm.v1".to_string());
    let (_, none) = breaking::compare_summarized(&old_fds, &new_fds, &locate);
    assert_eq!(none.files, 0);
    assert_eq!(none.unmatched, [new_fds[0].name().to_string()]);
}

/// Writing with one version and reading with the other, with prost-reflect: the proof that a
/// verdict is right. A message is filled twice (every field, extension and nested message set;
/// then only the required ones), encoded by the writer's descriptors and decoded by the
/// reader's. The reader **misreads** when the decoding fails, a required field is missing, a
/// value lands as unknown under a number the reader declares (a wire-type clash), or the data
/// decoded back by the writer differs from what it wrote, or a value is lost although the reader
/// declares it under another number or on another message.
mod wire {
    use iprotoc::breaking::{Features, FieldFeatures};
    use prost::Message as _;
    use prost_reflect::{
        Cardinality, DescriptorPool, DynamicMessage, Kind, MapKey, MessageDescriptor,
        ReflectMessage, Value,
    };
    use prost_types::{FileDescriptorProto, FileDescriptorSet};

    /// Editions files as the proto2 files with the same wire behaviour (prost-reflect 0.16
    /// predates editions): `LEGACY_REQUIRED` is `required`, a `DELIMITED` message field a group.
    /// (Open and closed enums read alike in prost-reflect; presence and packing do not change
    /// what a reader reads.)
    pub fn legacy(files: &[FileDescriptorProto], features: &Features) -> Vec<FileDescriptorProto> {
        use prost_types::field_descriptor_proto::{Label, Type};
        use prost_types::{DescriptorProto, FieldDescriptorProto};
        fn fix(f: &mut FieldDescriptorProto, ff: Option<FieldFeatures>, entries: &[String]) {
            let Some(ff) = ff else { return };
            if ff.required {
                f.set_label(Label::Required);
            }
            if ff.delimited && !entries.iter().any(|e| *e == f.type_name()[1..]) {
                f.set_type(Type::Group);
            }
        }
        fn entries(m: &DescriptorProto, scope: &str, out: &mut Vec<String>) {
            let full = format!("{scope}.{}", m.name());
            if m.options.as_ref().is_some_and(|o| o.map_entry()) {
                out.push(full.clone());
            }
            for n in &m.nested_type {
                entries(n, &full, out);
            }
        }
        fn walk(m: &mut DescriptorProto, scope: &str, features: &Features, e: &[String]) {
            let full = format!("{scope}.{}", m.name());
            for f in &mut m.field {
                let ff = features.field(&full, f.number());
                fix(f, ff, e);
            }
            for x in &mut m.extension {
                let ff = features.extension(&x.extendee()[1..], x.number());
                fix(x, ff, e);
            }
            for n in &mut m.nested_type {
                walk(n, &full, features, e);
            }
        }
        let mut e = Vec::new();
        for f in files {
            for m in &f.message_type {
                entries(m, f.package(), &mut e);
            }
        }
        let mut out = files.to_vec();
        for f in &mut out {
            if f.syntax() != "editions" {
                continue;
            }
            f.syntax = Some("proto2".to_string());
            let package = f.package().to_string();
            for m in &mut f.message_type {
                walk(m, &package, features, &e);
            }
            for x in &mut f.extension {
                let ff = features.extension(&x.extendee()[1..], x.number());
                fix(x, ff, &e);
            }
        }
        out
    }

    pub fn pool(files: &[FileDescriptorProto]) -> DescriptorPool {
        DescriptorPool::from_file_descriptor_set(FileDescriptorSet {
            file: files.to_vec(),
        })
        .unwrap()
    }

    fn value(kind: &Kind, n: u32, depth: u32, full: bool) -> Option<Value> {
        Some(match kind {
            Kind::Double => Value::F64(f64::from(n) + 0.5),
            Kind::Float => Value::F32(n as f32 + 0.5),
            Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(n as i32 + 7),
            Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(i64::from(n) + 7),
            Kind::Uint32 | Kind::Fixed32 => Value::U32(n + 7),
            Kind::Uint64 | Kind::Fixed64 => Value::U64(u64::from(n) + 7),
            Kind::Bool => Value::Bool(true),
            Kind::String => Value::String(format!("s{n}")),
            Kind::Bytes => Value::Bytes(vec![n as u8, 0xff, 0x80].into()),
            Kind::Enum(e) => Value::EnumNumber(
                e.values()
                    .map(|v| v.number())
                    .find(|&v| v != 0)
                    .unwrap_or(0),
            ),
            Kind::Message(m) => {
                if depth == 0 {
                    return None;
                }
                Value::Message(fill(m, depth - 1, full))
            }
        })
    }

    fn key(kind: &Kind, n: u32) -> MapKey {
        match kind {
            Kind::Bool => MapKey::Bool(true),
            Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => MapKey::I32(n as i32 + 3),
            Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => MapKey::I64(i64::from(n) + 3),
            Kind::Uint32 | Kind::Fixed32 => MapKey::U32(n + 3),
            Kind::Uint64 | Kind::Fixed64 => MapKey::U64(u64::from(n) + 3),
            _ => MapKey::String(format!("k{n}")),
        }
    }

    /// A value for a field or extension of `kind`, `cardinality`, map or not.
    fn for_field(
        kind: &Kind,
        cardinality: Cardinality,
        is_map: bool,
        n: u32,
        depth: u32,
        full: bool,
    ) -> Option<Value> {
        if is_map {
            let Kind::Message(entry) = kind else {
                return None;
            };
            let k = entry.map_entry_key_field().kind();
            let v = value(&entry.map_entry_value_field().kind(), n, depth, full)?;
            return Some(Value::Map([(key(&k, n), v)].into_iter().collect()));
        }
        let one = value(kind, n, depth, full)?;
        Some(match cardinality {
            Cardinality::Repeated => Value::List(vec![one, value(kind, n + 1, depth, full)?]),
            _ => one,
        })
    }

    /// A message with every field (`full`) or only the required ones set; of each oneof, its
    /// first field.
    pub fn fill(desc: &MessageDescriptor, depth: u32, full: bool) -> DynamicMessage {
        let mut m = DynamicMessage::new(desc.clone());
        for f in desc.fields() {
            if !full && !f.is_required() {
                continue;
            }
            if let Some(o) = f.containing_oneof() {
                if !o.is_synthetic() && o.fields().next().map(|g| g.number()) != Some(f.number()) {
                    continue;
                }
            }
            let depth = if f.is_required() { depth.max(1) } else { depth };
            if let Some(v) = for_field(
                &f.kind(),
                f.cardinality(),
                f.is_map(),
                f.number(),
                depth,
                full,
            ) {
                m.set_field(&f, v);
            }
        }
        if full && depth > 0 {
            for x in desc.extensions() {
                if let Some(v) = for_field(
                    &x.kind(),
                    x.cardinality(),
                    x.is_map(),
                    x.number(),
                    depth,
                    full,
                ) {
                    m.set_extension(&x, v);
                }
            }
        }
        m
    }

    fn each_message(v: &Value, f: &mut dyn FnMut(&DynamicMessage) -> bool) -> bool {
        match v {
            Value::Message(m) => f(m),
            Value::List(l) => l.iter().any(|v| each_message(v, f)),
            Value::Map(m) => m.values().any(|v| each_message(v, f)),
            _ => false,
        }
    }

    /// A required field unset, anywhere in `m`.
    fn missing_required(m: &DynamicMessage) -> bool {
        let desc = m.descriptor();
        desc.fields().any(|f| f.is_required() && !m.has_field(&f))
            || m.fields()
                .any(|(_, v)| each_message(v, &mut missing_required))
            || m.extensions()
                .any(|(_, v)| each_message(v, &mut missing_required))
    }

    /// An unknown field under a number the message declares (a wire-type clash), anywhere.
    fn clashes(m: &DynamicMessage) -> bool {
        let desc = m.descriptor();
        m.unknown_fields().any(|u| {
            desc.get_field(u.number()).is_some() || desc.get_extension(u.number()).is_some()
        }) || m.fields().any(|(_, v)| each_message(v, &mut clashes))
            || m.extensions().any(|(_, v)| each_message(v, &mut clashes))
    }

    /// A value the writer set that the reader keeps only as an unknown field although it declares
    /// the same element elsewhere (a field of the same name under another number, an extension
    /// of the same name or of the same message type on another message): the data is lost to
    /// it. Sub-messages are followed where both sides know the number.
    fn lost(written: &DynamicMessage, read: &DynamicMessage) -> Option<String> {
        let rd = read.descriptor();
        let pool = rd.parent_pool();
        for (f, v) in written.fields() {
            match rd.get_field(f.number()) {
                Some(g) => {
                    if let (Value::Message(w), Value::Message(r)) = (v, read.get_field(&g).as_ref())
                    {
                        if let Some(why) = lost(w, r) {
                            return Some(why);
                        }
                    }
                }
                None if rd.get_field_by_name(f.name()).is_some() => {
                    return Some(format!(
                        "field `{}` = {} is no longer read",
                        f.name(),
                        f.number()
                    ))
                }
                None => {}
            }
        }
        for (x, v) in written.extensions() {
            match rd.get_extension(x.number()) {
                Some(y) => {
                    if let (Value::Message(w), Some(Value::Message(r))) =
                        (v, read.extensions().find(|(e, _)| *e == y).map(|(_, v)| v))
                    {
                        if let Some(why) = lost(w, r) {
                            return Some(why);
                        }
                    }
                }
                None => {
                    let elsewhere = pool.get_extension_by_name(x.full_name()).is_some()
                        || match x.kind() {
                            Kind::Message(t) => pool.all_extensions().any(|e| {
                                matches!(e.kind(), Kind::Message(u) if u.full_name() == t.full_name())
                            }),
                            _ => false,
                        };
                    if elsewhere {
                        return Some(format!(
                            "extension `{}` = {} is no longer read",
                            x.full_name(),
                            x.number()
                        ));
                    }
                }
            }
        }
        None
    }

    /// How data written as `name` by `writer` is misread by `reader`, if it is.
    pub fn misread(
        writer: &DescriptorPool,
        reader: &DescriptorPool,
        name: &str,
        fills: &[bool],
    ) -> Option<String> {
        let wd = writer.get_message_by_name(name)?;
        let rd = reader.get_message_by_name(name)?;
        for &full in fills {
            let written = fill(&wd, 3, full);
            let bytes = written.encode_to_vec();
            let read = match DynamicMessage::decode(rd.clone(), bytes.as_slice()) {
                Ok(m) => m,
                Err(e) => return Some(format!("{name}: does not parse: {e}")),
            };
            if missing_required(&read) {
                return Some(format!("{name}: a required field is missing"));
            }
            if clashes(&read) {
                return Some(format!(
                    "{name}: a value is read under a clashing wire type"
                ));
            }
            if let Some(why) = lost(&written, &read) {
                return Some(format!("{name}: {why}"));
            }
            // A field the data does not have reads as the reader's default.
            for f in wd.fields() {
                let Some(g) = rd.get_field(f.number()) else {
                    continue;
                };
                if written.has_field(&f) || f.is_list() || f.is_map() || g.is_list() {
                    continue;
                }
                let (w, r) = (written.get_field(&f), read.get_field(&g));
                if std::mem::discriminant(w.as_ref()) == std::mem::discriminant(r.as_ref())
                    && !matches!(w.as_ref(), Value::Message(_))
                    && w != r
                {
                    return Some(format!(
                        "{name}: unset `{}` reads as {r:?} instead of {w:?}",
                        f.name()
                    ));
                }
            }
            match DynamicMessage::decode(wd.clone(), read.encode_to_vec().as_slice()) {
                Ok(back) if back == written => {}
                _ => {
                    return Some(format!(
                        "{name}: the data read back differs from what was written"
                    ))
                }
            }
        }
        None
    }
}

/// Every fixture pair's verdict, proved on the wire: data written by OLD (every field set, then
/// only the required ones) and read by NEW, and data written by NEW with only its required
/// fields and read by OLD, is misread exactly when `breaking` reports something. Pairs whose
/// rule cannot show in one write and read (a removal that only endangers a later reuse, a
/// reservation protecting data older than OLD) say so on their second line (`// wire: n/a: …`).
#[test]
fn verdicts_are_proved_on_the_wire() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let mut proved = 0;
    let mut safe = 0;
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let old = std::fs::read_to_string(case.join("old.iproto")).unwrap();
        let new = std::fs::read_to_string(case.join("new.iproto")).unwrap();
        if new
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("// wire: n/a"))
        {
            continue;
        }
        let (_, old_fds, of) = lowered_set(&old, Style::Extensions);
        let (out, new_fds, nf) = lowered_set(&new, Style::Extensions);
        let id = out.sources.find(NAME).unwrap();
        let locate = Locator::new(&out.sources, &[id]);
        let (found, _) = breaking::compare_full(&old_fds, &of, &new_fds, &nf, &locate, false);
        let (op, np) = (
            wire::pool(&wire::legacy(&old_fds, &of)),
            wire::pool(&wire::legacy(&new_fds, &nf)),
        );
        let mut misread = None;
        for m in op.all_messages().filter(|m| !m.is_map_entry()) {
            misread = misread
                .or_else(|| wire::misread(&op, &np, m.full_name(), &[true, false]))
                .or_else(|| wire::misread(&np, &op, m.full_name(), &[false]));
        }
        assert_eq!(
            misread.is_some(),
            !found.is_empty(),
            "{name}: breaking reports {:?}, the wire shows {misread:?}",
            found.iter().map(|d| d.code).collect::<Vec<_>>()
        );
        proved += usize::from(misread.is_some());
        safe += usize::from(misread.is_none());
    }
    assert!(
        proved >= 10 && safe >= 4,
        "{proved} breaks and {safe} safe pairs proved"
    );
}

/// One root with `n` classes: a chain (each class extends the previous) or flat (all extend the
/// root).
fn hierarchy_of(n: usize, chain: bool) -> String {
    use std::fmt::Write as _;
    let mut s = String::from(
        "syntax = \"proto2\";\npackage zoo.v1;\nmessage C0 { optional int32 x = 1; }\n",
    );
    for i in 1..=n {
        let parent = if chain { i - 1 } else { 0 };
        writeln!(s, "message C{i} : C{parent} {{ optional int32 f = 1; }}").unwrap();
    }
    s
}

/// The work counter of comparing an unchanged schema with itself.
fn work_of(text: &str) -> usize {
    let out = compile_one(NAME, text, &Options::default());
    assert!(!out.has_errors(), "{}", out.render(Format::Short, false));
    let id = out.sources.find(NAME).unwrap();
    let files = &out.descriptor_set.file;
    let (found, summary) =
        breaking::compare_summarized(files, files, &Locator::new(&out.sources, &[id]));
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(summary.hierarchies, 1);
    summary.work
}

/// `breaking` is linear in classes per root, for a deep chain and for a flat hierarchy: 10× the
/// classes is at most ~10× the work (a stage that walks each class's chain of parents, or scans
/// the hierarchy per class, does 100× here). Counted, not timed.
#[test]
fn cost_is_linear_in_classes_per_root() {
    for chain in [true, false] {
        let small = work_of(&hierarchy_of(200, chain));
        let large = work_of(&hierarchy_of(2000, chain));
        assert!(
            large >= small * 9 && large <= small * 11,
            "chain: {chain}: {small} units of work for 200 classes, {large} for 2000"
        );
    }
}
