#!/usr/bin/env bash
# The HTTP API (`sitrep serve`) against a real server on loopback: every
# endpoint, filter, format, token, limit and error of docs/API.md, on
# SQLite and (when SITREP_TEST_PG holds a server URL) on PostgreSQL. The
# checks live in serve_check.py (python3, standard library only).
#
#   bash tests/cli/serve.sh BIN SRC SHARED
set -u
bin=$1 src=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "skip: python3 not found"; exit 77; }
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
tmp=$(mktemp -d)
prefix=sr_s_$$
pg=${SITREP_TEST_PG:-}
cleanup() {
    if [ -n "$pg" ] && command -v psql >/dev/null; then
        psql -X -q -d "$pg" -c "DROP DATABASE IF EXISTS ${prefix}_serve WITH (FORCE)" >/dev/null 2>&1
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# the API is reached directly, never through a proxy from the environment
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

status=0
python3 "$here/serve_check.py" "$bin" "$src" "$tmp" sqlite || status=1
if [ -z "$pg" ]; then
    echo "skip postgresql: SITREP_TEST_PG not set"
elif ! command -v psql >/dev/null; then
    echo "FAIL postgresql: SITREP_TEST_PG is set but psql is not installed"
    status=1
else
    python3 "$here/serve_check.py" "$bin" "$src" "$tmp" postgresql "$pg" "$prefix" || status=1
fi
exit $status
