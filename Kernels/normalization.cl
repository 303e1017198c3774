// normalization.cl — batch normalization over (N, H, W) per channel of an NCHW tensor.
//
// Memory layout (row-major):
//
//   x, y, dy, dx:   [N][C][spatial]      element (b, c, i) at (b·C + c)·spatial + i, spatial = H·W
//   gamma, beta, mean, invStd, runningMean, runningVar, dGamma, dBeta:   [C]
//
// Training forward and backward: one work-group of RED_LOCAL work-items per channel. Each work-item
// sums a strided slice of the channel's N·spatial values, then the group reduces the partial sums
// in local memory (GROUP_SUM of include/reduction.h), so every statistic is computed on the device in
// one launch. When few channels would leave the device idle (ReductionPlan), `groups` work-groups
// share a channel in two stages instead: each writes its partial sums to partial[c][g], and the next
// launch has every group add its channel's partials (in the same order, so all agree) before going on:
//   forward:  batchnorm_forward_partial_sums (Σx), batchnorm_forward_partial_squares (Σ(x − mean)²),
//             batchnorm_forward_normalize (y, and group 0 the statistics);
//   backward: batchnorm_backward_partial_sums (Σdy, Σdy·x̂), batchnorm_backward_input (dx, and
//             group 0 dGamma, dBeta).
// Inference forward: one work-item per element.
//
// Entry points: batchnorm_forward_training, batchnorm_forward_inference, batchnorm_backward, and the
// two-stage ones above.

#include "reduction.h"

// Walks the flat index j = start, start + step, … < N·spatial of channel c as (b, i) without
// dividing per element; `body` sees `at`, the offset of element (b, c, i).
#define FOR_CHANNEL(start, step, c, batch, channels, spatial, body)               \
    do {                                                                          \
        int b_ = (start) / (spatial), i_ = (start) - b_ * (spatial);              \
        const int stepB_ = (step) / (spatial), stepI_ = (step) - stepB_ * (spatial); \
        while (b_ < (batch)) {                                                    \
            const size_t at = ((size_t)b_ * (channels) + (c)) * (spatial) + i_;   \
            body;                                                                 \
            b_ += stepB_; i_ += stepI_;                                           \
            if (i_ >= (spatial)) { i_ -= (spatial); b_ += 1; }                    \
        }                                                                         \
    } while (0)

// The slice of work-group (g, c) in the two-stage kernels: j = g·RED_LOCAL + lid, step groups·RED_LOCAL.
#define FOR_SLICE(body) FOR_CHANNEL(g * RED_LOCAL + lid, groups * RED_LOCAL, c, batch, channels, spatial, body)

// Σ_g partial[c·groups + g], in order of g (the same total in every group of channel c).
inline float channel_total(__global const float *partial, const int c, const int groups)
{
    float s = 0.0f;
    for (int k = 0; k < groups; ++k) s += partial[(size_t)c * groups + k];
    return s;
}

// Channel c's batch mean and 1/σ, and its running statistics moved by `momentum` (the running
// variance unbiased, n/(n − 1), as PyTorch keeps it).
inline void store_statistics(const int c, const int n, const float m, const float variance, const float inv,
                             const float momentum, __global float *mean, __global float *invStd,
                             __global float *runningMean, __global float *runningVar)
{
    mean[c] = m;
    invStd[c] = inv;
    const float unbiased = n > 1 ? variance * (float)n / (float)(n - 1) : variance;
    runningMean[c] = (1.0f - momentum) * runningMean[c] + momentum * m;
    runningVar[c] = (1.0f - momentum) * runningVar[c] + momentum * unbiased;
}

__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void batchnorm_forward_training(__global const float *x, __global const float *gamma,
                                __global const float *beta, __global float *y,
                                __global float *mean, __global float *invStd,
                                __global float *runningMean, __global float *runningVar,
                                const float momentum, const float epsilon,
                                const int batch, const int channels, const int spatial)
{
    __local float scratch[RED_LOCAL];
    const int c = get_group_id(0), lid = get_local_id(0);
    const int n = batch * spatial;

    float s = 0.0f;
    FOR_CHANNEL(lid, RED_LOCAL, c, batch, channels, spatial, s += x[at]);
    float total;
    GROUP_SUM(scratch, s, lid, total);
    const float m = total / (float)n;

    float q = 0.0f;
    FOR_CHANNEL(lid, RED_LOCAL, c, batch, channels, spatial, { const float d = x[at] - m; q += d * d; });
    float sq;
    GROUP_SUM(scratch, q, lid, sq);
    const float variance = sq / (float)n;
    const float inv = 1.0f / sqrt(variance + epsilon);

    if (lid == 0) store_statistics(c, n, m, variance, inv, momentum, mean, invStd, runningMean, runningVar);
    const float scale = gamma[c] * inv, shift = beta[c] - m * scale;
    FOR_CHANNEL(lid, RED_LOCAL, c, batch, channels, spatial, y[at] = x[at] * scale + shift);
}

__kernel void batchnorm_forward_inference(__global const float *x, __global const float *gamma,
                                          __global const float *beta, __global float *y,
                                          __global const float *runningMean, __global const float *runningVar,
                                          const float epsilon, const int batch, const int channels,
                                          const int spatial)
{
    const int e = get_global_id(0);
    if (e >= batch * channels * spatial) return;
    const int c = (e / spatial) % channels;
    const float scale = gamma[c] / sqrt(runningVar[c] + epsilon), shift = beta[c] - runningMean[c] * scale;
    y[e] = x[e] * scale + shift;
}

