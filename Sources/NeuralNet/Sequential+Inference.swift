extension Sequential {
    /// A copy of the network for inference only, with less work per forward:
    /// - a `Conv2d` followed by `BatchNorm2d` becomes one `Conv2d` whose weights and bias hold the
    ///   normalization with the running statistics: `w·s` and `(b − μ)·s + β`, `s = γ/√(σ² + ε)`;
    /// - a `ReLU` right after such a convolution runs in its output pass (`Conv2d.fusesReLU`);
    /// - `Dropout` (the identity at inference) is left out.
    ///
    /// The copy has weights of its own, a snapshot of these: training `self` later does not reach it.
    /// Its outputs equal `forward(x, training: false)` up to float rounding (the fold reorders
    /// products). It cannot be trained, and its `specs` are not this network's, so it is not saved.
    public func foldedForInference() -> Sequential {
        var out: [Layer] = []
        var i = 0
        while i < layers.count {
            let layer = layers[i]
            if layer is Dropout { i += 1; continue }
            guard let conv = layer as? Conv2d else {
                out.append(Sequential(specs: [layer.spec], inputShape: [], backend: backend, seed: 0).layers[0])
                Self.copyTensors(from: layer, to: out.last!, backend: backend)
                i += 1
                continue
            }
            let folded = Sequential(specs: [conv.spec], inputShape: [], backend: backend, seed: 0).layers[0] as! Conv2d
            folded.computesInputGradient = false
            var weight = conv.weight.value.toArray(), bias = conv.bias.value.toArray()
            i += 1
            if i < layers.count, let norm = layers[i] as? BatchNorm2d {
                let gamma = norm.gamma.value.toArray(), beta = norm.beta.value.toArray()
                let mean = norm.runningMean.toArray(), variance = norm.runningVar.toArray()
                let perChannel = weight.count / conv.outChannels
                for c in 0..<conv.outChannels {
                    let s = gamma[c] / (variance[c] + norm.epsilon).squareRoot()
                    for j in 0..<perChannel { weight[c * perChannel + j] *= s }
                    bias[c] = (bias[c] - mean[c]) * s + beta[c]
                }
                i += 1
            }
            if i < layers.count, layers[i] is ReLU {
                folded.fusesReLU = true
                i += 1
            }
            folded.weight.value.copy(from: weight)
            folded.bias.value.copy(from: bias)
            out.append(folded)
        }
        return Sequential(layers: out, inputShape: inputShape, backend: backend)
    }

    /// Copies parameters and state of `source` into `target` (the same kind of layer).
    private static func copyTensors(from source: Layer, to target: Layer, backend: Backend) {
        let from = source.parameters.map(\.value) + source.stateTensors.map(\.tensor)
        let to = target.parameters.map(\.value) + target.stateTensors.map(\.tensor)
        for (a, b) in zip(from, to) { backend.copy(a.buffer, to: b.buffer, count: a.count) }
    }
}
