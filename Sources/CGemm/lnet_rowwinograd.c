/* Transforms of the 1-D F(2, 3) path for one-output-row convolutions (see lnet_rowwinograd.h). */
#include "lnet_rowwinograd.h"

#include "lnet_clones.h"

long lnet_rowwinograd_depth(int rows, int k) { return (long)(k / 3 + k % 3) * rows; }

/* The row split into its even and odd columns, each zero-padded to tiles + k / 2 + 2 entries. */
long lnet_rowwinograd_scratch(int w, int k, int tiles) {
    (void)w;
    return 2L * (tiles + k / 2 + 2);
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

/* Column 2q + s of the row: even[q + s / 2] for even s, odd[q + s / 2] for odd s, so that every
 * transform below reads contiguous runs and vectorizes. */
static inline const float *column(const float *even, const float *odd, int s) { return (s % 2 ? odd : even) + s / 2; }

LNET_CLONES void lnet_rowwinograd_input(const float *x, int rows, int w, int k, int tiles, float *v, long ve, long ld,
                            float *scratch) {
    const int groups = k / 3, lone = k % 3, half = tiles + k / 2 + 2;
    float *even = scratch, *odd = scratch + half;
    float *v0 = v, *v1 = v + ve, *v2 = v1 + ve, *v3 = v2 + ve;
    for (int r = 0; r < rows; r++) {
        const float *line = x + (long)r * w;
        for (int i = 0; i < half; i++) {
            even[i] = 2 * i < w ? line[2 * i] : 0;
            odd[i] = 2 * i + 1 < w ? line[2 * i + 1] : 0;
        }
        for (int t = 0; t < groups; t++) {
            const long i = ((long)t * rows + r) * ld;
            const float *d0 = column(even, odd, 3 * t), *d1 = column(even, odd, 3 * t + 1),
                        *d2 = column(even, odd, 3 * t + 2), *d3 = column(even, odd, 3 * t + 3);
            float *o0 = v0 + i, *o1 = v1 + i, *o2 = v2 + i, *o3 = v3 + i;
            for (int q = 0; q < tiles; q++) {
                o0[q] = d0[q] - d2[q];
                o1[q] = d1[q] + d2[q];
                o2[q] = d2[q] - d1[q];
                o3[q] = d1[q] - d3[q];
            }
        }
        for (int l = 0; l < lone; l++) {
            const long i = ((long)(groups + l) * rows + r) * ld;
            const float *a = column(even, odd, 3 * groups + l), *b = column(even, odd, 3 * groups + l + 1);
            float *o0 = v0 + i, *o3 = v3 + i;
            for (int q = 0; q < tiles; q++) { o0[q] = a[q]; o3[q] = b[q]; }
        }
    }
}

LNET_CLONES void lnet_rowwinograd_output(const float *m, long me, long ld, int out_channels, int tiles, int ow,
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
