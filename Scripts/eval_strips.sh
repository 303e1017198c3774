#!/usr/bin/env bash
# The strip reader's dev figures: 10,000 strips of each size made by `letternet synth` from the real
# EMNIST Letters test letters in ../shared/data (a–m only; no model trains on them), read with the
# shipped readers (or the --model files given after the options), scored, and timed.
#   Scripts/eval_strips.sh [COUNT] [-- predict options…]      e.g. Scripts/eval_strips.sh 2000 -- --model r.lnet
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
count=${1:-10000}; shift || true
[ "${1:-}" = "--" ] && shift
letters_file="$repo/../shared/data/emnist-letters/emnist-letters-test-dev-upright.npz"
[ -f "$letters_file" ] || { echo "needs $letters_file" >&2; exit 1; }
swift build -c release --product letternet --package-path "$repo" >/dev/null
bin="$repo/.build/release/letternet"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# name letters width layout seed
while read -r name n width layout seed; do
    "$bin" synth --data "$letters_file" --layout "$layout" --letters "$n" --width "$width" --count "$count" \
        --seed "$seed" --out "$work/$name.npy" >/dev/null
    start=$(date +%s%N)
    "$bin" predict --strips "$work/$name.npy" --letters "$n" --out "$work/$name.csv" "$@" >/dev/null 2>&1
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "== $name: $count strips, $n letters, 30×$width, $layout layout (seed $seed), read in $((ms / 1000)).$(printf %03d $((ms % 1000))) s"
    "$bin" score --pred "$work/$name.csv" --labels "$work/$name-labels.csv"
done <<'LIST'
cohort-5x168 5 168 cohort 101
cohort-5x150 5 150 cohort 102
cohort-4x140 4 140 cohort 103
classic-5x150 5 150 classic 104
LIST
