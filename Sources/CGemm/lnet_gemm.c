/*
 * An AVX-512 SGEMM in the style of BLIS/GotoBLAS, sized for the small, skinny products of a
 * convolution network (M and K in the tens to hundreds):
 *
 *   for each block of KC rows of op(B):          (the B sliver below stays in L1)
 *     pack op(A)'s KC columns into MR-row panels  (k-major: 8 values per k)
 *     for each NR-column sliver of op(B):        (read in place when B is not transposed,
 *       for each MR-row panel of op(A):           packed KC x NR otherwise)
 *         micro-kernel: an 8 x 32 block of C in 16 zmm accumulators, one FMA per
 *         (row, 16 columns, k); masked loads and stores at the right edge, zero rows at the
 *         bottom edge.
 *
 * Packing goes through 8 x 8 AVX transposes. The processor is checked at run time; the kernels
 * are compiled for AVX-512 with a target attribute, so the rest of the package needs no special
 * flags. -DLNET_GEMM_PORTABLE builds without them (lnet_sgemm_available() is then 0), to check
 * that the portable build compiles.
 */
#include "lnet_gemm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(LNET_GEMM_PORTABLE)
#include <immintrin.h>
#define LNET_HAVE_AVX512 1
#else
#define LNET_HAVE_AVX512 0
#endif

enum { MR = 8, NR = 32, KC = 256 };

int lnet_sgemm_available(void) {
#if LNET_HAVE_AVX512
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") ? 1 : 0;
#else
    return 0;
#endif
}

#if LNET_HAVE_AVX512
#define LNET_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

/* Per-thread packing space, grown on demand and kept for the thread's life (CPUBackend's workers
 * are long-lived, so this is a few hundred KB per worker, allocated once). */
static _Thread_local float *pack_space;
static _Thread_local size_t pack_capacity;

static float *workspace(size_t count) {
    if (count > pack_capacity) {
        free(pack_space);
        size_t bytes = (count * sizeof(float) + 63) & ~(size_t)63;
        pack_space = aligned_alloc(64, bytes);
        pack_capacity = pack_space ? count : 0;
    }
    return pack_space;
}

/* dst[k * ldd + r] = src[r * lds + k] for an 8 x 8 block: the classic AVX transpose (unpack, shuffle, permute). */
LNET_AVX512 static inline void transpose_8x8(const float *src, long lds, float *dst, long ldd) {
    __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + lds), r2 = _mm256_loadu_ps(src + 2 * lds),
           r3 = _mm256_loadu_ps(src + 3 * lds), r4 = _mm256_loadu_ps(src + 4 * lds), r5 = _mm256_loadu_ps(src + 5 * lds),
           r6 = _mm256_loadu_ps(src + 6 * lds), r7 = _mm256_loadu_ps(src + 7 * lds);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
           t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
           t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE),
           s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE),
           s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE),
           s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(s0, s4, 0x20));
    _mm256_storeu_ps(dst + ldd, _mm256_permute2f128_ps(s1, s5, 0x20));
    _mm256_storeu_ps(dst + 2 * ldd, _mm256_permute2f128_ps(s2, s6, 0x20));
    _mm256_storeu_ps(dst + 3 * ldd, _mm256_permute2f128_ps(s3, s7, 0x20));
    _mm256_storeu_ps(dst + 4 * ldd, _mm256_permute2f128_ps(s0, s4, 0x31));
    _mm256_storeu_ps(dst + 5 * ldd, _mm256_permute2f128_ps(s1, s5, 0x31));
    _mm256_storeu_ps(dst + 6 * ldd, _mm256_permute2f128_ps(s2, s6, 0x31));
    _mm256_storeu_ps(dst + 7 * ldd, _mm256_permute2f128_ps(s3, s7, 0x31));
}

/* dst[k * ldd + r] = src[r * lds + k] for r < rows, k < kc; rows past `rows` (up to 8) are zero.
 * Full 8-row groups go through 8 x 8 transposes. */
