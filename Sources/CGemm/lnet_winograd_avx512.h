#ifndef LNET_WINOGRAD_AVX512_H
#define LNET_WINOGRAD_AVX512_H
/*
 * AVX-512 versions of lnet_winograd.c's transforms over tiles, for processors where
 * lnet_sgemm_available() is 1: the same arguments less the scratch, and the same results bit for bit
 * (the same operations in the same order), except the output gradient's sum (another order). Sixteen
 * tiles of a tile row at a time, the row's last ones under a mask; masked loads read the planes in
 * place and give the zeros outside them, masked stores write only inside.
 */

void lnet_winograd_input_avx512(const float *plane, int h, int w, int pad, int tiles_h, int tiles_w,
                                float *v, long stride);

float lnet_winograd_output_gradient_avx512(const float *plane, int oh, int ow, int tiles_h, int tiles_w,
                                           float *m, long stride);

void lnet_winograd_output_avx512(const float *m, long stride, int tiles_h, int tiles_w, float *y, int oh, int ow,
                                 float bias, int relu);

#endif
