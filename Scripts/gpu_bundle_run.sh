#!/usr/bin/env bash
# The run script of the GPU bundle (Scripts/make_gpu_bundle.sh packs it as run.sh beside the binary).
# On a machine with a GPU and its driver but nothing else (no Swift, no OpenCL loader, no OpenBLAS,
# no network), runs in one go and prints every figure:
#   1. letternet devices, then letternet selftest (every op against the CPU, one training step, timing);
#   2. letternet bench on the OpenCL device and on the CPU backend;
#   3. one epoch of the default architecture on LETTERS stand-in letters (demo-letters), OpenCL and CPU;
#   4. reading STRIPS synthetic strips (synth, then predict), OpenCL and CPU;
#   5. the same benchmark network in PyTorch on CUDA (skipped, saying so, without torch or CUDA).
# Usage: ./run.sh [WORKDIR]   (default: ./gpu-run-<date>; the log is WORKDIR/run.log)
# Environment:
#   OPENCL_VENDOR_LIBRARY  the vendor's OpenCL library (path or soname); default: NVIDIA's
#                          libnvidia-opencl.so.1 where found, else the system's ICD files
#   DEVICE                 the OpenCL device index (0)
#   LETTERS, STRIPS        sizes of the epoch and of the reading run (124800, 10000)
#   BENCH_STEPS            timed steps of the benchmark network (30)
#   SKIP_CPU=1             skip the CPU backend's epoch and reading (the bench still runs)
#   PYTHON                 the Python with PyTorch (python3)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$PWD/gpu-run-$(date -u +%Y%m%d-%H%M%S)}
device=${DEVICE:-0}
letters=${LETTERS:-124800}
strips=${STRIPS:-10000}
steps=${BENCH_STEPS:-30}
python=${PYTHON:-python3}
mkdir -p "$work" || exit 2
exec > >(tee "$work/run.log") 2>&1
tee_pid=$!
# At the end, let tee write the last lines before the script's caller reads them.
trap 'exec >&- 2>&-; wait "$tee_pid"' EXIT

# Everything the binary needs comes from this folder: libraries, kernels, models. The C++ runtime and
# zlib of lib/common only where the machine's own do not load.
export LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LETTERNET_KERNELS="$here/Kernels" LETTERNET_MODELS="$here/Models"
# The built kernels and the tuned GEMM and convolution tiles (gemm-tile.json, convolution-tile.json) are
# kept in the run's folder: the self-test tunes them, every later step reads them from there.
export LETTERNET_KERNEL_CACHE="$work/kernel-cache"
bin="$here/letternet"
if ! "$bin" --help >/dev/null 2>&1; then
    export LD_LIBRARY_PATH="$here/lib:$here/lib/common${LD_LIBRARY_PATH#"$here/lib"}"
    if ! loader=$("$bin" --help 2>&1 >/dev/null); then
        echo "error: letternet does not start on this machine: $loader"
        echo "(it needs x86-64 Linux with glibc at least as new as README.txt says: ldd --version)"
        exit 2
    fi
    echo "libraries: the machine's C++ runtime or zlib is missing or too old; using lib/common"
fi

