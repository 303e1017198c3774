/// Makes layers from their specs on one backend, drawing the initial weights and the dropout seeds
/// in layer order (depth first through residual blocks) from one seed, so that the same specs and
/// seed give the same network on every backend. Each layer type's `Kind.make` builds its layer.
struct LayerBuilder {
    let backend: Backend
    var rng: SeededGenerator
    var dropoutSeed: UInt32

    init(backend: Backend, seed: UInt64) {
        self.backend = backend
        rng = SeededGenerator(seed: seed)
        dropoutSeed = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
    }

    mutating func make(_ spec: LayerSpec) -> Layer { spec.kind.make(&self) }

    /// The seed of the next dropout layer's masks.
    mutating func nextDropoutSeed() -> UInt32 {
        dropoutSeed = dropoutSeed &* 1_664_525 &+ 1_013_904_223
        return dropoutSeed
    }
}
