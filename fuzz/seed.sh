#!/usr/bin/env bash
# Seeds each target's corpus (fuzz/corpus/<target>, not committed) from the test fixtures and
# examples. Usage: fuzz/seed.sh [target...]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(lex parse compile structured)
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    [ "$t" = structured ] && continue # its inputs are generator choices, not text
    find ../tests/ui ../tests/hostile ../tests/fixtures ../examples -maxdepth 3 \( -name '*.iproto' -o -name '*.proto' \) \
        -size -64k -print0 |
        while IFS= read -r -d '' f; do
            cp "$f" "corpus/$t/seed-$(echo "$f" | tr '/.' '__')"
        done
done
