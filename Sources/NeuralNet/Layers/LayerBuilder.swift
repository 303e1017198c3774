/// Makes layers from their specs on one backend, drawing the initial weights and the dropout seeds
/// in layer order (depth first through residual blocks) from one seed, so that the same specs and
/// seed give the same network on every backend.
struct LayerBuilder {
    let backend: Backend
    var rng: SeededGenerator
    var dropoutSeed: UInt32

    init(backend: Backend, seed: UInt64) {
        self.backend = backend
        rng = SeededGenerator(seed: seed)
        dropoutSeed = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
    }

    mutating func make(_ spec: LayerSpec) -> Layer {
        switch spec {
        case let .conv2d(i, o, k, s, p):
            return Conv2d(inputChannels: i, outputChannels: o, kernelSize: k, stride: s, padding: p,
                          backend: backend, rng: &rng)
        case let .batchNorm2d(c): return BatchNorm2d(channels: c, backend: backend)
        case .relu: return ReLU(backend: backend)
        case let .maxPool2d(k, s): return MaxPool2d(kernelSize: k, stride: s, backend: backend)
        case let .dropout(p):
            dropoutSeed = dropoutSeed &* 1_664_525 &+ 1_013_904_223
            return Dropout(probability: p, seed: dropoutSeed, backend: backend)
        case .flatten: return Flatten()
        case let .linear(i, o): return Linear(inputFeatures: i, outputFeatures: o, backend: backend, rng: &rng)
        case let .residual(body, shortcut):
            let bodyLayers = body.map { make($0) }
            return Residual(body: bodyLayers, shortcut: shortcut.map { make($0) }, backend: backend)
        }
    }
}
