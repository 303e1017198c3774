// softmax.cl — row-wise softmax and softmax cross-entropy, plain (one row per sample) and masked (one
// column of classes per sample and position, the strip reader's loss); one work-item per row or
// position, summing in the same order as CPUBackend. Items beyond the work (rounded-up global size) return.
//
// Memory layout (row-major):
//
//   logits, probabilities, dLogits:  [batch][classes]     row b = z[b·classes … b·classes + classes−1]
//   labels:                          [batch]              class index stored as an exact float
//   losses:                          [batch]
//
// The masked loss (NCHW with positions = H·W):
//
//   logits, dLogits:  [batch][classes][positions]   z_bj[c] = logits[(b·classes + c)·positions + j]
//   labels, losses:   [batch][positions]            class index stored as an exact float; negative: masked
//
// The strip reader's scores: log-softmax over the classes of every position of NCHW logits, written
// one position per row:
//
//   logits:  [batch][classes][positions]     out:  [batch][positions][classes]
//
// Knowledge distillation (the masked loss's layout, plus the teachers' summed log-probabilities):
//
//   teacher:  [batch][positions][classes]   (log_softmax_positions_forward's layout)
//
// Entry points: softmax_forward, log_softmax_positions_forward, softmax_cross_entropy_forward,
// masked_softmax_cross_entropy_forward, distillation_cross_entropy_forward.

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

// out[(b·positions + j)·classes + c] = z − logsumexp(z) for the column z of sample b at position j; one
// work-item per sample and position.
__kernel void log_softmax_positions_forward(__global const float *logits, __global float *out,
                                            const int batch, const int classes, const int positions)
{
    const int i = get_global_id(0);
    if (i >= batch * positions) return;
    const int b = i / positions, j = i % positions;
    __global const float *z = logits + (size_t)b * classes * positions + j;
    __global float *row = out + (size_t)i * classes;
    float m = -INFINITY;
    for (int c = 0; c < classes; ++c) m = fmax(m, z[(size_t)c * positions]);
    float s = 0.0f;
    for (int c = 0; c < classes; ++c) s += exp(z[(size_t)c * positions] - m);
    const float lse = m + log(s);
    for (int c = 0; c < classes; ++c) row[c] = z[(size_t)c * positions] - lse;
}

// The loss of one score column z[c·stride] (c < classes) against the label `lf`, and its gradient
// g[c·stride] = (softmax(z) − onehot(label)) · scale: logsumexp(z) − z[label]. A label outside
// 0..<classes or not an integer gives a NaN loss (and no one-hot term) instead of a host round trip.
// With `smoothing` ε > 0 the target is (1 − ε)·onehot + ε/C: the loss logsumexp(z) − (1 − ε)·z[label]
// − (ε/C)·Σz and the gradient (softmax(z) − target) · scale; ε = 0 takes none of those steps.
inline float cross_entropy_column(__global const float *z, __global float *g, const size_t stride,
                                  const int classes, const float lf, const float scale, const float smoothing)
{
    const int label = (int)lf;
    const bool valid = lf >= 0.0f && label < classes && (float)label == lf;
    float m = -INFINITY;
    for (int c = 0; c < classes; ++c) m = fmax(m, z[c * stride]);
    float s = 0.0f;
    for (int c = 0; c < classes; ++c) { const float e = exp(z[c * stride] - m); g[c * stride] = e; s += e; }
    for (int c = 0; c < classes; ++c) g[c * stride] = g[c * stride] / s * scale;
    if (!valid) return NAN;
    if (smoothing <= 0.0f) {
        g[label * stride] -= scale;
        return (log(s) + m) - z[label * stride];
    }
    const float uniform = smoothing / (float)classes;
    float sum = 0.0f;
    for (int c = 0; c < classes; ++c) { sum += z[c * stride]; g[c * stride] -= uniform * scale; }
    g[label * stride] -= (1.0f - smoothing) * scale;
    return (log(s) + m) - (1.0f - smoothing) * z[label * stride] - uniform * sum;
}

