// conv2d_cpu.cl — 2-D convolution for CPU devices (PoCL's pthread device and the like): explicit
// im2col of a chunk of images into a scratch buffer, then a register-blocked GEMM that reads both
// operands straight from global memory (the caches do the staging) — no local memory, no barriers,
// so the device compiler keeps the accumulators in vector registers. conv2d.cl (tiled in local
// memory) is the GPU path; the host picks one per device (see OpenCLBackend.KernelPath).
//
// Tensors as in conv2d.cl (NCHW; weight [O][C·KK]; KK = KS·KS, Q = OH·OW, HW = H·W). For a chunk
// of nb images starting at image img0, the scratch matrices (row length ld ≥ their width) are:
//
//   col   [C·KK][ld]   col[(c,ki,kj)][i·Q + p]   = x[img0+i, c, oy·S−P+ki, ox·S−P+kj]       forward
//   dcol  [O·KK][ld]   dcol[(o,ki,kj)][i·HW + r] = dy[img0+i, o, (iy+P−ki)/S, (ix+P−kj)/S]  backward_input
//                                                  (0 where the division is inexact or out of range)
//   colT  [nb·Q][ld]   colT[i·Q + p][(c,ki,kj)]  = col[(c,ki,kj)][i·Q + p]                  backward_weight
//
// and the products (columns of all nb images side by side, N = nb·Q or nb·HW):
//
//   conv2d_forward_gemm:          y[img0+i, o, p]   = Σ_k weight[o][k] · col[k][i·Q + p] + bias[o]
//   conv2d_backward_input_gemm:   dx[img0+i, c, r]  = Σ_k wt[c][k] · dcol[k][i·HW + r]   (wt from
//                                 conv2d_backward_input_prepare in conv2d.cl: [C][O·KK])
//   conv2d_backward_weight_gemm:  dW[o][k] (+)= Σ_i Σ_p dy[img0+i, o, p] · colT[i·Q + p][k]
//                                 (accumulate = 0 for the first chunk, 1 after)
//
// GEMM work-item: MR = 8 rows × NR = 32 columns of the output (16 float16 accumulators); grid
// (⌈M/MR⌉, ⌈N/NR⌉), rows fastest so neighbouring work-items share the B panel in cache. Stride 1 (the common case) skips im2col for the forward pass and the input gradient: the input
// (or the gradient) is copied once into zero-padded planes (conv2d_pad) and conv2d_forward_direct
// reads the B rows as shifted windows of those planes (see gemm_block_shifted).
//
// Entry points: conv2d_forward_im2col, conv2d_forward_gemm, conv2d_backward_input_im2col,
// conv2d_backward_input_gemm, conv2d_backward_weight_im2col, conv2d_backward_weight_gemm, conv2d_pad,
// conv2d_forward_direct, conv2d_backward_input_flip. Stride-1 weight gradients and the bias
// gradient are in conv2d_cpu_weight.cl.

#define MR 8     // rows per work-item (FOR_ROWS expands 8); OpenCLBackend.cpuBlockRows
#define NR 32    // columns per work-item, two float16; OpenCLBackend.cpuBlockColumns

// acc[r] (columns 0–15) and acc[MR + r] (columns 16–31) += Σ_{k < kc} A(r, k) · B[k·ldb + 0…31],
// with A(r, k) = A[r·sam + k·sak]. Rows r ≥ mValid repeat row mValid − 1 (their results are not
// stored); columns ≥ nValid read as 0. The accumulators live in named variables during the loop:
// kept in an array, they are written back to memory every step (the compiler cannot prove that
// the private array and the global operands do not alias).
#define FOR_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#define ROW_DECL(r) const int o##r = min(r, mValid - 1) * sam; float16 c##r = acc[r], d##r = acc[MR + r];
#define ROW_STEP(r) { const float16 a = (float16)(A[o##r]); c##r = fma(a, b0, c##r); d##r = fma(a, b1, d##r); }
#define ROW_SAVE(r) acc[r] = c##r; acc[MR + r] = d##r;
inline void gemm_block(float16 *acc, __global const float *A, const int sam, const int sak,
                       __global const float *B, const int ldb, const int kc, const int mValid, const int nValid)
{
    FOR_ROWS(ROW_DECL)
    if (nValid >= NR) {
        for (int k = 0; k < kc; ++k) {
            const float16 b0 = vload16(0, B), b1 = vload16(1, B);
            FOR_ROWS(ROW_STEP)
            A += sak; B += ldb;
        }
    } else {
        for (int k = 0; k < kc; ++k) {
            float t[NR];
            for (int j = 0; j < NR; ++j) t[j] = j < nValid ? B[j] : 0.0f;
            const float16 b0 = vload16(0, t), b1 = vload16(1, t);
            FOR_ROWS(ROW_STEP)
            A += sak; B += ldb;
        }
    }
    FOR_ROWS(ROW_SAVE)
}

