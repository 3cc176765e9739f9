//! The seed example of DESIGN.md checked on the wire, over iprotoc's own descriptor sets.
//!
//! - An `Animal` carrying a `Kitten` encodes to the layout the lowering promises: the Cat part is
//!   extension 100 of Animal, the Kitten part extension 101 of Cat, the discriminator field 99.
//! - Across files and packages (a root registering classes of other files), the same layout and
//!   the same two-way reading.
//! - The two styles are wire-identical views (DESIGN.md section 4): bytes written through one
//!   style's descriptors decode through the other's, at every level of the hierarchy, and
//!   re-encode to the same bytes.

use iprotoc::driver::{compile, Options};
use iprotoc::{MemoryResolver, Style};
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, Value};

use crate::support::stages::compile_one;

const SEED: &str = include_str!("../../ui/lower/seed.iproto");

/// iprotoc's descriptor set for the seed in `style`, loaded into a pool.
fn pool(style: Style) -> DescriptorPool {
    let options = Options {
        style,
        include_imports: true,
        ..Options::default()
    };
    let out = compile_one("zoo.iproto", SEED, &options);
    assert!(
        !out.has_errors(),
        "{}",
        out.render(iprotoc::diagnostics::Format::Human, false)
    );
    DescriptorPool::decode(out.descriptor_set_bytes.as_slice()).unwrap()
}

fn message(pool: &DescriptorPool, name: &str) -> MessageDescriptor {
    pool.get_message_by_name(name)
        .unwrap_or_else(|| panic!("{name} is in the pool"))
}

/// Splits one level of protobuf wire format into (field number, wire type, payload bytes).
fn fields(mut bytes: &[u8]) -> Vec<(u64, u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let key = prost::encoding::decode_varint(&mut bytes).unwrap();
        let (number, wire) = (key >> 3, (key & 7) as u8);
        let len = match wire {
            0 => {
                let mut probe = bytes;
                prost::encoding::decode_varint(&mut probe).unwrap();
                bytes.len() - probe.len()
            }
            2 => prost::encoding::decode_varint(&mut bytes).unwrap() as usize,
            5 => 4,
            w => panic!("unexpected wire type {w}"),
        };
        let (payload, rest) = bytes.split_at(len);
        out.push((number, wire, payload.to_vec()));
        bytes = rest;
    }
    out
}

/// Extension style: Animal { weight, type = TYPE_KITTEN, [Cat.animal] { declawed, [Kitten.cat] { toy } } }.
fn kitten_as_extensions(ext: &DescriptorPool) -> DynamicMessage {
    let cat_ext = ext
        .get_extension_by_name("zoo.Cat.animal")
        .expect("Cat's data is extension zoo.Cat.animal");
    let kitten_ext = ext
        .get_extension_by_name("zoo.Kitten.cat")
        .expect("Kitten's data is extension zoo.Kitten.cat");
    assert_eq!((cat_ext.number(), kitten_ext.number()), (100, 101));
    let mut kitten = DynamicMessage::new(message(ext, "zoo.Kitten"));
    kitten.set_field_by_name("toy", Value::String("yarn".into()));
    let mut cat = DynamicMessage::new(message(ext, "zoo.Cat"));
    cat.set_field_by_name("declawed", Value::Bool(true));
    cat.set_extension(&kitten_ext, Value::Message(kitten));
    let animal_desc = message(ext, "zoo.Animal");
    let type_field = animal_desc.get_field_by_name("type").unwrap();
    let kitten_value = type_field
        .kind()
        .as_enum()
        .unwrap()
        .get_value_by_name("TYPE_KITTEN")
        .unwrap()
        .number();
    assert_eq!(kitten_value, 101);
    let mut animal = DynamicMessage::new(animal_desc);
    animal.set_field_by_name("weight", Value::F32(4.5));
    animal.set_field(&type_field, Value::EnumNumber(kitten_value));
    animal.set_extension(&cat_ext, Value::Message(cat));
    animal
}

/// Oneof style: Animal { weight, type = TYPE_KITTEN, cat { declawed, kitten { toy } } }.
fn kitten_as_oneofs(oneof: &DescriptorPool) -> DynamicMessage {
    let mut kitten = DynamicMessage::new(message(oneof, "zoo.Kitten"));
    kitten.set_field_by_name("toy", Value::String("yarn".into()));
    let mut cat = DynamicMessage::new(message(oneof, "zoo.Cat"));
    cat.set_field_by_name("declawed", Value::Bool(true));
    cat.set_field_by_name("kitten", Value::Message(kitten));
    let mut animal = DynamicMessage::new(message(oneof, "zoo.Animal"));
    animal.set_field_by_name("weight", Value::F32(4.5));
    animal.set_field_by_name("type", Value::EnumNumber(101));
    animal.set_field_by_name("cat", Value::Message(cat));
    animal
}

