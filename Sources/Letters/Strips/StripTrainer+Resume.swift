import Foundation
import NeuralNet

/// Saving and restoring a strip-reader run in the middle, for `train-reader --resume`.
///
/// The resumable checkpoint holds the reader and the loop's state (optimizer moments, best reader so
/// far, step: `TrainingLoop+Resume.swift`), and in its metadata the options, every validation's score
/// and the generator's state, so that a resumed run draws the same strips and ends where an
/// uninterrupted one would.
extension StripTrainer {
    public func resumableCheckpoint() throws -> Checkpoint {
        var c = try loop.resumable(reader.checkpoint())
        c.metadata["reader_training_options"] = String(decoding: try TrainingLoop.jsonEncoder.encode(options), as: UTF8.self)
        c.metadata["validation_scores"] = loop.scores.map { "\($0)" }.joined(separator: ",")
        c.metadata["rng_state"] = "\(rng.state)"
        return c
    }

    /// Restores the run saved in the file at `url`; the options must be the same.
    public func resume(fromFileAt url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TrainingError.noCheckpoint(path: url.path) }
        let c = try Checkpoint.read(from: url), source = url.path
        guard let json = c.metadata["reader_training_options"], let data = json.data(using: .utf8),
              let saved = try? JSONDecoder().decode(Options.self, from: data) else {
            throw TrainingError.resumeMismatch("\(source) is not a resumable strip-reader checkpoint")
        }
        guard saved == options else {
            throw TrainingError.resumeMismatch("\(source) was written with other training options; rerun with the same ones")
        }
        let scores = (c.metadata["validation_scores"] ?? "").split(separator: ",").compactMap { Double($0) }
        try loop.restore(from: c, source: source, scores: scores)
        rng = SeededGenerator(seed: UInt64(c.metadata["rng_state"] ?? "") ?? rng.state)
    }
}
