/*
 * Direct convolution of one-channel images (see lnet_conv1ch.h). For each output row and block of
 * 16 columns, the k x k input vectors are loaded once (k = 3: kept in registers) and every output
 * channel is a bias plus k x k multiply-adds of them with its broadcast weights, so the work is
 * bound by writing the output, not by an unfolded copy of the input and a GEMM over 9 rows.
 * AVX-512 (16 columns) where the processor has it, AVX2 with FMA (8 columns) where it has only that.
 */
#include "lnet_conv1ch.h"

#include <stdatomic.h>
#include <string.h>

static atomic_int vector_cap = 2;
void lnet_conv1ch_limit_vectors(int level) { atomic_store(&vector_cap, level); }

#if defined(__x86_64__)
#include <immintrin.h>
#define LNET_CONV1CH_AVX512 1
#endif

long lnet_conv1ch_scratch(int h, int w, int k, int pad) {
    (void)k;
    return (long)(h + 2 * pad) * (w + 2 * pad);
}

/* x into the middle of a zeroed (H + 2 pad) x (W + 2 pad) plane. */
static void pad_plane(const float *x, int h, int w, int pad, float *plane) {
    const int pw = w + 2 * pad;
    memset(plane, 0, sizeof(float) * (size_t)(h + 2 * pad) * (size_t)pw);
    for (int i = 0; i < h; i++) memcpy(plane + (long)(i + pad) * pw + pad, x + (long)i * w, sizeof(float) * (size_t)w);
}

/* The plain loop: bias, then the taps row by row, as the vector paths add them (with rounding
 * after each product where those fuse it: results agree to float rounding, not bit for bit). */
static void conv_plain(const float *plane, int pw, int oh, int ow, const float *wt, const float *bias,
                       int out_channels, int k, int relu, float *y) {
    for (int o = 0; o < out_channels; o++) {
        const float *wo = wt + (long)o * k * k;
        for (int oy = 0; oy < oh; oy++) {
            float *line = y + ((long)o * oh + oy) * ow;
            for (int ox = 0; ox < ow; ox++) {
                float s = bias[o];
                for (int ki = 0; ki < k; ki++)
                    for (int kj = 0; kj < k; kj++) s += wo[ki * k + kj] * plane[(long)(oy + ki) * pw + ox + kj];
                line[ox] = relu && s < 0 ? 0 : s;
            }
        }
    }
}

#ifdef LNET_CONV1CH_AVX512
#define LNET_AVX512 __attribute__((target("avx512f,avx512vl,avx2,fma")))

LNET_AVX512 static inline __mmask16 tail_mask(int n) {
    return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
}

LNET_AVX512 static inline void store(float *dst, __mmask16 m, __m512 acc, int relu) {
    if (relu) acc = _mm512_max_ps(acc, _mm512_setzero_ps());
    _mm512_mask_storeu_ps(dst, m, acc);
}

/* 3 x 3: the nine input vectors of a block stay in registers across the output channels. */
LNET_AVX512 static void conv_3x3_avx512(const float *plane, int pw, int oh, int ow, const float *wt,
                                        const float *bias, int out_channels, int relu, float *y) {
    for (int oy = 0; oy < oh; oy++) {
        for (int x0 = 0; x0 < ow; x0 += 16) {
            const __mmask16 m = tail_mask(ow - x0);
            const float *base = plane + (long)oy * pw + x0;
            __m512 in[9];
            for (int t = 0; t < 9; t++) in[t] = _mm512_maskz_loadu_ps(m, base + (t / 3) * pw + t % 3);
            for (int o = 0; o < out_channels; o++) {
                const float *w = wt + o * 9;
                __m512 acc = _mm512_set1_ps(bias[o]);
                for (int t = 0; t < 9; t++) acc = _mm512_fmadd_ps(_mm512_set1_ps(w[t]), in[t], acc);
                store(y + ((long)o * oh + oy) * ow + x0, m, acc, relu);
            }
        }
    }
}

/* Any k: the input vectors come from the (cache-resident) plane for each channel. */
LNET_AVX512 static void conv_avx512(const float *plane, int pw, int oh, int ow, const float *wt,
                                    const float *bias, int out_channels, int k, int relu, float *y) {
    for (int oy = 0; oy < oh; oy++) {
        for (int x0 = 0; x0 < ow; x0 += 16) {
            const __mmask16 m = tail_mask(ow - x0);
            const float *base = plane + (long)oy * pw + x0;
            for (int o = 0; o < out_channels; o++) {
                const float *w = wt + (long)o * k * k;
                __m512 acc = _mm512_set1_ps(bias[o]);
                for (int ki = 0; ki < k; ki++)
                    for (int kj = 0; kj < k; kj++)
                        acc = _mm512_fmadd_ps(_mm512_set1_ps(w[ki * k + kj]),
                                              _mm512_maskz_loadu_ps(m, base + (long)ki * pw + kj), acc);
                store(y + ((long)o * oh + oy) * ow + x0, m, acc, relu);
            }
        }
    }
}
#endif