// As gemm_block, for a convolution of stride 1 over zero-padded planes (row length Wp, plane
// length plane): the B row of patch element k = (c, ki, kj) is the plane c shifted by ki·Wp + kj,
// so B needs no im2col copy. A(r, k) = A[r·sam + k].
inline void gemm_block_shifted(float16 *acc, __global const float *A, const int sam, __global const float *B,
                               const int C, const int plane, const int KS, const int Wp, const int mValid)
{
    FOR_ROWS(ROW_DECL)
    for (int c = 0; c < C; ++c, B += plane) {
        __global const float *Br = B;
        for (int ki = 0; ki < KS; ++ki, Br += Wp) {
            for (int kj = 0; kj < KS; ++kj) {
                const float16 b0 = vload16(0, Br + kj), b1 = vload16(0, Br + kj + 16);
                FOR_ROWS(ROW_STEP)
                ++A;
            }
        }
    }
    FOR_ROWS(ROW_SAVE)
}

// Stores the block at rows m0…, columns n0… of an [M][nb·Q] product into dst[(img0 + i)·M·Q + m·Q + p]
// (column n = i·Q + p), adding bias[m] when hasBias.
inline void store_images(const float16 *acc, __global float *dst, __global const float *bias, const int hasBias,
                         const int img0, const int M, const int m0, const int n0, const int N, const int Q)
{
    const int i0 = n0 / Q, p0 = n0 - i0 * Q, nValid = min(NR, N - n0);
    for (int r = 0; r < MR && m0 + r < M; ++r) {
        const float b = hasBias ? bias[m0 + r] : 0.0f;
        if (nValid == NR && p0 + NR <= Q) {
            __global float *d = dst + ((size_t)(img0 + i0) * M + m0 + r) * Q + p0;
            vstore16(acc[r] + b, 0, d);
            vstore16(acc[MR + r] + b, 1, d);
        } else {
            float v[NR];
            vstore16(acc[r], 0, v);
            vstore16(acc[MR + r], 1, v);
            int i = i0, p = p0;
            for (int j = 0; j < nValid; ++j) {
                dst[((size_t)(img0 + i) * M + m0 + r) * Q + p] = v[j] + b;
                if (++p == Q) { p = 0; ++i; }
            }
        }
    }
}

// Grid (C·KK, nb): one work-item per (patch element, image) writes its OH·OW row segment of col.
__kernel void conv2d_forward_im2col(__global const float *x, __global float *col, const int img0, const int nb,
                                    const int C, const int H, const int W, const int KS, const int S, const int P,
                                    const int OH, const int OW, const int ld)
{
    const int k = get_global_id(0), i = get_global_id(1), KK = KS * KS;
    if (k >= C * KK || i >= nb) return;
    const int c = k / KK, t = k - c * KK, ki = t / KS, kj = t - ki * KS;
    __global const float *xc = x + ((size_t)(img0 + i) * C + c) * H * W;
    __global float *dst = col + (size_t)k * ld + (size_t)i * OH * OW;
    for (int oy = 0; oy < OH; ++oy, dst += OW) {
        const int iy = oy * S - P + ki;
        if (iy < 0 || iy >= H) {
            for (int ox = 0; ox < OW; ++ox) dst[ox] = 0.0f;
            continue;
        }
        __global const float *src = xc + iy * W;
        for (int ox = 0; ox < OW; ++ox) {
            const int ix = ox * S - P + kj;
            dst[ox] = (ix >= 0 && ix < W) ? src[ix] : 0.0f;
        }
    }
}

// Grid (⌈O/MR⌉, ⌈nb·Q/NR⌉).
__kernel void conv2d_forward_gemm(__global const float *col, __global const float *weight,
                                  __global const float *bias, __global float *y, const int img0, const int nb,
                                  const int O, const int K, const int Q, const int ld)
{
    const int m0 = get_global_id(0) * MR, n0 = get_global_id(1) * NR, N = nb * Q;
    if (m0 >= O || n0 >= N) return;
    float16 acc[2 * MR];
    for (int r = 0; r < 2 * MR; ++r) acc[r] = (float16)(0.0f);
    gemm_block(acc, weight + (size_t)m0 * K, K, 1, col + n0, ld, K, min(MR, O - m0), min(NR, N - n0));
    store_images(acc, y, bias, 1, img0, O, m0, n0, N, Q);
}

