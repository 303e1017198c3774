#ifndef LNET_GEMM_H
#define LNET_GEMM_H
/*
 * Single-precision GEMM with an AVX-512 micro-kernel, for CPUBackend.
 *
 * Row-major, BLAS semantics: C = alpha * op(A) * op(B) + beta * C, where op(A) is M x K and op(B)
 * is K x N; a transposed operand is stored the other way round (A as K x M, B as N x K). With
 * beta == 0, C is not read (NaNs in it do not propagate). Single-threaded: callers split work.
 */

/* 1 when this processor (and this build) can run lnet_sgemm; 0 means callers must use another GEMM. */
int lnet_sgemm_available(void);

void lnet_sgemm(int transA, int transB, int M, int N, int K, float alpha,
                const float *A, int lda, const float *B, int ldb,
                float beta, float *C, int ldc);

#endif
