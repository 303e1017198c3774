// reduction.h — the work-group sum shared by normalization.cl and convolution.cl.
//
// A reduction of `n` values per channel runs in two stages when one work-group per channel would
// leave the device idle (few channels, many values, many compute units):
//
//   stage 1: groups × channels work-groups of RED_LOCAL work-items; group (g, c) sums the values
//            j = g·RED_LOCAL + lid, j += groups·RED_LOCAL of channel c into partial[g][c]
//            (each work-item a strided slice, then GROUP_SUM over the work-group);
//   stage 2: sums[c] = Σ_g partial[g][c] in order of g (column_sums of elementwise.cl).
//
// With groups = 1 stage 1 writes the sums themselves and stage 2 is skipped. The host picks
// `groups` from the problem size and the compute units (ReductionPlan).

#ifndef REDUCTION_H
#define REDUCTION_H

#ifndef RED_LOCAL
#define RED_LOCAL 256   // work-items per reduction group; a power of two
#endif

// Tree-sums `value` over the work-group through `scratch` (RED_LOCAL floats of local memory); every
// work-item gets the total in `result`.
#define GROUP_SUM(scratch, value, lid, result)                                    \
    do {                                                                          \
        scratch[lid] = (value);                                                   \
        barrier(CLK_LOCAL_MEM_FENCE);                                             \
        for (int h_ = RED_LOCAL / 2; h_ > 0; h_ >>= 1) {                          \
            if (lid < h_) scratch[lid] += scratch[lid + h_];                      \
            barrier(CLK_LOCAL_MEM_FENCE);                                         \
        }                                                                         \
        result = scratch[0];                                                      \
        barrier(CLK_LOCAL_MEM_FENCE);                                             \
    } while (0)

#endif
