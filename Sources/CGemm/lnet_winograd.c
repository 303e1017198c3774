/*
 * F(2x2, 3x3) transforms for CPUBackend's Winograd convolution (see include/lnet_winograd.h).
 *
 *   B^T = | 1  0 -1  0 |     G = | 1    0    0   |     A^T = | 1  1  1  0 |
 *         | 0  1  1  0 |         | 1/2  1/2  1/2 |           | 0  1 -1 -1 |
 *         | 0 -1  1  0 |         | 1/2 -1/2  1/2 |
 *         | 0  1  0 -1 |         | 0    0    1   |
 *
 * Each transform is applied along rows, then along columns. The loops over tiles read 2 apart
 * and write 16 (or 4) streams that never overlap what they read; `assume_safety` lets the
 * compiler vectorize them without proving that.
 */
#include "lnet_winograd.h"

#include "lnet_clones.h"
#include <string.h>

#include "lnet_gemm.h"
#include "lnet_winograd_avx512.h"

/* The AVX-512 versions of the transforms over tiles (lnet_winograd_avx512.c), where the processor has it. */
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__)) && !defined(LNET_GEMM_PORTABLE)
#include <stdatomic.h>
#define LNET_WINOGRAD_AVX512 1
static atomic_int vector_allowed = 1;
void lnet_winograd_allow_avx512(int allowed) { atomic_store(&vector_allowed, allowed != 0); }
static int use_avx512(void) { return atomic_load_explicit(&vector_allowed, memory_order_relaxed) && lnet_sgemm_available(); }
#else
#define LNET_WINOGRAD_AVX512 0
void lnet_winograd_allow_avx512(int allowed) { (void)allowed; }
#endif

long lnet_winograd_input_scratch(int tiles_h, int tiles_w) {
    return (long)(2 * tiles_h + 2) * (2 * tiles_w + 2);
}

LNET_CLONES void lnet_winograd_input(const float *plane, int h, int w, int pad, int tiles_h, int tiles_w,
                         float *v, long stride, float *scratch) {
#if LNET_WINOGRAD_AVX512
    if (use_avx512()) { lnet_winograd_input_avx512(plane, h, w, pad, tiles_h, tiles_w, v, stride); return; }
#endif
    const int ph = 2 * tiles_h + 2, pw = 2 * tiles_w + 2;
    /* The plane, zero-padded: scratch row r, column c holds plane[r - pad][c - pad]. */
    for (int r = 0; r < ph; r++) {
        float *line = scratch + (long)r * pw;
        const int iy = r - pad;
        if (iy < 0 || iy >= h) { memset(line, 0, sizeof(float) * pw); continue; }
        const int lo = pad < pw ? pad : pw, hi = pad + w < pw ? pad + w : pw;
        memset(line, 0, sizeof(float) * lo);
        if (hi > lo) memcpy(line + lo, plane + (long)iy * w, sizeof(float) * (hi - lo));
        memset(line + hi, 0, sizeof(float) * (pw - hi));
    }
    for (int ty = 0; ty < tiles_h; ty++) {
        const float *r0 = scratch + (long)(2 * ty) * pw, *r1 = r0 + pw, *r2 = r1 + pw, *r3 = r2 + pw;
        float *o = v + (long)ty * tiles_w;
#pragma clang loop vectorize(assume_safety)
        for (int tx = 0; tx < tiles_w; tx++) {
            const int x = 2 * tx;
            /* d B along each row: (d0 - d2, d1 + d2, d2 - d1, d1 - d3). */
            const float a0 = r0[x] - r0[x + 2], a1 = r0[x + 1] + r0[x + 2], a2 = r0[x + 2] - r0[x + 1], a3 = r0[x + 1] - r0[x + 3];
            const float b0 = r1[x] - r1[x + 2], b1 = r1[x + 1] + r1[x + 2], b2 = r1[x + 2] - r1[x + 1], b3 = r1[x + 1] - r1[x + 3];
            const float c0 = r2[x] - r2[x + 2], c1 = r2[x + 1] + r2[x + 2], c2 = r2[x + 2] - r2[x + 1], c3 = r2[x + 1] - r2[x + 3];
            const float d0 = r3[x] - r3[x + 2], d1 = r3[x + 1] + r3[x + 2], d2 = r3[x + 2] - r3[x + 1], d3 = r3[x + 1] - r3[x + 3];
            /* B^T along columns. */
            o[0 * stride + tx] = a0 - c0; o[1 * stride + tx] = a1 - c1; o[2 * stride + tx] = a2 - c2; o[3 * stride + tx] = a3 - c3;
            o[4 * stride + tx] = b0 + c0; o[5 * stride + tx] = b1 + c1; o[6 * stride + tx] = b2 + c2; o[7 * stride + tx] = b3 + c3;
            o[8 * stride + tx] = c0 - b0; o[9 * stride + tx] = c1 - b1; o[10 * stride + tx] = c2 - b2; o[11 * stride + tx] = c3 - b3;
            o[12 * stride + tx] = b0 - d0; o[13 * stride + tx] = b1 - d1; o[14 * stride + tx] = b2 - d2; o[15 * stride + tx] = b3 - d3;
        }
    }
}