# The OpenCL driver: an ICD file naming the vendor's library, in a folder of our own.
find_vendor_library() {
    local name=libnvidia-opencl.so.1 dir
    if command -v ldconfig >/dev/null; then
        ldconfig -p 2>/dev/null | awk -v n="$name" '$1 == n { print $NF; exit }' | grep . && return
    fi
    for dir in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib \
               /usr/lib/wsl/lib /run/nvidia/driver/usr/lib/x86_64-linux-gnu; do
        [ -e "$dir/$name" ] && { echo "$dir/$name"; return; }
    done
    return 1
}
vendor=${OPENCL_VENDOR_LIBRARY:-$(find_vendor_library)}
if [ -n "$vendor" ]; then
    [[ $vendor == */* && ! -e $vendor ]] && echo "warning: OPENCL_VENDOR_LIBRARY $vendor does not exist"
    mkdir -p "$work/icd"
    echo "$vendor" > "$work/icd/vendor.icd"
    export OCL_ICD_VENDORS="$work/icd"
    echo "OpenCL driver: $vendor (OCL_ICD_VENDORS=$OCL_ICD_VENDORS)"
else
    echo "OpenCL driver: no libnvidia-opencl.so.1 found and OPENCL_VENDOR_LIBRARY unset; using the system's ICD files"
fi
echo "bundle: $here; work folder: $work; $(date -u +%Y-%m-%dT%H:%M:%SZ)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

failed=()
summary=()
# step NAME OUT COMMAND…: runs and times one step, its output in OUT (also shown), or shown only
# when OUT is -; keeps going when it fails (the step is listed at the end).
step() {
    local name=$1 out=$2; shift 2
    echo; echo "=== $name: $*"
    local start end status
    start=$(date +%s.%N)
    if [ "$out" = - ]; then "$@"; status=$?; else "$@" > "$out"; status=$?; cat "$out"; fi
    end=$(date +%s.%N)
    elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    echo "--- $name: exit $status, $elapsed s"
    [ "$status" -eq 0 ] || failed+=("$name (exit $status)")
    return "$status"
}
# A line of the figures table.
figure() { summary+=("$(printf '%-44s %s' "$1" "$2")"); }
# "train N img/s, inference M img/s" from a bench JSON object (letternet's or bench_pytorch.py's).
bench_figure() {
    local train infer
    train=$(grep -oE '"train_images_per_s": ?[0-9.]+' "$1" | grep -oE '[0-9.]+$')
    infer=$(grep -oE '"infer_images_per_s": ?[0-9.]+' "$1" | grep -oE '[0-9.]+$')
    printf 'train %.0f img/s, inference %.0f img/s' "$train" "$infer"
}

step devices - "$bin" devices
step selftest "$work/selftest.log" "$bin" selftest --device "opencl:$device"
result=$(grep -A12 -E '^selftest (passed|FAILED)' "$work/selftest.log" | tr -s ' \n' ' ')
figure "selftest (opencl:$device)" "${result:-no result (its error is above)}"
figure "  its tuned tiles" "$(grep -E '^the (dense|convolution) cases on every' "$work/selftest.log" \
    | sed -E 's/.*\((.*)\):$/\1/' | tr '\n' ';')"
grep -q '^timing the benchmark' "$work/selftest.log" \
    && figure "  its short timing" "$(grep -A2 '^timing the benchmark' "$work/selftest.log" | tail -2 | tr -s ' \n' ' ')"

for dev in "opencl:$device" cpu; do
    if step "bench $dev" "$work/bench-${dev%%:*}.json" "$bin" bench --device "$dev" --steps "$steps" --json; then
        figure "bench network, letternet $dev" "$(bench_figure "$work/bench-${dev%%:*}.json")"
    fi
done

step "demo-letters ($letters)" - "$bin" demo-letters --count "$letters" --seed 1 --out "$work/letters.npz"
epochs=("opencl:$device"); [ "${SKIP_CPU:-0}" = 1 ] || epochs+=(cpu)
for dev in "${epochs[@]}"; do
    if step "one epoch, cnn, $dev" "$work/train-${dev%%:*}.log" "$bin" train --data "$work/letters.npz" \
            --epochs 1 --device "$dev" --out "$work/model-${dev%%:*}.lnet"; then
        figure "one epoch of $letters letters, cnn, $dev" "$(grep -o '[0-9]* img/s' "$work/train-${dev%%:*}.log" | tail -1), $elapsed s in all"
    fi
done

step "synth ($strips strips)" - "$bin" synth --data "$work/letters.npz" --count "$strips" --seed 7 --out "$work/strips.npy"
for dev in "${epochs[@]}"; do
    if step "predict, $dev" "$work/predict-${dev%%:*}.log" "$bin" predict --strips "$work/strips.npy" \
            --labels "$work/strips-labels.csv" --device "$dev" --out "$work/prediction-${dev%%:*}.csv"; then
        figure "reading $strips strips, $dev" "$(awk -v n="$strips" -v t="$elapsed" 'BEGIN { printf "%.0f strips/s", n / t }') ($elapsed s wall, $(grep -oE 'network [0-9.]+ s' "$work/predict-${dev%%:*}.log"); $(grep -oE 'top-5 [0-9.]+%' "$work/predict-${dev%%:*}.log"))"
    fi
done

echo; echo "=== PyTorch on CUDA (the reference)"
if ! command -v "$python" >/dev/null; then
    echo "skipped: no $python"; figure "bench network, PyTorch CUDA" "skipped: no $python"
elif ! cuda=$("$python" -c 'import torch; print(torch.__version__, torch.cuda.is_available())' 2>&1); then
    echo "skipped: no PyTorch ($cuda)"; figure "bench network, PyTorch CUDA" "skipped: no PyTorch"
elif [ "${cuda##* }" != True ]; then
    echo "skipped: PyTorch ${cuda% *} sees no CUDA device"; figure "bench network, PyTorch CUDA" "skipped: torch ${cuda% *} without CUDA"
elif step "bench, PyTorch CUDA" "$work/bench-pytorch.json" "$python" "$here/bench_pytorch.py" "$steps" --device cuda; then
    figure "bench network, PyTorch CUDA" "$(bench_figure "$work/bench-pytorch.json")"
fi

echo; echo "=== figures"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "failed steps: ${failed[*]}"
    exit 1
fi
echo "every step passed"
