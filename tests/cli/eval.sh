#!/usr/bin/env bash
# Accuracy floor: the coder on the shared dev gold must reach F1 >= 0.60
# (../shared/eval/score). Skips (77) where ../shared is absent.
set -u
bin=$1 src=$2 shared=$3
if [ ! -x "$shared/eval/score" ] || [ ! -d "$shared/corpus/seeds" ]; then
    echo "skip: $shared/eval not present"
    exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bin" code -q "$shared/corpus/seeds" >"$out" || { echo "sitrep code failed"; exit 1; }
line=$(python3 "$shared/eval/score" "$shared/eval/seeds-dev.gold.jsonl" "$out" | tail -n 1)
echo "$line"
f1=$(echo "$line" | awk '{print $2}')
python3 -c "import sys; sys.exit(0 if float('$f1') >= 0.60 else 1)" || { echo "F1 $f1 below the 0.60 floor"; exit 1; }
