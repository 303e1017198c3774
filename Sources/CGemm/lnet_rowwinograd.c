/* Transforms of the 1-D F(2, 3) path for one-output-row convolutions (see lnet_rowwinograd.h). */
#include "lnet_rowwinograd.h"

#include <string.h>

long lnet_rowwinograd_depth(int rows, int k) { return (long)(k / 3 + k % 3) * rows; }

long lnet_rowwinograd_scratch(int w, int k, int tiles) {
    const long need = 2L * tiles + k + 2;
    return need > w ? need : w;
}

void lnet_rowwinograd_kernel(const float *w, int out_channels, int rows, int k, float *u) {
    const int groups = k / 3, lone = k % 3;
    const long depth = lnet_rowwinograd_depth(rows, k), plane = (long)out_channels * depth;
    for (int o = 0; o < out_channels; o++) {
        float *u0 = u + o * depth, *u1 = u0 + plane, *u2 = u1 + plane, *u3 = u2 + plane;
        for (int r = 0; r < rows; r++) {
            const float *g = w + ((long)o * rows + r) * k;
            for (int t = 0; t < groups; t++) {
                const long i = (long)t * rows + r;
                const float g0 = g[3 * t], g1 = g[3 * t + 1], g2 = g[3 * t + 2];
                u0[i] = g0;
                u1[i] = (g0 + g1 + g2) * 0.5f;
                u2[i] = (g0 - g1 + g2) * 0.5f;
                u3[i] = g2;
            }
            for (int l = 0; l < lone; l++) {
                const long i = (long)(groups + l) * rows + r;
                u0[i] = g[3 * groups + l];
                u3[i] = -g[3 * groups + l];
            }
        }
        /* K_1 = K_2 = groups * rows: rows past them are not read. */
    }
}

void lnet_rowwinograd_input(const float *x, int rows, int w, int k, int tiles, float *v, long ve, long ld,
                            float *scratch) {
    const int groups = k / 3, lone = k % 3;
    const long padded = lnet_rowwinograd_scratch(w, k, tiles);
    memset(scratch + w, 0, sizeof(float) * (size_t)(padded - w));
    float *v0 = v, *v1 = v + ve, *v2 = v1 + ve, *v3 = v2 + ve;
    for (int r = 0; r < rows; r++) {
        memcpy(scratch, x + (long)r * w, sizeof(float) * (size_t)w);
        const float *p = scratch;
        for (int t = 0; t < groups; t++) {
            const long i = ((long)t * rows + r) * ld;
            const float *d = p + 3 * t;
            for (int q = 0; q < tiles; q++) {
                const float d0 = d[2 * q], d1 = d[2 * q + 1], d2 = d[2 * q + 2], d3 = d[2 * q + 3];
                v0[i + q] = d0 - d2;
                v1[i + q] = d1 + d2;
                v2[i + q] = d2 - d1;
                v3[i + q] = d1 - d3;
            }
        }
        for (int l = 0; l < lone; l++) {
            const long i = ((long)(groups + l) * rows + r) * ld;
            const float *d = p + 3 * groups + l;
            for (int q = 0; q < tiles; q++) {
                v0[i + q] = d[2 * q];
                v3[i + q] = d[2 * q + 1];
            }
        }
    }
}

void lnet_rowwinograd_output(const float *m, long me, long ld, int out_channels, int tiles, int ow,
                             const float *bias, int relu, float *y) {
    for (int o = 0; o < out_channels; o++) {
        const float *m0 = m + (long)o * ld, *m1 = m0 + me, *m2 = m1 + me, *m3 = m2 + me;
        float *out = y + (long)o * ow;
        const float b = bias[o];
        for (int q = 0; q < tiles; q++) {
            float even = m0[q] + m1[q] + m2[q] + b, odd = m1[q] - m2[q] - m3[q] + b;
            if (relu) { even = even < 0 ? 0 : even; odd = odd < 0 ? 0 : odd; }
            out[2 * q] = even;
            if (2 * q + 1 < ow) out[2 * q + 1] = odd;
        }
    }
}
