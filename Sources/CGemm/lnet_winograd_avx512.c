/*
 * The F(2x2, 3x3) transforms over tiles in AVX-512 (see lnet_winograd_avx512.h and, for the
 * transforms themselves, lnet_winograd.c). Lane j of a vector is tile tx0 + j of a tile row: the
 * even and odd columns 2 tx and 2 tx + 1 of 16 tiles come from 32 consecutive floats, split by two
 * permutes, so a tile row's 16 transform elements are a few adds and 16 (masked) stores.
 */
#include "lnet_winograd_avx512.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(LNET_GEMM_PORTABLE)
#include <immintrin.h>
#include <stdint.h>

#define LNET_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

/* Elements start + 2 j (even) and start + 2 j + 1 (odd), j < 16, of a row of `n` floats, zero outside it
 * (start may be negative: the left padding). `row` NULL: a row of zeros. */
LNET_AVX512 static inline void load_pairs(const float *row, long start, long n, __m512 *even, __m512 *odd) {
    if (!row || start >= n || start + 32 <= 0) {
        *even = *odd = _mm512_setzero_ps();
        return;
    }
    const long lo = start < 0 ? -start : 0, hi = n - start < 32 ? n - start : 32;
    const uint64_t bits = (hi >= 64 ? ~0ull : (1ull << hi) - 1) & ~((1ull << lo) - 1);
    /* Lanes outside [lo, hi) are neither read nor faulted. In the left padding (start < 0) the row's first
     * elements are expanded into lanes lo… so that no pointer before the row is formed. */
    __m512 a, b;
    if (start >= 0) {
        a = _mm512_maskz_loadu_ps((__mmask16)bits, row + start);
        b = _mm512_maskz_loadu_ps((__mmask16)(bits >> 16), row + start + 16);
    } else {
        const long lo_b = lo > 16 ? lo - 16 : 0;
        a = _mm512_maskz_expandloadu_ps((__mmask16)bits, row);
        b = _mm512_maskz_expandloadu_ps((__mmask16)(bits >> 16), row + (start + 16 + lo_b));
    }
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    *even = _mm512_permutex2var_ps(a, evens, b);
    *odd = _mm512_permutex2var_ps(a, odds, b);
}

LNET_AVX512 void lnet_winograd_input_avx512(const float *plane, int h, int w, int pad, int tiles_h, int tiles_w,
                                            float *v, long stride) {
    for (int ty = 0; ty < tiles_h; ty++) {
        for (int tx0 = 0; tx0 < tiles_w; tx0 += 16) {
            const int nt = tiles_w - tx0 < 16 ? tiles_w - tx0 : 16;
            const __mmask16 keep = (__mmask16)((1u << nt) - 1);
            const long start = 2L * tx0 - pad;
            __m512 t[4][4];  /* d B along each of the tile's 4 rows */
            for (int r = 0; r < 4; r++) {
                const int iy = 2 * ty - pad + r;
                const float *row = iy >= 0 && iy < h ? plane + (long)iy * w : 0;
                __m512 d0, d1, d2, d3;
                load_pairs(row, start, w, &d0, &d1);
                load_pairs(row, start + 2, w, &d2, &d3);
                t[r][0] = _mm512_sub_ps(d0, d2);
                t[r][1] = _mm512_add_ps(d1, d2);
                t[r][2] = _mm512_sub_ps(d2, d1);
                t[r][3] = _mm512_sub_ps(d1, d3);
            }
            float *o = v + (long)ty * tiles_w + tx0;
            for (int j = 0; j < 4; j++) { /* B^T along columns */
                _mm512_mask_storeu_ps(o + (0 + j) * stride, keep, _mm512_sub_ps(t[0][j], t[2][j]));
                _mm512_mask_storeu_ps(o + (4 + j) * stride, keep, _mm512_add_ps(t[1][j], t[2][j]));
                _mm512_mask_storeu_ps(o + (8 + j) * stride, keep, _mm512_sub_ps(t[2][j], t[1][j]));
                _mm512_mask_storeu_ps(o + (12 + j) * stride, keep, _mm512_sub_ps(t[1][j], t[3][j]));
            }
        }
    }
}