#[test]
fn an_animal_carrying_a_kitten_has_the_promised_layout_and_round_trips() {
    let ext = pool(Style::Extensions);
    let animal = kitten_as_extensions(&ext);
    let bytes = animal.encode_to_vec();
    // Layout: weight (1, fixed32), type (99, varint 101), Cat part (100, bytes).
    let top = fields(&bytes);
    assert_eq!(
        top.iter().map(|f| f.0).collect::<Vec<_>>(),
        vec![1, 99, 100]
    );
    assert_eq!(top[0].2, 4.5f32.to_le_bytes().to_vec());
    assert_eq!(top[1].2, vec![101]);
    let cat_part = fields(&top[2].2);
    assert_eq!(
        cat_part.iter().map(|f| f.0).collect::<Vec<_>>(),
        vec![1, 101]
    );
    assert_eq!(fields(&cat_part[1].2), vec![(1, 2, b"yarn".to_vec())]);

    let decoded = DynamicMessage::decode(message(&ext, "zoo.Animal"), bytes.as_slice()).unwrap();
    assert_eq!(decoded, animal);
}

#[test]
fn extension_style_bytes_read_in_oneof_style_at_every_level() {
    let ext = pool(Style::Extensions);
    let oneof = pool(Style::Oneof);
    let bytes = kitten_as_extensions(&ext).encode_to_vec();

    let read = DynamicMessage::decode(message(&oneof, "zoo.Animal"), bytes.as_slice()).unwrap();
    assert_eq!(
        read,
        kitten_as_oneofs(&oneof),
        "the oneof view holds the same kitten"
    );
    let cat = read.get_field_by_name("cat").unwrap();
    let kitten = cat
        .as_message()
        .unwrap()
        .get_field_by_name("kitten")
        .unwrap();
    assert_eq!(
        kitten
            .as_message()
            .unwrap()
            .get_field_by_name("toy")
            .unwrap()
            .as_str(),
        Some("yarn")
    );
    assert_eq!(
        read.encode_to_vec(),
        bytes,
        "re-encoding in oneof style gives the same bytes"
    );
}

#[test]
fn oneof_style_bytes_read_in_extension_style_at_every_level() {
    let ext = pool(Style::Extensions);
    let oneof = pool(Style::Oneof);
    let bytes = kitten_as_oneofs(&oneof).encode_to_vec();

    let read = DynamicMessage::decode(message(&ext, "zoo.Animal"), bytes.as_slice()).unwrap();
    assert_eq!(
        read,
        kitten_as_extensions(&ext),
        "the extension view holds the same kitten"
    );
    assert_eq!(
        read.encode_to_vec(),
        bytes,
        "re-encoding in extension style gives the same bytes"
    );
}

// ---------------------------------------------------------------- hierarchies across files

/// A hierarchy over three files and three packages (DESIGN.md section 3a): the root registers
/// the classes that live elsewhere; Cat declares its subclass range because its subclass lives in
/// yet another file.
const ACROSS: [(&str, &str); 3] = [
    (
        "zoo/animal.iproto",
        r#"syntax = "proto2";
package zoo;
message Animal {
  required float weight = 1;
  subclass zoo.cats.Cat = 100;
  subclass zoo.kittens.Kitten = 101;
}
"#,
    ),
    (
        "zoo/cats/cat.iproto",
        r#"syntax = "proto2";
package zoo.cats;
import "zoo/animal.iproto";
message Cat : zoo.Animal {
  optional bool declawed = 1;
  extensions 100 to max;
}
"#,
    ),
    (
        "zoo/kittens/kitten.iproto",
        r#"syntax = "proto2";
package zoo.kittens;
import "zoo/cats/cat.iproto";
message Kitten : zoo.cats.Cat { optional string toy = 1; }
"#,
    ),
];

/// iprotoc's descriptor set for the three files in `style`, loaded into a pool.
fn pool_across(style: Style) -> DescriptorPool {
    let mut resolver = MemoryResolver::new();
    for (name, text) in ACROSS {
        resolver.add(name, text);
    }
    let inputs: Vec<String> = ACROSS.iter().map(|(n, _)| n.to_string()).collect();
    let options = Options {
        style,
        include_imports: true,
        ..Options::default()
    };
    let out = compile(&resolver, &inputs, &options);
    assert!(
        !out.has_errors(),
        "{}",
        out.render(iprotoc::diagnostics::Format::Human, false)
    );
    DescriptorPool::decode(out.descriptor_set_bytes.as_slice()).unwrap()
}

