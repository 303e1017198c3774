#!/usr/bin/env bash
# Builds a libFuzzer target from Fuzz/TARGET.swift and runs it for SECONDS on the seed corpus
# Fuzz/corpus/TARGET (new inputs go to a scratch corpus, crashes to .build-fuzz/crashes/TARGET).
#
#   Scripts/fuzz.sh TARGET [SECONDS]      TARGET: npy npyheader npz idx checkpoint csv labels image (or all)
#
# A target links only the libraries it imports: the file formats (`import LetterFormats`: FileIO,
# ZIPFoundation, LetterFormats; the system's zlib, libpng and libjpeg) or the neural core
# (`import NeuralNet`: FileIO, CGemm, NeuralNet and OpenBLAS; only the checkpoint target, whose format
# belongs to the core). So the format targets build without OpenBLAS. Each library is compiled with
# swiftc into one object with -sanitize=fuzzer,address (coverage + AddressSanitizer), once, under
# .build-fuzz/ (FUZZ_BUILD); ZIPFoundation's sources come from a SwiftPM checkout (`swift package
# resolve` makes one). The system's C libraries are linked as installed (not instrumented).
# Exit status: 0 when no target crashed; a crash leaves its input in the crashes folder, where
# `.build-fuzz/fuzz-TARGET CRASHFILE` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(npy npyheader npz idx checkpoint csv labels image)
target=${1:?usage: Scripts/fuzz.sh TARGET [SECONDS] (TARGET: ${targets[*]} or all)}
seconds=${2:-60}
if [[ $target == all ]]; then
    status=0
    for t in "${targets[@]}"; do "$0" "$t" "$seconds" || status=1; done
    exit $status
fi
[[ -f Fuzz/$target.swift ]] || { echo "no fuzz target Fuzz/$target.swift (targets: ${targets[*]})" >&2; exit 2; }

out=${FUZZ_BUILD:-.build-fuzz}
mkdir -p "$out"
imports=$(sed -n 's/^import \([A-Za-z]*\)$/\1/p' "Fuzz/$target.swift")
uses() { grep -qx "$1" <<<"$imports"; }

flags=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 5 -wmo -num-threads 0 -I "$out" -Xcc -D_GNU_SOURCE=1)

# module NAME SOURCES...: one object and one .swiftmodule per library, rebuilt when a source is newer.
module() {
    local name=$1; shift
    local object=$out/$name.o stale=0
    if [[ ! -f $object ]]; then stale=1; else
        for f in "$@"; do [[ $f -nt $object ]] && { stale=1; break; }; done
    fi
    if [[ $stale == 1 ]]; then
        echo "--- compiling $name for fuzzing" >&2
        swiftc "${flags[@]}" -module-name "$name" -enable-testing -emit-module \
            -emit-module-path "$out/$name.swiftmodule" -c "$@" -o "$object"
    fi
}

module FileIO Sources/FileIO/*.swift
objects=("$out/FileIO.o") libraries=()
if uses LetterFormats; then
    zip=${ZIPFOUNDATION_SOURCES:-}
    if [[ -z $zip ]]; then
        for d in .build/checkouts .build-*/checkouts; do
            if [[ -d $d/ZIPFoundation/Sources/ZIPFoundation ]]; then zip=$d/ZIPFoundation/Sources; break; fi
        done
    fi
    if [[ -z $zip ]]; then
        swift package resolve >&2
        zip=.build/checkouts/ZIPFoundation/Sources
    fi
    flags+=(-I Sources/CPNG -I Sources/CJPEG -I "$zip/CZLib")
    module ZIPFoundation "$zip"/ZIPFoundation/*.swift
    module LetterFormats $(find Sources/LetterFormats -name '*.swift' | sort)
    objects+=("$out/LetterFormats.o" "$out/ZIPFoundation.o") libraries+=(-lz -lpng -ljpeg)
fi
if uses NeuralNet; then
    for c in Sources/CGemm/*.c; do       # the GEMM and the Winograd transforms
        o=$out/CGemm-$(basename "$c" .c).o
        if [[ ! -f $o || $c -nt $o ]]; then
            echo "--- compiling $c for fuzzing" >&2
            clang -O2 -g -fsanitize=address -I Sources/CGemm/include -c "$c" -o "$o"
        fi
        objects+=("$o")
    done
    flags+=(-I Sources/CBLAS -I Sources/CGemm/include)
    module NeuralNet $(find Sources/NeuralNet -name '*.swift' | sort)
    objects+=("$out/NeuralNet.o") libraries+=(-lopenblas)
fi

exe=$out/fuzz-$target
stale=0
[[ ! -x $exe || Fuzz/$target.swift -nt $exe ]] && stale=1
for o in "${objects[@]}"; do [[ $o -nt $exe ]] && stale=1; done
if [[ $stale == 1 ]]; then
    echo "--- linking $exe (${objects[*]##*/})" >&2
    swiftc "${flags[@]}" -module-name "fuzz_$target" Fuzz/"$target".swift "${objects[@]}" "${libraries[@]}" -o "$exe"
fi

# New inputs go to a scratch corpus (seeded from the committed one), so runs do not grow the repository.
corpus=$out/corpus/$target crashes=$out/crashes/$target
mkdir -p "$corpus" "$crashes"
cp -n Fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
echo "--- fuzzing $target for $seconds s" >&2
# Bounded memory per input (rss_limit) and a cap on any single allocation: a reader that trusts a
# size from a header shows up as a crash here.
dict=()
[[ -f Fuzz/$target.dict ]] && dict=(-dict="Fuzz/$target.dict")
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1} \
"$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=10 "${dict[@]}" \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus"
