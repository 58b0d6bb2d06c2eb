#!/usr/bin/env bash
# `sitrep place` and `sitrep date`: answers, exit codes, bad gazetteers.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL $*"; }

out=$("$bin" place Pokrovsk --prefer UKR); rc=$?
[ $rc = 0 ] && echo "$out" | head -1 | grep -q "^Pokrovsk	48\.2" && ok || bad "place Pokrovsk: $rc $out"
"$bin" place Qwxzzyq >/dev/null 2>&1; [ $? = 1 ] && ok || bad "unknown place should exit 1"
"$bin" place >/dev/null 2>&1; [ $? = 2 ] && ok || bad "place without a name should exit 2"
printf 'not an index' >"$tmp/bad.idx"
SITREP_GAZETTEER=$tmp/bad.idx "$bin" place Kyiv >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 3 ] && grep -q "bad.idx" "$tmp/err" && ok || bad "corrupt index: exit $rc $(cat "$tmp/err")"
printf '{"id":"a","text":"Russian forces advanced near Lyman."}\n' >"$tmp/a.jsonl"
"$bin" code --gazetteer "$tmp/missing.idx" "$tmp/a.jsonl" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 3 ] && grep -q "missing.idx" "$tmp/err" && ok || bad "missing index for code: exit $rc"

out=$("$bin" date "on Tuesday" --published 2025-03-20); rc=$?
[ $rc = 0 ] && [ "$out" = "2025-03-18 day" ] && ok || bad "date on Tuesday: $rc '$out'"
out=$("$bin" date "last week" --published 2025-03-20)
echo "$out" | grep -q " week$" && ok || bad "date last week: '$out'"
"$bin" date "banana" --published 2025-03-20 >/dev/null; [ $? = 1 ] && ok || bad "unresolvable date should exit 1"
"$bin" date "on Tuesday" --published 2025-02-30 >/dev/null 2>&1; [ $? = 2 ] && ok || bad "bad --published should exit 2"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