/// Extension style: Animal { weight, type = TYPE_KITTEN, [zoo.cats.Cat.animal] { declawed,
/// [zoo.kittens.Kitten.cat] { toy } } }.
fn kitten_across_as_extensions(ext: &DescriptorPool) -> DynamicMessage {
    let cat_ext = ext.get_extension_by_name("zoo.cats.Cat.animal").unwrap();
    let kitten_ext = ext.get_extension_by_name("zoo.kittens.Kitten.cat").unwrap();
    assert_eq!((cat_ext.number(), kitten_ext.number()), (100, 101));
    let mut kitten = DynamicMessage::new(message(ext, "zoo.kittens.Kitten"));
    kitten.set_field_by_name("toy", Value::String("yarn".into()));
    let mut cat = DynamicMessage::new(message(ext, "zoo.cats.Cat"));
    cat.set_field_by_name("declawed", Value::Bool(true));
    cat.set_extension(&kitten_ext, Value::Message(kitten));
    let mut animal = DynamicMessage::new(message(ext, "zoo.Animal"));
    animal.set_field_by_name("weight", Value::F32(4.5));
    animal.set_field_by_name("type", Value::EnumNumber(101));
    animal.set_extension(&cat_ext, Value::Message(cat));
    animal
}

/// Oneof style: Animal { weight, type = TYPE_KITTEN, cat { declawed, kitten { toy } } }.
fn kitten_across_as_oneofs(oneof: &DescriptorPool) -> DynamicMessage {
    let mut kitten = DynamicMessage::new(message(oneof, "zoo.kittens.Kitten"));
    kitten.set_field_by_name("toy", Value::String("yarn".into()));
    let mut cat = DynamicMessage::new(message(oneof, "zoo.cats.Cat"));
    cat.set_field_by_name("declawed", Value::Bool(true));
    cat.set_field_by_name("kitten", Value::Message(kitten));
    let mut animal = DynamicMessage::new(message(oneof, "zoo.Animal"));
    animal.set_field_by_name("weight", Value::F32(4.5));
    animal.set_field_by_name("type", Value::EnumNumber(101));
    animal.set_field_by_name("cat", Value::Message(cat));
    animal
}

#[test]
fn across_files_the_layout_is_the_one_of_a_single_file() {
    let bytes = kitten_across_as_extensions(&pool_across(Style::Extensions)).encode_to_vec();
    let top = fields(&bytes);
    assert_eq!(
        top.iter().map(|f| f.0).collect::<Vec<_>>(),
        vec![1, 99, 100]
    );
    let cat_part = fields(&top[2].2);
    assert_eq!(
        cat_part.iter().map(|f| f.0).collect::<Vec<_>>(),
        vec![1, 101]
    );
    assert_eq!(fields(&cat_part[1].2), vec![(1, 2, b"yarn".to_vec())]);
}

#[test]
fn across_files_extension_style_bytes_read_in_oneof_style_at_every_level() {
    let ext = pool_across(Style::Extensions);
    let oneof = pool_across(Style::Oneof);
    let bytes = kitten_across_as_extensions(&ext).encode_to_vec();
    let read = DynamicMessage::decode(message(&oneof, "zoo.Animal"), bytes.as_slice()).unwrap();
    assert_eq!(read, kitten_across_as_oneofs(&oneof));
    let kitten = read.get_field_by_name("cat").unwrap();
    let kitten = kitten
        .as_message()
        .unwrap()
        .get_field_by_name("kitten")
        .unwrap();
    let toy = kitten
        .as_message()
        .unwrap()
        .get_field_by_name("toy")
        .unwrap();
    assert_eq!(toy.as_str(), Some("yarn"));
    assert_eq!(read.encode_to_vec(), bytes);
}

#[test]
fn across_files_oneof_style_bytes_read_in_extension_style_at_every_level() {
    let ext = pool_across(Style::Extensions);
    let oneof = pool_across(Style::Oneof);
    let bytes = kitten_across_as_oneofs(&oneof).encode_to_vec();
    let read = DynamicMessage::decode(message(&ext, "zoo.Animal"), bytes.as_slice()).unwrap();
    assert_eq!(read, kitten_across_as_extensions(&ext));
    assert_eq!(read.encode_to_vec(), bytes);
}
