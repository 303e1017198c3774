#ifndef LNET_POOL_H
#define LNET_POOL_H
/*
 * 2x2, stride-2 max pooling for inference (no argmax indices): y[p][oy][ox] = max of x[p][2oy..2oy+1][2ox..2ox+1]
 * for `planes` planes of H x W, OH = H / 2, OW = W / 2 (a last odd row or column is left out, as
 * torch.nn.MaxPool2d(2) does). 16 outputs at a time with AVX-512 where the processor has it.
 * NaN: an input NaN gives NaN or the window's other values' maximum, as the comparison order decides.
 */
void lnet_maxpool2x2(const float *x, int planes, int h, int w, float *y);

#endif
