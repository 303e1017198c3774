// normalization.cl — batch normalization over (N, H, W) per channel of an NCHW tensor.
//
// Memory layout (row-major):
//
//   x, y, dy, dx:   [N][C][spatial]      element (b, c, i) at (b·C + c)·spatial + i, spatial = H·W
//   gamma, beta, mean, invStd, runningMean, runningVar, dGamma, dBeta:   [C]
//
// Training forward and backward: one work-group of RED_LOCAL work-items per channel. Each work-item
// sums a strided slice of the channel's N·spatial values, then the group reduces the partial sums
// in local memory (GROUP_SUM of include/reduction.h), so every statistic is computed on the device in one launch.
// Inference forward: one work-item per element.
//
// Entry points: batchnorm_forward_training, batchnorm_forward_inference, batchnorm_backward.

#include "reduction.h"

// Walks the flat index j = lid, lid + RED_LOCAL, … < N·spatial of channel c as (b, i) without
// dividing per element; `body` sees `at`, the offset of element (b, c, i).
#define FOR_CHANNEL(lid, c, batch, channels, spatial, body)                       \
    do {                                                                          \
        int b_ = (lid) / (spatial), i_ = (lid) - b_ * (spatial);                  \
        const int stepB_ = RED_LOCAL / (spatial), stepI_ = RED_LOCAL - stepB_ * (spatial); \
        while (b_ < (batch)) {                                                    \
            const size_t at = ((size_t)b_ * (channels) + (c)) * (spatial) + i_;   \
            body;                                                                 \
            b_ += stepB_; i_ += stepI_;                                           \
            if (i_ >= (spatial)) { i_ -= (spatial); b_ += 1; }                    \
        }                                                                         \
    } while (0)

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
    FOR_CHANNEL(lid, c, batch, channels, spatial, s += x[at]);
    float total;
    GROUP_SUM(scratch, s, lid, total);
    const float m = total / (float)n;

    float q = 0.0f;
    FOR_CHANNEL(lid, c, batch, channels, spatial, { const float d = x[at] - m; q += d * d; });
    float sq;
    GROUP_SUM(scratch, q, lid, sq);
    const float variance = sq / (float)n;
    const float inv = 1.0f / sqrt(variance + epsilon);

    if (lid == 0) {
        mean[c] = m;
        invStd[c] = inv;
        const float unbiased = n > 1 ? variance * (float)n / (float)(n - 1) : variance;
        runningMean[c] = (1.0f - momentum) * runningMean[c] + momentum * m;
        runningVar[c] = (1.0f - momentum) * runningVar[c] + momentum * unbiased;
    }
    const float scale = gamma[c] * inv, shift = beta[c] - m * scale;
    FOR_CHANNEL(lid, c, batch, channels, spatial, y[at] = x[at] * scale + shift);
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
    FOR_CHANNEL(lid, c, batch, channels, spatial, { const float g = dy[at]; s1 += g; s2 += g * (x[at] - m) * inv; });
    float sumDy, sumDyXhat;
    GROUP_SUM(scratch, s1, lid, sumDy);
    GROUP_SUM(scratch, s2, lid, sumDyXhat);
    if (lid == 0) { dBeta[c] = sumDy; dGamma[c] = sumDyXhat; }

    const float k = gamma[c] * inv / n;
    FOR_CHANNEL(lid, c, batch, channels, spatial,
                { const float xhat = (x[at] - m) * inv; dx[at] = k * (n * dy[at] - sumDy - xhat * sumDyXhat); });
}
