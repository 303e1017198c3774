/*
 * The machine's measured single-precision GEMM peak, for Scripts/bench.sh: every thread multiplies its
 * own 512 x 512 x 512 matrices at once (CPUBackend runs one single-threaded GEMM per worker), with the
 * package's AVX-512 kernel where the processor has it and with OpenBLAS; prints one JSON object with
 * the total GFLOP/s of each and the better one as "peak_gflops". Usage: gemm_peak [THREADS] (2).
 *
 *   clang -O2 -pthread -I Sources/CGemm/include Scripts/gemm_peak.c Sources/CGemm/lnet_gemm.c -lopenblas -o /tmp/gemm_peak
 */
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lnet_gemm.h"

void openblas_set_num_threads(int);

enum { SIZE = 512, REPS = 12 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int use_own;
static pthread_barrier_t barrier;

static void *worker(void *unused) {
    (void)unused;
    float *a = malloc(sizeof(float) * SIZE * SIZE), *b = malloc(sizeof(float) * SIZE * SIZE),
          *c = malloc(sizeof(float) * SIZE * SIZE);
    for (long i = 0; i < (long)SIZE * SIZE; i++) { a[i] = (rand() % 200 - 100) / 100.f; b[i] = a[i] * 0.5f; c[i] = 0; }
    pthread_barrier_wait(&barrier);
    for (int r = 0; r < REPS; r++) {
        if (use_own) lnet_sgemm(0, 0, SIZE, SIZE, SIZE, 1, a, SIZE, b, SIZE, 0, c, SIZE);
        else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, SIZE, SIZE, SIZE, 1, a, SIZE, b, SIZE, 0, c, SIZE);
    }
    pthread_barrier_wait(&barrier);
    free(a); free(b); free(c);
    return NULL;
}

/* Total GFLOP/s of `threads` threads each running REPS products; best of three rounds. */
static double measure(int own, int threads) {
    use_own = own;
    double best = 0;
    for (int round = 0; round < 3; round++) {
        pthread_t ids[256];
        pthread_barrier_init(&barrier, NULL, threads + 1);
        for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, worker, NULL);
        pthread_barrier_wait(&barrier);
        double t0 = now();
        pthread_barrier_wait(&barrier);
        double seconds = now() - t0;
        for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
        pthread_barrier_destroy(&barrier);
        double gflops = 2.0 * SIZE * SIZE * SIZE * REPS * threads / seconds / 1e9;
        if (gflops > best) best = gflops;
    }
    return best;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads < 1 || threads > 256) { fprintf(stderr, "error: threads must be 1...256\n"); return 2; }
    openblas_set_num_threads(1);
    double blas = measure(0, threads), own = lnet_sgemm_available() ? measure(1, threads) : 0;
    printf("{\"threads\": %d, \"openblas_gflops\": %.1f, \"own_gflops\": %.1f, \"peak_gflops\": %.1f}\n", threads, blas, own,
           own > blas ? own : blas);
    return 0;
}
