import Foundation
import NeuralNet

/// Trains a letter classifier: seeded split, shuffling and augmentation; AdamW or SGD with a
/// schedule; validation and early stopping each epoch; resumable checkpoints.
public final class Trainer {
    public let options: TrainingOptions
    public let classifier: LetterClassifier
    let images: [Float]        // N × 784, 0…255
    let classes: [Int]         // N, 0-based
    public let trainIndices: [Int]
    public let validationIndices: [Int]
    let optimizer: Optimizer
    let loss: CrossEntropyLoss
    var rng: SeededGenerator
    public internal(set) var history: [EpochRecord] = []
    public internal(set) var step = 0
    var bestAccuracy = -1.0
    var bestTensors: Checkpoint?
    /// The training split by class, for `options.balanced` (nil when no image has a class 1…26).
    let balancedSampler: ClassBalancedSampler?

    /// `labels` are 1…26 as in the course files. `repeats[i]` (default 1) is how many times image `i`
    /// is seen per epoch if it is in the training split — a way to weight one source more than another
    /// without copies leaking into the validation split.
    public init(options: TrainingOptions, images: [Float], labels: [Int], repeats: [Int]? = nil, backend: Backend) {
        precondition(repeats == nil || repeats!.count == labels.count, "one repeat count per image")
        precondition(images.count == labels.count * 784, "images and labels disagree")
        self.options = options
        self.images = images
        self.classes = labels.map { $0 - 1 }
        var splitRng = SeededGenerator(seed: options.seed ^ 0xA5A5_5A5A)
        let order = Array(0..<labels.count).shuffled(using: &splitRng)
        let held = Int((Double(labels.count) * options.validationFraction).rounded())
        validationIndices = Array(order.prefix(held)).sorted()
        trainIndices = Array(order.dropFirst(held)).sorted().flatMap { i in
            Array(repeating: i, count: max(0, repeats?[i] ?? 1))
        }
        let sampler = ClassBalancedSampler(items: trainIndices) { [classes] in classes[$0] }
        balancedSampler = sampler.classCount > 0 ? sampler : nil
        let model = Sequential(specs: options.architecture.layers, inputShape: Architecture.inputShape,
                               backend: backend, seed: options.seed)
        classifier = LetterClassifier(model: model, metadata: ["architecture": options.architecture.rawValue])
        optimizer = options.makeOptimizer()
        loss = CrossEntropyLoss(backend: backend)
        rng = SeededGenerator(seed: options.seed &+ 0x1234_5678)
    }

    /// One epoch of training indices drawn class-balanced: as many draws as the training split holds.
    func balancedOrder() -> [Int] {
        guard let sampler = balancedSampler else { return trainIndices }
        return trainIndices.map { _ in sampler.draw(rng: &rng)! }
    }

    /// Images per step: `options.batchSize`, or the whole training split when that is smaller (a small
    /// file still trains, one step per epoch).
    public var batchSize: Int { max(1, min(options.batchSize, trainIndices.count)) }
    public var batchesPerEpoch: Int { max(1, trainIndices.count / batchSize) }
    public var totalSteps: Int { min(options.maxSteps ?? Int.max, batchesPerEpoch * options.epochs) }

