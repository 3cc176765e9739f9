#!/usr/bin/env bash
# The runtime guide's programs (docs/usage.md, examples/runtimes/), run for real: iprotoc lowers
# examples/zoo.iproto in both styles, protoc from PyPI's grpcio-tools generates Python code from
# iprotoc's descriptor set, iprotoc runs protoc-gen-es from npm for TypeScript, and each program builds a Kitten (Animal -> Cat ->
# Kitten), reads it back and dispatches on `type`. Then every program reads the enclosure every
# program wrote: Python <-> TypeScript, extension style <-> oneof style. Any mismatch exits non-zero.
#
# Needs Rust, Python 3 with pip, Node 20+ with npm, and the PyPI and npm registries. Installs into a
# temporary venv and examples/runtimes/typescript/node_modules; generated code goes to the
# gitignored gen/ and dist/ directories under examples/runtimes; bytes to a temporary directory.
# Set IPROTOC=/path/to/iprotoc to use an iprotoc already built.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
examples=$root/examples/runtimes

for tool in python3 node npm; do
    command -v "$tool" >/dev/null || { echo "runtimes.sh: \`$tool\` is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. iprotoc: the debug build, which `cargo test` has already built in CI.
if [[ -z "${IPROTOC:-}" ]]; then
    cargo build --locked --quiet --bin iprotoc
    target_dir=$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    IPROTOC=$target_dir/debug/iprotoc
fi

# 2. The runtimes, at the versions pinned in the examples.
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$examples/python/requirements.txt"
python=$work/venv/bin/python
(cd "$examples/typescript" && npm ci --silent --no-audit --no-fund)

# 3. The two-step path of docs/usage.md: iprotoc writes a descriptor set with its imports, protoc
#    generates code from it (--descriptor_set_in), once per style.
"$IPROTOC" compile --error-format short -I examples -o "$work/zoo.pb" --include_imports examples/zoo.iproto
"$IPROTOC" compile --error-format short -I examples --style oneof -o "$work/zoo-oneof.pb" --include_imports examples/zoo.iproto
rm -rf "$examples/python/gen" "$examples/typescript/gen" "$examples/typescript/dist"
for style in ext oneof; do
    pb=$work/zoo.pb
    [[ $style == oneof ]] && pb=$work/zoo-oneof.pb
    mkdir -p "$examples/python/gen/$style" "$examples/typescript/gen/$style"
    "$python" -m grpc_tools.protoc --descriptor_set_in="$pb" \
        --python_out="$examples/python/gen/$style" zoo.proto
done
# TypeScript through iprotoc itself, which runs protoc-gen-es as protoc would (a third-party
# plugin end to end: the TypeScript programs' bytes are read by the Python ones below).
for style in ext oneof; do
    flag=extensions
    [[ $style == oneof ]] && flag=oneof
    "$IPROTOC" compile --error-format short -I examples --style "$flag" \
        --plugin=protoc-gen-es="$examples/typescript/node_modules/.bin/protoc-gen-es" \
        --es_out="$examples/typescript/gen/$style" --es_opt=target=ts,import_extension=js \
        examples/zoo.iproto
done
(cd "$examples/typescript" && npx --no-install tsc -p .)

# 4. The programs. Each one: name, then the command that runs it.
programs=(py-ext py-oneof ts-ext ts-oneof)
run() {
    case $1 in
        py-ext) "$python" "$examples/python/zoo_ext.py" "${@:2}" ;;
        py-oneof) "$python" "$examples/python/zoo_oneof.py" "${@:2}" ;;
        ts-ext) node "$examples/typescript/dist/zoo_ext.js" "${@:2}" ;;
        ts-oneof) node "$examples/typescript/dist/zoo_oneof.js" "${@:2}" ;;
    esac
}

passed=0
for program in "${programs[@]}"; do
    echo "== $program demo"
    run "$program" demo
    passed=$((passed + 1))
done

# 5. Cross-runtime: every program writes the sample enclosure, every program reads all four files
#    (each asserts that what it parsed equals the enclosure it builds itself), and all four
#    readers must describe them alike.
files=()
for program in "${programs[@]}"; do
    run "$program" write "$work/$program.bin"
    files+=("$work/$program.bin")
done
for program in "${programs[@]}"; do
    run "$program" read "${files[@]}" >"$work/$program.txt"
    passed=$((passed + 1))
done
for program in "${programs[@]:1}"; do
    if ! diff -u "$work/${programs[0]}.txt" "$work/$program.txt"; then
        echo "runtimes.sh: ${programs[0]} and $program read the enclosures differently" >&2
        exit 1
    fi
done
echo "== every program read every program's enclosure, extension and oneof style alike:"
cat "$work/${programs[0]}.txt"
distinct=$(for f in "${files[@]}"; do sha256sum "$f" | cut -c1-16; done | sort -u | wc -l)
echo "(the four writers' bytes: $distinct distinct encoding(s))"

# 6. A hierarchy across files and packages (examples/aquarium: the root aquarium.Fish registers
#    aquarium.sharks.Shark and .Hammerhead): Python code from each style's descriptor set; each
#    style writes the sample tank, and each reads both files (extension <-> oneof, across the
#    two packages, at every level).
aq_inputs=(examples/aquarium/fish.iproto examples/aquarium/sharks/shark.iproto)
for style in ext oneof; do
    flag=extensions
    [[ $style == oneof ]] && flag=oneof
    "$IPROTOC" compile --error-format short -I examples --style "$flag" -o "$work/aquarium-$style.pb" \
        --include_imports "${aq_inputs[@]}"
    mkdir -p "$examples/python/gen/aquarium-$style"
    "$python" -m grpc_tools.protoc --descriptor_set_in="$work/aquarium-$style.pb" \
        --python_out="$examples/python/gen/aquarium-$style" aquarium/fish.proto aquarium/sharks/shark.proto
done
for style in ext oneof; do
    echo "== py-$style aquarium demo"
    "$python" "$examples/python/fish_tank.py" "$style" demo
    "$python" "$examples/python/fish_tank.py" "$style" write "$work/aquarium-$style.bin"
done
for style in ext oneof; do
    "$python" "$examples/python/fish_tank.py" "$style" read "$work/aquarium-ext.bin" "$work/aquarium-oneof.bin" \
        >"$work/aquarium-$style.txt"
    passed=$((passed + 1))
done
if ! diff -u "$work/aquarium-ext.txt" "$work/aquarium-oneof.txt"; then
    echo "runtimes.sh: the two styles read the aquarium differently" >&2
    exit 1
fi
echo "== both styles read both styles' tanks, across packages:"
cat "$work/aquarium-ext.txt"
echo "runtimes: $passed passed, 0 failed"