// Grid (O·KK, nb): one work-item per (o, ki, kj) and image writes its H·W row segment of dcol.
__kernel void conv2d_backward_input_im2col(__global const float *dy, __global float *dcol, const int img0,
                                           const int nb, const int C, const int H, const int W, const int O,
                                           const int KS, const int S, const int P, const int OH, const int OW,
                                           const int ld)
{
    const int k = get_global_id(0), i = get_global_id(1), KK = KS * KS;
    if (k >= O * KK || i >= nb) return;
    const int o = k / KK, t = k - o * KK, ki = t / KS, kj = t - ki * KS;
    __global const float *g = dy + ((size_t)(img0 + i) * O + o) * OH * OW;
    __global float *dst = dcol + (size_t)k * ld + (size_t)i * H * W;
    for (int iy = 0; iy < H; ++iy, dst += W) {
        const int ty = iy + P - ki;
        int oy = ty;
        bool rowOK = ty >= 0;
        if (S != 1 && rowOK) { oy = ty / S; rowOK = oy * S == ty; }
        if (!rowOK || oy >= OH) {
            for (int ix = 0; ix < W; ++ix) dst[ix] = 0.0f;
            continue;
        }
        __global const float *src = g + oy * OW;
        if (S == 1) {
            for (int ix = 0; ix < W; ++ix) {
                const int ox = ix + P - kj;
                dst[ix] = (ox >= 0 && ox < OW) ? src[ox] : 0.0f;
            }
        } else {
            for (int ix = 0; ix < W; ++ix) {
                const int tx = ix + P - kj, ox = tx >= 0 ? tx / S : -1;
                dst[ix] = (ox >= 0 && ox * S == tx && ox < OW) ? src[ox] : 0.0f;
            }
        }
    }
}

// Grid (⌈C/MR⌉, ⌈nb·H·W/NR⌉).
__kernel void conv2d_backward_input_gemm(__global const float *dcol, __global const float *wt, __global float *dx,
                                         const int img0, const int nb, const int C, const int K, const int HW,
                                         const int ld)
{
    const int m0 = get_global_id(0) * MR, n0 = get_global_id(1) * NR, N = nb * HW;
    if (m0 >= C || n0 >= N) return;
    float16 acc[2 * MR];
    for (int r = 0; r < 2 * MR; ++r) acc[r] = (float16)(0.0f);
    gemm_block(acc, wt + (size_t)m0 * K, K, 1, dcol + n0, ld, K, min(MR, C - m0), min(NR, N - n0));
    store_images(acc, dx, wt, 0, img0, C, m0, n0, N, HW);
}

// Grid (nb·Q): one work-item per output position writes its row of colT (all C·KK patch elements).
__kernel void conv2d_backward_weight_im2col(__global const float *x, __global float *colT, const int img0,
                                            const int nb, const int C, const int H, const int W, const int KS,
                                            const int S, const int P, const int OH, const int OW, const int ld)
{
    const int j = get_global_id(0), Q = OH * OW;
    if (j >= nb * Q) return;
    const int i = j / Q, p = j - i * Q, oy = p / OW, ox = p - oy * OW, iy0 = oy * S - P, ix0 = ox * S - P;
    __global const float *xc = x + (size_t)(img0 + i) * C * H * W;
    __global float *dst = colT + (size_t)j * ld;
    for (int c = 0; c < C; ++c, xc += H * W) {
        for (int ki = 0; ki < KS; ++ki) {
            const int iy = iy0 + ki;
            const bool rowOK = iy >= 0 && iy < H;
            for (int kj = 0; kj < KS; ++kj) {
                const int ix = ix0 + kj;
                *dst++ = (rowOK && ix >= 0 && ix < W) ? xc[iy * W + ix] : 0.0f;
            }
        }
    }
}

