#!/usr/bin/env bash
# bench/store.sh: the store's benchmarks (sitrep ingest and sitrep events).
#
#   bench/store.sh [--events N] [--quick] [--pg URL [--pg-store-only]] [--runs N]
#                  [--build DIR] [--keep] [--queries-only TARGET]
#
#   --events N     size of the store to build, in deduplicated events (rows of
#                  the events table); default 1000000
#   --quick        a smoke run: 50000 events, 10 runs per query
#   --pg URL       also benchmark PostgreSQL (default: $SITREP_BENCH_PG). The
#                  script creates fresh databases there with psql (the URL's
#                  user must be allowed to) and drops them at the end. A
#                  throwaway server: bash tools/pg_test_cluster.sh start DIR PORT
#   --pg-store-only  with --pg, also the store-only run against PostgreSQL
#                  (as slow as the PostgreSQL ingest itself, so off by default)
#   --runs N       timed runs of each query (default 30)
#   --build DIR    the build directory (default build); nothing is built here
#   --keep         keep the end-to-end SQLite store (its directory is printed)
#                  and the PostgreSQL database
#   --queries-only TARGET   only the query benchmark, on an existing store
#                  (a SQLite file or a postgresql:// URL)
#
# What it does (bench/README.md, section "Store", has the details):
#   1. the feed: bench/make_events_corpus.py writes a synthetic JSONL news
#      feed big enough for N events, cached as bench/store_feed_DOCS.jsonl
#      (git-ignored) and reused while the generator and dictionaries are
#      unchanged;
#   2. baselines: `sitrep code -j2 FEED > /dev/null` (the coding alone) and,
#      if the sqlite3 CLI is there, SQLite's own bulk insert of as many plain
#      rows as the store gets mentions;
#   3. end to end: `sitrep ingest -j2` into a fresh SQLite file;
#   4. store only: bench/store_bench.c (compiled here against
#      BUILD/libsitrep.a) codes the feed untimed, then times sr_store_put;
#   5. queries: each typical filter RUNS times (`sitrep events ... --limit 100
#      --format jsonl`, process start-up included), p50 and p95;
#   6. with --pg, 3 and 5 again against PostgreSQL (4 with --pg-store-only).
# Floors (PASS/FAIL): ingest >= 50,000 events/s into SQLite (checked on the
# store-only rate, reported end to end as well); p50 < 50 ms for the three
# typical queries (one month + actor, 50 km radius, full text) on a store of
# >= 1,000,000 events. Benchmarks are not tests: the exit status is 0 whatever
# the timings, 2 when the benchmark cannot run.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=$repo/build
target_events=1000000
runs=30
quick=0
keep=0
pg_url=${SITREP_BENCH_PG:-}
pg_store_only=0
queries_only=
while [ $# -gt 0 ]; do
    case $1 in
        --events) target_events=${2:?--events needs a number}; shift 2 ;;
        --quick) quick=1; shift ;;
        --pg) pg_url=${2:?--pg needs a postgresql:// URL}; shift 2 ;;
        --pg-store-only) pg_store_only=1; shift ;;
        --runs) runs=${2:?--runs needs a number}; shift 2 ;;
        --build) build=${2:?--build needs a directory}; shift 2 ;;
        --keep) keep=1; shift ;;
        --queries-only) queries_only=${2:?--queries-only needs a store}; shift 2 ;;
        -h|--help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "store.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ "$quick" = 1 ]; then
    target_events=50000
    [ "$runs" = 30 ] && runs=10
