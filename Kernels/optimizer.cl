// optimizer.cl — in-place parameter updates, one work-item per element (`i < count` checked).
//
// Memory layout: flat float32 arrays of `count` elements, all the same shape as the parameter:
//
//   param, grad, m, v, velocity:  [ p0 p1 … p(count-1) ]
//
// Host-computed scalars keep the arithmetic identical to CPUBackend:
//   c1 = 1 − β1^t, c2 = 1 − β2^t, decay = 1 − lr·weightDecay (decoupled, AdamW).
//
// adam_update_tensors does the Adam step of up to ADAM_SLOTS tensors in one launch, whole work-groups
// per tensor (so that no group straddles two tensors and every branch is uniform within a group):
// tensor k takes the groups groupEnd(k−1) … groupEnd(k)−1 (groupEnd(−1) = 0), one work-item per
// element, each tensor with its own decay factor; an unused slot has groupEnd(k) = groupEnd(k−1).
//
// Entry points: adam_update, adam_update_tensors, sgd_update.

// One element of an Adam step, the same operations in the same order as CPUBackend.
inline void adam_element(__global float *param, __global const float *grad, __global float *m, __global float *v,
                         const int i, const float lr, const float beta1, const float beta2, const float epsilon,
                         const float c1, const float c2, const float decay)
{
    const float g = grad[i];
    const float mi = beta1 * m[i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const float mHat = mi / c1, vHat = vi / c2;
    param[i] = param[i] * decay - lr * mHat / (sqrt(vHat) + epsilon);
}

__kernel void adam_update(__global float *param, __global const float *grad,
                          __global float *m, __global float *v,
                          const float lr, const float beta1, const float beta2, const float epsilon,
                          const float c1, const float c2, const float decay, const int count)
{
    const int i = get_global_id(0);
    if (i >= count) return;
    adam_element(param, grad, m, v, i, lr, beta1, beta2, epsilon, c1, c2, decay);
}

#define ADAM_SLOTS 8
#define ADAM_SLOT_ARGS(k) __global float *param##k, __global const float *grad##k, __global float *m##k, \
                          __global float *v##k, const int groupEnd##k, const int count##k, const float decay##k
#define ADAM_SLOT(k, firstGroup) \
    if (group < groupEnd##k) { \
        const int i = (group - (firstGroup)) * (int)get_local_size(0) + (int)get_local_id(0); \
        if (i < count##k) adam_element(param##k, grad##k, m##k, v##k, i, lr, beta1, beta2, epsilon, c1, c2, decay##k); \
        return; \
    }

__kernel void adam_update_tensors(ADAM_SLOT_ARGS(0), ADAM_SLOT_ARGS(1), ADAM_SLOT_ARGS(2), ADAM_SLOT_ARGS(3),
                                  ADAM_SLOT_ARGS(4), ADAM_SLOT_ARGS(5), ADAM_SLOT_ARGS(6), ADAM_SLOT_ARGS(7),
                                  const float lr, const float beta1, const float beta2, const float epsilon,
                                  const float c1, const float c2)
{
    const int group = get_group_id(0);
    ADAM_SLOT(0, 0)
    ADAM_SLOT(1, groupEnd0)
    ADAM_SLOT(2, groupEnd1)
    ADAM_SLOT(3, groupEnd2)
    ADAM_SLOT(4, groupEnd3)
    ADAM_SLOT(5, groupEnd4)
    ADAM_SLOT(6, groupEnd5)
    ADAM_SLOT(7, groupEnd6)
}

// g = grad + wd·param; velocity = momentum·velocity + g; param −= lr·velocity
__kernel void sgd_update(__global float *param, __global const float *grad, __global float *velocity,
                         const float lr, const float momentum, const float weightDecay, const int count)
{
    const int i = get_global_id(0);
    if (i >= count) return;
    const float g = grad[i] + weightDecay * param[i];
    const float vel = momentum * velocity[i] + g;
    velocity[i] = vel;
    param[i] -= lr * vel;
}
