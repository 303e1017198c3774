// elementwise.cl — one work-item per element; every kernel checks `i < count`, so the global size
// may be rounded up to a multiple of the work-group size.
//
// Memory layout: flat float32 arrays of `count` elements (any tensor shape, row-major):
//
//   x, y, dy, dx, mask, a, b, out:  [ e0 e1 e2 … e(count-1) ]
//
// Also column_sums over a row-major [rows][columns] matrix (one work-item per column).
//
// Entry points: fill, copy, relu_forward, relu_backward, dropout_forward, multiply, add_forward, column_sums.

// x[i] = value
__kernel void fill(__global float *x, const float value, const int count)
{
    const int i = get_global_id(0);
    if (i < count) x[i] = value;
}

// dst[i] = src[i]
__kernel void copy(__global const float *src, __global float *dst, const int count)
{
    const int i = get_global_id(0);
    if (i < count) dst[i] = src[i];
}

// y = max(x, 0)
__kernel void relu_forward(__global const float *x, __global float *y, const int count)
{
    const int i = get_global_id(0);
    if (i < count) y[i] = fmax(x[i], 0.0f);
}

// dx = dy · [y > 0]  (uses the forward output)
__kernel void relu_backward(__global const float *y, __global const float *dy, __global float *dx,
                            const int count)
{
    const int i = get_global_id(0);
    if (i < count) dx[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

// The dropout decision of `dropoutKeeps(seed:index:probability:)` in Backend.swift, bit for bit:
// lowbias32 of index·0x9E3779B1 + seed; the top 24 bits as u in [0, 1); kept when u ≥ p.
inline bool dropout_keeps(const uint seed, const uint index, const float probability)
{
    uint h = index * 0x9E3779B1u + seed;
    h ^= h >> 16;
    h *= 0x7FEB352Du;
    h ^= h >> 15;
    h *= 0x846CA68Bu;
    h ^= h >> 16;
    const float u = (float)(h >> 8) * (1.0f / 16777216.0f);
    return u >= probability;
}

// mask[i] = keeps ? scale : 0;  y[i] = x[i] · mask[i].  `scale` = 1/(1−p) computed by the host.
__kernel void dropout_forward(__global const float *x, __global float *mask, __global float *y,
                              const float probability, const float scale, const uint seed, const int count)
{
    const int i = get_global_id(0);
    if (i >= count) return;
    const float m = dropout_keeps(seed, (uint)i, probability) ? scale : 0.0f;
    mask[i] = m;
    y[i] = x[i] * m;
}

// out = a · b
__kernel void multiply(__global const float *a, __global const float *b, __global float *out, const int count)
{
    const int i = get_global_id(0);
    if (i < count) out[i] = a[i] * b[i];
}

// out = a + b  (a residual block's sum; `out` may alias `a` or `b`, each element is read before written)
__kernel void add_forward(__global const float *a, __global const float *b, __global float *out, const int count)
{
    const int i = get_global_id(0);
    if (i < count) out[i] = a[i] + b[i];
}

// sums[j] = Σ_r m[r][j] for m [rows][columns], summed in row order: a dense layer's bias gradient
// (m = dy [batch][out]) and the split-K reduction of a convolution's weight gradient.
__kernel void column_sums(__global const float *m, __global float *sums, const int rows, const int columns)
{
    const int j = get_global_id(0);
    if (j >= columns) return;
    float s = 0.0f;
    for (int r = 0; r < rows; ++r) s += m[(size_t)r * columns + j];
    sums[j] = s;
}
