// gemm.cl — dense (fully connected) layers as a GEMM tiled in local memory.
//
// Memory layout (row-major, PyTorch conventions):
//
//   x, dx:     [batch][in]         element (b, i) at b·in + i
//   y, dy:     [batch][out]        element (b, o) at b·out + o
//   weight, dWeight: [out][in]     element (o, i) at o·in + i
//   bias, dBias:     [out]
//
// Each kernel computes C[M][N] = Σ_k A[m][k]·B[k][n] for its own A, B (read in place, transposed
// where needed, never copied). One work-group owns a TSM×TSN tile of C and walks k in slices of
// TK, staging the A slice (As[TK][TSM]) and the B slice (Bs[TK][TSN]) in local memory:
//
//            n0 … n0+TSN                   work-group = (TSN/8) × (TSM/WPTM) work-items;
//        ┌──────────────┐                  work-item (lx, ly) owns rows m0 + ly·WPTM + [0, WPTM)
//   m0 … │  C tile      │ ← As[k][m]         and columns n0 + lx·8 + [0, 8) (one float8 per row).
//  m0+TSM└──────────────┘ ↑ Bs[k][n]
//
// Sizes need not be multiples of the tiles: loads outside A or B read 0, stores are bounds-checked.
//
//   linear_forward:          C = y  [batch][out],  A = x [batch][in],        B[i][o] = weight[o][i]
//   linear_backward_input:   C = dx [batch][in],   A = dy [batch][out],      B = weight [out][in]
//   linear_backward_weight:  C = dW [out][in],     A[o][b] = dy[b][o],       B = x [batch][in]
//   linear_backward_bias:    dBias[o] = Σ_b dy[b][o]   (one work-item per o, summed in batch order)
//
// Entry points: linear_forward, linear_backward_input, linear_backward_weight, linear_backward_bias.

#ifndef TSM
#define TSM 32      // tile rows (M) per work-group
#endif
#ifndef TSN
#define TSN 64      // tile columns (N) per work-group; a multiple of 8
#endif
#ifndef TK
#define TK 16       // reduction depth staged in local memory per step
#endif
#ifndef WPTM
#define WPTM 4      // rows per work-item
#endif
#define WPTN 8                   // columns per work-item (one float8)
#define RTSM (TSM / WPTM)        // work-group height
#define RTSN (TSN / WPTN)        // work-group width
#define NWI (RTSM * RTSN)        // work-items per group

// Declares the local tiles, the work-item's coordinates and its accumulators.
#define GEMM_PROLOGUE                                                              \
    __local float As[TK][TSM];                                                     \
    __local float Bs[TK][TSN];                                                     \
    const int lx = get_local_id(0), ly = get_local_id(1), lid = ly * RTSN + lx;    \
    const int n0 = get_group_id(0) * TSN, m0 = get_group_id(1) * TSM;              \
    float8 acc[WPTM];                                                              \
    for (int i = 0; i < WPTM; ++i) acc[i] = (float8)(0.0f)

// Stages As[kk][r] = LOAD_A(m0 + r, k0 + kk) and Bs[kk][c] = LOAD_B(k0 + kk, n0 + c).
#define GEMM_LOAD(k0, LOAD_A, LOAD_B)                                              \
    for (int e = lid; e < TK * TSM; e += NWI) {                                    \
        const int kk = e % TK, r = e / TK;                                         \
        As[kk][r] = LOAD_A(m0 + r, (k0) + kk);                                     \
    }                                                                              \
    for (int e = lid; e < TK * TSN; e += NWI) {                                    \
        const int c = e % TSN, kk = e / TSN;                                       \
        Bs[kk][c] = LOAD_B((k0) + kk, n0 + c);                                     \
    }

// acc += As · Bs over one staged slice, between barriers.
#define GEMM_MULTIPLY_TILE                                                         \
    barrier(CLK_LOCAL_MEM_FENCE);                                                  \
    for (int kk = 0; kk < TK; ++kk) {                                              \
        const float8 bv = vload8(0, &Bs[kk][lx * WPTN]);                           \
        for (int i = 0; i < WPTM; ++i) acc[i] += As[kk][ly * WPTM + i] * bv;       \
    }                                                                              \
    barrier(CLK_LOCAL_MEM_FENCE)

