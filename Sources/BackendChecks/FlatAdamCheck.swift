import NeuralNet

/// The fast path of `Adam` (every parameter in one flat buffer, one `adamUpdate` a step, see
/// `FlatParameters`) against the plain one (one `adamUpdate` per tensor, each with its own moments
/// and its own decay), on one backend: three steps of the residual network of `TrainingStepParity`,
/// whose weights decay and whose biases and norm scales do not. The two must agree bit for bit.
public enum FlatAdamCheck {
    /// One result per parameter: how many of its values and moments differ (tolerance 0).
    public static func check(on backend: Backend, steps: Int = 3) -> [OpCheckResult] {
        let network = TrainingStepParity.residual
        func make() -> Sequential {
            Sequential(specs: network.specs, inputShape: network.inputShape, backend: backend, seed: 77)
        }
        let flat = make(), plain = make()
        let grads = flat.parameters.enumerated().map { i, p in seededUniform(p.value.count, seed: UInt64(500 + i), in: -0.1..<0.1) }
        let adam = Adam(learningRate: 1e-2, weightDecay: 0.05)
        let moments = plain.parameters.map { (Tensor(zeros: $0.value.shape, on: backend), Tensor(zeros: $0.value.shape, on: backend)) }
        for step in 1...steps {
            for net in [flat, plain] {
                for (p, g) in zip(net.parameters, grads) { p.grad.copy(from: g.map { $0 * Float(step) }) }
            }
            adam.update(flat.parameters)
            for (p, (m, v)) in zip(plain.parameters, moments) {
                let s = AdamStep(learningRate: 1e-2, weightDecay: p.decays ? 0.05 : 0, step: step)
                backend.adamUpdate(param: p.value.buffer, grad: p.grad.buffer, m: m.buffer, v: v.buffer,
                                   count: p.value.count, step: s)
            }
        }
        return flat.namedParameters.enumerated().map { i, named in
            let (m, v) = moments[i], (fm, fv) = adam.moments[i]
            let pairs = [(named.parameter.value, plain.parameters[i].value), (fm, m), (fv, v)]
            let differing = pairs.reduce(0) { sum, pair in
                sum + zip(pair.0.toArray(), pair.1.toArray()).filter { $0.bitPattern != $1.bitPattern }.count
            }
            return OpCheckResult(op: "adam_flat", shape: "\(named.name) \(steps) steps", variant: "",
                                 error: Double(differing), measure: "differ", tolerance: 0,
                                 problem: backend.fault.map { "device fault: \($0)" })
        }
    }
}
