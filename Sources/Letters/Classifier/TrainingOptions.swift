import NeuralNet

/// Everything that defines a training run; stored in checkpoints so `--resume` continues the same run.
public struct TrainingOptions: Codable, Equatable, Sendable {
    public enum OptimizerKind: String, Codable, CaseIterable, Sendable { case adamw, sgd }
    public enum ScheduleKind: String, Codable, CaseIterable, Sendable { case cosine, onecycle, constant }

    public var architecture: Architecture = .cnn
    public var epochs = 20
    public var batchSize = 128
    public var learningRate: Float = 2e-3
    public var weightDecay: Float = 5e-4
    public var optimizer: OptimizerKind = .adamw
    public var schedule: ScheduleKind = .cosine
    public var seed: UInt64 = 1
    /// Share of the images held out for validation (chosen by `seed`).
    public var validationFraction: Double = 0.05
    /// Stop when validation accuracy has not improved for this many epochs (0: never).
    public var patience = 6
    public var augmentation = AffineAugmentation()
    /// Elastic distortion after the affine one (nil: none; older checkpoints have none).
    public var elastic: ElasticDistortion?
    /// Draw each epoch's images class-balanced (every class equally often, images drawn with replacement
    /// within their class) instead of each image once; nil (older checkpoints) or false: each image once.
    public var balanced: Bool?
    /// Label smoothing ε of the training loss (nil, as in older checkpoints, or 0: none).
    public var labelSmoothing: Float?
    /// Train on this many letters cut from synthesized strips (``LetterWindowSet``, drawn from the
    /// files' letters by `seed`) instead of the letters alone; nil (older checkpoints) or 0: the letters.
    public var windows: Int?
    /// Stop after this many steps in all (for smoke tests); nil runs every epoch.
    public var maxSteps: Int?

    public init() {}

    func makeOptimizer() -> Optimizer {
        switch optimizer {
        case .adamw: return Adam(learningRate: learningRate, weightDecay: weightDecay)
        case .sgd: return SGD(learningRate: learningRate, momentum: 0.9, weightDecay: weightDecay)
        }
    }

    func makeSchedule(totalSteps: Int) -> LearningRateSchedule {
        switch schedule {
        case .cosine: return .cosine(peak: learningRate, warmupSteps: min(500, totalSteps / 20),
                                     totalSteps: totalSteps, finalFraction: 0.01)
        case .onecycle: return .oneCycle(peak: learningRate, totalSteps: totalSteps)
        case .constant: return .constant(learningRate)
        }
    }
}

/// One epoch's summary.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var learningRate: Float
    public var imagesPerSecond: Double
    public var seconds: Double
}

/// Live progress inside an epoch (or, for the strip reader, the steps between two validations).
public struct TrainingProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var batch: Int, batches: Int
    /// Mean loss and accuracy over the epoch so far.
    public var loss: Double, accuracy: Double
    public var imagesPerSecond: Double
    /// Estimated seconds left in the whole run.
    public var eta: Double
    /// Steps taken in all, and the last step's loss.
    public var step: Int, stepLoss: Double
}
