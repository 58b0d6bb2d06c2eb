#!/usr/bin/env bash
# bench/run.sh: sitrep throughput, start-up time and memory on one large JSONL corpus.
#
#   bench/run.sh [BUILD_DIR]        (default BUILD_DIR: build)
#
# This script builds nothing. BUILD_DIR must already contain the sitrep
# binary, for example:
#   cmake -S . -B build && cmake --build build --target sitrep_cli
# If bench/corpus.jsonl is missing, bench/make_corpus.py creates it first
# (about 110 MiB, git-ignored). Every measurement below runs on that same file.
#
# What is measured (bench/README.md has the details):
#   wc -w                    3 runs, median wall time: the baseline
#   sitrep code -q -j 1      3 runs, median wall time; peak RSS
#   sitrep code -q -j 2      3 runs, median wall time
#   start-up                 sitrep code on an empty JSONL file, median of 10 runs
# The output of every run goes to /dev/null.
#
# Each floor prints PASS or FAIL. Benchmarks are not tests: the script exits
# 0 whatever the timings. It exits non-zero only when it cannot run at all
# (no binary, no python3, or the corpus cannot be made).
#
# Environment overrides: CORPUS (path of the corpus), SIZE_MB (size to
# generate, default 110), RUNS (default 3), STARTUP_RUNS (default 10).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${1:-build}
case $build in /*) ;; *) build=$repo/$build ;; esac
sitrep=$build/sitrep
corpus=${CORPUS:-$here/corpus.jsonl}
size_mb=${SIZE_MB:-110}
runs=${RUNS:-3}
startup_runs=${STARTUP_RUNS:-10}

if [ ! -x "$sitrep" ]; then
    echo "bench: $sitrep not found. This script builds nothing; build first:" >&2
    echo "  cmake -S . -B ${1:-build} && cmake --build ${1:-build} --target sitrep_cli" >&2
    exit 2
fi
command -v python3 >/dev/null || { echo "bench: python3 is needed" >&2; exit 2; }

if [ ! -s "$corpus" ]; then
    echo "bench: $corpus is missing; generating it (${size_mb} MiB)..."
    python3 "$here/make_corpus.py" -o "$corpus" --size-mb "$size_mb" || {
        echo "bench: make_corpus.py failed" >&2; exit 2; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
errlog=$tmp/stderr.log

# ---- helpers --------------------------------------------------------------

now() {  # seconds since the epoch, with microseconds
    if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}
median() {  # median of the numbers given as arguments
    printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {
        if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2 }'
}
busy_ticks() {  # CPU ticks (1/100 s) that the whole machine spent busy so far
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat 2>/dev/null || echo 0
}
calc() { awk "BEGIN { printf \"%.${2:-3}f\", $1 }"; }
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo FAIL; }

# Runs "$@" with stdout to /dev/null. Sets $elapsed (wall seconds) and $rc;
# with measure=1 also $rss_kb (peak resident set size, KiB) and $cpu_s
# (user + system CPU seconds), from /usr/bin/time -v when it works, else
# from python3's resource.getrusage(RUSAGE_CHILDREN) in a tiny wrapper.
if [ -z "${BENCH_RSS_PYTHON:-}" ] && [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    rss_tool="/usr/bin/time -v"
else
    rss_tool="python3 resource.getrusage(RUSAGE_CHILDREN)"
fi
run_once() {
    local measure=$1; shift
    local t0 t1 b0 b1
    rss_kb= cpu_s= other_s=
    b0=$(busy_ticks)
    if [ "$measure" = 1 ] && [ "$rss_tool" = "/usr/bin/time -v" ]; then
        t0=$(now)
        /usr/bin/time -v -o "$tmp/time.txt" "$@" >/dev/null 2>>"$errlog"
        rc=$?
        t1=$(now)
        rss_kb=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")
        cpu_s=$(awk -F': *' '/User time|System time/ {s += $2} END {print s}' "$tmp/time.txt")
        # time -v gives the command's status as "Exit status: N", or a signal
        local st
        st=$(awk -F': *' '/Exit status/ {print $2}' "$tmp/time.txt")
        [ -n "$st" ] && rc=$st
        st=$(sed -n 's/.*terminated by signal \([0-9]*\).*/\1/p' "$tmp/time.txt")
        [ -n "$st" ] && rc=$((128 + st))
    elif [ "$measure" = 1 ]; then
        t0=$(now)
        python3 - "$tmp/rss.txt" "$@" <<'PY' >/dev/null 2>>"$errlog"
