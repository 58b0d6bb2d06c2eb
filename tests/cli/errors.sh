#!/usr/bin/env bash
# Bad input and usage: clear messages naming file and line, the documented
# exit codes (0 ok, 1 some input rejected, 2 usage/output error, 3 bad
# dictionary), and no crash. Each check prints what it tested.
set -u
bin=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
check() { # name expected-status command...
    local name=$1 want=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" = "$want" ]; then pass=$((pass+1)); else
        echo "FAIL $name: exit $got, expected $want"; cat "$tmp/err"; fail=$((fail+1)); fi
}
grep_err() { # name pattern
    if grep -q -- "$2" "$tmp/err"; then pass=$((pass+1)); else
        echo "FAIL $1: stderr lacks '$2'"; cat "$tmp/err"; fail=$((fail+1)); fi
}

check help 0 "$bin" code --help
grep -q "usage: sitrep code" "$tmp/out" && pass=$((pass+1)) || { echo "FAIL help text"; fail=$((fail+1)); }
check no-command 2 "$bin"
check unknown-command 2 "$bin" frobnicate
grep_err unknown-command "unknown command 'frobnicate'"
check unknown-flag 2 "$bin" code --bogus x.txt
grep_err unknown-flag "unknown option '--bogus'"
check no-input 2 "$bin" code
check bad-jobs 2 "$bin" code -j 0 x.txt
check bad-published 2 "$bin" code --published 2025-13-45 x.txt

check missing-file 1 "$bin" code "$tmp/nope.txt"
grep_err missing-file "nope.txt"

printf 'Russian forces shelled Kharkiv on Monday.\n' >"$tmp/good.txt"
printf '{"id":"a","text":"Ukrainian forces advanced near Pokrovsk."}\n{not json\n{"text":"no id"}\n{"id":"b","text":"Russian forces advanced near Lyman."}\n' >"$tmp/feed.jsonl"
check bad-jsonl-line 1 "$bin" code "$tmp/feed.jsonl"
grep_err bad-jsonl-line "feed.jsonl:2:"
grep_err bad-jsonl-line-id "feed.jsonl:3:"
n=$(grep -c '"doc":"b"' "$tmp/out"); [ "$n" -ge 1 ] && pass=$((pass+1)) || { echo "FAIL: lines after a bad JSONL line were not coded"; fail=$((fail+1)); }

printf 'Russian forces \xff\xfe advanced near Lyman.\n' >"$tmp/bad-utf8.txt"
check invalid-utf8 0 "$bin" code "$tmp/bad-utf8.txt"
grep_err invalid-utf8 "bad-utf8: invalid UTF-8 at byte 15"

head -c 200000 /dev/urandom >"$tmp/binary.txt"
check binary 0 "$bin" code -q "$tmp/binary.txt"

python3 -c "print('Russian forces advanced near Lyman and ' * 200000)" >"$tmp/huge-line.txt"
check huge-line 0 "$bin" code -q "$tmp/huge-line.txt"

printf '<html><body><p>Russian forces <b>advanced near Lyman.<div><p>Unclosed <script>alert(1)' >"$tmp/broken.html"
check broken-html 0 "$bin" code "$tmp/broken.html"
grep -q 'alert' "$tmp/out" && { echo "FAIL: script text leaked"; fail=$((fail+1)); } || pass=$((pass+1))

printf '{"id":"s","text":"Russian forces advanced near Lyman."}\n' | "$bin" code - >"$tmp/out" 2>"$tmp/err"
[ $? = 0 ] && grep -q '"doc":"s"' "$tmp/out" && pass=$((pass+1)) || { echo "FAIL stdin"; fail=$((fail+1)); }

if [ -w /dev/full ]; then
    "$bin" code "$tmp/good.txt" >/dev/full 2>"$tmp/err"; rc=$?
    [ $rc = 2 ] && grep -q "write error" "$tmp/err" && pass=$((pass+1)) || { echo "FAIL full disk: exit $rc"; cat "$tmp/err"; fail=$((fail+1)); }
fi

mkdir -p "$tmp/dict" && cp -r "$src/dict/." "$tmp/dict/"
printf '999  advance\n' >>"$tmp/dict/verbs/19_fight.txt"
line=$(wc -l <"$tmp/dict/verbs/19_fight.txt")
check bad-dict 3 "$bin" dict check --dict "$tmp/dict"
grep_err bad-dict "19_fight.txt:$line: unknown CAMEO code '999'"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
