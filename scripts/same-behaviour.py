#!/usr/bin/env python3
"""Checks that two iprotoc binaries behave identically: for refactors that promise "no change in
behaviour" (standard library only).

usage: python3 scripts/same-behaviour.py OLD_IPROTOC NEW_IPROTOC [--corpus DIR] [--jobs N]

Every case runs both binaries in fresh temporary directories and compares, byte for byte, the
exit code, stdout, stderr and every file written:

- each `.iproto` and `.proto` under tests/ and examples/ (its own directory, then tests/ui and
  examples, as include directories):
  - `compile --proto_out --include_imports --include_source_info -o`, in both styles, with
    diagnostics as JSON (every diagnostic, with its help);
  - `check` (every lint rule), in the human format;
- each row of the real-world corpus (`--corpus`, else $IPROTOC_CORPUS, else ../shared/corpus
  beside the checkout; skipped with a note when there is none): `compile -o` with and without
  `--include_imports --include_source_info`, and each rejection case of `invalid/`.

Prints the cases that differ and a summary; exits 0 only when every case agrees.
"""
import argparse
import concurrent.futures as cf
import csv
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(binary, args, cwd):
    """Runs `binary args` in a fresh output directory; returns everything it produced."""
    with tempfile.TemporaryDirectory() as out:
        full = [binary] + [a.replace("{OUT}", out) for a in args]
        try:
            p = subprocess.run(full, cwd=cwd, capture_output=True, timeout=120)
            result = [("exit", p.returncode), ("stdout", p.stdout), ("stderr", p.stderr)]
        except subprocess.TimeoutExpired:
            result = [("exit", "timeout")]
        for dirpath, _, names in sorted(os.walk(out)):
            for n in sorted(names):
                path = os.path.join(dirpath, n)
                with open(path, "rb") as f:
                    result.append((os.path.relpath(path, out), f.read()))
        return result


def compare(old, new, label, args, cwd):
    a, b = run(old, args, cwd), run(new, args, cwd)
    if a == b:
        return None
    da, db = dict(a), dict(b)
    for key in sorted(set(da) | set(db), key=str):
        if da.get(key) != db.get(key):
            return f"{label}: {key} differs ({' '.join(args)})"
    return f"{label}: outputs differ in order"


def fixture_cases():
    for top in ("tests", "examples"):
        for dirpath, dirs, names in os.walk(os.path.join(ROOT, top)):
            dirs[:] = sorted(d for d in dirs if d not in ("target", "node_modules", "gen"))
            for n in sorted(names):
                if not n.endswith((".iproto", ".proto")):
                    continue
                rel = os.path.relpath(dirpath, ROOT)
                includes = ["-I", rel, "-I", "tests/ui", "-I", "examples"]
                name = n
                for style in ("extensions", "oneof"):
                    yield (f"{rel}/{n} compile --style {style}", [
                        "compile", *includes, "--style", style, "--error-format", "json",
                        "--proto_out", "{OUT}/proto", "-o", "{OUT}/set.pb",
                        "--include_imports", "--include_source_info", name,
                    ], ROOT)
                yield (f"{rel}/{n} check", ["check", *includes, name], ROOT)


def corpus_cases(corpus):
    with open(os.path.join(corpus, "manifest.tsv"), newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            roots = [x for x in r["include_roots"].split(":") if x != "_wkt"]
            includes = [a for x in roots for a in ("-I", x)]
            name = r["virtual_name"] or r["path"]
            label = f'corpus {r["set"]}/{r["path"]}'
            yield (label, ["compile", *includes, "-o", "{OUT}/set.pb", name], corpus)
            yield (label + " (imports, source info)", [
                "compile", *includes, "--error-format", "json", "-o", "{OUT}/set.pb",
                "--include_imports", "--include_source_info", name,
            ], corpus)
    invalid = os.path.join(corpus, "invalid", "manifest.tsv")
    if os.path.exists(invalid):
        with open(invalid, newline="") as f:
            for r in csv.DictReader(f, delimiter="\t"):
                d = os.path.join(corpus, r["dir"])
                yield (f'corpus invalid/{r["case"]}', [
                    "compile", "-I", d, "--error-format", "json", "-o", "{OUT}/set.pb",
                    *r["files"].split(),
                ], corpus)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--corpus")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    old, new = os.path.abspath(args.old), os.path.abspath(args.new)
    corpus = args.corpus or os.environ.get("IPROTOC_CORPUS") or os.path.join(ROOT, "..", "shared", "corpus")
    cases = list(fixture_cases())
    if os.path.exists(os.path.join(corpus, "manifest.tsv")):
        cases += list(corpus_cases(os.path.abspath(corpus)))
    else:
        print(f"no corpus at {corpus}: fixtures and examples only")
    with cf.ThreadPoolExecutor(args.jobs) as pool:
        diffs = [d for d in pool.map(lambda c: compare(old, new, *c), cases) if d]
    for d in diffs:
        print(d)
    print(f"{len(cases) - len(diffs)} same, {len(diffs)} different")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
