// dense.cl — dense (fully connected) layers as a GEMM tiled in local memory.
//
// Memory layout (row-major, PyTorch conventions):
//
//   x, dx:     [batch][in]         element (b, i) at b·in + i
//   y, dy:     [batch][out]        element (b, o) at b·out + o
//   weight, dWeight: [out][in]     element (o, i) at o·in + i
//   bias, dBias:     [out]
//
// Each kernel computes C[M][N] = Σ_k A[m][k]·B[k][n] for its own A, B (read in place, transposed
// where needed, never copied) with the local-memory tile of include/gemm_tile.h.
//
// Sizes need not be multiples of the tiles: interior slices are staged with unchecked float4 loads,
// edge slices with checked scalar loads that read 0 outside A or B; stores are bounds-checked.
//
//   linear_forward:          C = y  [batch][out],  A = x [batch][in],        B[i][o] = weight[o][i]
//   linear_backward_input:   C = dx [batch][in],   A = dy [batch][out],      B = weight [out][in]
//   linear_backward_weight:  C = dW [out][in],     A[o][b] = dy[b][o],       B = x [batch][in]
//   (the bias gradient dBias[o] = Σ_b dy[b][o] is column_sums of elementwise.cl)
//
// Entry points: linear_forward (with or without ReLU), linear_backward_input, linear_backward_weight.

#include "gemm_tile.h"

// y[b][o] = Σ_i x[b][i]·weight[o][i] + bias[o]      (M = batch, N = out, K = in; both operands
// k-contiguous), and with `relu` max(0, y) (fmax, as relu_forward): a linear layer and the ReLU
// after it in one pass at inference.
__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void linear_forward(__global const float *x, __global const float *weight, __global const float *bias,
                    __global float *y, const int batch, const int inFeatures, const int outFeatures,
                    const int relu)
{
    GEMM_PROLOGUE;
    const int M = batch, N = outFeatures, K = inFeatures;
#define LOAD_A(m, k) (((m) < M && (k) < K) ? x[(size_t)(m) * K + (k)] : 0.0f)
#define LOAD_B(k, n) (((k) < K && (n) < N) ? weight[(size_t)(n) * K + (k)] : 0.0f)
#define STAGE(k0) GEMM_LOAD_K_ROWS(As, TSM, x, K, m0, (k0)); GEMM_LOAD_K_ROWS(Bs, TSN, weight, K, n0, (k0))
    GEMM_REDUCE(M, N, K, STAGE, LOAD_A, LOAD_B);
#undef STAGE
#undef LOAD_A
#undef LOAD_B
#define STORE(m, n, v) { const float out = (v) + bias[n]; y[(size_t)(m) * N + (n)] = relu ? fmax(out, 0.0f) : out; }
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
#define STAGE(k0) GEMM_LOAD_K_ROWS(As, TSM, dy, K, m0, (k0)); GEMM_LOAD_K_COLUMNS(Bs, TSN, weight, N, n0, (k0))
    GEMM_REDUCE(M, N, K, STAGE, LOAD_A, LOAD_B);
#undef STAGE
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
#define STAGE(k0) GEMM_LOAD_K_COLUMNS(As, TSM, dy, M, m0, (k0)); GEMM_LOAD_K_COLUMNS(Bs, TSN, x, N, n0, (k0))
    GEMM_REDUCE(M, N, K, STAGE, LOAD_A, LOAD_B);
#undef STAGE
#undef LOAD_A
#undef LOAD_B
#define STORE(m, n, v) dWeight[(size_t)(m) * N + (n)] = (v)
    GEMM_STORE(M, N, STORE);
#undef STORE
}