// losses[b] = logsumexp(z_b) − (1 − ε)·z_b[label_b] − (ε/C)·Σz_b;  dLogits[b] = (softmax(z_b) − q_b) / batch
// with q_b = (1 − ε)·onehot(label_b) + ε/C (ε = smoothing; 0: the plain loss).
__kernel void softmax_cross_entropy_forward(__global const float *logits, __global const float *labels,
                                            __global float *losses, __global float *dLogits,
                                            const int batch, const int classes, const float smoothing)
{
    const int b = get_global_id(0);
    if (b >= batch) return;
    losses[b] = cross_entropy_column(logits + (size_t)b * classes, dLogits + (size_t)b * classes, 1, classes,
                                     labels[b], 1.0f / (float)batch, smoothing);
}

// losses[b,j] = logsumexp(z_bj) − z_bj[label];  dLogits[b,·,j] = (softmax(z_bj) − onehot(label)) · scale;
// both 0 where masked (a negative label).
__kernel void masked_softmax_cross_entropy_forward(__global const float *logits, __global const float *labels,
                                                   __global float *losses, __global float *dLogits,
                                                   const int batch, const int classes, const int positions,
                                                   const float scale)
{
    const int i = get_global_id(0);
    if (i >= batch * positions) return;
    const int b = i / positions, j = i % positions;
    __global float *g = dLogits + (size_t)b * classes * positions + j;
    if (labels[i] < 0.0f) {
        losses[i] = 0.0f;
        for (int c = 0; c < classes; ++c) g[(size_t)c * positions] = 0.0f;
        return;
    }
    losses[i] = cross_entropy_column(logits + (size_t)b * classes * positions + j, g, (size_t)positions, classes,
                                     labels[i], scale, 0.0f);
}

// Knowledge distillation at every position: the target q = α·softmax(teacherScale·teacher[i]) plus
// (1 − α)·onehot(label) where labels[i] ≥ 0 (α = share; `teacher` holds the teachers' summed
// log-probabilities, [batch·positions, classes]); losses[i] = Σ_c q_c·(logsumexp(z) − z_c) and
// g[c] = (Σq·softmax(z)_c − q_c)·scale. One work-item per sample and position; `q` is a private array of
// at most 64 classes. A label ≥ classes or not an integer gives a NaN loss. With α = 0 it is
// masked_softmax_cross_entropy_forward.
__kernel void distillation_cross_entropy_forward(__global const float *logits, __global const float *teacher,
                                                 __global const float *labels, __global float *losses,
                                                 __global float *dLogits, const int batch, const int classes,
                                                 const int positions, const float share, const float teacherScale,
                                                 const float scale)
{
    const int i = get_global_id(0);
    if (i >= batch * positions) return;
    const int b = i / positions, j = i % positions;
    __global const float *z = logits + (size_t)b * classes * positions + j;
    __global const float *row = teacher + (size_t)i * classes;
    __global float *g = dLogits + (size_t)b * classes * positions + j;
    if (classes > 64) { losses[i] = NAN; return; }
    float q[64];
    float tm = -INFINITY;
    for (int c = 0; c < classes; ++c) tm = fmax(tm, teacherScale * row[c]);
    float ts = 0.0f;
    for (int c = 0; c < classes; ++c) { q[c] = exp(teacherScale * row[c] - tm); ts += q[c]; }
    for (int c = 0; c < classes; ++c) q[c] = share * (q[c] / ts);
    float total = share;
    const float lf = labels[i];
    if (lf >= 0.0f) {
        const int label = (int)lf;
        if (label >= classes || (float)label != lf) { losses[i] = NAN; return; }
        q[label] += 1.0f - share;
        total += 1.0f - share;
    }
    float m = -INFINITY;
    for (int c = 0; c < classes; ++c) m = fmax(m, z[(size_t)c * positions]);
    float s = 0.0f;
    for (int c = 0; c < classes; ++c) s += exp(z[(size_t)c * positions] - m);
    const float lse = m + log(s);
    float loss = 0.0f;
    for (int c = 0; c < classes; ++c) {
        const float zc = z[(size_t)c * positions];
        loss += q[c] * (lse - zc);
        g[(size_t)c * positions] = (total * (exp(zc - m) / s) - q[c]) * scale;
    }
    losses[i] = loss;
}