__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void batchnorm_backward(__global const float *x, __global const float *dy, __global const float *gamma,
                        __global const float *mean, __global const float *invStd,
                        __global float *dx, __global float *dGamma, __global float *dBeta,
                        const int batch, const int channels, const int spatial)
{
    __local float scratch[RED_LOCAL];
    const int c = get_group_id(0), lid = get_local_id(0);
    const float m = mean[c], inv = invStd[c], n = (float)(batch * spatial);

    float s1 = 0.0f, s2 = 0.0f;
    FOR_CHANNEL(lid, RED_LOCAL, c, batch, channels, spatial, { const float g = dy[at]; s1 += g; s2 += g * (x[at] - m) * inv; });
    float sumDy, sumDyXhat;
    GROUP_SUM(scratch, s1, lid, sumDy);
    GROUP_SUM(scratch, s2, lid, sumDyXhat);
    if (lid == 0) { dBeta[c] = sumDy; dGamma[c] = sumDyXhat; }

    const float k = gamma[c] * inv / n;
    FOR_CHANNEL(lid, RED_LOCAL, c, batch, channels, spatial,
                { const float xhat = (x[at] - m) * inv; dx[at] = k * (n * dy[at] - sumDy - xhat * sumDyXhat); });
}

// ---- Two stages: work-group (g, c) of `groups` per channel -------------------------------------

#define SLICE_PROLOGUE                                                            \
    const int g = get_group_id(0), groups = get_num_groups(0), c = get_group_id(1); \
    const int lid = get_local_id(0)

// partial[c][g] = Σ x over the group's slice.
__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void batchnorm_forward_partial_sums(__global const float *x, __global float *partial,
                                    const int batch, const int channels, const int spatial)
{
    __local float scratch[RED_LOCAL];
    SLICE_PROLOGUE;
    float s = 0.0f, total;
    FOR_SLICE(s += x[at]);
    GROUP_SUM(scratch, s, lid, total);
    if (lid == 0) partial[(size_t)c * groups + g] = total;
}

// squares[c][g] = Σ (x − mean)² over the group's slice, mean from the sums of the first stage.
__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void batchnorm_forward_partial_squares(__global const float *x, __global const float *partial,
                                       __global float *squares, const int batch, const int channels,
                                       const int spatial)
{
    __local float scratch[RED_LOCAL];
    SLICE_PROLOGUE;
    const float m = channel_total(partial, c, groups) / (float)(batch * spatial);
    float q = 0.0f, total;
    FOR_SLICE({ const float d = x[at] - m; q += d * d; });
    GROUP_SUM(scratch, q, lid, total);
    if (lid == 0) squares[(size_t)c * groups + g] = total;
}

// y over the group's slice; group 0 writes mean, invStd and the running statistics.
__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void batchnorm_forward_normalize(__global const float *x, __global const float *gamma,
                                 __global const float *beta, __global float *y,
                                 __global float *mean, __global float *invStd,
                                 __global float *runningMean, __global float *runningVar,
                                 __global const float *partial, __global const float *squares,
                                 const float momentum, const float epsilon,
                                 const int batch, const int channels, const int spatial)
{
    SLICE_PROLOGUE;
    const int n = batch * spatial;
    const float m = channel_total(partial, c, groups) / (float)n;
    const float variance = channel_total(squares, c, groups) / (float)n;
    const float inv = 1.0f / sqrt(variance + epsilon);
    if (g == 0 && lid == 0) store_statistics(c, n, m, variance, inv, momentum, mean, invStd, runningMean, runningVar);
    const float scale = gamma[c] * inv, shift = beta[c] - m * scale;
    FOR_SLICE(y[at] = x[at] * scale + shift);
}

// partial[c][g] = (Σ dy, Σ dy·x̂) over the group's slice, as partial[c·groups + g] and
// partial[(channels + c)·groups + g].
__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void batchnorm_backward_partial_sums(__global const float *x, __global const float *dy,
                                     __global const float *mean, __global const float *invStd,
                                     __global float *partial, const int batch, const int channels,
                                     const int spatial)
{
    __local float scratch[RED_LOCAL];
    SLICE_PROLOGUE;
    const float m = mean[c], inv = invStd[c];
    float s1 = 0.0f, s2 = 0.0f, sumDy, sumDyXhat;
    FOR_SLICE({ const float d = dy[at]; s1 += d; s2 += d * (x[at] - m) * inv; });
    GROUP_SUM(scratch, s1, lid, sumDy);
    GROUP_SUM(scratch, s2, lid, sumDyXhat);
    if (lid == 0) {
        partial[(size_t)c * groups + g] = sumDy;
        partial[(size_t)(channels + c) * groups + g] = sumDyXhat;
    }
}

// dx over the group's slice; group 0 writes dGamma and dBeta.
__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void batchnorm_backward_input(__global const float *x, __global const float *dy, __global const float *gamma,
                              __global const float *mean, __global const float *invStd,
                              __global const float *partial, __global float *dx, __global float *dGamma,
                              __global float *dBeta, const int batch, const int channels, const int spatial)
{
    SLICE_PROLOGUE;
    const float m = mean[c], inv = invStd[c], n = (float)(batch * spatial);
    const float sumDy = channel_total(partial, c, groups), sumDyXhat = channel_total(partial, channels + c, groups);
    if (g == 0 && lid == 0) { dBeta[c] = sumDy; dGamma[c] = sumDyXhat; }
    const float k = gamma[c] * inv / n;
    FOR_SLICE({ const float xhat = (x[at] - m) * inv; dx[at] = k * (n * dy[at] - sumDy - xhat * sumDyXhat); });
}
