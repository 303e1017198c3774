// gemm_tile.h — the GEMM tile shared by dense.cl and convolution.cl: C[M][N] = Σ_k A[m][k]·B[k][n]
// tiled in local memory. The kernel files that use it include it by name; the host inlines it from
// the include/ folder beside them (KernelSource.load), and an OpenCL compiler given
// `-I <kernels folder>/include` builds each file alone just the same.
//
// One work-group owns a TSM×TSN tile of C and walks k in slices of TK, staging the A slice
// (As[TK][TSM + 1]) and the B slice (Bs[TK][TSN + 1]) in local memory; the extra column keeps the
// transposed stores (consecutive work-items writing down a column) off a single bank:
//
//            n0 … n0+TSN                   work-group = RTSN × RTSM = (TSN/WPTN) × (TSM/WPTM);
//        ┌──────────────┐                  work-item (lx, ly) owns rows m0 + ly·WPTM + [0, WPTM)
//   m0 … │  C tile      │ ← As[k][m]         and columns n0 + lx + j·RTSN, j < WPTN (strided by the
//  m0+TSM└──────────────┘ ↑ Bs[k][n]         group width, so neighbours read neighbouring words).
//
// A kernel uses it as
//
//   GEMM_PROLOGUE;
//   for (k0 = 0; k0 < K; k0 += TK) {
//       if (GEMM_INTERIOR(M, N, K, k0)) <stage with the unchecked float4 loads GEMM_LOAD_K_*>;
//       else <stage with the checked scalar loads, e.g. GEMM_LOAD>;
//       GEMM_MULTIPLY_TILE;
//   }                                     (GEMM_REDUCE is that loop)
//   GEMM_STORE(M, N, STORE);
//
// The tile comes from the host as -D definitions (GEMMTile.defines; the autotuner picks the dense
// one per device); the defaults below let a file build on its own. With GEMM_CONTIGUOUS_COLUMNS
// (and WPTN 8) a work-item's columns lie side by side instead, n0 + lx·8 + [0, 8), one float8 per row:
// what a CPU device's vectorizer turns into wide loads and multiply-adds (the convolution's layout on
// CPU devices, a candidate of the dense autotuner).

#ifndef GEMM_TILE_H
#define GEMM_TILE_H

#ifndef TSM
#define TSM 32      // tile rows (M) per work-group
#endif
#ifndef TSN
#define TSN 64      // tile columns (N) per work-group
#endif
#ifndef TK
#define TK 16       // reduction depth staged in local memory per step; a multiple of 4
#endif
#ifndef WPTM
#define WPTM 4      // rows per work-item
#endif
#ifndef WPTN
#define WPTN 8      // columns per work-item
#endif
#define RTSM (TSM / WPTM)        // work-group height
#define RTSN (TSN / WPTN)        // work-group width
#define NWI (RTSM * RTSN)        // work-items per group
#if TK % 4 != 0 || TSM % 4 != 0 || TSN % 4 != 0
#error "gemm_tile.h requires TK, TSM and TSN to be multiples of 4 (the float4 loads)"
#endif
#if defined(GEMM_CONTIGUOUS_COLUMNS) && WPTN != 8
#error "GEMM_CONTIGUOUS_COLUMNS requires WPTN 8 (one float8 per row)"
#endif
// The local tiles' extra column (against bank conflicts on a GPU); none with contiguous columns, whose
// float8 reads stay aligned on a CPU.
#ifdef GEMM_CONTIGUOUS_COLUMNS
#define GEMM_PAD 0
#else
#define GEMM_PAD 1
#endif

// Declares the local tiles, the work-item's coordinates and its accumulators.
#define GEMM_PROLOGUE                                                              \
    __local float As[TK][TSM + GEMM_PAD];                                          \
    __local float Bs[TK][TSN + GEMM_PAD];                                          \
    const int lx = get_local_id(0), ly = get_local_id(1), lid = ly * RTSN + lx;    \
    const int n0 = get_group_id(0) * TSN, m0 = get_group_id(1) * TSM;              \
    GEMM_ACCUMULATORS

// True when the slice at k0 lies inside A and B whole: its loads need no bounds checks.
#define GEMM_INTERIOR(M, N, K, k0) (m0 + TSM <= (M) && n0 + TSN <= (N) && (k0) + TK <= (K))

// Checked staging: As[kk][r] = LOAD_A(m0 + r, k0 + kk) and Bs[kk][c] = LOAD_B(k0 + kk, n0 + c),
// where the LOAD macros return 0 outside the matrices.
#define GEMM_LOAD(k0, LOAD_A, LOAD_B)                                              \
    for (int e = lid; e < TK * TSM; e += NWI) {                                    \
        const int kk = e % TK, r = e / TK;                                         \
        As[kk][r] = LOAD_A(m0 + r, (k0) + kk);                                     \
    }                                                                              \
    for (int e = lid; e < TK * TSN; e += NWI) {                                    \
        const int c = e % TSN, kk = e / TSN;                                       \
        Bs[kk][c] = LOAD_B((k0) + kk, n0 + c);                                     \
    }

