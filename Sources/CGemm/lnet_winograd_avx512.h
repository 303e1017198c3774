#ifndef LNET_WINOGRAD_AVX512_H
#define LNET_WINOGRAD_AVX512_H
/*
 * AVX-512 versions of lnet_winograd.c's transforms over tiles (same arguments, same results up to
 * the order of the sum), for processors where lnet_sgemm_available() is 1. Sixteen tiles of a tile
 * row at a time, the row's last ones under a mask; they read the plane in place (masked loads give
 * the zeros outside it), so they need no scratch.
 */

void lnet_winograd_input_avx512(const float *plane, int h, int w, int pad, int tiles_h, int tiles_w,
                                float *v, long stride);

float lnet_winograd_output_gradient_avx512(const float *plane, int oh, int ow, int tiles_h, int tiles_w,
                                           float *m, long stride);

#endif
