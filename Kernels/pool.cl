// pool.cl — max pooling without padding (windows that do not fit are dropped), NCHW.
//
// Memory layout (row-major):
//
//   x, dx:        [N·C planes][H][W]        plane q starts at q·H·W
//   y, dy, idx:   [N·C planes][OH][OW]      plane q starts at q·OH·OW
//
//   idx holds, per output, the argmax's flat index h·W + w inside its input plane, as an exact
//   float; the first maximum in row-major window order wins ties.
//
// Forward: one work-item per output. Backward: one work-item per *input* element, gathering the
// outputs whose window covers it (in increasing output order, as CPUBackend adds them) — no atomics.
//
// Entry points: maxpool2d_forward, maxpool2d_backward.

__kernel void maxpool2d_forward(__global const float *x, __global float *y, __global float *idx,
                                const int planes, const int H, const int W, const int OH, const int OW,
                                const int K, const int S)
{
    const int o = get_global_id(0);
    if (o >= planes * OH * OW) return;
    const int q = o / (OH * OW), r = o - q * (OH * OW);
    const int oy = r / OW, ox = r - oy * OW;
    __global const float *src = x + (size_t)q * H * W;
    float best = -INFINITY;
    int bestIndex = (oy * S) * W + ox * S;
    for (int ki = 0; ki < K; ++ki) {
        for (int kj = 0; kj < K; ++kj) {
            const int i = (oy * S + ki) * W + ox * S + kj;
            const float v = src[i];
            if (v > best) { best = v; bestIndex = i; }
        }
    }
    y[o] = best;
    idx[o] = (float)bestIndex;
}

__kernel void maxpool2d_backward(__global const float *dy, __global const float *idx, __global float *dx,
                                 const int planes, const int H, const int W, const int OH, const int OW,
                                 const int K, const int S)
{
    const int e = get_global_id(0);
    if (e >= planes * H * W) return;
    const int q = e / (H * W), i = e - q * (H * W);
    const int iy = i / W, ix = i - iy * W;
    // Outputs whose window [o·S, o·S + K) contains the input coordinate.
    const int oy0 = iy >= K ? (iy - K) / S + 1 : 0, oy1 = min(iy / S, OH - 1);
    const int ox0 = ix >= K ? (ix - K) / S + 1 : 0, ox1 = min(ix / S, OW - 1);
    __global const float *g = dy + (size_t)q * OH * OW;
    __global const float *a = idx + (size_t)q * OH * OW;
    const float target = (float)i;
    float sum = 0.0f;
    for (int oy = oy0; oy <= oy1; ++oy)
        for (int ox = ox0; ox <= ox1; ++ox)
            if (a[oy * OW + ox] == target) sum += g[oy * OW + ox];
    dx[e] = sum;
}
