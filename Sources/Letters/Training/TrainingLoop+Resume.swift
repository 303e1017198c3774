import Foundation
import NeuralNet

/// The loop's part of a resumable checkpoint: the optimizer's moments (`optimizer.*`), the best model
/// so far (`best.*`, its metadata in `best_metadata`), the step, the optimizer's step count, the best
/// score (`best_accuracy`) and the dropout seeds. The trainer adds what is its own (options, history,
/// generator state).
extension TrainingLoop {
    static let jsonEncoder: JSONEncoder = { let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]; return e }()

    /// `model` (the network's own checkpoint) with the loop's state added.
    func resumable(_ model: Checkpoint) throws -> Checkpoint {
        var c = model
        for (name, tensor) in optimizer.stateTensors(for: self.model.parameters) {
            c.tensors.append(("optimizer.\(name)", tensor.shape, tensor.toArray()))
        }
        if let best {
            c.tensors += best.tensors.map { ("best.\($0.name)", $0.shape, $0.values) }
            c.metadata["best_metadata"] = String(decoding: try Self.jsonEncoder.encode(best.metadata), as: UTF8.self)
        }
        c.metadata["training_step"] = "\(step)"
        c.metadata["optimizer_steps"] = "\(optimizer.stepCount)"
        c.metadata["best_accuracy"] = "\(bestScore)"
        c.metadata["dropout_seeds"] = dropouts.map(\.seed).map(String.init).joined(separator: ",")
        return c
    }

    /// Restores the network and the loop's state from `c` (written by ``resumable(_:)``); `scores` are
    /// the trainer's record of the finished periods' scores.
    func restore(from c: Checkpoint, source: String, scores: [Double]) throws {
        try c.load(into: model, source: source)
        for (name, tensor) in optimizer.stateTensors(for: model.parameters) {
            guard let stored = c.tensor(named: "optimizer.\(name)"), stored.shape == tensor.shape else {
                throw TrainingError.resumeMismatch("\(source) lacks optimizer state \(name)")
            }
            try Checkpoint.checkValues(stored.values, of: "optimizer.\(name)", source: source)
            tensor.copy(from: stored.values)
        }
        let kept = c.tensors.filter { $0.name.hasPrefix("best.") }
        for t in kept { try Checkpoint.checkValues(t.values, of: t.name, source: source, bound: Checkpoint.maxWeight) }
        if !kept.isEmpty {
            let meta = (c.metadata["best_metadata"]?.data(using: .utf8)).flatMap {
                try? JSONDecoder().decode([String: String].self, from: $0) } ?? [:]
            best = Checkpoint(inputShape: c.inputShape, layers: c.layers, metadata: meta,
                              tensors: kept.map { (String($0.name.dropFirst(5)), $0.shape, $0.values) })
        }
        self.scores = scores
        step = Int(c.metadata["training_step"] ?? "") ?? 0
        optimizer.stepCount = Int(c.metadata["optimizer_steps"] ?? "") ?? step
        bestScore = Double(c.metadata["best_accuracy"] ?? "") ?? -1
        let seeds = (c.metadata["dropout_seeds"] ?? "").split(separator: ",").compactMap { UInt32($0) }
        for (layer, seed) in zip(dropouts, seeds) { layer.seed = seed }
    }

    /// The network's dropout layers, in order.
    var dropouts: [Dropout] { model.layers.compactMap { $0 as? Dropout } }
}
