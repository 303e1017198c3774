/// Updates parameters from their gradients.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// Applies one step to `parameters` using their current `grad`.
    func update(_ parameters: [Parameter])
    /// Number of updates applied so far.
    var stepCount: Int { get set }
    /// The optimizer's state for `parameters` (created if needed), named by position: `m.0`, `v.0`, …
    /// Checkpoints save these tensors and `--resume` writes them back.
    func stateTensors(for parameters: [Parameter]) -> [(name: String, tensor: Tensor)]
}

/// Adam, or AdamW when `weightDecay` > 0 (decoupled decay, applied to parameters that `decays`).
/// On first use it moves the parameters into flat buffers (`FlatParameters`): one launch a step.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    public var stepCount = 0
    private var flat: FlatParameters?
    /// First and second moments, one pair per parameter in update order.
    public var moments: [(m: Tensor, v: Tensor)] { flat?.moments ?? [] }

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay
    }

    /// The flat buffers of `parameters`, made (with zero moments) when they are not those of the last call.
    private func flatParameters(_ parameters: [Parameter]) -> FlatParameters? {
        guard let backend = parameters.first?.value.backend else { return nil }
        if let flat, flat.holds(parameters) { return flat }
        flat = FlatParameters(parameters, on: backend)
        return flat
    }

    public func stateTensors(for parameters: [Parameter]) -> [(name: String, tensor: Tensor)] {
        _ = flatParameters(parameters)
        return moments.enumerated().flatMap { i, s in [("m.\(i)", s.m), ("v.\(i)", s.v)] }
    }

    public func update(_ parameters: [Parameter]) {
        let flat = flatParameters(parameters)
        stepCount += 1
        guard let flat, let backend = parameters.first?.value.backend else { return }
        let step = AdamStep(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                            weightDecay: weightDecay, step: stepCount)
        backend.adamUpdate(param: flat.values, grad: flat.grads, m: flat.m, v: flat.v, count: flat.count,
                           decaying: flat.decaying, step: step)
    }
}

/// Stochastic gradient descent with PyTorch-style momentum and L2 weight decay.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float, weightDecay: Float
    public var stepCount = 0
    public private(set) var velocities: [Tensor] = []

    public init(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
    }

    public func stateTensors(for parameters: [Parameter]) -> [(name: String, tensor: Tensor)] {
        if velocities.count != parameters.count {
            velocities = parameters.map { Tensor(zeros: $0.value.shape, on: $0.value.backend) }
        }
        return velocities.enumerated().map { ("velocity.\($0)", $1) }
    }

    public func update(_ parameters: [Parameter]) {
        _ = stateTensors(for: parameters)
        stepCount += 1
        for (p, vel) in zip(parameters, velocities) {
            p.value.backend.sgdUpdate(param: p.value.buffer, grad: p.grad.buffer, velocity: vel.buffer,
                                      count: p.value.count, learningRate: learningRate, momentum: momentum,
                                      weightDecay: p.decays ? weightDecay : 0)
        }
    }
}
