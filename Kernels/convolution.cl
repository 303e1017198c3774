// convolution.cl — 2-D convolution (cross-correlation, zero padding, as torch.nn.Conv2d) as an
// implicit-im2col GEMM tiled in local memory: the im2col matrix is never stored; each work-group
// gathers the slice of it that it needs straight from the image into local memory.
//
// Memory layout (row-major, NCHW; KK = KS·KS; Q = OH·OW):
//
//   x, dx:        [N][C][H][W]
//   y, dy:        [N][O][OH][OW]
//   weight, dW:   [O][C][KS][KS]   = [O][C·KK], row o is the patch (c, ki, kj) flattened
//   bias, dBias:  [O]
//   wt:           [C][O·KK]        the weight transposed per input channel (for backward_input)
//   partial:      [splits][O][C·KK] per-chunk weight gradients (for backward_weight)
//
// The three GEMMs (C tile = TSM×TSN, work-item block = WPTM rows × 8 columns, see include/gemm_tile.h):
//
//   forward:          y[n,o,p]     = Σ_{(c,ki,kj)} weight[o,(c,ki,kj)] · col[(c,ki,kj), (n,p)] + bias[o]
//                     M = O, N = batch·Q, K = C·KK;   col[(c,ki,kj),(n,oy,ox)] = x[n,c,oy·S−P+ki,ox·S−P+kj]
//   backward_input:   dx[n,c,iy,ix] = Σ_{(o,ki,kj)} wt[c,(o,ki,kj)] · dy[n,o,(iy+P−ki)/S,(ix+P−kj)/S]
//                     M = C, N = batch·H·W, K = O·KK  (terms whose division is inexact or out of range are 0)
//   backward_weight:  partial[s,o,(c,ki,kj)] = Σ_{(n,p) in chunk s} dy[n,o,p] · col[(c,ki,kj),(n,p)]
//                     M = O, N = C·KK, K = batch·Q split into chunks (split-K), then summed by
//                     column_sums (elementwise.cl); conv2d_backward_bias sums dy per channel.
//   backward_input_direct: for few input channels (C·… small), one work-item per dx element.
//
// In the B loaders, work-item `lid` always stages column n0 + lid (hence NWI == TSN) and walks its
// reduction index k upwards one step per element, so the (c, ki, kj) or (n, oy, ox) decomposition
// is updated incrementally instead of divided out per element.
//
// Entry points: conv2d_forward, conv2d_backward_input, conv2d_backward_input_prepare,
// conv2d_backward_input_direct, conv2d_backward_weight, conv2d_backward_bias.

#include "gemm_tile.h"

#include "reduction.h"
#if NWI != TSN
#error "convolution.cl requires (TSM / WPTM) * (TSN / 8) == TSN"
#endif
#if NWI % TK != 0
#error "convolution.cl requires the work-group size to be a multiple of TK"
#endif

// As[kk][r] = A[m0 + r][k0 + kk] for a row-major A [M][K] (0 outside).
#define LOAD_A_ROWMAJOR(A, M, K, k0)                                               \
    for (int e = lid; e < TK * TSM; e += NWI) {                                    \
        const int kk = e % TK, r = e / TK, m = m0 + r, k = (k0) + kk;              \
        As[kk][r] = (m < (M) && k < (K)) ? A[(size_t)m * (K) + k] : 0.0f;          \
    }

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void conv2d_forward(__global const float *x, __global const float *weight, __global const float *bias,
                    __global float *y, const int batch, const int C, const int H, const int W,
                    const int O, const int KS, const int S, const int P, const int OH, const int OW,
                    const int relu)
{
    GEMM_PROLOGUE;
    const int Q = OH * OW, N = batch * Q, K = C * KS * KS;
    // This work-item's im2col column: output position (img, oy, ox).
    const int col = n0 + lid;
    const bool colOK = col < N;
    const int img = colOK ? col / Q : 0, q = col - img * Q, oy = q / OW, ox = q - oy * OW;
    const int iy0 = oy * S - P, ix0 = ox * S - P;
    __global const float *xi = x + (size_t)img * C * H * W;
    int c = 0, ki = 0, kj = 0;               // (c, ki, kj) of the next k this work-item stages
    for (int k0 = 0; k0 < K; k0 += TK) {
        LOAD_A_ROWMAJOR(weight, O, K, k0);
        for (int kk = 0; kk < TK; ++kk) {
            const int iy = iy0 + ki, ix = ix0 + kj;
            const bool inside = colOK && c < C && iy >= 0 && iy < H && ix >= 0 && ix < W;
            Bs[kk][lid] = inside ? xi[((size_t)c * H + iy) * W + ix] : 0.0f;
            if (++kj == KS) { kj = 0; if (++ki == KS) { ki = 0; ++c; } }
        }
        GEMM_MULTIPLY_TILE;
    }
    // The bias added in the store, and with `relu` ReLU too (fmax, as relu_forward): one pass at inference.
#define STORE(m, n, v) { const int im = (n) / Q, p = (n) - im * Q; const float out = (v) + bias[m];        \
                         y[((size_t)im * O + (m)) * Q + p] = relu ? fmax(out, 0.0f) : out; }
    GEMM_STORE(O, N, STORE);