    /// Runs the remaining epochs. `checkpoint` (if given) is rewritten atomically after every epoch.
    /// `shouldStop` is asked after every step; when it says yes, the run ends with
    /// `TrainingError.interrupted` and the last end-of-epoch checkpoint stays as it is. When the device
    /// fails, the run ends with its `DeviceFault` before anything else is written.
    public func run(checkpoint: URL? = nil, shouldStop: () -> Bool = { false },
                    progress: (TrainingProgress) -> Void = { _ in },
                    epochDone: (EpochRecord) -> Void = { _ in }) throws {
        guard !trainIndices.isEmpty else {
            throw TrainingError.noTrainingImages(total: classes.count, heldOut: validationIndices.count)
        }
        let schedule = options.makeSchedule(totalSteps: batchesPerEpoch * options.epochs)
        let model = classifier.model
        let b = batchSize
        let input = Tensor(zeros: [b] + Architecture.inputShape, on: model.backend)
        let target = Tensor(zeros: [b], on: model.backend)
        var hostInput = [Float](repeating: 0, count: b * 784), hostTarget = [Float](repeating: 0, count: b)
        var scratch = [Float](repeating: 0, count: 784)
        let stepper = TrainingStep(model: model, optimizer: optimizer, schedule: schedule)
        let throughput = Throughput(step: step, batchSize: b)
        var epoch = history.count
        while epoch < options.epochs && step < totalSteps && !stoppedEarly {
            let epochStart = Date()
            let order = options.balanced == true ? balancedOrder() : trainIndices.shuffled(using: &rng)
            var lossSum = 0.0, correct = 0, seen = 0
            for batch in 0..<batchesPerEpoch where step < totalSteps {
                for j in 0..<b {
                    let index = order[batch * b + j]
                    hostTarget[j] = Float(classes[index])
                    for p in 0..<784 { scratch[p] = min(max(images[index * 784 + p], 0), 255) / 255 }
                    scratch.withUnsafeBufferPointer { src in
                        hostInput.withUnsafeMutableBufferPointer { dst in
                            options.augmentation.apply(src.baseAddress!, into: dst.baseAddress! + j * 784, rng: &rng)
                            options.elastic?.apply(dst.baseAddress! + j * 784, rng: &rng)
                        }
                    }
                }
                let norm = classifier.normalization
                for i in 0..<(b * 784) { hostInput[i] = (hostInput[i] - norm.mean) / norm.std }
                input.copy(from: hostInput); target.copy(from: hostTarget)
                let (value, logits) = try stepper.take(input, step: &step) { logits in
                    let (value, gradient) = loss(logits: logits, labels: target)
                    return (Double(value), gradient)
                }
                if shouldStop() { throw TrainingError.interrupted(epochsDone: history.count) }
                lossSum += value * Double(b); seen += b
                correct += Self.hits(logits.toArray(), hostTarget)
                let rate = throughput.perSecond(atStep: step)
                progress(TrainingProgress(epoch: epoch + 1, epochs: options.epochs, batch: batch + 1,
                                          batches: batchesPerEpoch, loss: lossSum / Double(seen),
                                          accuracy: Double(correct) / Double(seen), imagesPerSecond: rate,
                                          eta: Double((totalSteps - step) * b) / max(rate, 1e-9)))
            }
            let (vLoss, vAcc) = validate()
            try model.backend.checkHealthy()
            let seconds = Date().timeIntervalSince(epochStart)
            let record = EpochRecord(epoch: epoch + 1, trainLoss: lossSum / Double(max(seen, 1)),
                                     trainAccuracy: Double(correct) / Double(max(seen, 1)),
                                     validationLoss: vLoss, validationAccuracy: vAcc,
                                     learningRate: optimizer.learningRate,
                                     imagesPerSecond: Double(seen) / max(seconds, 1e-9), seconds: seconds)
            history.append(record)
            if vAcc > bestAccuracy || validationIndices.isEmpty {
                bestAccuracy = vAcc
                bestTensors = classifier.checkpoint(extra: ["validation_accuracy": "\(vAcc)", "epoch": "\(epoch + 1)"])
            }
            if let checkpoint {
                let state = try resumableCheckpoint()
                try model.backend.checkHealthy()  // nothing read from a failed device is written
                try state.write(to: checkpoint)
            }
            epochDone(record)
            epoch += 1
        }
    }

    /// Whether validation accuracy has not improved for `patience` epochs: the run is over, also
    /// when it is resumed from its last checkpoint.
    var stoppedEarly: Bool {
        guard options.patience > 0, let best = history.lastIndex(where: { $0.validationAccuracy >= bestAccuracy }) else {
            return false
        }
        return history.count - 1 - best >= options.patience
    }

    /// The best model by validation accuracy (the last one when there is no validation set).
    public func bestCheckpoint() -> Checkpoint { bestTensors ?? classifier.checkpoint() }

    /// The best model with how it was made: `provenance`, the seed, class balancing, epochs and peak
    /// learning rate.
    public func bestModel(provenance: Provenance) -> Checkpoint {
        var best = bestCheckpoint()
        best.metadata.merge(provenance.metadata()) { _, new in new }
        best.metadata["seed"] = "\(options.seed)"
        best.metadata["balanced"] = "\(options.balanced ?? false)"
        best.metadata["epochs"] = "\(options.epochs)"
        best.metadata["learning_rate"] = "\(options.learningRate)"
        return best
    }

    static func hits(_ logits: [Float], _ targets: [Float]) -> Int {
        let c = logits.count / targets.count
        var n = 0
        for (i, t) in targets.enumerated() {
            let row = logits[(i * c)..<((i + 1) * c)]
            if row.indices.max(by: { row[$0] < row[$1] })! - i * c == Int(t) { n += 1 }
        }
        return n
    }

    /// Mean loss and accuracy on the validation images (no augmentation, inference mode).
    public func validate() -> (loss: Double, accuracy: Double) {
        guard !validationIndices.isEmpty else { return (0, 0) }
        var pixels = [Float](); pixels.reserveCapacity(validationIndices.count * 784)
        for i in validationIndices { pixels += images[(i * 784)..<((i + 1) * 784)] }
        let probs = classifier.probabilities(images: pixels, count: validationIndices.count)
        var lossSum = 0.0, correct = 0
        for (k, i) in validationIndices.enumerated() {
            let row = probs[(k * 26)..<((k + 1) * 26)]
            lossSum -= log(Double(max(row[k * 26 + classes[i]], 1e-12)))
            if row.indices.max(by: { row[$0] < row[$1] })! - k * 26 == classes[i] { correct += 1 }
        }
        return (lossSum / Double(validationIndices.count), Double(correct) / Double(validationIndices.count))
    }
}
