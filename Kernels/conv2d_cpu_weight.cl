// conv2d_cpu_weight.cl — weight and bias gradients of a stride-1 convolution for CPU devices
// (KernelPath.cpu; conv2d_cpu.cl has the rest of the convolution, conv2d.cl the GPU path).
//
// With the input zero-padded into planes xp [batch][C][Hp][Wp] and the output gradient widened
// to the same row length, dyw [batch][O][OH + 1][Wp] (zero at ox ≥ OW and in the extra row), both
// written by conv2d_pad, the gradient of tap t = (ki, kj) is a dot product of contiguous rows:
//
//   dW[o][c·KK + t] = Σ_n Σ_{j < OH·Wp} dyw[n, o, j] · xp[n, c, j + ki·Wp + kj]     (j = oy·Wp + ox)
//
// conv2d_backward_weight_direct: work-item (o pair, c) of image chunk s accumulates 2 × 9 taps in
// float16 lanes along j (taps past KK repeat the last one and are not stored; more taps take
// several passes), then folds the lanes into partial[s][o][c·KK + t]; column_sums (elementwise.cl)
// (conv2d.cl) sums the chunks. A chunk's dy and xp planes stay in cache for all its work-items.
// Requires Wp ≥ 16 (the vectors of the last row read into the extra zero row).
//
// conv2d_backward_bias_rows: dBias[o] = Σ_n Σ_p dy[n, o, p], one work-item per channel.
//
// Entry points: conv2d_backward_weight_direct, conv2d_backward_bias_rows.

#define FOR_TAPS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8)
#define TAP_DECL(t) const int s##t = min(t0 + t, KK - 1), off##t = (s##t / KS) * Wp + s##t % KS; \
                    float16 a##t = (float16)(0.0f), b##t = (float16)(0.0f);
#define TAP_STEP(t) { const float16 v = vload16(0, xr + off##t); a##t = fma(d0, v, a##t); b##t = fma(d1, v, b##t); }
#define TAP_SAVE(t) if (t0 + t < KK) { \
                        pa[c * KK + t0 + t] = fold(a##t); if (o0 + 1 < O) pb[c * KK + t0 + t] = fold(b##t); }

inline float fold(const float16 v)
{
    const float8 h = v.lo + v.hi;
    const float4 q = h.lo + h.hi;
    const float2 d = q.lo + q.hi;
    return d.x + d.y;
}

// Grid (⌈O/2⌉·C, chunks): o pair fastest, so neighbouring work-items share the plane xp[·, c].
__kernel void conv2d_backward_weight_direct(__global const float *dyw, __global const float *xp,
                                            __global float *partial, const int batch, const int chunkImages,
                                            const int C, const int O, const int KS, const int Hp, const int Wp,
                                            const int OH)
{
    const int id = get_global_id(0), s = get_global_id(1), pairs = (O + 1) / 2, KK = KS * KS;
    if (id >= pairs * C) return;
    const int c = id / pairs, o0 = 2 * (id - c * pairs), o1 = min(o0 + 1, O - 1);
    const int n0 = s * chunkImages, n1 = min(batch, n0 + chunkImages), J = OH * Wp, dyPlane = (OH + 1) * Wp;
    __global float *pa = partial + ((size_t)s * O + o0) * C * KK, *pb = pa + (size_t)C * KK;
    for (int t0 = 0; t0 < KK; t0 += 9) {
        FOR_TAPS(TAP_DECL)
        for (int n = n0; n < n1; ++n) {
            __global const float *g0 = dyw + ((size_t)n * O + o0) * dyPlane, *g1 = dyw + ((size_t)n * O + o1) * dyPlane;
            __global const float *xr = xp + ((size_t)n * C + c) * Hp * Wp;
            for (int j = 0; j < J; j += 16, xr += 16) {
                const float16 d0 = vload16(0, g0 + j), d1 = vload16(0, g1 + j);
                FOR_TAPS(TAP_STEP)
            }
        }
        FOR_TAPS(TAP_SAVE)
    }
}

// dBias[o] = Σ_n Σ_p dy[n, o, p]: one work-item per channel, 16 running sums folded at the end.
__kernel void conv2d_backward_bias_rows(__global const float *dy, __global float *dBias, const int batch,
                                        const int O, const int Q)
{
    const int o = get_global_id(0);
    if (o >= O) return;
    float16 s16 = (float16)(0.0f);
    float s = 0.0f;
    for (int n = 0; n < batch; ++n) {
        __global const float *g = dy + ((size_t)n * O + o) * Q;
        int p = 0;
        for (; p + 16 <= Q; p += 16) s16 += vload16(0, g + p);
        for (; p < Q; ++p) s += g[p];
    }
    float v[16];
    vstore16(s16, 0, v);
    for (int j = 0; j < 16; ++j) s += v[j];
    dBias[o] = s;
}

