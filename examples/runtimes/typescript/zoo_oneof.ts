// The zoo's animals in TypeScript (protobuf-es v2), from iprotoc's oneof-style lowering
// (`--style oneof`).
//
// Each class with subclasses has a `oneof subtype` with one message field per direct subclass:
// in protobuf-es a `{ case, value }` union, so a Kitten is `subtype: { case: "cat", value: cat }`
// with `subtype: { case: "kitten", value: kitten }` inside the cat. The bytes are the same as in
// extension style, so this program reads what zoo_ext.ts (or Python) writes and the other way
// round. Only ProtoJSON differs: here the parts are plain fields ("cat", "kitten").
//
//   node dist/zoo_oneof.js demo | write FILE | read FILE...     (as zoo_ext.js)
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { create, fromBinary, fromJsonString, toBinary, toJson, toJsonString, type JsonObject } from "@bufbuild/protobuf";
import {
  AnimalSchema,
  Animal_Type,
  CatSchema,
  Cat_Temperament,
  DogSchema,
  EnclosureSchema,
  KittenSchema,
  type Animal,
  type Cat,
  type Dog,
  type Enclosure,
  type Kitten,
} from "./gen/oneof/zoo_pb.js";

// A Kitten: set the root's `type` and fill the parts down the oneofs. The parts are ordinary
// fields here, so the order of building does not matter.
function kitten(name: string, weight: number, toy: string): Animal {
  return create(AnimalSchema, {
    name,
    weight,
    arrivedAt: 1700000000n,
    keepers: ["Ann"],
    type: Animal_Type.KITTEN,
    subtype: {
      case: "cat",
      value: {
        temperament: Cat_Temperament.PLAYFUL,
        subtype: { case: "kitten", value: { toy } },
      },
    },
  });
}

function cat(name: string, weight: number, declawed: boolean, temperament: Cat_Temperament): Animal {
  const catPart = create(CatSchema, { declawed, temperament });
  return create(AnimalSchema, { name, weight, type: Animal_Type.CAT, subtype: { case: "cat", value: catPart } });
}

function dog(name: string, weight: number, bonesBuried: number, favouriteToy: string): Animal {
  const dogPart = create(DogSchema, { bonesBuried, favouriteToy });
  return create(AnimalSchema, { name, weight, type: Animal_Type.DOG, subtype: { case: "dog", value: dogPart } });
}

// The same enclosure as zoo_ext.ts's, built through the oneof-style API.
function sampleEnclosure(): Enclosure {
  return create(EnclosureSchema, {
    id: "cattery-1",
    residents: [
      kitten("Tom", 0.5, "yarn"),
      dog("Rex", 31.5, 12, "ball"),
      cat("Felix", 4.25, true, Cat_Temperament.GRUMPY),
      create(AnimalSchema, { name: "Bessie", weight: 250 }),
    ],
    feedingTimes: { morning: 8 },
  });
}

// The oneof members that `type` promised: their absence is a writer's bug.
function catOf(animal: Animal): Cat {
  if (animal.subtype.case !== "cat") throw new Error(`${animal.name} lacks its Cat part`);
  return animal.subtype.value;
}

function kittenOf(catPart: Cat): Kitten {
  if (catPart.subtype.case !== "kitten") throw new Error("the Cat part lacks its Kitten part");
  return catPart.subtype.value;
}

function dogOf(animal: Animal): Dog {
  if (animal.subtype.case !== "dog") throw new Error(`${animal.name} lacks its Dog part`);
  return animal.subtype.value;
}

// Dispatch on `type` (or, equally, on `subtype.case` at each level).
function describe(animal: Animal): string {
  const head = (kind: string) => `${animal.name}: ${kind}, ${animal.weight} kg`;
  switch (animal.type) {
    case Animal_Type.KITTEN: {
      const catPart = catOf(animal);
      const kittenPart = kittenOf(catPart);
      return `${head("Kitten")}, ${Cat_Temperament[catPart.temperament]}, plays with ${kittenPart.toy}`;
    }
    case Animal_Type.CAT: {
      const catPart = catOf(animal);
      return `${head("Cat")}, ${Cat_Temperament[catPart.temperament]}, declawed ${catPart.declawed}`;
    }
    case Animal_Type.DOG: {
      const dogPart = dogOf(animal);
      return `${head("Dog")}, ${dogPart.bonesBuried} bones, likes ${dogPart.favouriteToy}`;
    }
    default:
      return head("Animal");
  }
}

function check(condition: boolean, what: string): void {
  if (!condition) {
    console.error(`zoo_oneof.ts: FAILED: ${what}`);
    process.exit(1);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function demo(): void {
  const tom = kitten("Tom", 0.5, "yarn");
  const bytes = toBinary(AnimalSchema, tom);
  const back = fromBinary(AnimalSchema, bytes);
  check(back.subtype.case === "cat" && back.subtype.value.subtype.case === "kitten", "the oneofs say Kitten");
  console.log(describe(back));

  // ProtoJSON: the parts are ordinary message fields; no registry is needed.
  const text = toJsonString(AnimalSchema, back);
  console.log(text);
  const obj = JSON.parse(text) as Record<string, any>;
  check(obj["type"] === "TYPE_KITTEN", "JSON carries the discriminator by its proto name");
  check(obj["cat"]["kitten"]["toy"] === "yarn", "JSON nests the parts as plain fields");
  check(sameBytes(toBinary(AnimalSchema, fromJsonString(AnimalSchema, text)), bytes), "the JSON parses back");
}

function canonical(enclosure: Enclosure): string {
  return JSON.stringify(toJson(EnclosureSchema, enclosure) as JsonObject);
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
  console.error("usage: zoo_oneof.js demo | write FILE | read FILE...");
  process.exit(2);
}
