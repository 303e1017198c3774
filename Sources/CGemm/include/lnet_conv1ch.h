#ifndef LNET_CONV1CH_H
#define LNET_CONV1CH_H
/*
 * Direct convolution of a one-channel image (a network's first layer on grey images), stride 1:
 *
 *   y[o][oy][ox] = bias[o] + sum_{ki,kj} w[o][ki][kj] x[oy - pad + ki][ox - pad + kj]   (zeros outside x)
 *
 * for o < out_channels, OH = H + 2 pad - k + 1, OW = W + 2 pad - k + 1; with `relu`, clamped at zero.
 * No im2col: the image is copied once into a zero-bordered plane (`scratch`), then every output
 * channel is computed from it 16 columns at a time (AVX-512 where the processor has it; 8 columns
 * with AVX2 and FMA where it has only those; a plain loop, the same sums in the same order,
 * elsewhere). For CPUBackend (CPUBackend+OneChannel.swift).
 */

/* Floats lnet_conv1ch_forward needs in `scratch`: the zero-bordered plane. */
long lnet_conv1ch_scratch(int h, int w, int k, int pad);

/* One image x (H x W) into y (out_channels x OH x OW); weights [out_channels][k][k]. */
void lnet_conv1ch_forward(const float *x, int h, int w, const float *weights, const float *bias,
                          int out_channels, int k, int pad, int relu, float *y, float *scratch);

/* Caps the vector path for tests: 2 (the default) AVX-512 where there is, 1 at most AVX2, 0 the plain loop. */
void lnet_conv1ch_limit_vectors(int level);

#endif
