// The zoo's animals in TypeScript (protobuf-es v2), from iprotoc's default (extension-style)
// lowering.
//
// Each subclass travels as an extension of its parent, nested level by level: a Kitten's own
// fields are the extension `zoo.Kitten.cat` (generated as `Kitten_cat`) inside the Cat part, which
// is the extension `zoo.Cat.animal` (`Cat_animal`) of the Animal. The root's `type` field says
// which class the message holds.
//
// Generate the code first (see README.md beside this file), then:
//
//   node dist/zoo_ext.js demo             build a kitten, round-trip it, print it and its JSON
//   node dist/zoo_ext.js write FILE       write the sample enclosure
//   node dist/zoo_ext.js read FILE...     read enclosures written by any runtime, in either style
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import {
  create,
  createRegistry,
  fromBinary,
  fromJsonString,
  getExtension,
  hasExtension,
  setExtension,
  toBinary,
  toJson,
  toJsonString,
  type DescExtension,
  type Extendee,
  type ExtensionValueShape,
  type JsonObject,
} from "@bufbuild/protobuf";
import {
  AnimalSchema,
  Animal_Type,
  CatSchema,
  Cat_Temperament,
  Cat_animal,
  DogSchema,
  Dog_animal,
  EnclosureSchema,
  KittenSchema,
  Kitten_cat,
  file_zoo,
  type Animal,
  type Enclosure,
} from "./gen/ext/zoo_pb.js";

// ProtoJSON needs to know the extensions to print or parse them.
const registry = createRegistry(file_zoo);

// A Kitten, built from the bottom up: protobuf-es stores an extension as bytes when it is set,
// so each part must be complete before it goes into its parent.
function kitten(name: string, weight: number, toy: string): Animal {
  const kittenPart = create(KittenSchema, { toy });
  const catPart = create(CatSchema, { temperament: Cat_Temperament.PLAYFUL });
  setExtension(catPart, Kitten_cat, kittenPart); // the Kitten part, inside the Cat part
  const animal = create(AnimalSchema, {
    name,
    weight,
    arrivedAt: 1700000000n,
    keepers: ["Ann"],
    type: Animal_Type.KITTEN, // protobuf-es drops the enum's prefix: TYPE_KITTEN is KITTEN
  });
  setExtension(animal, Cat_animal, catPart); // the Cat part, inside the Animal
  return animal;
}

function cat(name: string, weight: number, declawed: boolean, temperament: Cat_Temperament): Animal {
  const animal = create(AnimalSchema, { name, weight, type: Animal_Type.CAT });
  setExtension(animal, Cat_animal, create(CatSchema, { declawed, temperament }));
  return animal;
}

function dog(name: string, weight: number, bonesBuried: number, favouriteToy: string): Animal {
  const animal = create(AnimalSchema, { name, weight, type: Animal_Type.DOG });
  setExtension(animal, Dog_animal, create(DogSchema, { bonesBuried, favouriteToy }));
  return animal;
}

// The enclosure every program writes and expects to read back, whatever wrote it.
function sampleEnclosure(): Enclosure {
  return create(EnclosureSchema, {
    id: "cattery-1",
    residents: [
      kitten("Tom", 0.5, "yarn"),
      dog("Rex", 31.5, 12, "ball"),
      cat("Felix", 4.25, true, Cat_Temperament.GRUMPY),
      create(AnimalSchema, { name: "Bessie", weight: 250 }), // a plain Animal: no `type`
    ],
    feedingTimes: { morning: 8 },
  });
}

// A subclass's part, which the `type` field promised: its absence is a writer's bug.
function part<Desc extends DescExtension>(message: Extendee<Desc>, extension: Desc): ExtensionValueShape<Desc> {
  if (!hasExtension(message, extension)) {
    throw new Error(`${message.$typeName} lacks its ${extension.typeName} part`);
  }
  return getExtension(message, extension);
}

// Dispatch on `type`, then read each level's part out of its parent's.
function describe(animal: Animal): string {
  const head = (kind: string) => `${animal.name}: ${kind}, ${animal.weight} kg`;
  switch (animal.type) {
    case Animal_Type.KITTEN: {
      const catPart = part(animal, Cat_animal);
      const kittenPart = part(catPart, Kitten_cat);
      return `${head("Kitten")}, ${Cat_Temperament[catPart.temperament]}, plays with ${kittenPart.toy}`;
    }
    case Animal_Type.CAT: {
      const catPart = part(animal, Cat_animal);
      return `${head("Cat")}, ${Cat_Temperament[catPart.temperament]}, declawed ${catPart.declawed}`;
    }
    case Animal_Type.DOG: {
      const dogPart = part(animal, Dog_animal);
      return `${head("Dog")}, ${dogPart.bonesBuried} bones, likes ${dogPart.favouriteToy}`;
    }
    default:
      // TYPE_UNSPECIFIED, or a subclass newer than this code: the base fields are still there.
      return head("Animal");
  }
}

function check(condition: boolean, what: string): void {
  if (!condition) {
    console.error(`zoo_ext.ts: FAILED: ${what}`);
    process.exit(1);
  }
}

function demo(): void {
  const tom = kitten("Tom", 0.5, "yarn");
  const bytes = toBinary(AnimalSchema, tom);
  const back = fromBinary(AnimalSchema, bytes);
  check(back.type === Animal_Type.KITTEN, "the discriminator says Kitten");
  check(getExtension(getExtension(back, Cat_animal), Kitten_cat).toy === "yarn", "the Kitten part is there");
  console.log(describe(back));

  // ProtoJSON: each part is an extension field, named in brackets by its full name.
  const text = toJsonString(AnimalSchema, back, { registry });
  console.log(text);
  const obj = JSON.parse(text) as Record<string, any>;
  check(obj["type"] === "TYPE_KITTEN", "JSON carries the discriminator by its proto name");
  check(obj["[zoo.Cat.animal]"]["[zoo.Kitten.cat]"]["toy"] === "yarn", "JSON nests the parts as extensions");
  const again = fromJsonString(AnimalSchema, text, { registry });
  check(sameBytes(toBinary(AnimalSchema, again), bytes), "the JSON parses back to the same kitten");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

// Everything a message holds, extensions included, as a value that compares with `===` once
// stringified: how `read` checks what it parsed against what it expects.
function canonical(enclosure: Enclosure): string {
  return JSON.stringify(toJson(EnclosureSchema, enclosure, { registry }) as JsonObject);
}

function write(path: string): void {
  writeFileSync(path, toBinary(EnclosureSchema, sampleEnclosure()));
}

function read(paths: string[]): void {
  const expected = canonical(sampleEnclosure());
  for (const path of paths) {
    const enclosure = fromBinary(EnclosureSchema, readFileSync(path));
    check(canonical(enclosure) === expected, `${path} holds the sample enclosure`);
    const fed = Object.entries(enclosure.feedingTimes)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([time, hour]) => `${time} ${hour}h`)
      .join(", ");
    console.log(`${basename(path)}: ${enclosure.id}, fed at ${fed}`);
    for (const animal of enclosure.residents) {
      console.log(`  ${describe(animal)}`);
    }
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === "demo" && args.length === 0) {
  demo();
} else if (command === "write" && args.length === 1) {
  write(args[0]);
} else if (command === "read" && args.length >= 1) {
  read(args);
} else {
  console.error("usage: zoo_ext.js demo | write FILE | read FILE...");
  process.exit(2);
}
