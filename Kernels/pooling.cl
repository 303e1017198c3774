// pooling.cl — max pooling without padding (windows that do not fit are dropped), NCHW.
//
// Memory layout (row-major):
//
//   x, dx:        [N·C planes][H][W]        plane q starts at q·H·W
//   y, dy, idx:   [N·C planes][OH][OW]      plane q starts at q·OH·OW
//
//   idx holds, per output, the argmax's flat index h·W + w inside its input plane, as an exact
//   float; the first maximum in row-major window order wins ties.
//
// Forward: one work-item per output row. Backward: one work-item per *input* row, gathering the
// outputs whose window covers it (in increasing output order, as CPUBackend adds them) — no atomics,
// and no integer division per element (costly on CPU devices, where work-items become vector lanes).
//
// Backward with K == S (windows tile the input without overlap): one work-item per output row
// writes its S input rows outright — each input element gets its one output's gradient or 0.
//
// Entry points: maxpool2d_forward, maxpool2d_backward, maxpool2d_backward_disjoint.

// Grid (OH, planes): one work-item per output row.
__kernel void maxpool2d_forward(__global const float *x, __global float *y, __global float *idx,
                                const int planes, const int H, const int W, const int OH, const int OW,
                                const int K, const int S)
{
    const int oy = get_global_id(0), q = get_global_id(1);
    if (oy >= OH || q >= planes) return;
    __global const float *src = x + (size_t)q * H * W;
    __global float *yr = y + ((size_t)q * OH + oy) * OW;
    __global float *ir = idx + ((size_t)q * OH + oy) * OW;
    for (int ox = 0; ox < OW; ++ox) {
        float best = -INFINITY;
        int bestIndex = (oy * S) * W + ox * S;
        for (int ki = 0; ki < K; ++ki) {
            for (int kj = 0; kj < K; ++kj) {
                const int i = (oy * S + ki) * W + ox * S + kj;
                const float v = src[i];
                if (v > best) { best = v; bestIndex = i; }
            }
        }
        yr[ox] = best;
        ir[ox] = (float)bestIndex;
    }
}

// Grid (H, planes): one work-item per input row; it clears the row, then adds the gradient of
// every output (in increasing output order) whose window overlaps the row and whose argmax lies in it.
__kernel void maxpool2d_backward(__global const float *dy, __global const float *idx, __global float *dx,
                                 const int planes, const int H, const int W, const int OH, const int OW,
                                 const int K, const int S)
{
    const int iy = get_global_id(0), q = get_global_id(1);
    if (iy >= H || q >= planes) return;
    __global float *row = dx + ((size_t)q * H + iy) * W;
    for (int ix = 0; ix < W; ++ix) row[ix] = 0.0f;
    // Output rows whose window [oy·S, oy·S + K) contains iy.
    const int oy0 = iy >= K ? (iy - K) / S + 1 : 0, oy1 = min(iy / S, OH - 1);
    const int lo = iy * W, hi = lo + W;
    __global const float *g = dy + (size_t)q * OH * OW;
    __global const float *a = idx + (size_t)q * OH * OW;
    for (int oy = oy0; oy <= oy1; ++oy) {
        for (int ox = 0; ox < OW; ++ox) {
            const int i = (int)a[oy * OW + ox];
            if (i >= lo && i < hi) row[i - lo] += g[oy * OW + ox];
        }
    }
}

// K == S. Grid (OH, planes): one work-item per output row; the last one also clears the rows
// below the last window.
__kernel void maxpool2d_backward_disjoint(__global const float *dy, __global const float *idx, __global float *dx,
                                          const int planes, const int H, const int W, const int OH, const int OW,
                                          const int K, const int S)
{
    const int oy = get_global_id(0), q = get_global_id(1);
    if (oy >= OH || q >= planes) return;
    __global const float *g = dy + ((size_t)q * OH + oy) * OW;
    __global const float *a = idx + ((size_t)q * OH + oy) * OW;
    __global float *plane = dx + (size_t)q * H * W;
    for (int ki = 0; ki < S; ++ki) {
        const int iy = oy * S + ki;
        __global float *row = plane + iy * W;
        for (int ox = 0; ox < OW; ++ox) {
            const int t = (int)a[ox] - iy * W - ox * S;
            const float v = g[ox];
            for (int kj = 0; kj < S; ++kj) row[ox * S + kj] = t == kj ? v : 0.0f;
        }
        for (int ix = OW * S; ix < W; ++ix) row[ix] = 0.0f;
    }
    if (oy == OH - 1)
        for (int i = OH * S * W; i < H * W; ++i) plane[i] = 0.0f;
}