#undef STORE
}

// wt[c][o·KK + t] = weight[o][c·KK + t]: the A operand of conv2d_backward_input, row-major.
__kernel void conv2d_backward_input_prepare(__global const float *weight, __global float *wt,
                                            const int C, const int O, const int KK)
{
    const int e = get_global_id(0);
    if (e >= O * C * KK) return;
    const int o = e / (C * KK), r = e - o * (C * KK), c = r / KK, t = r - c * KK;
    wt[((size_t)c * O + o) * KK + t] = weight[e];
}

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void conv2d_backward_input(__global const float *dy, __global const float *wt, __global float *dx,
                           const int batch, const int C, const int H, const int W,
                           const int O, const int KS, const int S, const int P, const int OH, const int OW)
{
    GEMM_PROLOGUE;
    const int HW = H * W, N = batch * HW, K = O * KS * KS, Q = OH * OW;
    // This work-item's column: input position (img, iy, ix).
    const int col = n0 + lid;
    const bool colOK = col < N;
    const int img = colOK ? col / HW : 0, r = col - img * HW, iy = r / W, ix = r - iy * W;
    __global const float *g = dy + (size_t)img * O * Q;
    int o = 0, ki = 0, kj = 0;               // (o, ki, kj) of the next k this work-item stages
    for (int k0 = 0; k0 < K; k0 += TK) {
        LOAD_A_ROWMAJOR(wt, C, K, k0);
        for (int kk = 0; kk < TK; ++kk) {
            const int ty = iy + P - ki, tx = ix + P - kj;
            int oy = ty, ox = tx;
            bool inside = colOK && o < O && ty >= 0 && tx >= 0;
            if (S != 1 && inside) {
                oy = ty / S; ox = tx / S;
                inside = oy * S == ty && ox * S == tx;
            }
            inside = inside && oy < OH && ox < OW;
            Bs[kk][lid] = inside ? g[((size_t)o * OH + oy) * OW + ox] : 0.0f;
            if (++kj == KS) { kj = 0; if (++ki == KS) { ki = 0; ++o; } }
        }
        GEMM_MULTIPLY_TILE;
    }
#define STORE(m, n, v) { const int im = (n) / HW, p = (n) - im * HW; dx[((size_t)im * C + (m)) * HW + p] = (v); }
    GEMM_STORE(C, N, STORE);
#undef STORE
}

// One work-item per dx element, summing over (o, ki, kj): cheaper than the GEMM when C is small.
__kernel void conv2d_backward_input_direct(__global const float *dy, __global const float *weight,
                                           __global float *dx, const int batch, const int C, const int H,
                                           const int W, const int O, const int KS, const int S, const int P,
                                           const int OH, const int OW)
{
    const int e = get_global_id(0);
    if (e >= batch * C * H * W) return;
    const int HW = H * W, img = e / (C * HW), r = e - img * C * HW, c = r / HW, p = r - c * HW;
    const int iy = p / W, ix = p - iy * W, KK = KS * KS;
    __global const float *g = dy + (size_t)img * O * OH * OW;
    float s = 0.0f;
    for (int o = 0; o < O; ++o) {
        __global const float *w = weight + ((size_t)o * C + c) * KK;
        __global const float *go = g + (size_t)o * OH * OW;
        for (int ki = 0; ki < KS; ++ki) {
            const int ty = iy + P - ki;
            if (ty < 0 || ty % S != 0 || ty / S >= OH) continue;
            const int oy = ty / S;
            for (int kj = 0; kj < KS; ++kj) {
                const int tx = ix + P - kj;
                if (tx < 0 || tx % S != 0 || tx / S >= OW) continue;
                s += w[ki * KS + kj] * go[oy * OW + tx / S];
            }
        }
    }
    dx[e] = s;
}

