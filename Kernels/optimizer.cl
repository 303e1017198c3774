// optimizer.cl — in-place parameter updates, one work-item per element (`i < count` checked).
//
// Memory layout: flat float32 arrays of `count` elements, all the same shape as the parameter:
//
//   param, grad, m, v, velocity:  [ p0 p1 … p(count-1) ]
//
// A whole model's Adam step is one launch of adam_update: its parameters, gradients and moments each
// live in one buffer (FlatParameters), those that decay first, so that elements below `decaying` take
// the decoupled decay factor and the others 1 (the zeros between the tensors stay zero).
//
// Host-computed scalars keep the arithmetic identical to CPUBackend:
//   c1 = 1 − β1^t, c2 = 1 − β2^t, decay = 1 − lr·weightDecay (decoupled, AdamW).
//
// Entry points: adam_update, sgd_update.

__kernel void adam_update(__global float *param, __global const float *grad,
                          __global float *m, __global float *v,
                          const float lr, const float beta1, const float beta2, const float epsilon,
                          const float c1, const float c2, const float decay, const int decaying, const int count)
{
    const int i = get_global_id(0);
    if (i >= count) return;
    const float g = grad[i];
    const float mi = beta1 * m[i] + (1.0f - beta1) * g;
    const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const float mHat = mi / c1, vHat = vi / c2;
    param[i] = param[i] * (i < decaying ? decay : 1.0f) - lr * mHat / (sqrt(vHat) + epsilon);
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