// Grid (⌈O/MR⌉, ⌈C·KK/NR⌉).
__kernel void conv2d_backward_weight_gemm(__global const float *dy, __global const float *colT, __global float *dW,
                                          const int img0, const int nb, const int O, const int K, const int Q,
                                          const int ld, const int accumulate)
{
    const int m0 = get_global_id(0) * MR, n0 = get_global_id(1) * NR;
    if (m0 >= O || n0 >= K) return;
    const int mValid = min(MR, O - m0), nValid = min(NR, K - n0);
    float16 acc[2 * MR];
    for (int r = 0; r < 2 * MR; ++r) acc[r] = (float16)(0.0f);
    for (int i = 0; i < nb; ++i)
        gemm_block(acc, dy + ((size_t)(img0 + i) * O + m0) * Q, Q, 1, colT + (size_t)i * Q * ld + n0, ld, Q,
                   mValid, nValid);
    for (int r = 0; r < mValid; ++r) {
        float v[NR];
        vstore16(acc[r], 0, v);
        vstore16(acc[MR + r], 1, v);
        __global float *d = dW + (size_t)(m0 + r) * K + n0;
        for (int j = 0; j < nValid; ++j) d[j] = accumulate ? d[j] + v[j] : v[j];
    }
}

// dst[q][py][px] = src[q][py − top][px − left] (0 outside src): planes of h×w copied into hp×wp.
// Grid (hp, planes): one work-item per destination row.
__kernel void conv2d_pad(__global const float *src, __global float *dst, const int planes, const int h, const int w,
                         const int hp, const int wp, const int top, const int left)
{
    const int py = get_global_id(0), q = get_global_id(1), y = py - top;
    if (py >= hp || q >= planes) return;
    __global float *d = dst + ((size_t)q * hp + py) * wp;
    if (y < 0 || y >= h) {
        for (int px = 0; px < wp; ++px) d[px] = 0.0f;
        return;
    }
    __global const float *s = src + ((size_t)q * h + y) * w;
    for (int px = 0; px < wp; ++px) {
        const int x = px - left;
        d[px] = (x >= 0 && x < w) ? s[x] : 0.0f;
    }
}

// out[n, m, oy, ox] = (bias[m]) + Σ_{c,ki,kj} A[m][(c,ki,kj)] · xp[n, c, oy + ki, ox + kj] for a stride-1
// convolution of padded planes xp [batch][C][Hp][Wp] (KS + 64 floats of slack after the last plane).
// The GEMM columns of image n are j = oy·Wp + ox over OH rows of the padded width; columns with
// ox ≥ OW are computed and dropped. Grid (⌈M/MR⌉, ⌈OH·Wp/NR⌉, batch). Used for the forward pass
// (A = weight, M = O) and, on the gradient padded by KS − 1 − P with A = the flipped weight, for
// the input gradient (M = C).
__kernel void conv2d_forward_direct(__global const float *xp, __global const float *A, __global const float *bias,
                                    __global float *out, const int hasBias, const int C, const int Hp, const int Wp,
                                    const int M, const int KS, const int OH, const int OW)
{
    const int m0 = get_global_id(0) * MR, n0 = get_global_id(1) * NR, n = get_global_id(2), N = OH * Wp;
    if (m0 >= M || n0 >= N) return;
    const int K = C * KS * KS;
    float16 acc[2 * MR];
    for (int r = 0; r < 2 * MR; ++r) acc[r] = (float16)(0.0f);
    gemm_block_shifted(acc, A + (size_t)m0 * K, K, xp + (size_t)n * C * Hp * Wp + n0, C, Hp * Wp, KS, Wp,
                       min(MR, M - m0));
    const int nValid = min(NR, N - n0), oy0 = n0 / Wp, ox0 = n0 - oy0 * Wp;
    for (int r = 0; r < MR && m0 + r < M; ++r) {
        float v[NR];
        vstore16(acc[r], 0, v);
        vstore16(acc[MR + r], 1, v);
        const float b = hasBias ? bias[m0 + r] : 0.0f;
        __global float *d = out + ((size_t)n * M + m0 + r) * OH * OW;
        int oy = oy0, ox = ox0;
        for (int j = 0; j < nValid; ++j) {
            if (ox < OW) d[oy * OW + ox] = v[j] + b;
            if (++ox == Wp) { ox = 0; ++oy; }
        }
    }
}

// wf[c][(o, ki, kj)] = weight[o][c][KS−1−ki][KS−1−kj]: the A operand of the input gradient as a
// stride-1 convolution (conv2d_forward_direct). Grid (O·C·KK).
__kernel void conv2d_backward_input_flip(__global const float *weight, __global float *wf, const int C, const int O,
                                         const int KK)
{
    const int e = get_global_id(0);
    if (e >= O * C * KK) return;
    const int o = e / (C * KK), r = e - o * (C * KK), c = r / KK, t = r - c * KK;
    wf[((size_t)c * O + o) * KK + (KK - 1 - t)] = weight[e];
}
