#ifndef LNET_ROWWINOGRAD_H
#define LNET_ROWWINOGRAD_H
/*
 * A k x k convolution whose kernel covers its whole input height (pad 0, stride 1, one output row:
 * the strip reader's 7x7 head on 7 x W) is a 1-D convolution of k taps over the image's C x H rows.
 * Split into groups of 3 taps (and k % 3 lone taps), each group runs as Winograd's 1-D F(2, 3)
 * (Lavin & Gray 2016): 4 multiplies per 2 outputs instead of 6, so a 7-tap row needs 10 instead of 14.
 * The element-wise products are 4 GEMMs over rows, done by the caller:
 *
 *   M_e = U_e (O x K_e) . V_e (K_e x tiles),   e = 0..3,
 *   y[2q] = M_0 + M_1 + M_2,   y[2q + 1] = M_1 - M_2 - M_3   (tile q: outputs 2q, 2q + 1),
 *
 * with U_0 = g0, U_1 = (g0 + g1 + g2) / 2, U_2 = (g0 - g1 + g2) / 2, U_3 = g2 for each group's taps
 * g0..g2 and V_0 = d0 - d2, V_1 = d1 + d2, V_2 = d2 - d1, V_3 = d1 - d3 for its inputs d0..d3
 * (row columns 2q + 3t ...). Lone taps j add rows to e = 0 (x[2q + j], weight g_j) and to e = 3
 * (x[2q + 1 + j], weight -g_j). Row index of the K dimension: t * rows + r for group t, then
 * (groups + l) * rows + r for lone tap l; K_0 = K_3 = (groups + k % 3) * rows, K_1 = K_2 = groups * rows.
 * Float32 error: a few units in the last place, as F(2 x 2, 3 x 3) (the transforms add, subtract, halve).
 */

/* K_0 (the largest K) of a k-tap row over `rows` rows. */
long lnet_rowwinograd_depth(int rows, int k);

/* Floats lnet_rowwinograd_input needs in `scratch`: one row, split into even and odd columns. */
long lnet_rowwinograd_scratch(int w, int k, int tiles);

/* U for weights w [O][rows][k]: u[e * O * depth + o * depth + kidx]. */
void lnet_rowwinograd_kernel(const float *w, int out_channels, int rows, int k, float *u);

/* V for one image x [rows][w] (tiles = ceil((w - k + 1) / 2)): v[e * ve + kidx * ld + q]. */
void lnet_rowwinograd_input(const float *x, int rows, int w, int k, int tiles, float *v, long ve, long ld,
                            float *scratch);

/* One image's outputs y [O][ow] from m[e * me + o * ld + q], plus bias (and ReLU). */
void lnet_rowwinograd_output(const float *m, long me, long ld, int out_channels, int tiles, int ow,
                             const float *bias, int relu, float *y);

#endif