fi
case $build in /*) ;; *) build=$PWD/$build ;; esac
case $target_events$runs in *[!0-9]*) echo "store.sh: --events and --runs take numbers" >&2; exit 2 ;; esac
sitrep=$build/sitrep
if [ ! -x "$sitrep" ]; then
    echo "store.sh: $sitrep not found; build first: cmake -S . -B build && cmake --build build" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "store.sh: python3 is needed" >&2; exit 2; }

t_script=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-store-bench.XXXXXX")
pg_dbs=()
cleanup() {
    if [ ${#pg_dbs[@]} -gt 0 ] && [ "$keep" = 0 ]; then
        for d in "${pg_dbs[@]}"; do
            psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1
        done
    fi
    if [ "$keep" = 1 ]; then echo "store.sh: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers --------------------------------------------------------------------

now() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi; }
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }
say() { printf '[%s +%ss] %s\n' "$(date +%H:%M:%S)" "$((SECONDS - t_script))" "$*"; }
pct() {  # pct P NUMBERS...: nearest-rank percentile
    local p=$1; shift
    printf '%s\n' "$@" | sort -g | awk -v p="$p" '{a[NR]=$1} END {
        r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; print a[r] }'
}
have_time_v=0
[ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1 && have_time_v=1
# timed OUT ERR CMD...: runs CMD with stdout to OUT and stderr to ERR; sets
# $elapsed (wall s), $rc, and with GNU time $cpu_s (user+sys) and $rss_mb.
timed() {
    local out=$1 err=$2 t0 t1; shift 2
    cpu_s=; rss_mb=
    t0=$(now)
    if [ "$have_time_v" = 1 ]; then
        /usr/bin/time -v -o "$work/time.txt" "$@" >"$out" 2>"$err"
        rc=$?
    else
        "$@" >"$out" 2>"$err"
        rc=$?
    fi
    t1=$(now)
    elapsed=$(calc "$t1 - $t0" 3)
    if [ "$have_time_v" = 1 ]; then
        cpu_s=$(awk -F': *' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$work/time.txt")
        rss_mb=$(awk -F': *' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
        local st; st=$(awk -F': *' '/Exit status/ {print $2}' "$work/time.txt")
        [ -n "$st" ] && rc=$st
    fi
}
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat 2>/dev/null || echo 0; }

# Row counts and size of a store: sets $n_events $n_mentions $n_docs $db_mb.
store_counts() {
    local target=$1
    case $target in
        postgres://*|postgresql://*)
            read -r n_events n_mentions n_docs db_mb < <(psql -qAt -F' ' "$target" -c \
                "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions),
                        (SELECT count(*) FROM documents),
                        round(pg_database_size(current_database()) / 1e6)")
            ;;
        *)
            read -r n_events n_mentions n_docs < <(python3 - "$target" <<'PY'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(*[c.execute("SELECT count(*) FROM %s" % t).fetchone()[0] for t in ("events", "mentions", "documents")])
PY
)
            db_mb=$(du -cb "$target" "$target-wal" "$target-shm" 2>/dev/null | awk 'END {printf "%.0f", $1 / 1e6}')
            ;;
    esac
}

# A database URL with another database name.
pg_with_db() {
    python3 - "$1" "$2" <<'PY'
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit((p.scheme, p.netloc, "/" + sys.argv[2], p.query, p.fragment)))
PY
}

# ---- the machine -------------------------------------------------------------------

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
machine="$(nproc) CPU(s), ${cpu_model:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo)"
echo "== sitrep store benchmark"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $machine"
echo "binary:   $sitrep (repository HEAD $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD -- src include 2>/dev/null || echo ', with uncommitted changes in src/ or include/'))"
echo "sqlite:   $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)' 2>/dev/null) (python's); library linked by sitrep: $(pkg-config --modversion sqlite3 2>/dev/null || echo '?')"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; other work on the machine skews timings)"
echo "work dir: $work"
echo

# ---- queries ------------------------------------------------------------------------

# The month of the date-range filters: in the middle of the feed's two years.
month_from=2025-06-01
month_to=2025-06-30
# Pokrovsk, a front-line town of the feed's Ukraine theatre.
near=48.2820,37.1758
declare -A q_p50 q_p95 q_rows q_rc
query_names=(startup actor_month near50 text actor cameo_month csv10k)
query_label() {
    case $1 in
        startup) echo "start-up: empty date range, --limit 1" ;;
        actor_month) echo "--since/--until 1 month + --actor RUS" ;;
        near50) echo "--near $near --radius 50" ;;
        text) echo "--text ceasefire" ;;
        actor) echo "--actor RUS" ;;
        cameo_month) echo "--cameo 19 + 1 month" ;;
        csv10k) echo "--format csv --limit 10000 (export)" ;;
    esac
}
query_args() {
    case $1 in
        startup) echo "--since 2099-01-01 --limit 1 --format jsonl" ;;
        actor_month) echo "--since $month_from --until $month_to --actor RUS --limit 100 --format jsonl" ;;
        near50) echo "--near $near --radius 50 --limit 100 --format jsonl" ;;
        text) echo "--text ceasefire --limit 100 --format jsonl" ;;
        actor) echo "--actor RUS --limit 100 --format jsonl" ;;
        cameo_month) echo "--cameo 19 --since $month_from --until $month_to --limit 100 --format jsonl" ;;
        csv10k) echo "--format csv --limit 10000" ;;
    esac
}
# run_queries PREFIX TARGET: fills q_p50[PREFIX.name] etc. (milliseconds)
run_queries() {
    local pre=$1 db=$2 name args i t0 t1 times
    for name in "${query_names[@]}"; do
        read -r -a args <<<"$(query_args "$name")"
        # one untimed run: checks the query and counts its rows
        "$sitrep" events --db "$db" "${args[@]}" >"$work/q.out" 2>"$work/q.err"
        q_rc[$pre.$name]=$?
        q_rows[$pre.$name]=$(wc -l <"$work/q.out")
        [ "$name" = csv10k ] && q_rows[$pre.$name]=$((q_rows[$pre.$name] - 1))
        if [ "${q_rc[$pre.$name]}" != 0 ]; then
            echo "  $name: exit status ${q_rc[$pre.$name]}: $(head -c 300 "$work/q.err")"
        fi
        times=()
        for ((i = 0; i < runs; i++)); do
            t0=$(now)
            "$sitrep" events --db "$db" "${args[@]}" >/dev/null 2>&1
            t1=$(now)
            times+=("$(calc "($t1 - $t0) * 1000" 2)")
        done
        q_p50[$pre.$name]=$(pct 50 "${times[@]}")
        q_p95[$pre.$name]=$(pct 95 "${times[@]}")
        printf '  %-44s rows %6s   p50 %8.1f ms   p95 %8.1f ms\n' "$(query_label "$name")" \
            "${q_rows[$pre.$name]}" "${q_p50[$pre.$name]}" "${q_p95[$pre.$name]}"
    done
}
query_floors() {  # query_floors PREFIX
    local pre=$1 name
    for name in actor_month near50 text; do
        local v=FAIL
        [ "${q_rc[$pre.$name]}" = 0 ] && [ "${q_rows[$pre.$name]}" -gt 0 ] && v=$(verdict "${q_p50[$pre.$name]} < 50")
        printf '  %-50s p50 %8.1f ms  %s\n' "$(query_label "$name") < 50 ms" "${q_p50[$pre.$name]}" "$v"
    done
}

if [ -n "$queries_only" ]; then
    store_counts "$queries_only"
    echo "store:    $queries_only: $n_events events, $n_mentions mentions, $n_docs documents, $db_mb MB"
    say "queries, $runs runs each (wall time of the whole process, start-up included)"
    run_queries only "$queries_only"
    echo
    echo "== floors (p50 < 50 ms; the issue asks for a store of >= 1,000,000 events)"
    query_floors only
    exit 0
fi

# ---- 1. the feed ----------------------------------------------------------------------

# Documents for N events: about 5.5 deduplicated events per document at the
# feed's density (clustering merges the rest); 5% more for margin.
docs=$(( (target_events * 105 / 100 + 5) * 10 / 55 ))
feed=$here/store_feed_$docs.jsonl
key="docs=$docs seed=2025 $(cat "$here/make_events_corpus.py" "$repo/dict/places.txt" "$repo/dict/actors/"*.txt | cksum)"
if [ -s "$feed" ] && [ "$(cat "$feed.key" 2>/dev/null)" = "$key" ]; then
    say "feed: $feed (cached)"
else
    say "feed: generating $docs documents into $feed ..."
    python3 "$here/make_events_corpus.py" --docs "$docs" --seed 2025 -o "$feed" || {
        echo "store.sh: make_events_corpus.py failed" >&2; exit 2; }
    echo "$key" >"$feed.key"
fi
feed_bytes=$(wc -c <"$feed")
feed_mb=$(calc "$feed_bytes / 1e6" 1)
feed_docs=$(wc -l <"$feed")
say "feed: $feed_docs documents, $feed_mb MB"
cat "$feed" >/dev/null  # from the page cache from now on

# ---- 2. baselines ------------------------------------------------------------------------

say "baseline: sitrep code -q -j2 FEED > /dev/null ..."
timed /dev/null "$work/code.err" "$sitrep" code -q -j 2 "$feed"
code_s=$elapsed code_cpu=$cpu_s code_rc=$rc
say "  $code_s s, $(calc "$feed_bytes / 1e6 / $code_s" 1) MB/s, CPU ${code_cpu:-?} s (exit status $code_rc)"

# ---- 3. SQLite, end to end --------------------------------------------------------------------

db=$work/store.db
say "SQLite ingest: sitrep ingest -j2 --db $db FEED ..."
b0=$(busy_ticks)
timed /dev/null "$work/ingest.err" "$sitrep" ingest -q -j 2 --db "$db" "$feed"
ing_s=$elapsed ing_cpu=$cpu_s ing_rss=$rss_mb ing_rc=$rc
ing_other=$(calc "($(busy_ticks) - $b0) / 100 - ${ing_cpu:-0}" 1)
[ "$ing_rc" != 0 ] && { echo "  sitrep ingest failed (exit status $ing_rc):"; head -5 "$work/ingest.err"; }
store_counts "$db"
ing_events=$n_events ing_mentions=$n_mentions ing_docs=$n_docs ing_mb=$db_mb
ing_mps=$(calc "$ing_mentions / $ing_s" 0)
ing_eps=$(calc "$ing_events / $ing_s" 0)
say "  $ing_s s: $ing_docs documents, $ing_mentions mentions -> $ing_events events; store $ing_mb MB"
say "  $ing_mps mentions/s, $ing_eps events/s, $(calc "$feed_bytes / 1e6 / $ing_s" 1) MB/s;" \
    "CPU ${ing_cpu:-?} s, peak RSS ${ing_rss:-?} MB; other processes used $ing_other CPU-s meanwhile"

sq_rows=
if command -v sqlite3 >/dev/null; then
    # SQLite's own speed on this disk: as many rows as the store got
    # mentions, each with a random 16-hex-digit key (as mention ids are), one
    # secondary index and 300 bytes of text, in one transaction.
    sq_rows=$ing_mentions
    say "baseline: sqlite3 CLI bulk insert of $sq_rows rows ..."
    rm -f "$work/plain.db"
    timed /dev/null "$work/plain.err" sqlite3 "$work/plain.db" \
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;
         CREATE TABLE t(id TEXT PRIMARY KEY, ev TEXT NOT NULL, doc TEXT, body TEXT);
         CREATE INDEX t_ev ON t(ev);
         BEGIN;
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $sq_rows)
         INSERT INTO t SELECT lower(hex(randomblob(8))), lower(hex(randomblob(8))),
                              'doc-' || (x / 8), printf('%.300c', 'x') FROM c;
         COMMIT;"
    sq_s=$elapsed
    sq_rps=$(calc "$sq_rows / $sq_s" 0)
    rm -f "$work/plain.db"*
    say "  $sq_s s = $sq_rps rows/s"
fi

# ---- 4. store only --------------------------------------------------------------------------

sb=$work/store_bench
sb_ok=0
# shellcheck disable=SC2046
if cc -O2 -std=c11 -I"$repo/include" "$here/store_bench.c" "$build/libsitrep.a" \
      $(pkg-config --libs jansson yajl libxml-2.0 libutf8proc sqlite3 libpq) -lpthread -lm \
      -o "$sb" 2>"$work/cc.err"; then
    sb_ok=1
else
    echo "  store_bench did not compile (the store-only figures are missing):"
    head -5 "$work/cc.err"
fi
# store_bench TARGET PREFIX: sets sb_*[PREFIX]
declare -A sb_mps sb_eps sb_s sb_cpu sb_curve sb_code sb_rc
store_only() {
    local target=$1 pre=$2
    say "$pre store only: store_bench (codes each chunk untimed, times sr_store_put) ..."
    "$sb" --db "$target" --dict "$repo/dict" -j 2 --total "$feed_docs" "$feed" >"$work/sb.out"
    sb_rc[$pre]=$?
    local m s
    m=$(sed -n 's/^mentions=//p' "$work/sb.out")
    s=$(sed -n 's/^store_s=//p' "$work/sb.out")
    sb_s[$pre]=${s:-0}
    sb_cpu[$pre]=$(sed -n 's/^store_cpu_s=//p' "$work/sb.out")
    sb_code[$pre]=$(sed -n 's/^code_s=//p' "$work/sb.out")
    sb_curve[$pre]=$(sed -n 's/^curve=//p' "$work/sb.out")
    sb_mps[$pre]=0
    [ -n "$m" ] && [ -n "$s" ] && sb_mps[$pre]=$(calc "$m / $s" 0)
    store_counts "$target"
    sb_eps[$pre]=$(calc "$n_events / ${sb_s[$pre]}" 0)
    say "  ${sb_s[$pre]} s in the store (CPU ${sb_cpu[$pre]} s in this process): ${sb_mps[$pre]} mentions/s," \
        "${sb_eps[$pre]} events/s ($n_mentions mentions -> $n_events events); coding took ${sb_code[$pre]} s, untimed"
    say "  mentions/s by tenth of the run: ${sb_curve[$pre]}"
}
if [ "$sb_ok" = 1 ]; then
    store_only "$work/store_only.db" sqlite
    rm -f "$work/store_only.db"*
fi

# ---- 5. queries on the SQLite store --------------------------------------------------------------

say "SQLite queries on the ingested store ($ing_events events), $runs runs each (whole process, start-up included)"
run_queries sqlite "$db"

# ---- 6. PostgreSQL ----------------------------------------------------------------------------------

pg_done=0
if [ -n "$pg_url" ]; then
    export PGOPTIONS="-c client_min_messages=warning"
    if ! command -v psql >/dev/null; then
        echo "store.sh: --pg given but psql is missing; PostgreSQL skipped"
    else
        pg_admin=$pg_url
        pg_ver=$(psql -qAt "$pg_admin" -c "SHOW server_version" 2>&1) || {
            echo "store.sh: cannot connect to $pg_url: $pg_ver"; pg_admin=; }
    fi
    if [ -n "${pg_admin:-}" ]; then
        pg_settings=$(psql -qAt "$pg_admin" -c "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name)
            FROM pg_settings WHERE name IN ('fsync','synchronous_commit','full_page_writes','shared_buffers')")
        echo
        say "PostgreSQL $pg_ver at $pg_url ($pg_settings)"
        pgdb=sitrep_bench_$$
        pg_dbs+=("$pgdb")
        psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pgdb" -c "CREATE DATABASE $pgdb" >/dev/null
        pg_db=$(pg_with_db "$pg_url" "$pgdb")
        say "PostgreSQL ingest: sitrep ingest -j2 --db $pg_db FEED ..."
        b0=$(busy_ticks)
        timed /dev/null "$work/pg_ingest.err" "$sitrep" ingest -q -j 2 --db "$pg_db" "$feed"
        pg_s=$elapsed pg_cpu=$cpu_s pg_rc=$rc
        pg_busy=$(calc "($(busy_ticks) - $b0) / 100" 1)
        [ "$pg_rc" != 0 ] && { echo "  sitrep ingest failed (exit status $pg_rc):"; head -5 "$work/pg_ingest.err"; }
        store_counts "$pg_db"
        pg_events=$n_events pg_mentions=$n_mentions pg_docs=$n_docs pg_mb=$db_mb
        pg_mps=$(calc "$pg_mentions / $pg_s" 0)
        pg_eps=$(calc "$pg_events / $pg_s" 0)
        say "  $pg_s s: $pg_docs documents, $pg_mentions mentions -> $pg_events events; database $pg_mb MB"
        say "  $pg_mps mentions/s, $pg_eps events/s, $(calc "$feed_bytes / 1e6 / $pg_s" 1) MB/s;" \
            "sitrep CPU ${pg_cpu:-?} s, whole machine busy $pg_busy CPU-s (the server included)"
        psql -q "$pg_db" -c "ANALYZE" >/dev/null 2>&1
        if [ "$sb_ok" = 1 ] && [ "$pg_store_only" = 1 ]; then
            pg_dbs+=("${pgdb}_w")
            psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS ${pgdb}_w" -c "CREATE DATABASE ${pgdb}_w" >/dev/null
            store_only "$(pg_with_db "$pg_url" "${pgdb}_w")" pg
            psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS ${pgdb}_w" >/dev/null 2>&1
        fi
        say "PostgreSQL queries ($pg_events events, after ANALYZE), $runs runs each"
        run_queries pg "$pg_db"
        pg_done=1
    fi
fi

# ---- summary ---------------------------------------------------------------------------------------

echo
echo "== summary ($(date -u '+%Y-%m-%d %H:%M UTC'); $machine)"
echo "feed: $feed_docs documents, $feed_mb MB (bench/make_events_corpus.py, seed 2025)"
echo "baseline: sitrep code -j2: $code_s s = $(calc "$feed_bytes / 1e6 / $code_s" 1) MB/s = $(calc "$ing_mentions / $code_s" 0) events coded/s"
[ -n "$sq_rows" ] && echo "baseline: sqlite3 CLI bulk insert: $sq_rps rows/s ($sq_rows rows, random text key + 1 index, 300 B)"
echo
printf '%-34s %14s %14s\n' "ingest" "SQLite" "$([ $pg_done = 1 ] && echo PostgreSQL)"
row() { printf '%-34s %14s %14s\n' "$1" "$2" "$([ $pg_done = 1 ] && echo "$3")"; }
row "documents" "$ing_docs" "${pg_docs:-}"
row "mentions (events coded, stored)" "$ing_mentions" "${pg_mentions:-}"
row "events (deduplicated rows)" "$ing_events" "${pg_events:-}"
row "store size, MB" "$ing_mb" "${pg_mb:-}"
row "end to end: wall s" "$ing_s" "${pg_s:-}"
row "end to end: mentions/s" "$ing_mps" "${pg_mps:-}"
row "end to end: events/s" "$ing_eps" "${pg_eps:-}"
row "end to end: MB/s of feed" "$(calc "$feed_bytes / 1e6 / $ing_s" 1)" "$([ $pg_done = 1 ] && calc "$feed_bytes / 1e6 / $pg_s" 1)"
row "ingest time / code time" "$(calc "$ing_s / $code_s" 2)x" "$([ $pg_done = 1 ] && calc "$pg_s / $code_s" 2)x"
if [ "$sb_ok" = 1 ]; then
    row "store only: s in sr_store_put" "${sb_s[sqlite]}" "${sb_s[pg]:-}"
    row "store only: mentions/s" "${sb_mps[sqlite]}" "${sb_mps[pg]:-}"
    row "store only: events/s" "${sb_eps[sqlite]}" "${sb_eps[pg]:-}"
fi
echo
printf '%-44s %8s %10s %10s' "query (p50 / p95 ms, $runs runs)" "rows" "SQLite p50" "p95"
[ $pg_done = 1 ] && printf ' %10s %10s' "PG p50" "p95"
echo
for name in "${query_names[@]}"; do
    printf '%-44s %8s %10s %10s' "$(query_label "$name")" "${q_rows[sqlite.$name]}" "${q_p50[sqlite.$name]}" "${q_p95[sqlite.$name]}"
    [ $pg_done = 1 ] && printf ' %10s %10s' "${q_p50[pg.$name]}" "${q_p95[pg.$name]}"
    echo
done
echo
echo "== floors"
size_ok=$(verdict "$ing_events >= $target_events")
printf '  %-50s %14s  %s\n' "store size >= $target_events events (target)" "$ing_events" "$size_ok"
[ "$target_events" -lt 1000000 ] && echo "  (a store below 1,000,000 events: the query floors below are indicative only)"
if [ "$sb_ok" = 1 ]; then
    printf '  %-50s %14s  %s\n' "SQLite ingest, store only >= 50000 mentions/s" "${sb_mps[sqlite]}" "$(verdict "${sb_mps[sqlite]} >= 50000")"
fi
printf '  %-50s %14s  %s\n' "SQLite ingest, end to end >= 50000 mentions/s" "$ing_mps" "$(verdict "$ing_mps >= 50000")"
printf '  %-50s %14s  %s\n' "  (the same counting deduplicated events)" "$ing_eps" "$(verdict "$ing_eps >= 50000")"
query_floors sqlite
[ $pg_done = 1 ] && echo "  PostgreSQL: no floor; figures above"
echo
echo "(mentions/s: events coded and stored per second, every report of an event counted;"
echo " events/s: rows of the deduplicated events table per second. Query times are whole"
echo " processes, start-up included. Load at the end: $(cut -d' ' -f1-3 /proc/loadavg); total $((SECONDS - t_script)) s.)"
exit 0
