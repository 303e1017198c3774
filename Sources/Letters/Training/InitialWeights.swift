import NeuralNet

/// Fine-tuning's start (`--initial`): a trained model's weights loaded into a new trainer's network.
extension Sequential {
    /// Loads `c` (read from `source`) into this network; a checkpoint of another network is refused as
    /// "not the `network`" before any tensor is compared, a broken one as such.
    func loadInitialWeights(_ c: Checkpoint, source: String, network: String) throws {
        guard c.layers == specs else { throw CheckpointError(source, "its network is not the \(network)") }
        _ = try PixelNormalization(metadata: c.metadata, source: source)
        try c.load(into: self, source: source)
    }
}

extension Trainer {
    /// Starts from the weights of `c` (fine-tuning) and measures them: validation loss and accuracy
    /// before the first epoch.
    public func start(fromInitial c: Checkpoint, source: String) throws -> (loss: Double, accuracy: Double) {
        try classifier.model.loadInitialWeights(c, source: source, network: "\(options.architecture.rawValue) architecture")
        let score = validate()
        try classifier.model.backend.checkHealthy()
        return score
    }
}

extension StripTrainer {
    /// Starts from the weights of `c`, a reader of the same variant (fine-tuning).
    public func start(fromInitial c: Checkpoint, source: String) throws {
        try reader.model.loadInitialWeights(c, source: source, network: "\(options.variant.rawValue) strip reader")
    }
}
