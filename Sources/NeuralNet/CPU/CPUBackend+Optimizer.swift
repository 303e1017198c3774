import Foundation

/// Optimizer steps: Adam (decoupled weight decay) and SGD with momentum.
extension CPUBackend {
    public func adamUpdate(param: DeviceBuffer, grad: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer,
                           count: Int, decaying: Int, step: AdamStep) {
        precondition((0...count).contains(decaying), "decaying \(decaying) of \(count)")
        let p = ptr(param), g = ptr(grad), m = ptr(m), v = ptr(v)
        let b1 = step.beta1, b2 = step.beta2
        let c1 = 1 - powf(b1, Float(step.step)), c2 = 1 - powf(b2, Float(step.step))
        let lr = step.learningRate, eps = step.epsilon, decay = 1 - step.learningRate * step.weightDecay
        parallelFor(count, minimumChunk: 1 << 15) { _, r in
            let split = min(max(decaying, r.lowerBound), r.upperBound)
            adamRange(p, g, m, v, r.lowerBound..<split, b1: b1, b2: b2, c1: c1, c2: c2, lr: lr, eps: eps, decay: decay)
            adamRange(p, g, m, v, split..<r.upperBound, b1: b1, b2: b2, c1: c1, c2: c2, lr: lr, eps: eps, decay: 1)
        }
    }

    public func sgdUpdate(param: DeviceBuffer, grad: DeviceBuffer, velocity: DeviceBuffer, count: Int,
                          learningRate: Float, momentum: Float, weightDecay: Float) {
        let p = ptr(param), g = ptr(grad), vel = ptr(velocity)
        for i in 0..<count {
            let gi = g[i] + weightDecay * p[i]
            vel[i] = momentum * vel[i] + gi
            p[i] -= learningRate * vel[i]
        }
    }
}
