// gemm_cpu.cl — dense (fully connected) layers for CPU devices: the register-blocked GEMM of
// conv2d_cpu.cl (each work-item computes MR = 8 rows × NR = 32 columns in 16 float16 accumulators,
// reading both operands straight from global memory; no local memory, no barriers). gemm.cl
// (tiled in local memory) is the GPU path; the host picks one per device (OpenCLBackend.KernelPath).
//
// Layouts as in gemm.cl: x, dx [batch][in]; y, dy [batch][out]; weight, dWeight [out][in]; bias [out].
//
//   linear_forward_cpu:          y[b][o]  = Σ_i x[b][i] · wT[i][o] + bias[o]   (wT = weightᵀ, [in][out],
//                                written by linear_forward_transpose)
//   linear_backward_input_cpu:   dx[b][i] = Σ_o dy[b][o] · weight[o][i]
//   linear_backward_weight_cpu:  dW[o][i] = Σ_b dy[b][o] · x[b][i]
//
// Grids: (⌈M/MR⌉, ⌈N/NR⌉) for an M×N output, rows fastest.
//
// Entry points: linear_forward_transpose, linear_forward_cpu, linear_backward_input_cpu,
// linear_backward_weight_cpu.

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

// Writes the block at rows m0…, columns n0… of a row-major [M][N] C (adding bias[n] when hasBias).
inline void store_rows(const float16 *acc, __global float *C, __global const float *bias, const int hasBias,
                       const int M, const int N, const int m0, const int n0)
{
    const int nValid = min(NR, N - n0);
    for (int r = 0; r < MR && m0 + r < M; ++r) {
        float v[NR];
        vstore16(acc[r], 0, v);
        vstore16(acc[MR + r], 1, v);
        __global float *d = C + (size_t)(m0 + r) * N + n0;
        for (int j = 0; j < nValid; ++j) d[j] = v[j] + (hasBias ? bias[n0 + j] : 0.0f);
    }
}

// wT[i][o] = weight[o][i]; grid (⌈in/16⌉, ⌈out/16⌉): one work-item per 16×16 tile, read along
// rows of weight and written along rows of wT (whole vectors inside the matrix, scalars at its edges).
__kernel void linear_forward_transpose(__global const float *weight, __global float *wT,
                                       const int inFeatures, const int outFeatures)
{
    const int i0 = get_global_id(0) * 16, o0 = get_global_id(1) * 16;
    if (i0 >= inFeatures || o0 >= outFeatures) return;
    if (i0 + 16 > inFeatures || o0 + 16 > outFeatures) {
        for (int o = o0; o < min(o0 + 16, outFeatures); ++o)
            for (int i = i0; i < min(i0 + 16, inFeatures); ++i)
                wT[(size_t)i * outFeatures + o] = weight[(size_t)o * inFeatures + i];
        return;
    }
    float t[16][16];
    for (int r = 0; r < 16; ++r) vstore16(vload16(0, weight + (size_t)(o0 + r) * inFeatures + i0), 0, t[r]);
    for (int c = 0; c < 16; ++c) {
        float col[16];
        for (int r = 0; r < 16; ++r) col[r] = t[r][c];
        vstore16(vload16(0, col), 0, wT + (size_t)(i0 + c) * outFeatures + o0);
    }
}

#define GEMM_START(M, N)                                                           \
    const int m0 = get_global_id(0) * MR, n0 = get_global_id(1) * NR;             \
    if (m0 >= (M) || n0 >= (N)) return;                                            \
    float16 acc[2 * MR];                                                           \
    for (int r = 0; r < 2 * MR; ++r) acc[r] = (float16)(0.0f)

__kernel void linear_forward_cpu(__global const float *x, __global const float *wT, __global const float *bias,
                                 __global float *y, const int batch, const int inFeatures, const int outFeatures)
{
    GEMM_START(batch, outFeatures);
    gemm_block(acc, x + (size_t)m0 * inFeatures, inFeatures, 1, wT + n0, outFeatures, inFeatures,
               min(MR, batch - m0), min(NR, outFeatures - n0));
    store_rows(acc, y, bias, 1, batch, outFeatures, m0, n0);
}

__kernel void linear_backward_input_cpu(__global const float *dy, __global const float *weight, __global float *dx,
                                        const int batch, const int inFeatures, const int outFeatures)
{
    GEMM_START(batch, inFeatures);
    gemm_block(acc, dy + (size_t)m0 * outFeatures, outFeatures, 1, weight + n0, inFeatures, outFeatures,
               min(MR, batch - m0), min(NR, inFeatures - n0));
    store_rows(acc, dx, weight, 0, batch, inFeatures, m0, n0);
}

__kernel void linear_backward_weight_cpu(__global const float *x, __global const float *dy, __global float *dWeight,
                                         const int batch, const int inFeatures, const int outFeatures)
{
    GEMM_START(outFeatures, inFeatures);
    gemm_block(acc, dy + m0, 1, outFeatures, x + n0, inFeatures, batch,
               min(MR, outFeatures - m0), min(NR, inFeatures - n0));
    store_rows(acc, dWeight, x, 0, outFeatures, inFeatures, m0, n0);
}