// Unchecked staging of a TK×ROWS slice T[kk][r] = P[(r0 + r)·ld + k0 + kk] (the operand stored
// k-contiguous: A row-major, or B transposed), four k at a time.
#define GEMM_LOAD_K_ROWS(T, ROWS, P, ld, r0, k0)                                   \
    for (int e = lid; e < (ROWS) * (TK / 4); e += NWI) {                           \
        const int q = e % (TK / 4), r = e / (TK / 4);                              \
        const float4 v = vload4(0, (P) + (size_t)((r0) + r) * (ld) + (k0) + 4 * q); \
        T[4 * q][r] = v.s0; T[4 * q + 1][r] = v.s1;                                \
        T[4 * q + 2][r] = v.s2; T[4 * q + 3][r] = v.s3;                            \
    }

// Unchecked staging of a TK×COLS slice T[kk][c] = P[(k0 + kk)·ld + c0 + c] (the operand stored
// m- or n-contiguous), four columns at a time.
#define GEMM_LOAD_K_COLUMNS(T, COLS, P, ld, c0, k0)                                \
    for (int e = lid; e < TK * ((COLS) / 4); e += NWI) {                           \
        const int q = e % ((COLS) / 4), kk = e / ((COLS) / 4);                     \
        const float4 v = vload4(0, (P) + (size_t)((k0) + kk) * (ld) + (c0) + 4 * q); \
        T[kk][4 * q] = v.s0; T[kk][4 * q + 1] = v.s1;                              \
        T[kk][4 * q + 2] = v.s2; T[kk][4 * q + 3] = v.s3;                          \
    }

// The whole reduction: every slice staged by STAGE_INTERIOR(k0) where GEMM_INTERIOR holds, else by
// GEMM_LOAD with the checked LOAD_A and LOAD_B, then multiplied in.
#define GEMM_REDUCE(M, N, K, STAGE_INTERIOR, LOAD_A, LOAD_B)                      \
    for (int k0 = 0; k0 < (K); k0 += TK) {                                         \
        if (GEMM_INTERIOR(M, N, K, k0)) { STAGE_INTERIOR(k0); }                    \
        else { GEMM_LOAD(k0, LOAD_A, LOAD_B); }                                    \
        GEMM_MULTIPLY_TILE;                                                        \
    }

#ifdef GEMM_CONTIGUOUS_COLUMNS
#define GEMM_ACCUMULATORS                                                          \
    float8 acc[WPTM];                                                              \
    for (int i = 0; i < WPTM; ++i) acc[i] = (float8)(0.0f)

// acc += As · Bs over one staged slice, between barriers.
#define GEMM_MULTIPLY_TILE                                                         \
    barrier(CLK_LOCAL_MEM_FENCE);                                                  \
    for (int kk = 0; kk < TK; ++kk) {                                              \
        const float8 bv = vload8(0, &Bs[kk][lx * WPTN]);                           \
        for (int i = 0; i < WPTM; ++i) acc[i] += As[kk][ly * WPTM + i] * bv;       \
    }                                                                              \
    barrier(CLK_LOCAL_MEM_FENCE)

// The work-item's row i of results as `float r[WPTN]`, and the tile column of its j-th value.
#define GEMM_ROW(i, r) float r[WPTN]; vstore8(acc[i], 0, r)
#define GEMM_COLUMN(j) (lx * WPTN + (j))
#else
#define GEMM_ACCUMULATORS                                                          \
    float acc[WPTM][WPTN];                                                         \
    for (int i = 0; i < WPTM; ++i)                                                 \
        for (int j = 0; j < WPTN; ++j) acc[i][j] = 0.0f

// acc += As · Bs over one staged slice, between barriers.
#define GEMM_MULTIPLY_TILE                                                         \
    barrier(CLK_LOCAL_MEM_FENCE);                                                  \
    for (int kk = 0; kk < TK; ++kk) {                                              \
        float bv[WPTN];                                                            \
        for (int j = 0; j < WPTN; ++j) bv[j] = Bs[kk][lx + j * RTSN];              \
        for (int i = 0; i < WPTM; ++i) {                                           \
            const float a = As[kk][ly * WPTM + i];                                 \
            for (int j = 0; j < WPTN; ++j) acc[i][j] += a * bv[j];                 \
        }                                                                          \
    }                                                                              \
    barrier(CLK_LOCAL_MEM_FENCE)

// The work-item's row i of results as `r[WPTN]`, and the tile column of its j-th value.
#define GEMM_ROW(i, r) const float *r = acc[i]
#define GEMM_COLUMN(j) (lx + (j) * RTSN)
#endif

// Calls STORE(m, n, value) for every in-range element of the work-item's block.
#define GEMM_STORE(M, N, STORE)                                                    \
    for (int i = 0; i < WPTM; ++i) {                                               \
        const int m = m0 + ly * WPTM + i;                                          \
        if (m >= (M)) break;                                                       \
        GEMM_ROW(i, row_);                                                         \
        for (int j = 0; j < WPTN; ++j) {                                           \
            const int n = n0 + GEMM_COLUMN(j);                                     \
            if (n < (N)) STORE(m, n, row_[j]);                                     \
        }                                                                          \
    }

#endif