#ifdef LNET_CONV1CH_AVX512
#define LNET_AVX2 __attribute__((target("avx2,fma")))

/* The same blocks 8 columns wide for processors with AVX2 but not AVX-512. */
LNET_AVX2 static inline __m256i tail_mask8(int n) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n < 8 ? n : 8), lanes);
}

LNET_AVX2 static inline void store8(float *dst, int full, __m256i m, __m256 acc, int relu) {
    if (relu) acc = _mm256_max_ps(acc, _mm256_setzero_ps());
    if (full) _mm256_storeu_ps(dst, acc);
    else _mm256_maskstore_ps(dst, m, acc);
}

LNET_AVX2 static void conv_3x3_avx2(const float *plane, int pw, int oh, int ow, const float *wt,
                                    const float *bias, int out_channels, int relu, float *y) {
    for (int oy = 0; oy < oh; oy++) {
        for (int x0 = 0; x0 < ow; x0 += 8) {
            const int full = ow - x0 >= 8;
            const __m256i m = tail_mask8(ow - x0);
            const float *base = plane + (long)oy * pw + x0;
            __m256 in[9];
            for (int t = 0; t < 9; t++)
                in[t] = full ? _mm256_loadu_ps(base + (t / 3) * pw + t % 3) : _mm256_maskload_ps(base + (t / 3) * pw + t % 3, m);
            for (int o = 0; o < out_channels; o++) {
                const float *w = wt + o * 9;
                __m256 acc = _mm256_set1_ps(bias[o]);
                for (int t = 0; t < 9; t++) acc = _mm256_fmadd_ps(_mm256_set1_ps(w[t]), in[t], acc);
                store8(y + ((long)o * oh + oy) * ow + x0, full, m, acc, relu);
            }
        }
    }
}

LNET_AVX2 static void conv_avx2(const float *plane, int pw, int oh, int ow, const float *wt,
                                const float *bias, int out_channels, int k, int relu, float *y) {
    for (int oy = 0; oy < oh; oy++) {
        for (int x0 = 0; x0 < ow; x0 += 8) {
            const int full = ow - x0 >= 8;
            const __m256i m = tail_mask8(ow - x0);
            const float *base = plane + (long)oy * pw + x0;
            for (int o = 0; o < out_channels; o++) {
                const float *w = wt + (long)o * k * k;
                __m256 acc = _mm256_set1_ps(bias[o]);
                for (int ki = 0; ki < k; ki++)
                    for (int kj = 0; kj < k; kj++)
                        acc = _mm256_fmadd_ps(_mm256_set1_ps(w[ki * k + kj]),
                                              _mm256_maskload_ps(base + (long)ki * pw + kj, m), acc);
                store8(y + ((long)o * oh + oy) * ow + x0, full, m, acc, relu);
            }
        }
    }
}
#endif

void lnet_conv1ch_forward(const float *x, int h, int w, const float *weights, const float *bias,
                          int out_channels, int k, int pad, int relu, float *y, float *scratch) {
    const int pw = w + 2 * pad, oh = h + 2 * pad - k + 1, ow = w + 2 * pad - k + 1;
    if (oh <= 0 || ow <= 0) return;
    pad_plane(x, h, w, pad, scratch);
#ifdef LNET_CONV1CH_AVX512
    const int cap = atomic_load_explicit(&vector_cap, memory_order_relaxed);
    if (cap >= 2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")) {
        if (k == 3) conv_3x3_avx512(scratch, pw, oh, ow, weights, bias, out_channels, relu, y);
        else conv_avx512(scratch, pw, oh, ow, weights, bias, out_channels, k, relu, y);
        return;
    }
    if (cap >= 1 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        if (k == 3) conv_3x3_avx2(scratch, pw, oh, ow, weights, bias, out_channels, relu, y);
        else conv_avx2(scratch, pw, oh, ow, weights, bias, out_channels, k, relu, y);
        return;
    }
#endif
    conv_plain(scratch, pw, oh, ow, weights, bias, out_channels, k, relu, y);
}
