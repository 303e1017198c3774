#!/usr/bin/env bash
# Packs letternet for a bare Linux machine with a GPU: a release build with the Swift standard
# library (and Foundation) linked statically, plus, as files beside it, what such a machine lacks:
# the OpenCL ICD loader (libOpenCL.so.1 from ocl-icd), OpenBLAS and the libraries it needs, the
# kernels, the shipped models, bench_pytorch.py and run.sh (Scripts/gpu_bundle_run.sh), which runs
# selftest, bench, one epoch, reading strips and PyTorch on CUDA in one go.
# The vendor's OpenCL library (e.g. NVIDIA's libnvidia-opencl.so.1) comes with the GPU driver there;
# run.sh writes the ICD file naming it. The far machine needs glibc at least as new as the one
# printed below (the build machine's), and x86-64.
# Usage: Scripts/make_gpu_bundle.sh [OUT.tar.gz]   (default: .build-static/letternet-gpu.tar.gz)
# Then:  tar xzf letternet-gpu.tar.gz && letternet-gpu/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build-static/letternet-gpu.tar.gz}
scratch=.build-static

echo "--- release build, Swift standard library linked statically"
swift build -c release --static-swift-stdlib --product letternet --scratch-path "$scratch"
bin="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/letternet"

# Libraries every Linux has (glibc's own) are not carried; those nearly every one has (the C++ runtime,
# zlib) go to lib/common, which run.sh uses only where the machine's own are missing or too old (the
# build machine's libstdc++ needs a newer glibc than the binary does); everything else goes to lib/.
is_system() { [[ $1 =~ ^(libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux-x86-64)\.so ]] || [[ $1 == linux-vdso.so* ]]; }
is_common() { [[ $1 =~ ^(libstdc\+\+|libgcc_s|libz)\.so ]]; }
if ldd "$bin" | grep -E 'libswift|libFoundation|/opt/swift|/usr/share/swift'; then
    echo "error: the binary still needs Swift runtime libraries (above)" >&2
    exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dest="$stage/letternet-gpu"
mkdir -p "$dest/lib/common"
cp "$bin" "$dest/letternet"
strip "$dest/letternet" 2>/dev/null || true
cp -R Kernels Models "$dest/"
# The kernels' shared headers (Kernels/include, inlined by the binary from beside each .cl file) go too.
for header in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\(.*\)".*/\1/p' Kernels/*.cl | sort -u); do
    [ -f "$dest/Kernels/include/$header" ] || { echo "error: Kernels/include/$header missing from the bundle" >&2; exit 1; }
done
cp Scripts/bench_pytorch.py "$dest/"
cp Scripts/gpu_bundle_run.sh "$dest/run.sh"
chmod +x "$dest/run.sh"

# The binary's libraries, then theirs (OpenBLAS needs libgfortran and libquadmath), resolved to files.
copy_needed() {
    ldd "$1" | awk '/=>/ && $3 ~ /^\// { print $1, $3 }' | while read -r name path; do
        is_system "$name" && continue
        local to="$dest/lib/$name"
        is_common "$name" && to="$dest/lib/common/$name"
        [ -e "$to" ] && continue
        cp -L "$path" "$to"
        copy_needed "$path"
    done
}
copy_needed "$bin"
for needed in libOpenCL.so.1 libopenblas.so.0; do
    [ -e "$dest/lib/$needed" ] || { echo "error: $needed not found by ldd $bin" >&2; exit 1; }
done

glibc=$(objdump -T "$dest/letternet" "$dest"/lib/*.so* 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
cat > "$dest/README.txt" <<EOF
letternet for a GPU machine, built $(date -u +%Y-%m-%d) from $(git rev-parse --short HEAD 2>/dev/null || echo "a checkout").
Needs: x86-64 Linux with glibc >= ${glibc#GLIBC_}, the GPU driver (its OpenCL library, e.g. libnvidia-opencl.so.1);
optionally python3 with a CUDA build of PyTorch for the reference.
Run:   ./run.sh [WORKDIR]     (see the top of run.sh for its settings; OPENCL_VENDOR_LIBRARY names the driver)
Or by hand: LD_LIBRARY_PATH=\$PWD/lib ./letternet selftest
Carried: letternet (Swift runtime linked in), lib/ ($(ls -p "$dest/lib" | grep -v / | tr '\n' ' ')),
lib/common/ ($(ls "$dest/lib/common" | tr '\n' ' '); used only where the machine's own are missing or too old),
Kernels/ (with include/), Models/.
EOF

mkdir -p "$(dirname "$out")"
tar -C "$stage" -czf "$out" letternet-gpu
echo "--- $out ($(du -h "$out" | cut -f1)); needs glibc >= ${glibc#GLIBC_}"
echo "carried libraries: $(ls -p "$dest/lib" | grep -v / | tr '\n' ' '); lib/common: $(ls "$dest/lib/common" | tr '\n' ' ')"
echo "the binary's own needs (ldd):"
ldd "$dest/letternet"
