#!/usr/bin/env bash
# Runs every `letternet …` command shown in README.md, so the README cannot rot.
# The course files it names are stood in for by small files the tool makes itself (Hershey demo letters
# and synthetic strips), and long runs are shortened: --epochs N → 1, --steps N → 10.
# Usage: Scripts/check_readme.sh   (from anywhere; builds the release binary first)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
swift build -c release --product letternet --package-path "$repo" >/dev/null
bin="$repo/.build/release/letternet"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# Stand-ins for the course's and EMNIST's files.
"$bin" demo-letters --count 520 --seed 1 --out training-dataset.npz >/dev/null
"$bin" demo-letters --count 260 --seed 2 --out emnist-letters-test-dev-upright.npz >/dev/null
cp emnist-letters-test-dev-upright.npz emnist-letters-test.npz
"$bin" synth --data emnist-letters-test.npz --count 40 --seed 3 --out test-dataset.npy >/dev/null
"$bin" synth --data emnist-letters-test.npz --count 20 --letters 4 --seed 4 --out cohort4.npy >/dev/null

# Every line of a ```sh block that runs letternet (directly or through `swift run`).
mapfile -t commands < <(awk '/^```sh/{on=1; next} /^```/{on=0} on' "$repo/README.md" \
    | sed -E 's/[[:space:]]+#.*$//' | grep -E '^(swift run -c release )?letternet ' || true)
[ "${#commands[@]}" -gt 0 ] || { echo "no letternet commands found in README.md" >&2; exit 1; }

failed=0
for line in "${commands[@]}"; do
    cmd=$(sed -E -e 's/^swift run -c release letternet /letternet /' -e 's/--epochs [0-9]+/--epochs 1/' \
                 -e 's/--steps [0-9]+/--steps 10 --eval-every 10/' <<<"$line")
    args=${cmd#letternet }
    if eval "\"$bin\" $args" >"$work/out.txt" 2>&1; then
        echo "ok    $line"
    else
        echo "FAIL  $line"; sed 's/^/      /' "$work/out.txt"; failed=$((failed + 1))
    fi
done
echo "readme: $(( ${#commands[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