// Calls STORE(m, n, value) for every in-range element of the work-item's block.
#define GEMM_STORE(M, N, STORE)                                                    \
    for (int i = 0; i < WPTM; ++i) {                                               \
        const int m = m0 + ly * WPTM + i;                                          \
        if (m >= (M)) break;                                                       \
        float block_[WPTN];                                                           \
        vstore8(acc[i], 0, block_);                                                   \
        for (int j = 0; j < WPTN; ++j) {                                           \
            const int n = n0 + lx * WPTN + j;                                      \
            if (n < (N)) STORE(m, n, block_[j]);                                      \
        }                                                                          \
    }

// y[b][o] = Σ_i x[b][i]·weight[o][i] + bias[o]      (M = batch, N = out, K = in)
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void linear_forward(__global const float *x, __global const float *weight, __global const float *bias,
                    __global float *y, const int batch, const int inFeatures, const int outFeatures)
{
    GEMM_PROLOGUE;
    const int M = batch, N = outFeatures, K = inFeatures;
#define LOAD_A(m, k) (((m) < M && (k) < K) ? x[(size_t)(m) * K + (k)] : 0.0f)
#define LOAD_B(k, n) (((k) < K && (n) < N) ? weight[(size_t)(n) * K + (k)] : 0.0f)
    for (int k0 = 0; k0 < K; k0 += TK) {
        GEMM_LOAD(k0, LOAD_A, LOAD_B);
        GEMM_MULTIPLY_TILE;
    }
#undef LOAD_A
#undef LOAD_B
#define STORE(m, n, v) y[(size_t)(m) * N + (n)] = (v) + bias[n]
    GEMM_STORE(M, N, STORE);
#undef STORE
}

// dx[b][i] = Σ_o dy[b][o]·weight[o][i]               (M = batch, N = in, K = out)
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void linear_backward_input(__global const float *dy, __global const float *weight, __global float *dx,
                           const int batch, const int inFeatures, const int outFeatures)
{
    GEMM_PROLOGUE;
    const int M = batch, N = inFeatures, K = outFeatures;
#define LOAD_A(m, k) (((m) < M && (k) < K) ? dy[(size_t)(m) * K + (k)] : 0.0f)
#define LOAD_B(k, n) (((k) < K && (n) < N) ? weight[(size_t)(k) * N + (n)] : 0.0f)
    for (int k0 = 0; k0 < K; k0 += TK) {
        GEMM_LOAD(k0, LOAD_A, LOAD_B);
        GEMM_MULTIPLY_TILE;
    }
#undef LOAD_A
#undef LOAD_B
#define STORE(m, n, v) dx[(size_t)(m) * N + (n)] = (v)
    GEMM_STORE(M, N, STORE);
#undef STORE
}

// dWeight[o][i] = Σ_b dy[b][o]·x[b][i]               (M = out, N = in, K = batch)
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void linear_backward_weight(__global const float *x, __global const float *dy, __global float *dWeight,
                            const int batch, const int inFeatures, const int outFeatures)
{
    GEMM_PROLOGUE;
    const int M = outFeatures, N = inFeatures, K = batch;
#define LOAD_A(m, k) (((m) < M && (k) < K) ? dy[(size_t)(k) * M + (m)] : 0.0f)
#define LOAD_B(k, n) (((k) < K && (n) < N) ? x[(size_t)(k) * N + (n)] : 0.0f)
    for (int k0 = 0; k0 < K; k0 += TK) {
        GEMM_LOAD(k0, LOAD_A, LOAD_B);
        GEMM_MULTIPLY_TILE;
    }
#undef LOAD_A
#undef LOAD_B
#define STORE(m, n, v) dWeight[(size_t)(m) * N + (n)] = (v)
    GEMM_STORE(M, N, STORE);
#undef STORE
}

// dBias[o] = Σ_b dy[b][o]
__kernel void linear_backward_bias(__global const float *dy, __global float *dBias,
                                   const int batch, const int outFeatures)
{
    const int o = get_global_id(0);
    if (o >= outFeatures) return;
    float s = 0.0f;
    for (int b = 0; b < batch; ++b) s += dy[(size_t)b * outFeatures + o];
    dBias[o] = s;
}
