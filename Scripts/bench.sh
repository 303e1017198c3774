#!/usr/bin/env bash
# One run of the speed comparison, on this machine: training and inference of the benchmark network
# (`letternet bench`, CPU backend, against Scripts/bench_pytorch.py), and reading strips with the shipped
# reader (`letternet bench --reader Models/strip-reader.lnet`: STRIPS random 30×168 strips, one view,
# against the same network in PyTorch, built from its ONNX export by Scripts/onnx_to_torch.py, eval mode),
# both sides on 2 threads. Prints each rate, letternet's ratio to PyTorch, and each rate as a share of
# the machine's measured GEMM peak (Scripts/gemm_peak.c, 2 threads), counting the multiply-adds the
# direct method does (Winograd does fewer, so its share can pass what the GEMM alone reaches); training
# counts 3× the forward pass (forward, input gradient, weight gradient). Absolute rates differ between
# machines; the ratios are what carry over.
#
# Then, where `letternet devices` finds an OpenCL device, the same training, inference and reading on
# opencl:0 (`--device opencl`; a CPU device such as PoCL runs the GPU-shaped kernels, so its rates say
# nothing about a GPU's), with no PyTorch column.
#
# Usage: Scripts/bench.sh [STEPS] [STRIPS]   (30 training steps, 2000 strips)
# LETTERNET_CONV=direct Scripts/bench.sh runs letternet without Winograd (as before it), to compare.
# Needs clang, OpenBLAS and, in Python, torch and onnx (pip install torch==2.13.0 onnx; not needed by CI).
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-30}"
strips="${2:-2000}"
swift build -c release --product letternet >/dev/null
bin=.build/release/letternet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clang -O2 -pthread -I Sources/CGemm/include Scripts/gemm_peak.c Sources/CGemm/lnet_gemm.c -lopenblas -o "$work/gemm_peak"
$bin export --model Models/strip-reader.lnet --out "$work/reader.onnx" >/dev/null

peak_json=$("$work/gemm_peak" 2)
torch_json=$(python3 Scripts/bench_pytorch.py "$steps" --threads 2)
cpu_json=$(OMP_NUM_THREADS=1 $bin bench --device cpu --steps "$steps" --json)
torch_reader_json=$(python3 Scripts/bench_reader_pytorch.py "$work/reader.onnx" --strips "$strips" --threads 2)
cpu_reader_json=$($bin bench --device cpu --reader Models/strip-reader.lnet --strips "$strips" --json)

python3 - "$peak_json" "$torch_json" "$cpu_json" "$torch_reader_json" "$cpu_reader_json" "${LETTERNET_CONV:-auto}" <<'PY'
import json, os, sys
peak, t, c, tr, cr = (json.loads(a) for a in sys.argv[1:6])
conv = sys.argv[6]
gflop = peak["peak_gflops"]
image_flops = 2 * c["multiply_adds_per_image"]
strip_flops = 2 * cr["multiply_adds_per_strip"]
print(f"GEMM peak {gflop:.0f} GFLOP/s on 2 threads (own kernel {peak['own_gflops']:.0f}, OpenBLAS "
      f"{peak['openblas_gflops']:.0f}); load average {os.getloadavg()[0]:.1f}; letternet convolutions: {conv}")
print(f"{'':22} {'letternet':>10} {'pytorch':>10} {'ratio':>7} {'letternet/peak':>15} {'pytorch/peak':>13}")
rows = [("train img/s", c["train_images_per_s"], t["train_images_per_s"], 3 * image_flops),
        ("inference img/s", c["infer_images_per_s"], t["infer_images_per_s"], image_flops),
        (f"reader strips/s", cr["reader_strips_per_s"], tr["reader_strips_per_s"], strip_flops)]
for name, ours, theirs, flops in rows:
    print(f"{name:22} {ours:10.0f} {theirs:10.0f} {ours / theirs:6.2f}x "
          f"{ours * flops / 1e9 / gflop:14.0%} {theirs * flops / 1e9 / gflop:13.0%}")
PY

if $bin devices | grep -q "opencl:0"; then
    cl_json=$($bin bench --device opencl --steps "$steps" --json)
    cl_reader_json=$($bin bench --device opencl --reader Models/strip-reader.lnet --strips "$strips" --json)
    python3 - "$cl_json" "$cl_reader_json" <<'PY'
import json, sys
c, r = (json.loads(a) for a in sys.argv[1:3])
print(f"OpenCL {c['device']}: train {c['train_images_per_s']:.0f} img/s, inference {c['infer_images_per_s']:.0f} img/s, "
      f"reader {r['reader_strips_per_s']:.1f} strips/s")
PY
else
    echo "OpenCL: no device (letternet devices lists none)"
fi
