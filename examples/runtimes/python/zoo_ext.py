"""The zoo's animals in Python, from iprotoc's default (extension-style) lowering.

Each subclass travels as an extension of its parent, nested level by level: a Kitten's own fields
are the extension `zoo.Kitten.cat` inside the Cat part, which is the extension `zoo.Cat.animal`
of the Animal. The root's `type` field says which class the message holds.

Generate the code first (see README.md beside this file), then:

    python zoo_ext.py demo              # build a kitten, round-trip it, print it and its JSON
    python zoo_ext.py write FILE        # write the sample enclosure
    python zoo_ext.py read FILE...      # read enclosures written by any runtime, in either style
"""

import json
import os
import sys

sys.path.insert(0, os.environ.get("ZOO_PY_EXT", os.path.join(os.path.dirname(__file__), "gen", "ext")))

from google.protobuf import json_format  # noqa: E402

from zoo_pb2 import Animal, Cat, Dog, Enclosure, Kitten  # noqa: E402


def kitten(name, weight, toy):
    """A Kitten: set the root's `type`, then each level's part inside its parent's."""
    animal = Animal(name=name, weight=weight, arrived_at=1700000000, keepers=["Ann"])
    animal.type = Animal.TYPE_KITTEN
    cat = animal.Extensions[Cat.animal]  # the Cat part, inside the Animal
    cat.temperament = Cat.PLAYFUL
    cat.Extensions[Kitten.cat].toy = toy  # the Kitten part, inside the Cat part
    return animal


def cat(name, weight, declawed, temperament):
    animal = Animal(name=name, weight=weight, type=Animal.TYPE_CAT)
    part = animal.Extensions[Cat.animal]
    part.declawed = declawed
    part.temperament = temperament
    return animal


def dog(name, weight, bones, toy):
    animal = Animal(name=name, weight=weight, type=Animal.TYPE_DOG)
    animal.Extensions[Dog.animal].CopyFrom(Dog(bones_buried=bones, favourite_toy=toy))
    return animal


def sample_enclosure():
    """The enclosure every program writes and expects to read back, whatever wrote it."""
    enclosure = Enclosure(id="cattery-1")
    enclosure.residents.append(kitten("Tom", 0.5, "yarn"))
    enclosure.residents.append(dog("Rex", 31.5, 12, "ball"))
    enclosure.residents.append(cat("Felix", 4.25, True, Cat.GRUMPY))
    enclosure.residents.append(Animal(name="Bessie", weight=250))  # a plain Animal: no `type`
    enclosure.feeding_times["morning"] = 8
    return enclosure


def part(message, extension):
    """A subclass's part, which the `type` field promised: its absence is a writer's bug."""
    if not message.HasExtension(extension):
        raise ValueError(f"{message.DESCRIPTOR.name} lacks its {extension.full_name} part")
    return message.Extensions[extension]


def describe(animal):
    """Dispatch on `type`, then read each level's part out of its parent's."""
    head = f"{animal.name}: {{}}, {animal.weight:g} kg"
    if animal.type == Animal.TYPE_KITTEN:
        cat_part = part(animal, Cat.animal)
        kitten_part = part(cat_part, Kitten.cat)
        temperament = Cat.Temperament.Name(cat_part.temperament)
        return head.format("Kitten") + f", {temperament}, plays with {kitten_part.toy}"
    if animal.type == Animal.TYPE_CAT:
        cat_part = part(animal, Cat.animal)
        temperament = Cat.Temperament.Name(cat_part.temperament)
        return head.format("Cat") + f", {temperament}, declawed {str(cat_part.declawed).lower()}"
    if animal.type == Animal.TYPE_DOG:
        dog_part = part(animal, Dog.animal)
        return head.format("Dog") + f", {dog_part.bones_buried} bones, likes {dog_part.favourite_toy}"
    # TYPE_UNSPECIFIED, or a subclass newer than this code: the base fields are still there.
    return head.format("Animal")


def check(condition, what):
    if not condition:
        raise SystemExit(f"zoo_ext.py: FAILED: {what}")


def demo():
    tom = kitten("Tom", 0.5, "yarn")
    data = tom.SerializeToString()
    back = Animal.FromString(data)
    check(back == tom, "the kitten survives the round trip")
    check(back.type == Animal.TYPE_KITTEN, "the discriminator says Kitten")
    check(back.Extensions[Cat.animal].Extensions[Kitten.cat].toy == "yarn", "the Kitten part is there")
    print(describe(back))

    # ProtoJSON: each part is an extension field, named in brackets by its full name.
    text = json_format.MessageToJson(back, indent=None)
    print(text)
    obj = json.loads(text)
    check(obj["type"] == "TYPE_KITTEN", "JSON carries the discriminator by name")
    check(obj["[zoo.Cat.animal]"]["[zoo.Kitten.cat]"]["toy"] == "yarn", "JSON nests the parts as extensions")
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