LNET_AVX512 static void pack_rows_8(const float *src, long lds, int rows, int kc, float *dst, long ldd) {
    int k = 0;
    if (rows == 8) for (; k + 8 <= kc; k += 8) transpose_8x8(src + k, lds, dst + (long)k * ldd, ldd);
    for (; k < kc; k++) {
        float *d = dst + (long)k * ldd;
        for (int r = 0; r < rows; r++) d[r] = src[(long)r * lds + k];
        for (int r = rows; r < 8; r++) d[r] = 0;
    }
}

/* op(A)[.., k0..k0+kc) into panels of MR rows: panel p holds kc groups of MR values (rows past M are 0). */
LNET_AVX512 static void pack_a(int transA, const float *A, int lda, int M, int k0, int kc, float *dst) {
    for (int i0 = 0; i0 < M; i0 += MR) {
        int mr = M - i0 < MR ? M - i0 : MR;
        if (transA) {
            for (int k = 0; k < kc; k++) {
                float *d = dst + (size_t)k * MR;
                const float *s = A + (size_t)(k0 + k) * lda + i0;
                for (int r = 0; r < mr; r++) d[r] = s[r];
                for (int r = mr; r < MR; r++) d[r] = 0;
            }
        } else {
            pack_rows_8(A + (size_t)i0 * lda + k0, lda, mr, kc, dst, MR);
        }
        dst += (size_t)kc * MR;
    }
}

/* op(B) = Bᵀ (B stored N x K): rows k0..k0+kc of op(B), NR columns a sliver, zero-padded to NR. */
LNET_AVX512 static void pack_bt(const float *B, int ldb, int N, int k0, int kc, float *dst) {
    for (int j0 = 0; j0 < N; j0 += NR) {
        for (int g = 0; g < NR; g += 8) {
            int rows = N - j0 - g;
            rows = rows < 0 ? 0 : rows > 8 ? 8 : rows;
            const float *src = rows > 0 ? B + (size_t)(j0 + g) * ldb + k0 : B;  /* not read when rows == 0 */
            pack_rows_8(src, ldb, rows, kc, dst + g, NR);
        }
        dst += (size_t)kc * NR;
    }
}

/* How each block of C is finished: `overwrite` with alpha*acc (+ beta*C when beta != 0), else C += alpha*acc. */
LNET_AVX512 static inline void finish(float *c, __mmask16 m, __m512 acc, float alpha, float beta, int overwrite) {
    __m512 v = _mm512_mul_ps(acc, _mm512_set1_ps(alpha));
    if (!overwrite) v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(m, c));
    else if (beta != 0) v = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, c), _mm512_set1_ps(beta), v);
    _mm512_mask_storeu_ps(c, m, v);
}