// partial[s][o][k] = Σ over reduction chunk s (positions p in [s·chunk, (s+1)·chunk) ∩ [0, batch·Q))
// of dy[o, p] · col[k, p].  Grid: (⌈C·KK / TSN⌉·RTSN, ⌈O / TSM⌉·RTSM, splits).
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void conv2d_backward_weight(__global const float *x, __global const float *dy, __global float *partial,
                            const int batch, const int C, const int H, const int W,
                            const int O, const int KS, const int S, const int P, const int OH, const int OW,
                            const int chunk)
{
    GEMM_PROLOGUE;
    const int KK = KS * KS, N = C * KK, Q = OH * OW, total = batch * Q;
    const int split = get_group_id(2);
    const int pBegin = split * chunk, pEnd = min(total, pBegin + chunk);
    // B column of this work-item: patch element k = (c, ki, kj).
    const int col = n0 + lid;
    const bool colOK = col < N;
    const int c = col / KK, t = col - c * KK, ki = t / KS, kj = t - ki * KS;
    // Position p = (img, oy, ox) of the next reduction step this work-item stages for B.
    int img = pBegin / Q, q = pBegin - img * Q, oy = q / OW, ox = q - oy * OW;
    // A: this work-item stages reduction step kk = lid % TK of each slice, for rows lid / TK + j·(NWI/TK).
    const int kkA = lid % TK, rA = lid / TK;
    for (int p0 = pBegin; p0 < pEnd; p0 += TK) {
        {
            const int p = p0 + kkA;
            const int im = p / Q, pq = p - im * Q;
            for (int r = rA; r < TSM; r += NWI / TK) {
                const int m = m0 + r;
                As[kkA][r] = (p < pEnd && m < O) ? dy[((size_t)im * O + m) * Q + pq] : 0.0f;
            }
        }
        for (int kk = 0; kk < TK; ++kk) {
            const int iy = oy * S - P + ki, ix = ox * S - P + kj;
            const bool inside = colOK && p0 + kk < pEnd && iy >= 0 && iy < H && ix >= 0 && ix < W;
            Bs[kk][lid] = inside ? x[(((size_t)img * C + c) * H + iy) * W + ix] : 0.0f;
            if (++ox == OW) { ox = 0; if (++oy == OH) { oy = 0; ++img; } }
        }
        GEMM_MULTIPLY_TILE;
    }
    __global float *dst = partial + (size_t)split * O * N;
#define STORE(m, n, v) dst[(size_t)(m) * N + (n)] = (v)
    GEMM_STORE(O, N, STORE);
#undef STORE
}

// dBias[o] = Σ_{n,p} dy[n,o,p], stage 1 of include/reduction.h: work-group (g, o) sums the positions
// j = g·RED_LOCAL + lid, j += groups·RED_LOCAL of the batch·Q values of channel o into sums[g][o]
// (dBias itself when groups = 1; else the host adds the groups' rows with column_sums).
__kernel __attribute__((reqd_work_group_size(RED_LOCAL, 1, 1)))
void conv2d_backward_bias(__global const float *dy, __global float *sums, const int batch, const int O,
                          const int Q)
{
    __local float scratch[RED_LOCAL];
    const int g = get_group_id(0), groups = get_num_groups(0), o = get_group_id(1), lid = get_local_id(0);
    const int n = batch * Q;
    float s = 0.0f;
    for (int j = g * RED_LOCAL + lid; j < n; j += groups * RED_LOCAL) {
        const int b = j / Q, p = j - b * Q;
        s += dy[((size_t)b * O + o) * Q + p];
    }
    float total;
    GROUP_SUM(scratch, s, lid, total);
    if (lid == 0) sums[(size_t)g * O + o] = total;
}
