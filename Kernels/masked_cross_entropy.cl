// masked_cross_entropy.cl — softmax cross-entropy over the classes at every position, with a target per
// position or none (masked); one work-item per (sample, position), summing in the same order as
// CPUBackend. Items beyond batch·positions (rounded-up global size) return.
//
// Memory layout (row-major, NCHW with positions = H·W):
//
//   logits, dLogits:  [batch][classes][positions]   z_bj[c] = logits[(b·classes + c)·positions + j]
//   labels, losses:   [batch][positions]            class index stored as an exact float; negative: masked
//
// losses[b,j] = logsumexp(z_bj) − z_bj[label];  dLogits[b,·,j] = (softmax(z_bj) − onehot(label)) · scale;
// both 0 where masked. A label ≥ classes or not an integer gives a NaN loss instead of a host round trip.
//
// Entry point: masked_softmax_cross_entropy_forward.

__kernel void masked_softmax_cross_entropy_forward(__global const float *logits, __global const float *labels,
                                                   __global float *losses, __global float *dLogits,
                                                   const int batch, const int classes, const int positions,
                                                   const float scale)
{
    const int i = get_global_id(0);
    if (i >= batch * positions) return;
    const int b = i / positions, j = i % positions;
    __global const float *z = logits + (size_t)b * classes * positions + j;
    __global float *g = dLogits + (size_t)b * classes * positions + j;
    const float lf = labels[i];
    if (lf < 0.0f) {
        losses[i] = 0.0f;
        for (int c = 0; c < classes; ++c) g[(size_t)c * positions] = 0.0f;
        return;
    }
    const int label = (int)lf;
    const bool valid = label < classes && (float)label == lf;
    float m = -INFINITY;
    for (int c = 0; c < classes; ++c) m = fmax(m, z[(size_t)c * positions]);
    float s = 0.0f;
    for (int c = 0; c < classes; ++c) {
        const float e = exp(z[(size_t)c * positions] - m);
        g[(size_t)c * positions] = e;
        s += e;
    }
    losses[i] = valid ? (m + log(s)) - z[(size_t)label * positions] : NAN;
    for (int c = 0; c < classes; ++c) g[(size_t)c * positions] = g[(size_t)c * positions] / s * scale;
    if (valid) g[(size_t)label * positions] -= scale;
}
