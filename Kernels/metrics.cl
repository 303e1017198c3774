// metrics.cl — a training step's mean loss and its hits, written into a slot of a record that stays on
// the device (read back every few steps, so the step itself never waits for the host).
//
// Each kernel runs as one work-group of any size L: lane l takes elements l, l + L, l + 2L, …, then
// lane 0 adds the L partial results in lane order. The sums are in float, as CPUBackend's, though in
// another order (CPUBackend adds in element order); a loss that is not finite makes the mean not finite.
//
// Memory layout:
//
//   losses:  [count]              per-sample (or per-position) losses, 0 where masked
//   logits:  [batch][classes]     row b = z[b·classes … b·classes + classes−1]
//   labels:  [batch]              class index stored as an exact float
//   record:  any length           record[index] is written, nothing else
//
// Entry points: mean_loss_forward, count_hits_forward.

#define METRICS_MAX_LANES 256

// record[index] = (Σ_{i<count} losses[i]) / divisor
__kernel void mean_loss_forward(__global const float *losses, const int count, const float divisor,
                                __global float *record, const int index)
{
    __local float partial[METRICS_MAX_LANES];
    const int lane = get_local_id(0), lanes = get_local_size(0);
    float sum = 0.0f;
    for (int i = lane; i < count; i += lanes) sum += losses[i];
    partial[lane] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lane != 0) return;
    float total = 0.0f;
    for (int l = 0; l < lanes; l++) total += partial[l];
    record[index] = total / divisor;
}

// record[index] = the number of rows b whose first largest logit is at labels[b]
__kernel void count_hits_forward(__global const float *logits, __global const float *labels,
                                 const int batch, const int classes, __global float *record, const int index)
{
    __local int partial[METRICS_MAX_LANES];
    const int lane = get_local_id(0), lanes = get_local_size(0);
    int hits = 0;
    for (int b = lane; b < batch; b += lanes) {
        __global const float *z = logits + (long)b * classes;
        int best = 0;
        for (int c = 1; c < classes; c++) if (z[c] > z[best]) best = c;
        if ((float)best == labels[b]) hits++;
    }
    partial[lane] = hits;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lane != 0) return;
    int total = 0;
    for (int l = 0; l < lanes; l++) total += partial[l];
    record[index] = (float)total;
}
