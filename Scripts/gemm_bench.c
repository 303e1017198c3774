/*
 * The CPU backend's GEMM (Sources/CGemm) against OpenBLAS on the benchmark network's products,
 * single-threaded (CPUBackend runs one GEMM per worker). Prints GFLOP/s of both and the largest
 * difference relative to the largest entry. From the repository root:
 *
 *   clang -O2 -I Sources/CGemm/include Scripts/gemm_bench.c Sources/CGemm/lnet_gemm.c -lopenblas -lm -o /tmp/gemm_bench
 *   /tmp/gemm_bench
 */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lnet_gemm.h"

void openblas_set_num_threads(int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *random_matrix(long count) {
    float *m = malloc(sizeof(float) * count);
    for (long i = 0; i < count; i++) m[i] = (rand() % 2001 - 1000) / 1000.f;
    return m;
}

static void run(const char *name, int ta, int tb, int M, int N, int K, float beta) {
    int lda = ta ? M : K, ldb = tb ? K : N, ldc = N;
    float *A = random_matrix((long)M * K), *B = random_matrix((long)K * N), *C1 = random_matrix((long)M * N);
    float *C2 = malloc(sizeof(float) * M * N);
    for (long i = 0; i < (long)M * N; i++) C2[i] = C1[i];
    enum CBLAS_TRANSPOSE cta = ta ? CblasTrans : CblasNoTrans, ctb = tb ? CblasTrans : CblasNoTrans;
    cblas_sgemm(CblasRowMajor, cta, ctb, M, N, K, 1, A, lda, B, ldb, beta, C1, ldc);
    lnet_sgemm(ta, tb, M, N, K, 1, A, lda, B, ldb, beta, C2, ldc);
    double err = 0, ref = 0;
    for (long i = 0; i < (long)M * N; i++) { err = fmax(err, fabs(C1[i] - C2[i])); ref = fmax(ref, fabs(C1[i])); }
    int reps = (int)(2e9 / (2.0 * M * N * K));
    if (reps < 3) reps = 3;
    double t0 = now();
    for (int r = 0; r < reps; r++) cblas_sgemm(CblasRowMajor, cta, ctb, M, N, K, 1, A, lda, B, ldb, beta, C1, ldc);
    double t1 = now();
    for (int r = 0; r < reps; r++) lnet_sgemm(ta, tb, M, N, K, 1, A, lda, B, ldb, beta, C2, ldc);
    double t2 = now(), flops = 2.0 * M * N * K * reps;
    printf("%-24s M %4d N %4d K %4d  openblas %6.1f GF/s  own %6.1f GF/s  x%.2f  rel.err %.1e\n", name, M, N, K,
           flops / (t1 - t0) / 1e9, flops / (t2 - t1) / 1e9, (t1 - t0) / (t2 - t1), err / ref);
    free(A); free(B); free(C1); free(C2);
}

int main(void) {
    if (!lnet_sgemm_available()) { fprintf(stderr, "no AVX-512 here: letternet uses OpenBLAS\n"); return 1; }
    openblas_set_num_threads(1);
    /* Forward: weights · columns (two 14×14 images share a GEMM). */
    run("conv 32->32 28x28 fwd", 0, 0, 32, 784, 288, 0);
    run("conv 32->64 14x14 fwd", 0, 0, 64, 392, 288, 0);
    run("conv 64->64 14x14 fwd", 0, 0, 64, 392, 576, 0);
    /* Input gradient: weightsᵀ · dy. */
    run("conv 32->32 bwd input", 1, 0, 288, 784, 32, 0);
    run("conv 64->64 bwd input", 1, 0, 576, 196, 64, 0);
    /* Weight gradient: columns · dyᵀ, accumulated. */
    run("conv 32->32 bwd weight", 0, 1, 288, 32, 784, 1);
    run("conv 64->64 bwd weight", 0, 1, 576, 64, 196, 1);
    /* Dense 3136 -> 256, 64 rows a worker. */
    run("linear fwd", 0, 1, 64, 256, 3136, 1);
    run("linear bwd input", 0, 0, 64, 3136, 256, 0);
    run("linear bwd weight", 1, 0, 128, 3136, 128, 0);
    return 0;
}
