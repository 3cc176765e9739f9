#!/usr/bin/env bash
# Seeds each target's corpus (fuzz/corpus/<target>, not committed) from the test fixtures and
# examples. Usage: fuzz/seed.sh [target...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(lex parse compile structured differential)
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    # Their inputs are generator choices, not text: random bytes of a generous length.
    if [ "$t" = structured ] || [ "$t" = differential ]; then
        for i in $(seq 1 16); do
            [ -e "corpus/$t/seed-random-$i" ] || head -c 4096 /dev/urandom >"corpus/$t/seed-random-$i"
        done
        continue
    fi
    find ../tests/ui ../tests/hostile ../tests/fixtures ../examples -maxdepth 3 \( -name '*.iproto' -o -name '*.proto' \) \
        -size -64k -print0 |
        while IFS= read -r -d '' f; do
            cp "$f" "corpus/$t/seed-$(echo "$f" | tr '/.' '__')"
        done
done
