/* 2x2 max pooling for inference (see lnet_pool.h). */
#include "lnet_pool.h"

#include "lnet_clones.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define LNET_POOL_AVX512 1
#endif

static inline float max2(float a, float b) { return b > a ? b : a; }

LNET_CLONES static void pool_plain(const float *x, int planes, int h, int w, float *y) {
    const int oh = h / 2, ow = w / 2;
    for (long p = 0; p < planes; p++) {
        for (int oy = 0; oy < oh; oy++) {
            const float *r0 = x + (p * h + 2 * oy) * w, *r1 = r0 + w;
            float *out = y + (p * oh + oy) * ow;
            for (int ox = 0; ox < ow; ox++)
                out[ox] = max2(max2(r0[2 * ox], r0[2 * ox + 1]), max2(r1[2 * ox], r1[2 * ox + 1]));
        }
    }
}

#ifdef LNET_POOL_AVX512
#define LNET_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

/* Per row pair: the larger of the two rows, 32 columns at a time, then of even and odd lanes. */
LNET_AVX512 static void pool_avx512(const float *x, int planes, int h, int w, float *y) {
    const int oh = h / 2, ow = w / 2;
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (long p = 0; p < planes; p++) {
        for (int oy = 0; oy < oh; oy++) {
            const float *r0 = x + (p * h + 2 * oy) * w, *r1 = r0 + w;
            float *out = y + (p * oh + oy) * ow;
            for (int ox = 0; ox < ow; ox += 16) {
                const int n = ow - ox < 16 ? ow - ox : 16;  /* outputs in this block, 2n inputs */
                const int lo = 2 * n < 16 ? 2 * n : 16, hi = 2 * n - lo;
                const __mmask16 ml = (__mmask16)((1u << lo) - 1), mh = (__mmask16)((1u << hi) - 1);
                const __m512 a = _mm512_max_ps(_mm512_maskz_loadu_ps(ml, r0 + 2 * ox), _mm512_maskz_loadu_ps(ml, r1 + 2 * ox));
                const __m512 b = _mm512_max_ps(_mm512_maskz_loadu_ps(mh, r0 + 2 * ox + 16),
                                               _mm512_maskz_loadu_ps(mh, r1 + 2 * ox + 16));
                const __m512 m = _mm512_max_ps(_mm512_permutex2var_ps(a, even, b), _mm512_permutex2var_ps(a, odd, b));
                _mm512_mask_storeu_ps(out + ox, (__mmask16)((1u << n) - 1), m);
            }
        }
    }
}
#endif

void lnet_maxpool2x2(const float *x, int planes, int h, int w, float *y) {
#ifdef LNET_POOL_AVX512
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) {
        pool_avx512(x, planes, h, w, y);
        return;
    }
#endif
    pool_plain(x, planes, h, w, y);
}
