// softmax.cl — row-wise softmax and softmax cross-entropy; one work-item per row (batch sample),
// summing in the same order as CPUBackend. Rows beyond `batch` (rounded-up global size) return.
//
// Memory layout (row-major):
//
//   logits, probabilities, dLogits:  [batch][classes]     row b = z[b·classes … b·classes + classes−1]
//   labels:                          [batch]              class index stored as an exact float
//   losses:                          [batch]
//
// Entry points: softmax_forward, softmax_cross_entropy_forward.

__kernel void softmax_forward(__global const float *logits, __global float *probabilities,
                              const int batch, const int classes)
{
    const int b = get_global_id(0);
    if (b >= batch) return;
    __global const float *z = logits + (size_t)b * classes;
    __global float *p = probabilities + (size_t)b * classes;
    float m = -INFINITY;
    for (int c = 0; c < classes; ++c) m = fmax(m, z[c]);
    float s = 0.0f;
    for (int c = 0; c < classes; ++c) { const float e = exp(z[c] - m); p[c] = e; s += e; }
    for (int c = 0; c < classes; ++c) p[c] /= s;
}

// losses[b] = logsumexp(z_b) − z_b[label_b];  dLogits[b] = (softmax(z_b) − onehot(label_b)) / batch.
// A label outside 0..<classes gives a NaN loss (and no one-hot term) instead of a host round trip.
__kernel void softmax_cross_entropy_forward(__global const float *logits, __global const float *labels,
                                            __global float *losses, __global float *dLogits,
                                            const int batch, const int classes)
{
    const int b = get_global_id(0);
    if (b >= batch) return;
    __global const float *z = logits + (size_t)b * classes;
    __global float *g = dLogits + (size_t)b * classes;
    const float invBatch = 1.0f / (float)batch;
    const float lf = labels[b];
    const int label = (int)lf;
    const bool valid = lf >= 0.0f && label < classes && (float)label == lf;
    float m = -INFINITY;
    for (int c = 0; c < classes; ++c) m = fmax(m, z[c]);
    float s = 0.0f;
    for (int c = 0; c < classes; ++c) { const float e = exp(z[c] - m); g[c] = e; s += e; }
    losses[b] = valid ? (log(s) + m) - z[label] : NAN;
    for (int c = 0; c < classes; ++c) g[c] = g[c] / s * invBatch;
    if (valid) g[label] -= invBatch;
}