void lnet_winograd_kernel(const float *w, int out_channels, int in_channels, int flip, float *u) {
    const long count = (long)out_channels * in_channels;
    for (int o = 0; o < out_channels; o++) {
        for (int c = 0; c < in_channels; c++) {
            const float *k = w + ((long)o * in_channels + c) * 9;
            float g[3][3], t[3][4];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) g[i][j] = flip ? k[(2 - i) * 3 + (2 - j)] : k[i * 3 + j];
            for (int i = 0; i < 3; i++) { /* g G^T along each row */
                t[i][0] = g[i][0];
                t[i][1] = 0.5f * (g[i][0] + g[i][1] + g[i][2]);
                t[i][2] = 0.5f * (g[i][0] - g[i][1] + g[i][2]);
                t[i][3] = g[i][2];
            }
            const long at = flip ? (long)c * out_channels + o : (long)o * in_channels + c;
            for (int j = 0; j < 4; j++) { /* G along columns */
                u[(0 * 4 + j) * count + at] = t[0][j];
                u[(1 * 4 + j) * count + at] = 0.5f * (t[0][j] + t[1][j] + t[2][j]);
                u[(2 * 4 + j) * count + at] = 0.5f * (t[0][j] - t[1][j] + t[2][j]);
                u[(3 * 4 + j) * count + at] = t[2][j];
            }
        }
    }
}

LNET_CLONES void lnet_winograd_output(const float *m, long stride, int tiles_h, int tiles_w, float *y, int oh, int ow,
                          float bias, int relu, float *scratch) {
#if LNET_WINOGRAD_AVX512
    if (use_avx512()) { lnet_winograd_output_avx512(m, stride, tiles_h, tiles_w, y, oh, ow, bias, relu); return; }
#endif
    float *top = scratch, *bottom = scratch + 2 * tiles_w;
    for (int ty = 0; ty < tiles_h; ty++) {
        const float *s = m + (long)ty * tiles_w;
#pragma clang loop vectorize(assume_safety)
        for (int tx = 0; tx < tiles_w; tx++) {
            float r[4][2];
            for (int i = 0; i < 4; i++) { /* m A along each row */
                const float *q = s + (long)(4 * i) * stride + tx;
                const float q0 = q[0], q1 = q[stride], q2 = q[2 * stride], q3 = q[3 * stride];
                r[i][0] = q0 + q1 + q2;
                r[i][1] = q1 - q2 - q3;
            }
            for (int j = 0; j < 2; j++) { /* A^T along columns */
                top[2 * tx + j] = r[0][j] + r[1][j] + r[2][j];
                bottom[2 * tx + j] = r[1][j] - r[2][j] - r[3][j];
            }
        }
        for (int half = 0; half < 2; half++) {
            const int oy = 2 * ty + half;
            if (oy >= oh) break;
            const float *src = half ? bottom : top;
            float *dst = y + (long)oy * ow;
            if (relu) {
                for (int x = 0; x < ow; x++) { const float e = src[x] + bias; dst[x] = e < 0 ? 0 : e; }
            } else {
                for (int x = 0; x < ow; x++) dst[x] = src[x] + bias;
            }
        }
    }
}

