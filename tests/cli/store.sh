#!/usr/bin/env bash
# The store: ingest (idempotent, changed documents, duplicate clustering,
# crash safety), every `sitrep events` filter and export format, show,
# stats, schema migrations, bad databases and the worker queue.
#
#   bash tests/cli/store.sh BIN SRC SHARED
#
# Runs every check against SQLite, then against PostgreSQL when
# SITREP_TEST_PG holds a server URL (a throwaway database: the test creates
# its own databases sr_t_<pid>_* on that server and drops them). The checks
# live in store_check.py (python3, standard library only); each prints
# PASS or FAIL, and the exit status is 1 when any failed.
set -u
bin=$1 src=$2 shared=${3:-$2/../shared}
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "skip: python3 not found"; exit 77; }
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
prefix=sr_t_$$
pg=${SITREP_TEST_PG:-}
cleanup() {
    if [ -n "$pg" ] && command -v psql >/dev/null; then
        for db in $(psql -X -A -t -d "$pg" -c \
                "SELECT datname FROM pg_database WHERE datname LIKE '${prefix}\\_%'" 2>/dev/null); do
            psql -X -q -d "$pg" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
        done
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
start=$(date +%s)
python3 "$here/store_check.py" "$bin" "$src" "$shared" "$tmp" sqlite || status=1

if [ -z "$pg" ]; then
    echo "skip postgresql: SITREP_TEST_PG not set"
elif ! command -v psql >/dev/null; then
    echo "FAIL postgresql: SITREP_TEST_PG is set but psql is not installed"
    status=1
elif ! psql -X -q -d "$pg" -c "SELECT 1" >/dev/null 2>"$tmp/psql.err"; then
    echo "FAIL postgresql: cannot reach SITREP_TEST_PG: $(cat "$tmp/psql.err")"
    status=1
else
    python3 "$here/store_check.py" "$bin" "$src" "$shared" "$tmp" postgresql "$pg" "$prefix" || status=1
    # both backends store the same events from the same corpus
    if [ -f "$tmp/sqlite.events.jsonl" ] && [ -f "$tmp/pg.events.jsonl" ]; then
        if python3 - "$tmp/sqlite.events.jsonl" "$tmp/pg.events.jsonl" <<'PY'
import json, sys
def load(p):
    out = []
    for line in open(p):
        e = json.loads(line)
        e.pop("ingested_at", None)
        out.append(e)
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    diff = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    print(f"  {len(a)} vs {len(b)} events; first difference at row {diff}:")
    if diff < len(a): print("  sqlite:", json.dumps(a[diff])[:600])
    if diff < len(b): print("  pg:    ", json.dumps(b[diff])[:600])
    sys.exit(1)
PY
        then echo "PASS sqlite and postgresql store the same events for examples/"
        else echo "FAIL sqlite and postgresql store different events for examples/"; status=1; fi
    fi
fi
echo "store tests took $(( $(date +%s) - start )) s"
exit $status