LNET_AVX512 float lnet_winograd_output_gradient_avx512(const float *plane, int oh, int ow, int tiles_h, int tiles_w,
                                                       float *m, long stride) {
    __m512 sum = _mm512_setzero_ps();
    const __m512 zero = _mm512_setzero_ps();
    for (int ty = 0; ty < tiles_h; ty++) {
        const float *r0 = plane + (long)(2 * ty) * ow, *r1 = 2 * ty + 1 < oh ? r0 + ow : 0;
        for (int tx0 = 0; tx0 < tiles_w; tx0 += 16) {
            const int nt = tiles_w - tx0 < 16 ? tiles_w - tx0 : 16;
            const __mmask16 keep = (__mmask16)((1u << nt) - 1);
            __m512 y00, y01, y10, y11;  /* the tiles' dy, row then column */
            load_pairs(r0, 2L * tx0, ow, &y00, &y01);
            load_pairs(r1, 2L * tx0, ow, &y10, &y11);
            /* A dy along each row: (y0, y0 + y1, y0 - y1, -y1). */
            const __m512 a[4] = {y00, _mm512_add_ps(y00, y01), _mm512_sub_ps(y00, y01), _mm512_sub_ps(zero, y01)};
            const __m512 b[4] = {y10, _mm512_add_ps(y10, y11), _mm512_sub_ps(y10, y11), _mm512_sub_ps(zero, y11)};
            float *o = m + (long)ty * tiles_w + tx0;
            for (int j = 0; j < 4; j++) { /* A along columns */
                _mm512_mask_storeu_ps(o + (0 + j) * stride, keep, a[j]);
                _mm512_mask_storeu_ps(o + (4 + j) * stride, keep, _mm512_add_ps(a[j], b[j]));
                _mm512_mask_storeu_ps(o + (8 + j) * stride, keep, _mm512_sub_ps(a[j], b[j]));
                _mm512_mask_storeu_ps(o + (12 + j) * stride, keep, _mm512_sub_ps(zero, b[j]));
            }
            sum = _mm512_add_ps(sum, _mm512_add_ps(a[1], b[1]));  /* lanes past the row are zero */
        }
    }
    return _mm512_reduce_add_ps(sum);
}

/* y[2 ty + half][2 tx0 ...]: the 16 tiles' columns 0 and 1 interleaved, plus the bias, clamped with `relu`. */
LNET_AVX512 static inline void store_pairs(float *row, long n, __m512 even, __m512 odd, __m512 bias, int relu) {
    const __m512i first = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i second = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    __m512 a = _mm512_add_ps(_mm512_permutex2var_ps(even, first, odd), bias);
    __m512 b = _mm512_add_ps(_mm512_permutex2var_ps(even, second, odd), bias);
    if (relu) { /* max(0, e) keeps a NaN e and -0, as e < 0 ? 0 : e does */
        a = _mm512_max_ps(_mm512_setzero_ps(), a);
        b = _mm512_max_ps(_mm512_setzero_ps(), b);
    }
    const uint64_t bits = n >= 32 ? 0xFFFFFFFFull : (1ull << n) - 1;
    _mm512_mask_storeu_ps(row, (__mmask16)bits, a);
    _mm512_mask_storeu_ps(row + 16, (__mmask16)(bits >> 16), b);
}

LNET_AVX512 void lnet_winograd_output_avx512(const float *m, long stride, int tiles_h, int tiles_w, float *y, int oh,
                                             int ow, float bias, int relu) {
    const __m512 b = _mm512_set1_ps(bias);
    for (int ty = 0; ty < tiles_h; ty++) {
        for (int tx0 = 0; tx0 < tiles_w; tx0 += 16) {
            const int nt = tiles_w - tx0 < 16 ? tiles_w - tx0 : 16;
            const __mmask16 keep = (__mmask16)((1u << nt) - 1);
            const float *s = m + (long)ty * tiles_w + tx0;
            __m512 r[4][2];
            for (int i = 0; i < 4; i++) { /* m A along each row, summed in the order of lnet_winograd_output */
                const __m512 q0 = _mm512_maskz_loadu_ps(keep, s + (4 * i) * stride),
                             q1 = _mm512_maskz_loadu_ps(keep, s + (4 * i + 1) * stride),
                             q2 = _mm512_maskz_loadu_ps(keep, s + (4 * i + 2) * stride),
                             q3 = _mm512_maskz_loadu_ps(keep, s + (4 * i + 3) * stride);
                r[i][0] = _mm512_add_ps(_mm512_add_ps(q0, q1), q2);
                r[i][1] = _mm512_sub_ps(_mm512_sub_ps(q1, q2), q3);
            }
            const long x = 2L * tx0, n = ow - x;
            float *top = y + (long)(2 * ty) * ow + x;
            store_pairs(top, n, _mm512_add_ps(_mm512_add_ps(r[0][0], r[1][0]), r[2][0]),
                        _mm512_add_ps(_mm512_add_ps(r[0][1], r[1][1]), r[2][1]), b, relu);
            if (2 * ty + 1 < oh)
                store_pairs(top + ow, n, _mm512_sub_ps(_mm512_sub_ps(r[1][0], r[2][0]), r[3][0]),
                            _mm512_sub_ps(_mm512_sub_ps(r[1][1], r[2][1]), r[3][1]), b, relu);
        }
    }
}
#endif
