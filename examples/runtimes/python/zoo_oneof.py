"""The zoo's animals in Python, from iprotoc's oneof-style lowering (`--style oneof`).

Each class with subclasses has a `oneof subtype` with one message field per direct subclass, so a
Kitten's own fields are `animal.cat.kitten`. The bytes are the same as in extension style (field
100 of Animal holds the Cat part either way), so this program reads what zoo_ext.py writes and the
other way round. Only ProtoJSON differs: here the parts are plain fields ("cat", "kitten").

The two styles' generated modules are both `zoo_pb2` for the same `zoo.proto`, so one Python
process holds one of them: this program and zoo_ext.py run separately.

    python zoo_oneof.py demo | write FILE | read FILE...     (as zoo_ext.py)
"""

import json
import os
import sys

sys.path.insert(0, os.environ.get("ZOO_PY_ONEOF", os.path.join(os.path.dirname(__file__), "gen", "oneof")))

from google.protobuf import json_format  # noqa: E402

from zoo_pb2 import Animal, Cat, Dog, Enclosure, Kitten  # noqa: E402


def kitten(name, weight, toy):
    """A Kitten: set the root's `type` and fill the parts down the oneofs."""
    animal = Animal(name=name, weight=weight, arrived_at=1700000000, keepers=["Ann"])
    animal.type = Animal.TYPE_KITTEN
    animal.cat.temperament = Cat.PLAYFUL  # selects `cat` in Animal's `subtype`
    animal.cat.kitten.toy = toy  # selects `kitten` in Cat's `subtype`
    return animal


def cat(name, weight, declawed, temperament):
    return Animal(
        name=name, weight=weight, type=Animal.TYPE_CAT, cat=Cat(declawed=declawed, temperament=temperament)
    )


def dog(name, weight, bones, toy):
    return Animal(name=name, weight=weight, type=Animal.TYPE_DOG, dog=Dog(bones_buried=bones, favourite_toy=toy))


def sample_enclosure():
    """The same enclosure as zoo_ext.py's, built through the oneof-style API."""
    enclosure = Enclosure(id="cattery-1")
    enclosure.residents.append(kitten("Tom", 0.5, "yarn"))
    enclosure.residents.append(dog("Rex", 31.5, 12, "ball"))
    enclosure.residents.append(cat("Felix", 4.25, True, Cat.GRUMPY))
    enclosure.residents.append(Animal(name="Bessie", weight=250))
    enclosure.feeding_times["morning"] = 8
    return enclosure


def part(message, field):
    """The oneof member that `type` promised: its absence is a writer's bug."""
    if message.WhichOneof("subtype") != field:
        raise ValueError(f"{message.DESCRIPTOR.name} lacks its {field} part")
    return getattr(message, field)


def describe(animal):
    """Dispatch on `type` (or, equally, on `WhichOneof("subtype")` at each level)."""
    head = f"{animal.name}: {{}}, {animal.weight:g} kg"
    if animal.type == Animal.TYPE_KITTEN:
        cat_part = part(animal, "cat")
        kitten_part = part(cat_part, "kitten")
        temperament = Cat.Temperament.Name(cat_part.temperament)
        return head.format("Kitten") + f", {temperament}, plays with {kitten_part.toy}"
    if animal.type == Animal.TYPE_CAT:
        cat_part = part(animal, "cat")
        temperament = Cat.Temperament.Name(cat_part.temperament)
        return head.format("Cat") + f", {temperament}, declawed {str(cat_part.declawed).lower()}"
    if animal.type == Animal.TYPE_DOG:
        dog_part = part(animal, "dog")
        return head.format("Dog") + f", {dog_part.bones_buried} bones, likes {dog_part.favourite_toy}"
    return head.format("Animal")


def check(condition, what):
    if not condition:
        raise SystemExit(f"zoo_oneof.py: FAILED: {what}")


def demo():
    tom = kitten("Tom", 0.5, "yarn")
    back = Animal.FromString(tom.SerializeToString())
    check(back == tom, "the kitten survives the round trip")
    check(back.WhichOneof("subtype") == "cat" and back.cat.WhichOneof("subtype") == "kitten", "the oneofs say Kitten")
    print(describe(back))

    # ProtoJSON: the parts are ordinary message fields.
    text = json_format.MessageToJson(back, indent=None)
    print(text)
    obj = json.loads(text)
    check(obj["type"] == "TYPE_KITTEN", "JSON carries the discriminator by name")
    check(obj["cat"]["kitten"]["toy"] == "yarn", "JSON nests the parts as plain fields")
    check(json_format.Parse(text, Animal()) == tom, "the JSON parses back to the same kitten")


def write(path):
    with open(path, "wb") as out:
        out.write(sample_enclosure().SerializeToString())


def read(paths):
    expected = sample_enclosure()
    for path in paths:
        with open(path, "rb") as f:
            enclosure = Enclosure.FromString(f.read())
        check(enclosure == expected, f"{path} holds the sample enclosure")
        fed = ", ".join(f"{k} {v}h" for k, v in sorted(enclosure.feeding_times.items()))
        print(f"{os.path.basename(path)}: {enclosure.id}, fed at {fed}")
        for animal in enclosure.residents:
            print("  " + describe(animal))


def main(argv):
    if argv[:1] == ["demo"] and len(argv) == 1:
        demo()
    elif argv[:1] == ["write"] and len(argv) == 2:
        write(argv[1])
    elif argv[:1] == ["read"] and len(argv) >= 2:
        read(argv[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
