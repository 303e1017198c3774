// gemm_tile.h — the GEMM tile shared by dense.cl and convolution.cl: C[M][N] = Σ_k A[m][k]·B[k][n]
// tiled in local memory. The kernel files that use it include it by name; the host inlines it from
// the include/ folder beside them (KernelSource.load), and an OpenCL compiler given
// `-I <kernels folder>/include` builds each file alone just the same.
//
// One work-group owns a TSM×TSN tile of C and walks k in slices of TK, staging the A slice
// (As[TK][TSM]) and the B slice (Bs[TK][TSN]) in local memory:
//
//            n0 … n0+TSN                   work-group = (TSN/8) × (TSM/WPTM) work-items;
//        ┌──────────────┐                  work-item (lx, ly) owns rows m0 + ly·WPTM + [0, WPTM)
//   m0 … │  C tile      │ ← As[k][m]         and columns n0 + lx·8 + [0, 8) (one float8 per row).
//  m0+TSM└──────────────┘ ↑ Bs[k][n]
//
// A kernel uses it as
//
//   GEMM_PROLOGUE;
//   for (k0 = 0; k0 < K; k0 += TK) { <stage As and Bs, e.g. GEMM_LOAD>; GEMM_MULTIPLY_TILE; }
//   GEMM_STORE(M, N, STORE);
//
// The tile sizes come from the host as -D definitions (OpenCLContext.Tiles); the defaults below let
// a file build on its own.

#ifndef GEMM_TILE_H
#define GEMM_TILE_H

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
        float block_[WPTN];                                                        \
        vstore8(acc[i], 0, block_);                                                \
        for (int j = 0; j < WPTN; ++j) {                                           \
            const int n = n0 + lx * WPTN + j;                                      \
            if (n < (N)) STORE(m, n, block_[j]);                                   \
        }                                                                          \
    }

#endif
