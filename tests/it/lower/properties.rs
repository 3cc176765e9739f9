//! Property tests over generated schemas (`tests/support/schema_gen.rs`, shared with the
//! structure-aware fuzz target): tag allocation, protoc's acceptance of the lowered output, and
//! wire identity of the two styles. Case counts are kept small so the file runs in seconds.

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::Unstructured;
use iprotoc::diagnostics::Format;
use iprotoc::driver::{Options, Output};
use iprotoc::Style;
use proptest::prelude::*;
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, Kind, ReflectMessage, Value};
use prost_types::{DescriptorProto, FileDescriptorSet};
use schema_gen::{Schema, Syntax};

use crate::support;
use crate::support::schema_gen;
use crate::support::stages::compile_one;

fn schema(bytes: &[u8]) -> Schema {
    Schema::generate(&mut Unstructured::new(bytes)).expect("the generator takes any bytes")
}

/// The styles a schema compiles in: proto3 with inheritance needs oneof style.
fn styles(s: &Schema) -> Vec<Style> {
    if s.syntax == Syntax::Proto3 && s.has_inheritance() {
        vec![Style::Oneof]
    } else {
        vec![Style::Extensions, Style::Oneof]
    }
}

/// Compiles the schema, which must succeed.
fn build(s: &Schema, style: Style) -> Output {
    let text = s.render();
    let out = compile_one(
        "a.iproto",
        &text,
        &Options {
            style,
            ..Options::default()
        },
    );
    assert!(
        !out.has_errors(),
        "{}\n{text}",
        out.render(Format::Short, false)
    );
    out
}

fn find<'a>(set: &'a FileDescriptorSet, full: &str) -> &'a DescriptorProto {
    let file = &set.file[0];
    let local = match file.package() {
        "" => full,
        p => full
            .strip_prefix(p)
            .and_then(|r| r.strip_prefix('.'))
            .unwrap(),
    };
    let mut parts = local.split('.');
    let first = parts.next().unwrap();
    let mut msg = file
        .message_type
        .iter()
        .find(|m| m.name() == first)
        .unwrap_or_else(|| panic!("no {full}"));
    for part in parts {
        msg = msg
            .nested_type
            .iter()
            .find(|m| m.name() == part)
            .unwrap_or_else(|| panic!("no {full}"));
    }
    msg
}

/// Every class's tag, read from its root's `Type` enum (`TYPE_K3 = 100`).
fn tags(s: &Schema, out: &Output) -> BTreeMap<usize, i32> {
    let mut tags = BTreeMap::new();
    for (m, msg) in s.msgs.iter().enumerate() {
        if msg.base.is_none() {
            continue;
        }
        let root = find(&out.descriptor_set, &s.full_name(s.root_of(m)));
        let ty = root
            .enum_type
            .iter()
            .find(|e| e.name() == "Type")
            .expect("a root has a Type enum");
        let value = ty
            .value
            .iter()
            .find(|v| v.name() == format!("TYPE_{}", msg.name))
            .unwrap_or_else(|| panic!("no TYPE_{} in the root", msg.name));
        tags.insert(m, value.number());
    }
    tags
}

/// Tags unique in each hierarchy, outside 19000–19999, in the parent's range and not reserved;
/// pinned tags kept; in extension style, the class's extension of its parent has the tag.
fn check_tags(s: &Schema, out: &Output, style: Style) -> BTreeMap<usize, i32> {
    let tags = tags(s, out);
    let mut seen: BTreeSet<(usize, i32)> = BTreeSet::new();
    for (&m, &tag) in &tags {
        let msg = &s.msgs[m];
        let parent = msg.base.unwrap();
        let root = s.root_of(m);
        assert!(
            seen.insert((root, tag)),
            "tag {tag} twice in {}",
            s.msgs[root].name
        );
        assert!(!(19_000..=19_999).contains(&tag), "{} = {tag}", msg.name);
        let (lo, hi) = s.subclass_range(parent);
        let tag_u = tag as u32;
        assert!(lo <= tag_u && tag_u <= hi, "{} = {tag}", msg.name);
        for r in [parent, root] {
            assert!(
                !s.msgs[r]
                    .reserved
                    .iter()
                    .any(|&(a, b)| a <= tag_u && tag_u <= b),
                "{} = {tag} is reserved in {}",
                msg.name,
                s.msgs[r].name
            );
        }
        if let Some(p) = msg.pinned {
            assert_eq!(tag_u, p, "pinned tag of {} moved", msg.name);
        }
        if style == Style::Extensions {
            let lowered = find(&out.descriptor_set, &s.full_name(m));
            let ext = lowered
                .extension
                .iter()
                .find(|e| e.extendee() == format!(".{}", s.full_name(parent)))
                .unwrap_or_else(|| panic!("{} has no extension of its parent", msg.name));
            assert_eq!(ext.number(), tag);
            assert_eq!(ext.name(), s.msgs[parent].name.to_lowercase());
        }
    }
    tags
}

/// `cases` cases; failures are printed (with the schema), not persisted.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..3000)
}

