import Letters
import NeuralNet

/// Loads the `--initial` checkpoint `c` (read from `path`) into `model`; a checkpoint of another
/// network is refused as "not the `network`" before any tensor is compared.
func loadInitialWeights(_ c: Checkpoint, from path: String, into model: Sequential, network: String) throws {
    guard c.layers == model.specs else { throw CLIFailure("\(path): its network is not the \(network)") }
    _ = try PixelNormalization(metadata: c.metadata, source: path)  // a broken model is refused as such
    try c.load(into: model, source: path)
}
