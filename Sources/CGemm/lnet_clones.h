#ifndef LNET_CLONES_H
#define LNET_CLONES_H
/*
 * LNET_CLONES before a function of plain loops compiles it twice, for AVX2 and for the baseline
 * x86-64 (SSE2), and picks one when the program loads (target_clones, an ifunc). The package
 * builds for the baseline, so without it the compiler vectorizes those loops 4 floats wide even on
 * processors that have 8. No FMA in the clone: results are bit-identical on both. A private header
 * of CGemm; elsewhere (other processors, LNET_GEMM_PORTABLE) it is empty.
 */
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && defined(__ELF__) && !defined(LNET_GEMM_PORTABLE)
#define LNET_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LNET_CLONES
#endif

#endif
