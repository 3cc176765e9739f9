//! The seed example of DESIGN.md checked on the wire: an `Animal` carrying a `Kitten` is encoded
//! with the lowered schema (as compiled by the reference protoc), decoded again, and its bytes are
//! checked field by field against the layout the lowering promises: the Cat part is extension 100
//! of Animal, the Kitten part extension 101 of Cat, the discriminator field 99.

mod support;

use iprotoc::compile::{compile, Options};
use iprotoc::{MemoryResolver, Style};
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, Value};

const SEED: &str = r#"
syntax = "proto2";
package zoo;
message Animal { required float weight = 1; }
message Cat : Animal { optional bool declawed = 1; }
message Dog : Animal = 105 { optional uint32 bones_buried = 1; }
message Kitten : Cat { optional string toy = 1; }
"#;

/// Lowers the seed, compiles the lowered text with protoc, and loads the result.
fn pool(style: Style) -> DescriptorPool {
    let mut resolver = MemoryResolver::new();
    resolver.add("zoo.iproto", SEED);
    let out = compile(
        &resolver,
        &["zoo.iproto".to_string()],
        &Options {
            style,
            ..Options::default()
        },
    );
    assert!(
        !out.has_errors(),
        "{}",
        out.render(iprotoc::diagnostics::Format::Human, false)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("zoo.proto"), &out.proto_files[0].text).unwrap();
    let fds = support::protoc_descriptor_set(dir.path(), &["zoo.proto"], &["--include_imports"])
        .unwrap_or_else(|e| {
            panic!(
                "protoc rejects the lowered seed: {e}\n{}",
                out.proto_files[0].text
            )
        });
    DescriptorPool::decode(fds.as_slice()).unwrap()
}

/// Splits one level of protobuf wire format into (field number, wire type, payload bytes).
fn fields(mut bytes: &[u8]) -> Vec<(u64, u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let key = prost::encoding::decode_varint(&mut bytes).unwrap();
        let (number, wire) = (key >> 3, (key & 7) as u8);
        let payload = match wire {
            0 => {
                let before = bytes;
                prost::encoding::decode_varint(&mut bytes).unwrap();
                before[..before.len() - bytes.len()].to_vec()
            }
            2 => {
                let len = prost::encoding::decode_varint(&mut bytes).unwrap() as usize;
                let (p, rest) = bytes.split_at(len);
                bytes = rest;
                p.to_vec()
            }
            5 => {
                let (p, rest) = bytes.split_at(4);
                bytes = rest;
                p.to_vec()
            }
            w => panic!("unexpected wire type {w}"),
        };
        out.push((number, wire, payload));
    }
    out
}

#[test]
fn an_animal_carrying_a_kitten_round_trips_with_extension_style() {
    let pool = pool(Style::Extensions);
    let animal_desc = pool.get_message_by_name("zoo.Animal").unwrap();
    let cat_desc = pool.get_message_by_name("zoo.Cat").unwrap();
    let kitten_desc = pool.get_message_by_name("zoo.Kitten").unwrap();
    let cat_ext = pool
        .get_extension_by_name("zoo.Cat.animal")
        .expect("Cat's data is extension zoo.Cat.animal");
    let kitten_ext = pool
        .get_extension_by_name("zoo.Kitten.cat")
        .expect("Kitten's data is extension zoo.Kitten.cat");
    assert_eq!((cat_ext.number(), kitten_ext.number()), (100, 101));

    let mut kitten = DynamicMessage::new(kitten_desc);
    kitten.set_field_by_name("toy", Value::String("yarn".into()));
    let mut cat = DynamicMessage::new(cat_desc);
    cat.set_field_by_name("declawed", Value::Bool(true));
    cat.set_extension(&kitten_ext, Value::Message(kitten));
    let mut animal = DynamicMessage::new(animal_desc.clone());
    animal.set_field_by_name("weight", Value::F32(4.5));
    let type_kitten = animal_desc.get_field_by_name("type").unwrap();
    let kitten_value = type_kitten
        .kind()
        .as_enum()
        .unwrap()
        .get_value_by_name("TYPE_KITTEN")
        .unwrap()
        .number();
    assert_eq!(kitten_value, 101);
    animal.set_field(&type_kitten, Value::EnumNumber(kitten_value));
    animal.set_extension(&cat_ext, Value::Message(cat));

    let bytes = animal.encode_to_vec();
    // Layout: weight (1, fixed32), type (99, varint 101), Cat part (100, bytes).
    let top = fields(&bytes);
    let numbers: Vec<u64> = top.iter().map(|f| f.0).collect();
    assert_eq!(numbers, vec![1, 99, 100]);
    assert_eq!(top[0].2, 4.5f32.to_le_bytes().to_vec());
    assert_eq!(top[1].2, vec![101]);
    let cat_part = fields(&top[2].2);
    assert_eq!(
        cat_part.iter().map(|f| f.0).collect::<Vec<_>>(),
        vec![1, 101]
    );
    let kitten_part = fields(&cat_part[1].2);
    assert_eq!(kitten_part, vec![(1, 2, b"yarn".to_vec())]);

    // Decoding the bytes gives the same message back, extensions and all.
    let decoded = DynamicMessage::decode(animal_desc, bytes.as_slice()).unwrap();
    assert_eq!(decoded, animal);
    let cat_back = decoded.get_extension(&cat_ext);
    let kitten_back = cat_back.as_message().unwrap().get_extension(&kitten_ext);
    assert_eq!(
        kitten_back
            .as_message()
            .unwrap()
            .get_field_by_name("toy")
            .unwrap()
            .as_str(),
        Some("yarn")
    );
}

#[test]
fn oneof_style_reads_the_bytes_extension_style_writes() {
    let ext_pool = pool(Style::Extensions);
    let oneof_pool = pool(Style::Oneof);
    let cat_ext = ext_pool.get_extension_by_name("zoo.Cat.animal").unwrap();
    let mut cat = DynamicMessage::new(ext_pool.get_message_by_name("zoo.Cat").unwrap());
    cat.set_field_by_name("declawed", Value::Bool(true));
    let mut animal = DynamicMessage::new(ext_pool.get_message_by_name("zoo.Animal").unwrap());
    animal.set_field_by_name("weight", Value::F32(2.0));
    animal.set_field_by_name("type", Value::EnumNumber(100));
    animal.set_extension(&cat_ext, Value::Message(cat));
    let bytes = animal.encode_to_vec();

    let oneof_animal = DynamicMessage::decode(
        oneof_pool.get_message_by_name("zoo.Animal").unwrap(),
        bytes.as_slice(),
    )
    .unwrap();
    let cat_field = oneof_animal
        .get_field_by_name("cat")
        .expect("oneof style has a `cat` field in `subtype`");
    assert_eq!(
        cat_field
            .as_message()
            .unwrap()
            .get_field_by_name("declawed")
            .unwrap()
            .as_bool(),
        Some(true)
    );
    assert_eq!(
        oneof_animal.encode_to_vec(),
        bytes,
        "re-encoding in oneof style gives the same bytes"
    );
}
