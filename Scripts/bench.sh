#!/usr/bin/env bash
# Runs the benchmark network in letternet (CPU and OpenCL backends) and in PyTorch, in one go on the
# same machine, and prints the ratios. Usage: Scripts/bench.sh [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-30}"
swift build -c release --product letternet >/dev/null
bin=.build/release/letternet
torch_json=$(python3 Scripts/bench_pytorch.py "$steps")
cpu_json=$($bin bench --device cpu --steps "$steps" --json)
opencl_json=$($bin bench --device opencl --steps "$steps" --json 2>/dev/null || echo '{}')
python3 - "$torch_json" "$cpu_json" "$opencl_json" <<'PY'
import json, sys
t, c, o = (json.loads(a) for a in sys.argv[1:4])
print(f"{'':12} {'train img/s':>12} {'infer img/s':>12} {'train ratio':>12} {'infer ratio':>12}")
for name, r in (("pytorch", t), ("cpu", c), ("opencl", o)):
    if not r:
        print(f"{name:12} {'n/a':>12}")
        continue
    print(f"{name:12} {r['train_images_per_s']:12.0f} {r['infer_images_per_s']:12.0f} "
          f"{r['train_images_per_s'] / t['train_images_per_s']:12.2f} {r['infer_images_per_s'] / t['infer_images_per_s']:12.2f}")
PY
