import Foundation
import NeuralNet

/// Saving and restoring a run in the middle, for `--resume`.
///
/// The resumable checkpoint holds the model and the loop's state (optimizer moments, best model so far,
/// step: `TrainingLoop+Resume.swift`), and in its metadata the options, the history and the generator
/// state, so that a resumed run continues exactly where the saved one stood.
extension Trainer {
    public func resumableCheckpoint() throws -> Checkpoint {
        var c = try loop.resumable(classifier.checkpoint())
        c.metadata["training_options"] = String(decoding: try TrainingLoop.jsonEncoder.encode(options), as: UTF8.self)
        c.metadata["training_history"] = String(decoding: try TrainingLoop.jsonEncoder.encode(history), as: UTF8.self)
        c.metadata["rng_state"] = "\(rng.state)"
        return c
    }

    /// Restores the run saved in the file at `url` (see ``resume(from:source:)``).
    public func resume(fromFileAt url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TrainingError.noCheckpoint(path: url.path) }
        try resume(from: Checkpoint.read(from: url), source: url.path)
    }

    /// Restores a run saved by `resumableCheckpoint()`; the options must be the same.
    public func resume(from c: Checkpoint, source: String) throws {
        guard let json = c.metadata["training_options"], let data = json.data(using: .utf8),
              let saved = try? JSONDecoder().decode(TrainingOptions.self, from: data) else {
            throw TrainingError.resumeMismatch("\(source) is not a resumable training checkpoint")
        }
        guard saved == options else {
            throw TrainingError.resumeMismatch("\(source) was written with other training options; rerun with the same ones")
        }
        let restored = (c.metadata["training_history"]?.data(using: .utf8)).flatMap {
            try? JSONDecoder().decode([EpochRecord].self, from: $0) } ?? []
        try loop.restore(from: c, source: source, scores: restored.map(\.validationAccuracy))
        history = restored
        rng = SeededGenerator(seed: UInt64(c.metadata["rng_state"] ?? "") ?? rng.state)
    }
}
