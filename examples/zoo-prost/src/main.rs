//! Builds a kitten inside an animal, sends it through the wire, and matches on what comes back.
use prost::Message;
use zoo_prost::zoo::{Animal, Cat, Kitten};
use zoo_prost::Kind;

fn main() {
    let base = Animal { weight: 0.8, name: Some("Tom".into()), ..Default::default() };
    let cat = Cat { declawed: Some(false), ..Default::default() };
    let animal = Animal::kitten(base, cat, Kitten { toy: Some("yarn".into()) });

    let bytes = animal.encode_to_vec();
    println!("encoded {} bytes: {bytes:02x?}", bytes.len());

    let back = Animal::decode(bytes.as_slice()).expect("valid bytes");
    let name = back.name.as_deref().unwrap_or("?");
    match back.kind() {
        Kind::Kitten(cat, kitten) => println!(
            "{name} is a kitten ({} kg, declawed: {:?}) that plays with {}",
            back.weight,
            cat.declawed,
            kitten.toy.as_deref().unwrap_or("nothing")
        ),
        Kind::Cat(_) => println!("{name} is a cat"),
        Kind::Dog(dog) => println!("{name} is a dog with {:?} bones buried", dog.bones_buried),
        Kind::Animal => println!("{name} is an animal of no particular kind"),
    }
}
