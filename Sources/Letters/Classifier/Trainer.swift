import Foundation
import NeuralNet

/// Trains a letter classifier in the shared `TrainingLoop`: seeded split, shuffling and augmentation
/// (its batches), softmax cross-entropy on the backend (its loss), validation accuracy each epoch (its
/// metric); the loop brings the schedule, early stopping, the best model and resumable checkpoints.
public final class Trainer: TrainingTask {
    public let options: TrainingOptions
    public let classifier: LetterClassifier
    let images: [Float]        // N × 784, 0…255
    let classes: [Int]         // N, 0-based
    public let trainIndices: [Int]
    public let validationIndices: [Int]
    let loss: CrossEntropyLoss
    let loop: TrainingLoop
    var rng: SeededGenerator
    public internal(set) var history: [EpochRecord] = []
    public var step: Int { loop.step }
    /// Whether each next batch is made on a worker thread while the device takes the step before (on by
    /// default on OpenCL devices, off on the CPU backend); the weights are bit for bit the same either way.
    public var prefetchesBatches: Bool {
        get { loop.prefetchesBatches }
        set { loop.prefetchesBatches = newValue }
    }
    /// This epoch's order of training images, and the batch buffers (host and device).
    var order: [Int] = []
    lazy var batch = ClassifierBatch(size: batchSize, backend: classifier.model.backend)
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
        loop = TrainingLoop(model: model, optimizer: options.makeOptimizer())
        loss = CrossEntropyLoss(backend: backend, smoothing: options.labelSmoothing ?? 0)
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

    /// Runs the remaining epochs in the shared `TrainingLoop`. `checkpoint` (if given) is rewritten
    /// atomically after every epoch. `shouldStop` is asked after every step; when it says yes, the run
    /// ends with `TrainingError.interrupted` and the last end-of-epoch checkpoint stays as it is. When
    /// the device fails, the run ends with its `DeviceFault` before anything else is written.
    public func run(checkpoint: URL? = nil, shouldStop: () -> Bool = { false },
                    progress: (TrainingProgress) -> Void = { _ in },
                    epochDone: (EpochRecord) throws -> Void = { _ in }) throws {
        guard !trainIndices.isEmpty else {
            throw TrainingError.noTrainingImages(total: classes.count, heldOut: validationIndices.count)
        }
        let plan = TrainingPlan(schedule: options.makeSchedule(totalSteps: batchesPerEpoch * options.epochs),
                                totalSteps: totalSteps, periods: options.epochs, stepsPerPeriod: batchesPerEpoch,
                                examplesPerStep: batchSize, patience: options.patience,
                                keepsLatest: validationIndices.isEmpty)
        try loop.run(self, plan: plan, shouldStop: shouldStop, progress: progress, validated: { period, score in
            history.append(EpochRecord(epoch: period.number, trainLoss: period.loss, trainAccuracy: period.accuracy,
                                       validationLoss: score.loss, validationAccuracy: score.accuracy,
                                       learningRate: period.learningRate, imagesPerSecond: period.examplesPerSecond,
                                       seconds: period.seconds))
        }, bestModel: { period, score in
            classifier.checkpoint(extra: ["validation_accuracy": "\(score.accuracy)", "epoch": "\(period.number)"])
        }, checkpoint: checkpoint.map { (url: $0, state: resumableCheckpoint) }, periodDone: { _ in try epochDone(history.last!) })
    }

    /// The best model by validation accuracy (the last one when there is no validation set).
    public func bestCheckpoint() -> Checkpoint { loop.best ?? classifier.checkpoint() }

    /// The best model with how it was made: `provenance`, the seed, class balancing, epochs and peak
    /// learning rate.
    public func bestModel(provenance: Provenance) -> Checkpoint { recorded(bestCheckpoint(), provenance: provenance) }

    /// The model as it stands now (after the last finished epoch, `epoch` in its metadata), recorded as
    /// `bestModel` is: what `train --keep-epochs` keeps.
    public func currentModel(provenance: Provenance) -> Checkpoint {
        recorded(classifier.checkpoint(extra: ["epoch": "\(history.count)"]), provenance: provenance)
    }

    func recorded(_ model: Checkpoint, provenance: Provenance) -> Checkpoint {
        var model = model
        model.metadata.merge(provenance.metadata()) { _, new in new }
        model.metadata["seed"] = "\(options.seed)"
        model.metadata["balanced"] = "\(options.balanced ?? false)"
        model.metadata["epochs"] = "\(options.epochs)"
        model.metadata["learning_rate"] = "\(options.learningRate)"
        if let e = options.labelSmoothing, e > 0 { model.metadata["label_smoothing"] = "\(e)" }
        if let n = options.windows, n > 0 { model.metadata["trained_on_windows"] = "\(n) letters cut from synthesized strips" }
        return model
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
