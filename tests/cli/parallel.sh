#!/usr/bin/env bash
# -j N must print exactly what -j 1 prints, warnings and errors included,
# on the bundled examples and on a feed with bad lines and bad UTF-8.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
{
    for i in $(seq 1 40); do
        printf '{"id":"d%d","published":"2025-04-%02d","text":"Russian forces advanced near Lyman on Tuesday. Ukraine said it shot down %d drones."}\n' "$i" $((i % 28 + 1)) "$i"
        [ $((i % 7)) = 0 ] && printf '{"id": broken\n'
        [ $((i % 11)) = 0 ] && printf '{"id":"u%d","text":"Kyiv \xff said the talks failed."}\n' "$i"
    done
} >"$tmp/feed.jsonl"
for input in "$src/examples" "$tmp/feed.jsonl"; do
    "$bin" code -j 1 "$input" >"$tmp/one.out" 2>"$tmp/one.err"; rc1=$?
    for j in 2 3 8; do
        "$bin" code -j "$j" "$input" >"$tmp/many.out" 2>"$tmp/many.err"; rcj=$?
        if cmp -s "$tmp/one.out" "$tmp/many.out" && cmp -s "$tmp/one.err" "$tmp/many.err" && [ $rc1 = $rcj ]; then
            pass=$((pass+1))
        else
            fail=$((fail+1)); echo "FAIL: -j $j differs from -j 1 on $input"
            diff "$tmp/one.err" "$tmp/many.err" | head -5
        fi
    done
done
[ -s "$tmp/one.out" ] && pass=$((pass+1)) || { echo "FAIL: no events from the feed"; fail=$((fail+1)); }
echo "$pass passed, $fail failed"
[ $fail = 0 ]
