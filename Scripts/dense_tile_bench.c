// Times linear_forward (y = x·Wᵀ + b) of the dense.cl before the tile work and of today's with each
// GEMMTile candidate, and CLBlast's SGEMM, on the first OpenCL device (docs/gpu-path.md has figures).
// Set-up (from the checkout; the old files come from the commit before the tile work):
//   mkdir -p /tmp/gb && git show 531295d:Kernels/include/gemm_tile.h > /tmp/gb/old_tile.h
//   git show 531295d:Kernels/dense.cl | sed 's/"gemm_tile.h"/"old_tile.h"/' > /tmp/gb/old_dense.cl
//   cp Kernels/include/gemm_tile.h /tmp/gb/new_tile.h
//   sed 's/"gemm_tile.h"/"new_tile.h"/' Kernels/dense.cl > /tmp/gb/new_dense.cl
//   apt-get install libclblast-dev
//   cc -O2 Scripts/dense_tile_bench.c -lOpenCL -lclblast -o /tmp/gb/bench && /tmp/gb/bench
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <clblast_c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static char *slurp(const char *p) { FILE *f = fopen(p, "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);
    char *s = malloc(n + 1); fread(s, 1, n, f); s[n] = 0; fclose(f); return s; }
static cl_context ctx; static cl_device_id dev; static cl_command_queue q;
static double run(const char *file, const char *opts, int relu_arg, int B, int I, int O, cl_mem x, cl_mem w, cl_mem b, cl_mem y,
                  size_t lx, size_t ly, int tsm, int tsn) {
    char *src = slurp(file); cl_int st;
    cl_program p = clCreateProgramWithSource(ctx, 1, (const char **)&src, NULL, &st);
    char o[512]; snprintf(o, sizeof o, "-I /tmp/gb %s", opts);
    if (clBuildProgram(p, 1, &dev, o, NULL, NULL) != CL_SUCCESS) { char log[20000]; clGetProgramBuildInfo(p, dev, CL_PROGRAM_BUILD_LOG, sizeof log, log, NULL); printf("build failed %s\n", log); exit(1); }
    cl_kernel k = clCreateKernel(p, "linear_forward", &st);
    clSetKernelArg(k, 0, sizeof x, &x); clSetKernelArg(k, 1, sizeof w, &w); clSetKernelArg(k, 2, sizeof b, &b); clSetKernelArg(k, 3, sizeof y, &y);
    clSetKernelArg(k, 4, 4, &B); clSetKernelArg(k, 5, 4, &I); clSetKernelArg(k, 6, 4, &O);
    int zero = 0; if (relu_arg) clSetKernelArg(k, 7, 4, &zero);
    size_t g[2] = { (O + tsn - 1) / tsn * lx, (B + tsm - 1) / tsm * ly }, l[2] = { lx, ly };
    double best = 1e9;
    for (int r = 0; r < 6; r++) { double t = now(); clEnqueueNDRangeKernel(q, k, 2, NULL, g, l, 0, NULL, NULL); clFinish(q); t = now() - t; if (r && t < best) best = t; }
    clReleaseKernel(k); clReleaseProgram(p); free(src); return best;
}
int main(int argc, char **argv) {
    cl_platform_id pl; clGetPlatformIDs(1, &pl, NULL); clGetDeviceIDs(pl, CL_DEVICE_TYPE_ALL, 1, &dev, NULL);
    ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, NULL); q = clCreateCommandQueue(ctx, dev, 0, NULL);
    int sizes[][3] = { {256, 1568, 128}, {128, 128, 26}, {1024, 1024, 1024} };
    for (int s = 0; s < 3; s++) {
        int B = sizes[s][0], I = sizes[s][1], O = sizes[s][2];
        float *hx = malloc(4L * B * I), *hw = malloc(4L * O * I), *hb = calloc(O, 4);
        for (long i = 0; i < (long)B * I; i++) hx[i] = (i % 7) * 0.1f;
        for (long i = 0; i < (long)O * I; i++) hw[i] = (i % 5) * 0.01f;
        cl_mem x = clCreateBuffer(ctx, CL_MEM_COPY_HOST_PTR, 4L * B * I, hx, NULL), w = clCreateBuffer(ctx, CL_MEM_COPY_HOST_PTR, 4L * O * I, hw, NULL);
        cl_mem b = clCreateBuffer(ctx, CL_MEM_COPY_HOST_PTR, 4L * O, hb, NULL), y = clCreateBuffer(ctx, 0, 4L * B * O, NULL, NULL);
        double flop = 2.0 * B * I * O;
        printf("batch %d, %d -> %d:\n", B, I, O);
        double t = run("/tmp/gb/old_dense.cl", "-DTSM=32 -DTSN=64 -DTK=16 -DWPTM=4", 0, B, I, O, x, w, b, y, 8, 8, 32, 64);
        printf("  old tile 32x64x16/4x8      %8.3f ms %6.1f GFLOP/s\n", t * 1e3, flop / t * 1e-9);
        int tiles[][5] = { {32, 64, 16, 4, 8}, {64, 64, 16, 8, 8}, {32, 32, 16, 4, 4}, {64, 128, 8, 8, 8}, {16, 64, 32, 2, 8} };
        for (int c = 0; c < 5; c++) {
            char o[128]; int *T = tiles[c];
            snprintf(o, sizeof o, "-DTSM=%d -DTSN=%d -DTK=%d -DWPTM=%d -DWPTN=%d", T[0], T[1], T[2], T[3], T[4]);
            t = run("/tmp/gb/new_dense.cl", o, 1, B, I, O, x, w, b, y, T[1] / T[4], T[0] / T[3], T[0], T[1]);
            printf("  new tile %dx%dx%d/%dx%d %*s%8.3f ms %6.1f GFLOP/s\n", T[0], T[1], T[2], T[3], T[4], c == 3 ? 3 : 4, "", t * 1e3, flop / t * 1e-9);
        }
        // CLBlast: y[B][O] = x[B][I] · Wᵀ (W is [O][I]), row-major.
        double best = 1e9;
        for (int r = 0; r < 6; r++) {
            cl_event e = NULL; double t0 = now();
            CLBlastStatusCode st = CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeYes, B, O, I, 1.0f,
                                                x, 0, I, w, 0, I, 0.0f, y, 0, O, &q, &e);
            if (st != CLBlastSuccess) { printf("  clblast error %d\n", st); break; }
            clWaitForEvents(1, &e); clReleaseEvent(e); t0 = now() - t0; if (r && t0 < best) best = t0;
        }
        printf("  CLBlast SGEMM              %8.3f ms %6.1f GFLOP/s\n", best * 1e3, flop / best * 1e-9);
        clReleaseMemObject(x); clReleaseMemObject(w); clReleaseMemObject(b); clReleaseMemObject(y); free(hx); free(hw); free(hb);
    }
    return 0;
}
