#!/usr/bin/env python3
"""Measures `iprotoc breaking` next to buf's WIRE and FILE breaking categories on the lowered
files, over every fixture pair of tests/breaking (standard library only).

usage: python3 scripts/breaking-vs-buf.py IPROTOC BUF

Each pair's truth is its `// expect:` line (non-empty: breaking), which the test suite proves on
the wire for every pair that can show it (data written with OLD, read with NEW). For each pair,
OLD and NEW are lowered with `iprotoc compile --proto_out`; buf compares the lowered trees
(`buf breaking NEW --against OLD`, once per category), iprotoc compares the sources
(`iprotoc breaking --against OLD`). The JSON columns (`iprotoc breaking --json`, buf's WIRE_JSON)
are scored against the JSON truth: breaking on the wire, or a `// json:` header line listing
codes (a name JSON data carries changed). Prints a Markdown table and the totals: breaks caught,
breaks missed, false alarms on safe pairs; a cell where the tool fails to run says so and counts
in no total.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAME = "zoo/v1/zoo.iproto"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def buf_flags(buf, new_out, old_out, category):
    config = json.dumps({"version": "v2", "breaking": {"use": [category]}})
    p = run([buf, "breaking", new_out, "--against", old_out, "--config", config,
             "--against-config", config], cwd=new_out)
    if p.returncode not in (0, 100):
        return (p.stderr or p.stdout).strip().splitlines()[0]
    return p.returncode == 100


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    iprotoc, buf = (os.path.abspath(a) for a in sys.argv[1:])
    cases = sorted(d for d in os.listdir(os.path.join(ROOT, "tests/breaking"))
                   if os.path.isdir(os.path.join(ROOT, "tests/breaking", d)))
    columns = ["iprotoc", "buf WIRE", "buf FILE", "iprotoc --json", "buf WIRE_JSON"]
    json_columns = {"iprotoc --json", "buf WIRE_JSON"}
    totals = {c: {"caught": 0, "missed": 0, "false alarms": 0} for c in columns}
    errors = []
    print("| pair | breaking | JSON | " + " | ".join(columns) + " |")
    print("|---|---|---|" + "---|" * len(columns))
    for case in cases:
        src = os.path.join(ROOT, "tests/breaking", case)
        texts = {side: open(os.path.join(src, side + ".iproto")).read() for side in ("old", "new")}
        lines = texts["new"].splitlines()
        truth = bool(lines[0].removeprefix("// expect:").split())
        json_truth = truth or any(
            line.startswith("// json:") and line.removeprefix("// json:").split()
            for line in lines if line.startswith("//"))
        with tempfile.TemporaryDirectory() as tmp:
            for side, text in texts.items():
                write(os.path.join(tmp, side, NAME), text)
                p = run([iprotoc, "compile", "--proto_out", os.path.join(tmp, side + "_out"),
                         NAME], cwd=os.path.join(tmp, side))
                if p.returncode != 0:
                    sys.exit(f"{case}/{side}: iprotoc compile failed:\n{p.stderr}")
            p = run([iprotoc, "breaking", "--against", "../old", NAME],
                    cwd=os.path.join(tmp, "new"))
            verdicts = {"iprotoc": p.returncode == 1 and "error[" in p.stderr}
            p = run([iprotoc, "breaking", "--json", "--against", "../old", NAME],
                    cwd=os.path.join(tmp, "new"))
            verdicts["iprotoc --json"] = p.returncode == 1 and "error[" in p.stderr
            for category in ("WIRE", "FILE", "WIRE_JSON"):
                verdicts["buf " + category] = buf_flags(
                    buf, os.path.join(tmp, "new_out"), os.path.join(tmp, "old_out"), category)
        cells = []
        for c in columns:
            v = verdicts[c]
            if isinstance(v, str):
                errors.append(f"`{case}`, {c}: {v}")
                cells.append("error")
                continue
            t = json_truth if c in json_columns else truth
            if t:
                totals[c]["caught" if v else "missed"] += 1
            elif v:
                totals[c]["false alarms"] += 1
            cells.append(("flags" if v else "passes") + ("" if v == t else " ✗"))
        print(f"| `{case}` | {'yes' if truth else 'no'} | {'yes' if json_truth else 'no'} | "
              + " | ".join(cells) + " |")
    print()
    print("| | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for k in ("caught", "missed", "false alarms"):
        print(f"| {k} | " + " | ".join(str(totals[c][k]) for c in columns) + " |")
    print(f"\n{len(cases)} pairs")
    if errors:
        print("\nerrors (in no total):\n")
        for e in errors:
            print(f"- {e}")


if __name__ == "__main__":
    main()
