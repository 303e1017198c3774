#!/usr/bin/env bash
# Runs every shell block of README.md (```sh, ```bash and untagged ones; ```text blocks are output),
# line by line, then every ```python block (in the same folder, so they read what the commands wrote),
# so the README cannot rot. In the shell blocks:
# - `letternet …` and `swift run -c release letternet …` run the release binary;
# - the course files they name are stood in for by small files the tool makes itself (Hershey demo
#   letters and synthetic strips), `Models/` is the checkout's, and long runs are shortened:
#   --epochs N → 1, --steps N → 10;
# - `apt-get install` is simulated (`apt-get install -s`: every package must exist), `apt-get update`
#   is left to CI, as are `swift build` and `swift test` (CI runs them itself);
# - anything else runs in bash.
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
"$bin" synth --data emnist-letters-test-dev-upright.npz --count 40 --seed 3 --out test-dataset.npy >/dev/null
ln -s "$repo/Models" Models

# Every line of a shell block (continuation lines joined, comments dropped).
mapfile -t commands < <(awk '/^```/ {if (open) open = shell = 0; else {open = 1; shell = ($0 ~ /^```(sh|bash)?[[:space:]]*$/)}; next} open && shell' "$repo/README.md" \
    | sed -E -e ':a' -e '/\\$/{N; s/\\\n[[:space:]]*/ /; ba}' -e 's/[[:space:]]+#.*$//' | grep -Ev '^[[:space:]]*$' || true)
[ "${#commands[@]}" -gt 0 ] || { echo "no shell commands found in README.md" >&2; exit 1; }

failed=0 skipped=0
for line in "${commands[@]}"; do
    cmd=$(sed -E -e 's/^swift run -c release letternet /letternet /' -e 's/--epochs [0-9]+/--epochs 1/' \
                 -e 's/--steps [0-9]+/--steps 10 --eval-every 10/' <<<"$line")
    case "$cmd" in
        letternet\ *) run="\"$bin\" ${cmd#letternet }" ;;
        "swift build"*|"swift test"*) echo "skip  $line (CI builds and tests the package itself)"; skipped=$((skipped + 1)); continue ;;
        apt-get\ update\ \&\&\ apt-get\ install*|apt-get\ install*)
            packages=$(sed -E 's/.*apt-get install( -y)? //' <<<"$cmd")
            if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
                echo "skip  $line (apt-get needs root)"; skipped=$((skipped + 1)); continue
            fi
            run="apt-get install -s $packages" ;;
        *) run="$cmd" ;;
    esac
    if eval "$run" >"$work/out.txt" 2>&1; then
        echo "ok    $line"
    else
        echo "FAIL  $line"; sed 's/^/      /' "$work/out.txt" | tail -n 20; failed=$((failed + 1))
    fi
done

# Every ```python block, run as a script with Scripts/ on the module path (for onnx_to_torch.py); a
# block that imports a module this machine lacks (torch, onnxruntime) is skipped, saying which.
awk -v dir="$work" '/^```python/{n++; on=1; next} /^```/{on=0} on{print > (dir "/readme-" n ".py")}' "$repo/README.md"
blocks=0
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
