//! The two styles are wire-identical views (DESIGN.md section 4): bytes written through the oneof
//! style's descriptors read back through the extension style's, and the other way round.

use std::process::Command;

use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, Value};

use iprotoc::emit::proto::print_file;
use iprotoc::lower::{lower_file, Style};
use iprotoc::parse::parse;
use iprotoc::resolve::symbols::SymbolTable;
use iprotoc::source::FileId;

const SEED: &str = include_str!("ui/lower/seed.iproto");

/// Lowers the seed in `style` and loads protoc's descriptors for it.
fn pool(style: Style) -> DescriptorPool {
    let (ast, diags) = parse(FileId(0), SEED);
    assert!(diags.is_empty(), "{diags:?}");
    let (symbols, diags) = SymbolTable::build([(FileId(0), &ast)]);
    assert!(diags.is_empty(), "{diags:?}");
    let (lowered, diags) = lower_file(FileId(0), &ast, &symbols, &|_| true, style);
    assert!(diags.is_empty(), "{diags:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("zoo.proto"), print_file(&lowered, None)).unwrap();
    let out = Command::new(protoc_bin_vendored::protoc_bin_path().unwrap())
        .arg("-I")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("out.pb"))
        .arg("zoo.proto")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    DescriptorPool::decode(std::fs::read(dir.path().join("out.pb")).unwrap().as_slice()).unwrap()
}

fn message(pool: &DescriptorPool, name: &str) -> MessageDescriptor {
    pool.get_message_by_name(name).unwrap()
}

#[test]
fn a_kitten_written_as_oneofs_reads_as_extensions_and_back() {
    let oneof = pool(Style::Oneof);
    let ext = pool(Style::Extensions);

    // Oneof style: Animal { weight, type = TYPE_KITTEN, cat { declawed, kitten { toy } } }.
    let mut kitten = DynamicMessage::new(message(&oneof, "zoo.Kitten"));
    kitten.set_field_by_name("toy", Value::String("ball".into()));
    let mut cat = DynamicMessage::new(message(&oneof, "zoo.Cat"));
    cat.set_field_by_name("declawed", Value::Bool(true));
    cat.set_field_by_name("kitten", Value::Message(kitten));
    let mut animal = DynamicMessage::new(message(&oneof, "zoo.Animal"));
    animal.set_field_by_name("weight", Value::F32(1.5));
    animal.set_field_by_name("type", Value::EnumNumber(101));
    animal.set_field_by_name("cat", Value::Message(cat));
    let bytes = animal.encode_to_vec();

    // Extension style reads the same data through extensions 100 (Cat on Animal) and 101
    // (Kitten on Cat).
    let read = DynamicMessage::decode(message(&ext, "zoo.Animal"), bytes.as_slice()).unwrap();
    assert_eq!(
        read.get_field_by_name("type").unwrap().as_enum_number(),
        Some(101)
    );
    let cat_ext = ext.get_extension_by_name("zoo.Cat.animal").unwrap();
    assert!(read.has_extension(&cat_ext));
    let cat = read.get_extension(&cat_ext).as_message().unwrap().clone();
    assert_eq!(
        cat.get_field_by_name("declawed").unwrap().as_bool(),
        Some(true)
    );
    let kitten_ext = ext.get_extension_by_name("zoo.Kitten.cat").unwrap();
    let kitten = cat.get_extension(&kitten_ext).as_message().unwrap().clone();
    assert_eq!(
        kitten.get_field_by_name("toy").unwrap().as_str(),
        Some("ball")
    );

    // And back: re-encoded through the extension descriptors, the oneof view is unchanged.
    let again = DynamicMessage::decode(
        message(&oneof, "zoo.Animal"),
        read.encode_to_vec().as_slice(),
    )
    .unwrap();
    assert_eq!(again, animal);
}