/* C[0..mr, 0..nr) (+)= alpha * a·b, a: kc x MR packed, b: kc rows of NR floats `ldb` apart (nr <= 32). */
LNET_AVX512 static void kernel_8x32(int kc, const float *a, const float *b, long ldb, float *c, long ldc,
                                    int mr, int nr, float alpha, float beta, int overwrite) {
    __mmask16 m0 = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
    __mmask16 m1 = nr >= 32 ? 0xFFFF : nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1);
    __m512 c00 = _mm512_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    __m512 c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    if (nr > 16) {
        for (int k = 0; k < kc; k++, a += MR, b += ldb) {
            __m512 b0 = _mm512_maskz_loadu_ps(m0, b), b1 = _mm512_maskz_loadu_ps(m1, b + 16), x;
            x = _mm512_set1_ps(a[0]); c00 = _mm512_fmadd_ps(x, b0, c00); c01 = _mm512_fmadd_ps(x, b1, c01);
            x = _mm512_set1_ps(a[1]); c10 = _mm512_fmadd_ps(x, b0, c10); c11 = _mm512_fmadd_ps(x, b1, c11);
            x = _mm512_set1_ps(a[2]); c20 = _mm512_fmadd_ps(x, b0, c20); c21 = _mm512_fmadd_ps(x, b1, c21);
            x = _mm512_set1_ps(a[3]); c30 = _mm512_fmadd_ps(x, b0, c30); c31 = _mm512_fmadd_ps(x, b1, c31);
            x = _mm512_set1_ps(a[4]); c40 = _mm512_fmadd_ps(x, b0, c40); c41 = _mm512_fmadd_ps(x, b1, c41);
            x = _mm512_set1_ps(a[5]); c50 = _mm512_fmadd_ps(x, b0, c50); c51 = _mm512_fmadd_ps(x, b1, c51);
            x = _mm512_set1_ps(a[6]); c60 = _mm512_fmadd_ps(x, b0, c60); c61 = _mm512_fmadd_ps(x, b1, c61);
            x = _mm512_set1_ps(a[7]); c70 = _mm512_fmadd_ps(x, b0, c70); c71 = _mm512_fmadd_ps(x, b1, c71);
        }
    } else {
        for (int k = 0; k < kc; k++, a += MR, b += ldb) {
            __m512 b0 = _mm512_maskz_loadu_ps(m0, b);
            c00 = _mm512_fmadd_ps(_mm512_set1_ps(a[0]), b0, c00);
            c10 = _mm512_fmadd_ps(_mm512_set1_ps(a[1]), b0, c10);
            c20 = _mm512_fmadd_ps(_mm512_set1_ps(a[2]), b0, c20);
            c30 = _mm512_fmadd_ps(_mm512_set1_ps(a[3]), b0, c30);
            c40 = _mm512_fmadd_ps(_mm512_set1_ps(a[4]), b0, c40);
            c50 = _mm512_fmadd_ps(_mm512_set1_ps(a[5]), b0, c50);
            c60 = _mm512_fmadd_ps(_mm512_set1_ps(a[6]), b0, c60);
            c70 = _mm512_fmadd_ps(_mm512_set1_ps(a[7]), b0, c70);
        }
    }
    __m512 acc[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31},
                         {c40, c41}, {c50, c51}, {c60, c61}, {c70, c71}};
    for (int r = 0; r < mr; r++) {
        finish(c + r * ldc, m0, acc[r][0], alpha, beta, overwrite);
        if (m1) finish(c + r * ldc + 16, m1, acc[r][1], alpha, beta, overwrite);
    }
}

LNET_AVX512 static void sgemm_avx512(int transA, int transB, int M, int N, int K, float alpha,
                                     const float *A, int lda, const float *B, int ldb,
                                     float beta, float *C, int ldc) {
    int panels = (M + MR - 1) / MR, slivers = (N + NR - 1) / NR;
    int kcMax = K < KC ? K : KC;
    size_t aCount = (size_t)panels * MR * kcMax, bCount = transB ? (size_t)slivers * NR * kcMax : 0;
    float *space = workspace(aCount + bCount);
    if (!space) abort();
    float *pa = space, *pb = space + aCount;
    for (int k0 = 0; k0 < K; k0 += KC) {
        int kc = K - k0 < KC ? K - k0 : KC, overwrite = k0 == 0;
        pack_a(transA, A, lda, M, k0, kc, pa);
        if (transB) pack_bt(B, ldb, N, k0, kc, pb);
        for (int s = 0; s < slivers; s++) {
            int j0 = s * NR, nr = N - j0 < NR ? N - j0 : NR;
            const float *b = transB ? pb + (size_t)s * kc * NR : B + (size_t)k0 * ldb + j0;
            long bStride = transB ? NR : ldb;
            for (int p = 0; p < panels; p++) {
                int i0 = p * MR, mr = M - i0 < MR ? M - i0 : MR;
                kernel_8x32(kc, pa + (size_t)p * kc * MR, b, bStride, C + (size_t)i0 * ldc + j0, ldc,
                            mr, nr, alpha, beta, overwrite);
            }
        }
    }
}
#endif

void lnet_sgemm(int transA, int transB, int M, int N, int K, float alpha,
                const float *A, int lda, const float *B, int ldb,
                float beta, float *C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0) {
        /* No product: C = beta * C (BLAS semantics; beta == 0 clears without reading). */
        for (int i = 0; i < M; i++) {
            float *c = C + (size_t)i * ldc;
            if (beta == 0) memset(c, 0, (size_t)N * sizeof(float));
            else for (int j = 0; j < N; j++) c[j] *= beta;
        }
        return;
    }
#if LNET_HAVE_AVX512
    sgemm_avx512(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#else
    (void)transA; (void)transB; (void)A; (void)lda; (void)B; (void)ldb;
    abort(); /* callers check lnet_sgemm_available() first */
#endif
}
