"""A hierarchy across packages in Python: examples/aquarium (the root `aquarium.Fish` registers
`aquarium.sharks.Shark` and `aquarium.sharks.Hammerhead`, declared in another file and package).

One process loads one style's generated code (both define `aquarium.Fish`, and protobuf's Python
runtime has one descriptor pool per process), so each run names its style:

    python fish_tank.py ext demo              # build a hammerhead, round-trip it, print it
    python fish_tank.py oneof write FILE      # write the sample tank
    python fish_tank.py ext read FILE...      # read tanks written in either style

The code is generated from iprotoc's descriptor sets into gen/aquarium-ext and
gen/aquarium-oneof (.ci/runtimes.sh shows the commands).
"""

import os
import sys

STYLE = sys.argv[1] if len(sys.argv) > 1 else ""
if STYLE not in ("ext", "oneof"):
    raise SystemExit(__doc__)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "gen", f"aquarium-{STYLE}"))

from aquarium.fish_pb2 import Fish, Goldfish, Tank  # noqa: E402
from aquarium.sharks.shark_pb2 import Hammerhead, Shark  # noqa: E402


def hammerhead(name, length, teeth, head_width):
    """A Hammerhead: the root's `type`, then each level's part inside its parent's."""
    fish = Fish(name=name, length_cm=length, type=Fish.TYPE_HAMMERHEAD)
    if STYLE == "ext":
        shark = fish.Extensions[Shark.fish]  # the Shark part: an extension of Fish
        shark.teeth = teeth
        shark.Extensions[Hammerhead.shark].head_width_cm = head_width
    else:
        fish.shark.teeth = teeth  # the Shark part: a field of Fish's `oneof subtype`
        fish.shark.hammerhead.head_width_cm = head_width
    return fish


def goldfish(name, bowl):
    fish = Fish(name=name, type=Fish.TYPE_GOLDFISH)
    if STYLE == "ext":
        fish.Extensions[Goldfish.fish].bowl = bowl
    else:
        fish.goldfish.bowl = bowl
    return fish


def sample_tank():
    tank = Tank(id="reef-1")
    tank.fish.append(hammerhead("Hank", 350.0, 300, 90.0))
    tank.fish.append(goldfish("Goldie", "round"))
    tank.fish.append(Fish(name="Nemo", length_cm=8.5))  # a plain Fish: no `type`
    return tank


def parts(fish):
    """Each level's part, by the discriminator."""
    if STYLE == "ext":
        shark = fish.Extensions[Shark.fish] if fish.HasExtension(Shark.fish) else None
        gold = fish.Extensions[Goldfish.fish] if fish.HasExtension(Goldfish.fish) else None
        head = shark.Extensions[Hammerhead.shark] if shark and shark.HasExtension(Hammerhead.shark) else None
    else:
        shark = fish.shark if fish.WhichOneof("subtype") == "shark" else None
        gold = fish.goldfish if fish.WhichOneof("subtype") == "goldfish" else None
        head = shark.hammerhead if shark and shark.WhichOneof("subtype") == "hammerhead" else None
    return shark, head, gold


def describe(fish):
    shark, head, gold = parts(fish)
    text = f"{fish.name}: {{}}, {fish.length_cm:g} cm"
    if fish.type == Fish.TYPE_HAMMERHEAD and head is not None:
        return text.format("Hammerhead") + f", {shark.teeth} teeth, head {head.head_width_cm:g} cm"
    if fish.type == Fish.TYPE_SHARK and shark is not None:
        return text.format("Shark") + f", {shark.teeth} teeth"
    if fish.type == Fish.TYPE_GOLDFISH and gold is not None:
        return text.format("Goldfish") + f", lives in a {gold.bowl} bowl"
    return text.format("Fish")


def check(condition, what):
    if not condition:
        raise SystemExit(f"fish_tank.py {STYLE}: FAILED: {what}")


def demo():
    hank = hammerhead("Hank", 350.0, 300, 90.0)
    back = Fish.FromString(hank.SerializeToString())
    check(back == hank, "the hammerhead survives the round trip")
    check(back.type == Fish.TYPE_HAMMERHEAD, "the discriminator says Hammerhead")
    print(describe(back))


def main(argv):
    if argv[:1] == ["demo"] and len(argv) == 1:
        demo()
    elif argv[:1] == ["write"] and len(argv) == 2:
        with open(argv[1], "wb") as out:
            out.write(sample_tank().SerializeToString())
    elif argv[:1] == ["read"] and len(argv) >= 2:
        expected = sample_tank()
        for path in argv[1:]:
            with open(path, "rb") as f:
                tank = Tank.FromString(f.read())
            check(tank == expected, f"{path} holds the sample tank")
            print(f"{os.path.basename(path)}: {tank.id}")
            for fish in tank.fish:
                print("  " + describe(fish))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[2:])
