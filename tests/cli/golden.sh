#!/usr/bin/env bash
# Golden tests: the full JSON of every event for the sentences in
# tests/spec/golden.txt must equal tests/spec/golden.expected.jsonl byte for
# byte. After a deliberate change, regenerate with
#   UPDATE=1 bash tests/cli/golden.sh build/sitrep . ../shared
# and review the diff. Seed sentences from ../shared are checked against
# tests/spec/seeds.expected.jsonl the same way, with each sentence stored as
# a SHA-1 (the articles are not ours to copy); skipped where ../shared is absent.
set -u
bin=$1 src=$2 shared=$3
spec=$src/tests/spec
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

"$bin" code -q -j 1 --published 2025-04-12 "$spec/golden.txt" >"$tmp/golden.jsonl" || { echo "sitrep code failed"; exit 1; }
if [ "${UPDATE:-}" = 1 ]; then cp "$tmp/golden.jsonl" "$spec/golden.expected.jsonl"; fi
if diff -u "$spec/golden.expected.jsonl" "$tmp/golden.jsonl" >"$tmp/diff"; then
    pass=$((pass+1)); echo "ok golden.txt ($(wc -l <"$tmp/golden.jsonl") events)"
else
    fail=$((fail+1)); echo "FAIL golden.txt differs:"; head -40 "$tmp/diff"
fi

if [ -d "$shared/corpus/seeds" ]; then
    "$bin" code -q -j 1 "$shared/corpus/seeds" | python3 "$src/tests/cli/hash_sentences.py" >"$tmp/seeds.jsonl"
    if [ "${UPDATE:-}" = 1 ]; then cp "$tmp/seeds.jsonl" "$spec/seeds.expected.jsonl"; fi
    if diff -u "$spec/seeds.expected.jsonl" "$tmp/seeds.jsonl" >"$tmp/diff"; then
        pass=$((pass+1)); echo "ok seed sentences ($(wc -l <"$tmp/seeds.jsonl") events)"
    else
        fail=$((fail+1)); echo "FAIL seed sentences differ:"; head -40 "$tmp/diff"
    fi
else
    echo "skip: $shared/corpus/seeds not present (seed golden test)"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
