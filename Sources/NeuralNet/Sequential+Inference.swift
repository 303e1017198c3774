extension Sequential {
    /// A copy of the network for inference only, with less work per forward:
    /// - a `Conv2d` followed by `BatchNorm2d` becomes one `Conv2d` whose weights and bias hold the
    ///   normalization with the running statistics: `w·s` and `(b − μ)·s + β`, `s = γ/√(σ² + ε)`;
    /// - a `ReLU` right after such a convolution runs in its output pass (`Conv2d.fusesReLU`);
    /// - `Dropout` (the identity at inference) is left out;
    /// - inside a `Residual` block, each branch is folded the same way.
    ///
    /// The copy has weights of its own, a snapshot of these: training `self` later does not reach it.
    /// Its outputs equal `forward(x, training: false)` up to float rounding (the fold reorders
    /// products). It cannot be trained, and its `specs` are not this network's, so it is not saved.
    public func foldedForInference() -> Sequential {
        // A fresh network of the same layers holding a copy of every tensor, folded in place.
        let copy = Sequential(specs: specs, inputShape: inputShape, backend: backend, seed: 0)
        for ((_, a), (_, b)) in zip(namedTensors, copy.namedTensors) { backend.copy(a.buffer, to: b.buffer, count: a.count) }
        return Sequential(layers: Self.folded(copy.layers), inputShape: inputShape, backend: backend)
    }

    /// `layers` with each convolution's batch norm and ReLU folded into it and dropout left out,
    /// inside residual blocks too.
    private static func folded(_ all: [Layer]) -> [Layer] {
        var kept: [Layer] = []
        var i = 0
        while i < all.count {
            let layer = all[i]
            i += 1
            if layer is Dropout { continue }
            if let block = layer as? Residual {
                kept.append(Residual(body: folded(block.body), shortcut: folded(block.shortcut), backend: block.backend))
                continue
            }
            kept.append(layer)
            guard let conv = layer as? Conv2d else { continue }
            if i < all.count, let norm = all[i] as? BatchNorm2d {
                Self.fold(norm, into: conv)
                i += 1
            }
            if i < all.count, all[i] is ReLU {
                conv.fusesReLU = true
                i += 1
            }
        }
        return kept
    }

    /// Puts `norm` (with its running statistics) into `conv`'s weights and bias.
    private static func fold(_ norm: BatchNorm2d, into conv: Conv2d) {
        var weight = conv.weight.value.toArray(), bias = conv.bias.value.toArray()
        let gamma = norm.gamma.value.toArray(), beta = norm.beta.value.toArray()
        let mean = norm.runningMean.toArray(), variance = norm.runningVar.toArray()
        let perChannel = weight.count / conv.outChannels
        for c in 0..<conv.outChannels {
            let s = gamma[c] / (variance[c] + norm.epsilon).squareRoot()
            for j in 0..<perChannel { weight[c * perChannel + j] *= s }
            bias[c] = (bias[c] - mean[c]) * s + beta[c]
        }
        conv.weight.value.copy(from: weight)
        conv.bias.value.copy(from: bias)
    }
}
