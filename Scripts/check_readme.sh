#!/usr/bin/env bash
# Runs every `letternet …` command shown in README.md, then every ```python block (in the same folder,
# so they read what the commands wrote), so the README cannot rot.
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

# Every ```python block, run as a script with Scripts/ on the module path (for onnx_to_torch.py); a
# block that imports a module this machine lacks (torch, onnxruntime) is skipped, saying which.
awk -v dir="$work" '/^```python/{n++; on=1; next} /^```/{on=0} on{print > (dir "/readme-" n ".py")}' "$repo/README.md"
blocks=0 skipped=0
for script in "$work"/readme-*.py; do
    [ -e "$script" ] || continue
    blocks=$((blocks + 1))
    missing=$(README_PYTHONPATH="$repo/Scripts" python3 - "$script" <<'PY' 2>/dev/null || echo python3
import ast, importlib.util, sys, os
sys.path.insert(0, os.environ.get("README_PYTHONPATH", ""))
tree = ast.parse(open(sys.argv[1]).read())
names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
names |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
print(" ".join(sorted(m for m in names if importlib.util.find_spec(m) is None)))
PY
)
    first=$(head -n 1 "$script")
    if [ -n "$missing" ]; then
        echo "skip  python block $(basename "$script" .py) (needs $missing): $first"; skipped=$((skipped + 1)); continue
    fi
    if PYTHONPATH="$repo/Scripts" python3 "$script" >"$work/out.txt" 2>&1; then
        echo "ok    python block $(basename "$script" .py): $first"
    else
        echo "FAIL  python block $(basename "$script" .py): $first"; sed 's/^/      /' "$work/out.txt"; failed=$((failed + 1))
    fi
done
echo "readme: $(( ${#commands[@]} + blocks - skipped - failed )) passed, $skipped skipped, $failed failed"
[ "$failed" -eq 0 ]
