#!/usr/bin/env bash
# Interop with buf's breaking-change checker (docs/language.md, "Retired tags are reserved in
# `Type`"): a subclass retired the documented way (deleted, its tag `reserved` in its parent) must
# leave buf's WIRE category quiet on the lowered files, in both styles. iprotoc lowers a pair of
# versions (v1: Animal > Cat > Kitten, Animal > Dog; v2: Kitten and Dog retired) into two
# `--proto_out` trees, and `buf breaking v2 --against v1` runs with WIRE rules only.
#
# Two controls show that buf really looks: v2 with the generated `reserved` line of `Type` deleted
# by hand (what iprotoc wrote before it reserved retired tags) must be flagged with
# ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED, and a v2 that deletes Kitten without reserving its
# tag must be flagged too.
#
# Needs Rust, Node with npm and the npm registry (buf comes from npm's @bufbuild/buf, pinned).
# Set IPROTOC=/path/to/iprotoc to use an iprotoc already built, BUF=/path/to/buf to skip npm.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -z "${IPROTOC:-}" ]]; then
    cargo build --locked --quiet --bin iprotoc
    target_dir=$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    IPROTOC=$target_dir/debug/iprotoc
fi
if [[ -z "${BUF:-}" ]]; then
    command -v npm >/dev/null || { echo "buf-retired-subclass.sh: \`npm\` is not installed" >&2; exit 1; }
    (cd "$work" && npm install --silent --no-audit --no-fund --no-save @bufbuild/buf@1.75.0 >/dev/null)
    BUF=$work/node_modules/.bin/buf
fi
echo "buf $("$BUF" --version), iprotoc $IPROTOC"

mkdir -p "$work/src/v1/zoo/v1" "$work/src/v2/zoo/v1" "$work/src/bad/zoo/v1"
cat >"$work/src/v1/zoo/v1/zoo.iproto" <<'EOF'
syntax = "proto2";
package zoo.v1;
message Animal {
  optional string name = 1;
  optional Type type = 99;
}
message Cat : Animal = 100 { optional bool declawed = 1; }
message Kitten : Cat = 101 { optional string toy = 1; }
message Dog : Animal = 102 { optional uint32 bones = 1; }
EOF
# Kitten and Dog retired: deleted, their tags reserved in their parents.
cat >"$work/src/v2/zoo/v1/zoo.iproto" <<'EOF'
syntax = "proto2";
package zoo.v1;
message Animal {
  reserved 102;  // Dog, retired
  optional string name = 1;
  optional Type type = 99;
}
message Cat : Animal = 100 {
  reserved 101;  // Kitten, retired
  optional bool declawed = 1;
}
EOF
# Kitten deleted without reserving its tag: a real hazard, which buf must report.
cat >"$work/src/bad/zoo/v1/zoo.iproto" <<'EOF'
syntax = "proto2";
package zoo.v1;
message Animal {
  reserved 102;  // Dog, retired
  optional string name = 1;
  optional Type type = 99;
}
message Cat : Animal = 100 { optional bool declawed = 1; }
EOF

wire='{"version":"v2","breaking":{"use":["WIRE"]}}'
status=0
for style in extensions oneof; do
    for v in v1 v2 bad; do
        "$IPROTOC" compile --error-format short --style "$style" -I "$work/src/$v" \
            --proto_out "$work/$style/$v" "$work/src/$v/zoo/v1/zoo.iproto"
    done
    echo "--- $style style: the Type enum of v2"
    sed -n '/enum Type {/,/^  }/p' "$work/$style/v2/zoo/v1/zoo.proto"

    # 1. Retired the documented way: quiet.
    if out=$("$BUF" breaking "$work/$style/v2" --against "$work/$style/v1" --config "$wire" 2>&1); then
        echo "ok: $style: buf WIRE is quiet on the retired subclasses"
    else
        echo "FAIL: $style: buf WIRE flags the retired subclasses:"; echo "$out"; status=1
    fi

    # 2. Control: the same v2 without the generated `reserved` line in `Type`.
    cp -r "$work/$style/v2" "$work/$style/v2-unreserved"
    python3 - "$work/$style/v2-unreserved/zoo/v1/zoo.proto" <<'EOF'
import re, sys
path = sys.argv[1]
text = open(path).read()
start = text.index("enum Type {")
end = text.index("\n  }", start)
body = re.sub(r"\n *//[^\n]*\n *reserved [^\n]*;", "", text[start:end], count=1)
assert body != text[start:end], "no reserved statement in Type"
open(path, "w").write(text[:start] + body + text[end:])
EOF
    if out=$("$BUF" breaking "$work/$style/v2-unreserved" --against "$work/$style/v1" --config "$wire" --error-format json 2>&1); then
        echo "FAIL: $style: buf WIRE is quiet without the reserved tags: the control proves nothing"; status=1
    elif grep -q '"type":"ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"' <<<"$out"; then
        echo "ok: $style: without them, buf WIRE reports ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED"
    else
        echo "FAIL: $style: unexpected buf output:"; echo "$out"; status=1
    fi

    # 3. Control: Kitten deleted without `reserved 101;`.
    if out=$("$BUF" breaking "$work/$style/bad" --against "$work/$style/v1" --config "$wire" 2>&1); then
        echo "FAIL: $style: buf WIRE is quiet on an unreserved deletion"; status=1
    else
        echo "ok: $style: an unreserved deletion is reported:"; sed 's/^/    /' <<<"$out"
    fi
done
exit $status