import resource, subprocess, sys
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
rc = 128 - rc if rc < 0 else rc
open(sys.argv[1], "w").write("%d %d %.3f %d\n" % (ru.ru_maxrss, rc, ru.ru_utime + ru.ru_stime, own))
PY
        t1=$(now)
        # The forked child starts as a copy of the interpreter, so its peak
        # is at least python's own size: $wrapper_kb is that floor.
        read -r rss_kb rc cpu_s wrapper_kb < "$tmp/rss.txt"
    else
        t0=$(now)
        "$@" >/dev/null 2>>"$errlog"
        rc=$?
        t1=$(now)
    fi
    elapsed=$(calc "$t1 - $t0" 6)
    b1=$(busy_ticks)
    # CPU time that other processes took during the run (machine busy time
    # less this command's own); 0 on a quiet machine
    if [ -n "$cpu_s" ]; then
        other_s=$(calc "($b1 - $b0) / 100 - $cpu_s" 2)
        awk "BEGIN { exit !($other_s < 0) }" && other_s=0
    fi
}

# ---- the machine and the corpus ---------------------------------------------

bytes=$(wc -c < "$corpus")
mb=$(calc "$bytes / 1000000" 1)
echo "== sitrep benchmark"
echo "date:     $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:  $(nproc) CPU(s), $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "binary:   $sitrep (repository HEAD: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "locale:   LC_ALL=${LC_ALL:-} LANG=${LANG:-} (affects wc -w)"
echo "rss via:  $rss_tool"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (1/5/15 min; other work on the machine skews timings)"
cat "$corpus" > /dev/null   # warm the page cache: every run reads from memory

# Sentence count: counted once per corpus and cached beside it.
stats=$corpus.sentences
key="$bytes $(stat -c %Y "$corpus" 2>/dev/null || echo 0)"
if [ -s "$stats" ] && [ "$(head -1 "$stats")" = "$key" ]; then
    read -r sentences docs text_bytes < <(sed -n 2p "$stats")
else
    read -r sentences docs text_bytes < <(python3 "$here/make_corpus.py" --count-sentences "$corpus")
    printf '%s\n%s %s %s\n' "$key" "$sentences" "$docs" "$text_bytes" > "$stats"
fi
echo "corpus:   $corpus"
echo "          $mb MB ($bytes bytes), $docs documents, ~$sentences sentences"
echo "          (sentences are ESTIMATED: sitrep has no sentence-count option, so"
echo "          make_corpus.py --count-sentences counts '.', '!' and '?' before white space)"
echo

# ---- start-up -----------------------------------------------------------------

: > "$tmp/empty.jsonl"
times=()
for ((i = 0; i < startup_runs; i++)); do
    run_once 0 "$sitrep" code -q -j 1 "$tmp/empty.jsonl"
    times+=("$elapsed")
done
startup=$(median "${times[@]}")
startup_ms=$(calc "$startup * 1000" 1)
echo "start-up (empty input, median of $startup_runs): $startup_ms ms (rc $rc)"

# ---- wc -w -----------------------------------------------------------------------

times=()
for ((i = 0; i < runs; i++)); do
    run_once 0 wc -w "$corpus"
    times+=("$elapsed")
done
wc_s=$(median "${times[@]}")
wc_mbs=$(calc "$bytes / 1000000 / $wc_s" 1)
echo "wc -w:           median $(calc "$wc_s" 3) s of ${times[*]}  ->  $wc_mbs MB/s"

# ---- sitrep -j 1 and -j 2 --------------------------------------------------------

declare -A med mbs sps mbs_net rcs cpu
peak_kb=0
for j in 1 2; do
    times=()
    cpus=()
    others=()
    rcs[$j]=0
    for ((i = 0; i < runs; i++)); do
        run_once 1 "$sitrep" code -q -j "$j" "$corpus"
        times+=("$elapsed")
        cpus+=("${cpu_s:-0}")
        others+=("${other_s:-0}")
        [ "$rc" != 0 ] && rcs[$j]=$rc
        if [ "$j" = 1 ] && [ -n "$rss_kb" ] && [ "$rss_kb" -gt "$peak_kb" ]; then peak_kb=$rss_kb; fi
    done
    med[$j]=$(median "${times[@]}")
    cpu[$j]=$(median "${cpus[@]}")
    net=$(calc "${med[$j]} - $startup" 6)
    awk "BEGIN { exit !($net <= 0) }" && net=${med[$j]}
    mbs[$j]=$(calc "$bytes / 1000000 / ${med[$j]}" 2)
    mbs_net[$j]=$(calc "$bytes / 1000000 / $net" 2)
    sps[$j]=$(calc "$sentences / $net" 0)
    echo "sitrep -j $j:     median $(calc "${med[$j]}" 3) s of ${times[*]} (exit status ${rcs[$j]})"
    echo "                 ${mbs[$j]} MB/s; less start-up: ${mbs_net[$j]} MB/s, ~${sps[$j]} sentences/s"
    echo "                 CPU (user+sys) $(calc "${cpu[$j]}" 2) s = $(calc "${cpu[$j]} / ${med[$j]}" 2) cores busy on average;"
    echo "                 other processes used ${others[*]} CPU-s during these runs"
done
if [ -s "$errlog" ]; then
    echo
    echo "stderr of the runs (first 10 lines):"
    head -10 "$errlog" | sed 's/^/  /'
fi

# ---- floors ----------------------------------------------------------------------

ratio=$(calc "${mbs_net[1]} / $wc_mbs" 3)
speedup=$(calc "${med[1]} / ${med[2]}" 2)
peak_mb=$(calc "$peak_kb / 1024" 1)
ncpu=$(nproc)
echo
echo "== floors"
printf '%-44s %-12s %s\n' "sitrep -j 1 / wc -w throughput >= 0.10" "$ratio" "$(verdict "$ratio >= 0.10")"
if [ "$ncpu" -ge 2 ]; then
    printf '%-44s %-12s %s\n' "speed-up -j 2 / -j 1 >= 1.8 (nearly 2x)" "${speedup}x" "$(verdict "$speedup >= 1.8")"
else
    printf '%-44s %-12s %s\n' "speed-up -j 2 / -j 1 >= 1.8 (nearly 2x)" "${speedup}x" "SKIP (1 CPU)"
fi
printf '%-44s %-12s %s\n' "start-up <= 100 ms" "$startup_ms ms" "$(verdict "$startup_ms <= 100")"
printf '%-44s %-12s %s\n' "peak RSS of -j 1 <= 256 MB" "$peak_mb MiB" "$(verdict "$peak_kb > 0 && $peak_mb <= 256")"
if [ -n "${wrapper_kb:-}" ] && [ "$peak_kb" -le $((wrapper_kb + 1024)) ]; then
    echo "  (peak RSS is within 1 MiB of the python wrapper's own $(calc "$wrapper_kb / 1024" 1) MiB:"
    echo "   sitrep's true peak may be lower; install GNU time for an exact figure)"
fi
for j in 1 2; do
    if [ "${rcs[$j]}" != 0 ]; then
        printf '%-44s %-12s %s\n' "sitrep -j $j exit status" "${rcs[$j]}" "FAIL"
        echo "  (a failed run makes the timings above meaningless)"
    fi
done
echo
echo "(ratio and sentences/s use wall time less start-up; speed-up uses raw wall times)"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
exit 0
