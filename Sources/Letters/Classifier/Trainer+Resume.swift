import Foundation
import NeuralNet

/// Saving and restoring a run in the middle, for `--resume`.
///
/// The resumable checkpoint holds the model, the optimizer's moments (`optimizer.*`), the best model
/// so far (`best.*`), and in its metadata the options, the history, the step, the generator state and
/// the dropout seeds, so that a resumed run continues exactly where the saved one stood.
extension Trainer {
    static let jsonEncoder: JSONEncoder = { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]; return e }()

    public func resumableCheckpoint() throws -> Checkpoint {
        let model = classifier.model
        var c = classifier.checkpoint()
        for (name, tensor) in optimizer.stateTensors(for: model.parameters) {
            c.tensors.append(("optimizer.\(name)", tensor.shape, tensor.toArray()))
        }
        if let best = bestTensors {
            c.tensors += best.tensors.map { ("best.\($0.name)", $0.shape, $0.values) }
            c.metadata["best_metadata"] = String(decoding: try Self.jsonEncoder.encode(best.metadata), as: UTF8.self)
        }
        c.metadata["training_options"] = String(decoding: try Self.jsonEncoder.encode(options), as: UTF8.self)
        c.metadata["training_history"] = String(decoding: try Self.jsonEncoder.encode(history), as: UTF8.self)
        c.metadata["training_step"] = "\(step)"
        c.metadata["optimizer_steps"] = "\(optimizer.stepCount)"
        c.metadata["rng_state"] = "\(rng.state)"
        c.metadata["best_accuracy"] = "\(bestAccuracy)"
        c.metadata["dropout_seeds"] = model.layers.compactMap { ($0 as? Dropout)?.seed }.map(String.init).joined(separator: ",")
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
        let model = classifier.model
        try c.load(into: model, source: source)
        for (name, tensor) in optimizer.stateTensors(for: model.parameters) {
            guard let stored = c.tensor(named: "optimizer.\(name)"), stored.shape == tensor.shape else {
                throw TrainingError.resumeMismatch("\(source) lacks optimizer state \(name)")
            }
            try Checkpoint.checkValues(stored.values, of: "optimizer.\(name)", source: source)
            tensor.copy(from: stored.values)
        }
        let best = c.tensors.filter { $0.name.hasPrefix("best.") }
        for t in best { try Checkpoint.checkValues(t.values, of: t.name, source: source, bound: Checkpoint.maxWeight) }
        if !best.isEmpty {
            let meta = (c.metadata["best_metadata"]?.data(using: .utf8)).flatMap {
                try? JSONDecoder().decode([String: String].self, from: $0) } ?? [:]
            bestTensors = Checkpoint(inputShape: c.inputShape, layers: c.layers, metadata: meta,
                                     tensors: best.map { (String($0.name.dropFirst(5)), $0.shape, $0.values) })
        }
        history = (c.metadata["training_history"]?.data(using: .utf8)).flatMap {
            try? JSONDecoder().decode([EpochRecord].self, from: $0) } ?? []
        step = Int(c.metadata["training_step"] ?? "") ?? 0
        optimizer.stepCount = Int(c.metadata["optimizer_steps"] ?? "") ?? step
        rng = SeededGenerator(seed: UInt64(c.metadata["rng_state"] ?? "") ?? rng.state)
        bestAccuracy = Double(c.metadata["best_accuracy"] ?? "") ?? -1
        let seeds = (c.metadata["dropout_seeds"] ?? "").split(separator: ",").compactMap { UInt32($0) }
        for (layer, seed) in zip(model.layers.compactMap { $0 as? Dropout }, seeds) { layer.seed = seed }
    }
}
