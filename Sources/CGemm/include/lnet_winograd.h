#ifndef LNET_WINOGRAD_H
#define LNET_WINOGRAD_H
/*
 * The transforms of Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray 2016, "Fast Algorithms
 * for Convolutional Neural Networks"), for CPUBackend's 3x3 stride-1 convolutions:
 *
 *   Y = A^T [ (G g G^T) (.) (B^T d B) ] A   for each 4x4 input tile d and 2x2 output tile Y,
 *
 * with the element-wise product (.) over 16 transform elements xi = 4 i + j done by the caller as
 * 16 GEMMs over channels x tiles. Element xi of a tile's transform lies at dst[xi * stride]; tiles
 * are numbered row by row (t = ty * tiles_w + tx), tile (ty, tx) reading input rows 2 ty - pad ...
 * 2 ty - pad + 3 and columns 2 tx - pad ... (zeros outside the plane). Compiled -O2 in debug
 * builds too (the loops over tiles vectorize).
 */

/* Whether lnet_winograd_input, lnet_winograd_output and lnet_winograd_output_gradient may run their
 * AVX-512 versions where the processor has it (1, the default) or only the plain loops (0: tests
 * compare the two). */
void lnet_winograd_allow_avx512(int allowed);

/* Number of floats lnet_winograd_input needs in `scratch`: the zero-padded plane. */
long lnet_winograd_input_scratch(int tiles_h, int tiles_w);

/* B^T d B for every tile of one H x W plane: v[xi * stride + t], t over tiles_h x tiles_w. */
void lnet_winograd_input(const float *plane, int h, int w, int pad, int tiles_h, int tiles_w,
                         float *v, long stride, float *scratch);

/* G g G^T for each 3x3 kernel of weights [O][C][3][3]: u[xi * O * C + o * C + c]. With `flip`,
 * the kernels of the input gradient (the convolution of dy with the kernels turned 180 degrees and
 * channels swapped): u[xi * C * O + c * O + o] = transform of w[o][c] rotated. */
void lnet_winograd_kernel(const float *w, int out_channels, int in_channels, int flip, float *u);

/* A^T m A for every tile of one output plane (OH x OW, tiles_h = ceil(OH / 2), tiles_w = ceil(OW / 2)),
 * from m[xi * stride + t]; adds `bias` and, with `relu`, clamps at zero. `scratch`: 4 tiles_w floats. */
void lnet_winograd_output(const float *m, long stride, int tiles_h, int tiles_w, float *y, int oh, int ow,
                          float bias, int relu, float *scratch);

/* The weight gradient's transforms (the forward's, transposed): dL/dU = sum over tiles of (A dy A^T) (.) V,
 * then dL/dg = G^T (dL/dU) G. */

/* A dy A^T for every 2 x 2 tile of one output-gradient plane (OH x OW, zeros past its edge):
 * m[xi * stride + t], laid out as lnet_winograd_output reads it. Returns the plane's sum (the bias
 * gradient's share). `scratch`: lnet_winograd_input_scratch floats, used when OH or OW is odd. */
float lnet_winograd_output_gradient(const float *plane, int oh, int ow, int tiles_h, int tiles_w,
                                    float *m, long stride, float *scratch);

/* G^T du G for each (o, c) of du[xi * O * C + o * C + c] (the gradient of lnet_winograd_kernel's u,
 * without flip): dw[o][c][3][3]. */
void lnet_winograd_kernel_gradient(const float *du, int out_channels, int in_channels, float *dw);

#endif