proptest! {
    #![proptest_config(config(160))]

    #[test]
    fn tags_are_unique_kept_when_pinned_and_stable_when_a_subclass_is_appended(
        data in bytes(),
        pick in any::<prop::sample::Index>(),
    ) {
        let s = schema(&data);
        for style in styles(&s) {
            let first = build(&s, style);
            let tags = check_tags(&s, &first, style);
            // Same input, same bytes.
            let again = build(&s, style);
            prop_assert_eq!(&first.descriptor_set_bytes, &again.descriptor_set_bytes);
            prop_assert_eq!(&first.proto_files, &again.proto_files);

            // An unpinned subclass appended at the end of the file moves no existing tag.
            if s.syntax == Syntax::Proto3 && style == Style::Extensions {
                continue;
            }
            let mut grown = s.clone();
            let parent = pick.index(grown.msgs.len());
            let added = grown.append_subclass(parent);
            let out = build(&grown, style);
            let new_tags = check_tags(&grown, &out, style);
            for (m, tag) in &tags {
                prop_assert_eq!(new_tags.get(m), Some(tag), "{} moved", &s.msgs[*m].name);
            }
            prop_assert!(new_tags.contains_key(&added));
        }
    }
}

proptest! {
    #![proptest_config(config(40))]

    #[test]
    fn protoc_accepts_the_lowered_output_and_builds_the_same_descriptors(data in bytes()) {
        let s = schema(&data);
        for style in styles(&s) {
            let out = build(&s, style);
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("a.proto"), &out.proto_files[0].text).unwrap();
            let theirs = support::protoc::descriptor_set(&[dir.path()], &["a.proto"])
                .unwrap_or_else(|e| {
                    panic!("protoc rejects the lowered output ({style:?}): {e}\n{}\nfrom\n{}",
                        out.proto_files[0].text, s.render())
                });
            prop_assert!(
                theirs == out.descriptor_set_bytes,
                "protoc's descriptor set differs from iprotoc's ({:?}) for\n{}",
                style,
                s.render()
            );
        }
    }
}

/// A message of class `chain.last()` as the root type, each level's fields filled with values
/// derived from the class index, the subclass parts nested as the style says.
fn instance(s: &Schema, pool: &DescriptorPool, style: Style, chain: &[usize]) -> DynamicMessage {
    let mut child: Option<(usize, DynamicMessage)> = None;
    for &m in chain.iter().rev() {
        let desc = pool.get_message_by_name(&s.full_name(m)).unwrap();
        let mut msg = DynamicMessage::new(desc.clone());
        for field in desc.fields() {
            if field.containing_oneof().is_some_and(|o| !o.is_synthetic()) || field.is_map() {
                continue;
            }
            if m == chain[0] && field.name() == "type" && chain.len() > 1 {
                continue;
            }
            let seed = (m as i64) * 1000 + i64::from(field.number());
            let value = match field.kind() {
                Kind::Double => Value::F64(seed as f64 + 0.5),
                Kind::Float => Value::F32(seed as f32 + 0.25),
                Kind::Int32 | Kind::Sint32 | Kind::Sfixed32 => Value::I32(-(seed as i32)),
                Kind::Int64 | Kind::Sint64 | Kind::Sfixed64 => Value::I64(-seed),
                Kind::Uint32 | Kind::Fixed32 => Value::U32(seed as u32),
                Kind::Uint64 | Kind::Fixed64 => Value::U64(seed as u64),
                Kind::Bool => Value::Bool(seed % 2 == 0),
                Kind::String => Value::String(format!("s{seed}")),
                Kind::Bytes => Value::Bytes(seed.to_le_bytes().to_vec().into()),
                Kind::Enum(e) => Value::EnumNumber(e.values().last().unwrap().number()),
                Kind::Message(mm) => Value::Message(DynamicMessage::new(mm)),
            };
            if field.is_list() {
                msg.set_field(&field, Value::List(vec![value.clone(), value]));
            } else {
                msg.set_field(&field, value);
            }
        }
        if let Some((c, part)) = child.take() {
            let parent_snake = s.msgs[m].name.to_lowercase();
            match style {
                Style::Extensions => {
                    let ext = pool
                        .get_extension_by_name(&format!("{}.{parent_snake}", s.full_name(c)))
                        .unwrap();
                    msg.set_extension(&ext, Value::Message(part));
                }
                Style::Oneof => {
                    msg.set_field_by_name(&s.msgs[c].name.to_lowercase(), Value::Message(part));
                }
            }
        }
        child = Some((m, msg));
    }
    child.unwrap().1
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn both_styles_write_the_same_bytes(data in bytes()) {
        let s = schema(&data);
        // prost-reflect 0.16 does not read editions descriptors (it panics building an error).
        if styles(&s).len() < 2 || s.syntax == Syntax::Editions {
            return Ok(());
        }
        let ext_out = build(&s, Style::Extensions);
        let oneof_out = build(&s, Style::Oneof);
        let ext_pool = DescriptorPool::decode(ext_out.descriptor_set_bytes.as_slice()).unwrap();
        let oneof_pool = DescriptorPool::decode(oneof_out.descriptor_set_bytes.as_slice()).unwrap();
        let tags = tags(&s, &ext_out);
        for (&leaf, &tag) in &tags {
            let mut chain = vec![leaf];
            while let Some(b) = s.msgs[*chain.last().unwrap()].base {
                chain.push(b);
            }
            chain.reverse();
            let mut ext = instance(&s, &ext_pool, Style::Extensions, &chain);
            let mut oneof = instance(&s, &oneof_pool, Style::Oneof, &chain);
            ext.set_field_by_name("type", Value::EnumNumber(tag));
            oneof.set_field_by_name("type", Value::EnumNumber(tag));
            let bytes = ext.encode_to_vec();
            prop_assert_eq!(&bytes, &oneof.encode_to_vec(), "{}", &s.msgs[leaf].name);
            // Each style reads the other's bytes back to the same bytes.
            let read = DynamicMessage::decode(oneof.descriptor(), bytes.as_slice()).unwrap();
            prop_assert_eq!(read.encode_to_vec(), bytes);
        }
    }
}
