#!/usr/bin/env bash
# Builds letternet, writes its three HTML reports (train, evaluate, predict) from synthetic inputs the tool
# makes itself (Hershey-font demo letters and strips: the screenshots are committed, and the repository
# holds no image made from real handwriting but the demo file itself), renders each page in headless Chromium to a PNG and
# fails on a blank page, a console error, a reference to anything outside the page or an absolute path in it
# (the commands run inside OUT_DIR on relative names, so a page names no folder of this machine).
#
#   Scripts/render_reports.sh [--docs] [OUT_DIR]
#
# --docs also copies the screenshots to docs/report-{train,evaluate,predict}.png.
# Environment: CONFIG (debug|release, default debug), SCRATCH (build folder, default .build),
# CHROMIUM (browser binary, default chromium; Debian: apt-get install -y chromium),
# LETTERNET_MODELS (where the shipped models are; when letters-cnn.lnet / strip-reader.lnet are missing,
# evaluate uses the tiny model trained here and predict a strip reader trained for 20 steps).
set -euo pipefail
cd "$(dirname "$0")/.."

docs=0
if [[ "${1:-}" == "--docs" ]]; then docs=1; shift; fi
out=${1:-$(mktemp -d /tmp/letternet-reports.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
config=${CONFIG:-debug}
scratch=${SCRATCH:-.build}
chromium=${CHROMIUM:-chromium}
models=${LETTERNET_MODELS:-Models}
command -v "$chromium" >/dev/null || { echo "render_reports: $chromium not found (apt-get install -y chromium)" >&2; exit 1; }

echo "== building ($config, $scratch)"
swift build -c "$config" --scratch-path "$scratch" --product letternet
bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/letternet"
models=$(cd "$models" 2>/dev/null && pwd || echo "$models")
if [[ -n "${LETTERNET_MODELS:-}" ]]; then export LETTERNET_MODELS="$models"; fi
repo=$(pwd)
cd "$out"  # relative names from here on: the pages show them

echo "== synthetic inputs in $out"
"$bin" demo-letters --count 1040 --seed 1 --out demo-train.npz
"$bin" demo-letters --count 520 --seed 2 --out demo-test.npz

echo "== train --report"
"$bin" train --data demo-train.npz --arch mlp --epochs 3 --max-steps 80 --batch-size 32 --validation 0.1 \
    --out tiny-mlp.lnet --report train.html

echo "== evaluate --report"
eval_model=()
[[ -f "$models/letters-cnn.lnet" ]] || eval_model=(--model tiny-mlp.lnet)
"$bin" evaluate --data demo-test.npz "${eval_model[@]}" --report evaluate.html

echo "== predict --report (the font demo strips)"
reader_model=()
if [[ ! -f "$models/strip-reader.lnet" ]]; then
    "$bin" train-reader --data demo-train.npz --steps 20 --eval-every 20 --batch-size 16 --out tiny-reader.lnet
    reader_model=(--model tiny-reader.lnet)
fi
"$bin" predict --font-demo "${reader_model[@]}" --out prediction.csv --report predict.html

status=0
for name in train evaluate predict; do
    page="$out/$name.html" shot="$out/report-$name.png" log="$out/$name.chromium.log"
    if grep -Eiq '(src|href)="(https?:)?//|<script|<link|@import|url\(' "$page"; then
        echo "FAIL $name: the page refers to something outside itself" >&2; status=1
    fi
    if grep -Eq "(^|[^A-Za-z0-9_.])/(tmp|home|root|work|Users|var)/|$repo|$out" "$page"; then
        echo "FAIL $name: the page holds an absolute path" >&2; status=1
    fi
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 \
        --virtual-time-budget=3000 --enable-logging=stderr --v=0 --screenshot="$shot" "file://$page" 2>"$log" >/dev/null
    dom=$("$chromium" --headless --no-sandbox --disable-gpu --dump-dom "file://$page" 2>/dev/null)
    if grep -Eq 'Uncaught|CONSOLE[(:]' "$log"; then
        echo "FAIL $name: console messages:" >&2; grep -E 'Uncaught|CONSOLE[(:]' "$log" >&2; status=1
    fi
    case $name in  # what each page must hold once rendered: charts (inline SVG) and/or embedded images
        train) parts=('<h1>LetterNet' '<svg' '<polyline') ;;
        evaluate) parts=('<h1>LetterNet' '<svg' 'data:image/png;base64,') ;;
        predict) parts=('<h1>LetterNet' 'data:image/png;base64,' 'close call') ;;
    esac
    for part in "${parts[@]}"; do
        grep -q "$part" <<<"$dom" || { echo "FAIL $name: the rendered DOM lacks $part" >&2; status=1; }
    done
    if ! python3 - "$shot" <<'PY'
import struct, sys, zlib
from collections import Counter
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": width, height, depth, ctype = struct.unpack(">IIBB", body[:10]); assert depth == 8
    elif kind == b"IDAT": idat += body
bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
raw, stride, prev, colors = zlib.decompress(idat), width * bpp, bytearray(width * bpp), Counter()
for y in range(height):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0: colors.update(bytes(line[x:x + bpp]) for x in range(0, stride, 4 * bpp))
top = colors.most_common(1)[0][1] / sum(colors.values())
print(f"  {sys.argv[1]}: {width}x{height}, {len(colors)} colours, {100 * (1 - top):.1f}% off the background")
sys.exit(0 if len(colors) >= 16 and top < 0.98 else 1)
PY
    then echo "FAIL $name: the screenshot is blank" >&2; status=1; fi
done

if [[ $status -eq 0 && $docs -eq 1 ]]; then
    mkdir -p "$repo/docs"
    for name in train evaluate predict; do cp "$out/report-$name.png" "$repo/docs/report-$name.png"; done
    echo "copied the screenshots to docs/"
fi
[[ $status -eq 0 ]] && echo "all three reports rendered: $out/{train,evaluate,predict}.html"
exit $status