LNET_CLONES float lnet_winograd_output_gradient(const float *plane, int oh, int ow, int tiles_h, int tiles_w,
                                    float *m, long stride, float *scratch) {
#if LNET_WINOGRAD_AVX512
    if (use_avx512()) return lnet_winograd_output_gradient_avx512(plane, oh, ow, tiles_h, tiles_w, m, stride);
#endif
    /* Odd sizes: the plane, zero-padded to whole tiles (what lies past it had no output, so no gradient). */
    const int ph = 2 * tiles_h, pw = 2 * tiles_w;
    const float *src = plane;
    if (ph != oh || pw != ow) {
        for (int r = 0; r < ph; r++) {
            float *line = scratch + (long)r * pw;
            if (r >= oh) { memset(line, 0, sizeof(float) * pw); continue; }
            memcpy(line, plane + (long)r * ow, sizeof(float) * ow);
            memset(line + ow, 0, sizeof(float) * (pw - ow));
        }
        src = scratch;
    }
    float sum = 0;
    for (int ty = 0; ty < tiles_h; ty++) {
        const float *r0 = src + (long)(2 * ty) * pw, *r1 = r0 + pw;
        float *o = m + (long)ty * tiles_w;
#pragma clang loop vectorize(assume_safety)
        for (int tx = 0; tx < tiles_w; tx++) {
            const int x = 2 * tx;
            /* A dy along each row: (y0, y0 + y1, y0 - y1, -y1). */
            const float a0 = r0[x], a1 = r0[x] + r0[x + 1], a2 = r0[x] - r0[x + 1], a3 = -r0[x + 1];
            const float b0 = r1[x], b1 = r1[x] + r1[x + 1], b2 = r1[x] - r1[x + 1], b3 = -r1[x + 1];
            /* A along columns, the same combination of the two rows. */
            o[0 * stride + tx] = a0; o[1 * stride + tx] = a1; o[2 * stride + tx] = a2; o[3 * stride + tx] = a3;
            o[4 * stride + tx] = a0 + b0; o[5 * stride + tx] = a1 + b1; o[6 * stride + tx] = a2 + b2; o[7 * stride + tx] = a3 + b3;
            o[8 * stride + tx] = a0 - b0; o[9 * stride + tx] = a1 - b1; o[10 * stride + tx] = a2 - b2; o[11 * stride + tx] = a3 - b3;
            o[12 * stride + tx] = -b0; o[13 * stride + tx] = -b1; o[14 * stride + tx] = -b2; o[15 * stride + tx] = -b3;
            sum += a1 + b1;
        }
    }
    return sum;
}

void lnet_winograd_kernel_gradient(const float *du, int out_channels, int in_channels, float *dw) {
    const long count = (long)out_channels * in_channels;
    for (long at = 0; at < count; at++) {
        float t[3][4];
        for (int j = 0; j < 4; j++) { /* G^T along columns */
            const float x0 = du[(0 * 4 + j) * count + at], x1 = du[(1 * 4 + j) * count + at],
                        x2 = du[(2 * 4 + j) * count + at], x3 = du[(3 * 4 + j) * count + at];
            t[0][j] = x0 + 0.5f * (x1 + x2);
            t[1][j] = 0.5f * (x1 - x2);
            t[2][j] = 0.5f * (x1 + x2) + x3;
        }
        float *k = dw + at * 9;
        for (int i = 0; i < 3; i++) { /* G along each row */
            k[i * 3 + 0] = t[i][0] + 0.5f * (t[i][1] + t[i][2]);
            k[i * 3 + 1] = 0.5f * (t[i][1] - t[i][2]);
            k[i * 3 + 2] = 0.5f * (t[i][1] + t[i][2]) + t[i][3];
        }
    }
}
