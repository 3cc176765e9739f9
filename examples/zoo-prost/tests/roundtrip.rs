//! A kitten inside an animal survives encoding and decoding, and its bytes are the ones the
//! extension-style schema would write (field 100 holds the cat part, 101 inside it the kitten).
use prost::Message;
use zoo_prost::zoo::{animal, Animal, Cat, Kitten};
use zoo_prost::Kind;

fn a_kitten() -> Animal {
    let base = Animal { weight: 0.8, name: Some("Tom".into()), ..Default::default() };
    let cat = Cat { declawed: Some(false), ..Default::default() };
    Animal::kitten(base, cat, Kitten { toy: Some("yarn".into()) })
}

#[test]
fn a_kitten_round_trips() {
    let animal = a_kitten();
    let bytes = animal.encode_to_vec();
    let back = Animal::decode(bytes.as_slice()).unwrap();
    assert_eq!(back, animal);
    match back.kind() {
        Kind::Kitten(cat, kitten) => {
            assert_eq!(cat.declawed, Some(false));
            assert_eq!(kitten.toy.as_deref(), Some("yarn"));
        }
        other => panic!("expected a kitten, got {other:?}"),
    }
    assert_eq!(back.r#type(), animal::Type::Kitten);
}

#[test]
fn the_bytes_are_the_extension_style_layout() {
    let bytes = a_kitten().encode_to_vec();
    // Field 99 (the discriminator), varint 101 = TYPE_KITTEN: key (99 << 3 | 0) = 792 = [0x98, 0x06].
    let disc = [0x98, 0x06, 101];
    assert!(bytes.windows(3).any(|w| w == disc), "discriminator 99 = 101 in {bytes:?}");
    // Field 100, length-delimited: key (100 << 3 | 2) = 802 = [0xa2, 0x06].
    let pos = bytes.windows(2).position(|w| w == [0xa2, 0x06]).expect("field 100 holds the cat part");
    let cat_part = &bytes[pos + 3..];
    // Inside it, field 101 (length-delimited): key 810 = [0xaa, 0x06], then "yarn" in field 1.
    assert!(cat_part.windows(2).any(|w| w == [0xaa, 0x06]), "field 101 holds the kitten part");
}

#[test]
fn a_plain_animal_has_no_subclass() {
    let animal = Animal { weight: 10.0, ..Default::default() };
    assert_eq!(animal.kind(), Kind::Animal);
    assert_eq!(animal.r#type(), animal::Type::Unspecified);
}
