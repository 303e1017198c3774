import Foundation
import NeuralNet

/// Trains a `StripReader` in the shared `TrainingLoop` on strips synthesized on the fly from labelled
/// letters (its batches; validation: `StripTrainer+Validation.swift`).
///
/// Each window position is a classification target (`StripTargets`): by default the letter whose ink
/// centre is within 2 px of the window centre, background when every letter centre is at least 5 px
/// away, and no target in between (those windows are ambiguous by construction). The loss is the mean
/// cross-entropy over targeted positions of the `[N, 27, 1, P]` output, computed on the backend
/// (`MaskedCrossEntropyLoss`).
public final class StripTrainer: TrainingTask {
    public struct Options: Codable, Equatable, Sendable {
        public var steps = 6000
        public var batchSize = 32
        public var learningRate: Float = 2e-3
        public var weightDecay: Float = 5e-4
        public var seed: UInt64 = 1
        /// Layouts trained on, one per batch in turn: [letters, narrowest width, widest width]; each
        /// batch draws its width uniformly from that range (the real files are 5 in 168 or 150, 4 in 140).
        public var layouts: [[Int]] = [[5, 140, 184], [4, 112, 176], [5, 130, 180]]
        /// Draw every class equally often, however unbalanced the letter files are.
        public var balanced = true
        public var variant: StripReader.Variant = .standard
        /// The strips trained on; nil (older runs) is `.broad`.
        public var mix: StripTrainingMix?
        /// The mix in effect: `mix`, or `.broad` when none is recorded.
        public var effectiveMix: StripTrainingMix { mix ?? .broad }
        /// How windows get their targets; nil (older runs) is `.tolerant`.
        public var targets: StripTargets?
        /// The rule in effect: `targets`, or `.tolerant` when none is recorded.
        public var effectiveTargets: StripTargets { targets ?? .tolerant }
        /// The largest pixel value the reader sees (`PixelNormalization.ceiling`); nil (older runs) is 255.
        public var inputCeiling: Float?
        /// The teachers' model files by name (`train-reader --teacher`), nil when the run is not distilled.
        public var teachers: [String]?
        /// The letter classifier that teaches from the clean letters (`--letter-teacher`, ``LetterTeacher``)
        /// by file name; nil without one.
        public var letterTeacher: String?
        /// Whether the run is distilled: reader teachers, a letter teacher, or both.
        public var isDistilled: Bool { teachers != nil || letterTeacher != nil }
        /// α, the teachers' part of each position's target (`--teacher-share`); nil without teachers.
        public var teacherShare: Float?
        /// `train-reader --teacher-share`'s default.
        public static let defaultTeacherShare: Float = 0.5
        /// The share in effect: `teacherShare`, or the default when none is recorded.
        public var effectiveTeacherShare: Float { teacherShare ?? Self.defaultTeacherShare }
        public init() {}
    }

    public let options: Options
    public let reader: StripReader
    let letters: LetterSampler
    let loop: TrainingLoop
    let loss: MaskedCrossEntropyLoss
    /// The teachers of a distilled run (``distil(from:)``), or nil.
    public private(set) var teachers: StripTeachers?
    var rng: SeededGenerator
    /// The batch inputs, two sets taken in turn (`AlternatingInputs`), each with room for the widest
    /// layout: each step views as much of its set as its width needs.
    lazy var inputs = AlternatingInputs(counts: [options.batchSize * StripReader.geometry.inputShape(width: widestLayout).reduce(1, *)],
                                        backend: reader.model.backend)
    var widestLayout: Int { options.layouts.map { max($0[1], $0[2]) }.max() ?? Validation.width }
    public var step: Int { loop.step }
    /// The letters the strips are drawn from (what a ``LetterTeacher`` reads).
    public var trainingLetters: LetterDataset { letters.dataset }
    /// Whether each next batch is made on a worker thread while the device takes the step before (on by
    /// default on OpenCL devices, off on the CPU backend); the weights are bit for bit the same either way.
    public var prefetchesBatches: Bool {
        get { loop.prefetchesBatches }
        set { loop.prefetchesBatches = newValue }
    }
    /// What `train(every:…)` validates on, while it runs.
    var validation: Validation?
    /// The training period that ended in the last validation: its mean loss, learning rate, speed and time.
    public internal(set) var lastPeriod: (loss: Double, learningRate: Float, stripsPerSecond: Double, seconds: Double)?

    public init(options: Options, letters: LetterDataset, backend: Backend) {
        self.options = options
        self.letters = LetterSampler(letters, balanced: options.balanced)
        let standard = StripGeometry.standard, letters = standard.defaultLetters, classic = standard.classicWidth(letters: letters)
        var normalization = PixelNormalization()
        normalization.ceiling = options.inputCeiling
        reader = StripReader(width: classic, variant: options.variant, backend: backend, seed: options.seed, normalization: normalization)
        var range = StripTrainingRange()
        range.widths = (options.layouts.map { $0[1] }.min() ?? classic)...(options.layouts.map { $0[2] }.max() ?? classic)
        range.letters = (options.layouts.map { $0[0] }.min() ?? letters)...(options.layouts.map { $0[0] }.max() ?? letters)
        let mix = options.effectiveMix.synthesizer(letters: letters, width: standard.cohortWidth(letters: letters))
        range.noiseShare = 0...max(mix.replacement.share.upperBound, mix.noise.upperBound)
        reader.trainingRange = range
        reader.targets = options.effectiveTargets
        loop = TrainingLoop(model: reader.model, optimizer: Adam(learningRate: options.learningRate, weightDecay: options.weightDecay))
        loss = MaskedCrossEntropyLoss(backend: backend)
        rng = SeededGenerator(seed: options.seed &+ 99)
    }

    /// Makes the run distilled: `readers` (on this trainer's backend), one for each of `options.teachers`,
    /// and `letterTeacher` when `options.letterTeacher` names one, teach the student with the share
    /// `options.effectiveTeacherShare` (`StripTeachers`). A run whose options name teachers cannot take a
    /// step without them.
    public func distil(from readers: [StripReader], letterTeacher: LetterTeacher? = nil) throws {
        guard readers.count == options.teachers?.count ?? 0 else {
            throw TrainingError.badTeacher("\(readers.count) teacher model(s) for the \(options.teachers?.count ?? 0) the options name")
        }
        guard (letterTeacher == nil) == (options.letterTeacher == nil) else {
            throw TrainingError.badTeacher(letterTeacher == nil ? "the options name a letter teacher; none given" : "a letter teacher the options do not name")
        }
        if let letterTeacher, letterTeacher.count != letters.dataset.count {
            throw TrainingError.badTeacher("the letter teacher read \(letterTeacher.count) letters; the run trains on \(letters.dataset.count)")
        }
        teachers = try StripTeachers(readers: readers, letterTeacher: letterTeacher, share: options.effectiveTeacherShare, student: reader)
    }

    /// Targets for one strip by `rule` (`StripTargets`): class per position, or -1 for no target.
    static func targets(centers: [Float], labels: [Int], positions: Int, rule: StripTargets = .tolerant) -> [Int] {
        rule.targets(centers: centers, labels: labels, positions: positions)
    }

    /// The learning-rate schedule of `options.steps` steps.
    var schedule: LearningRateSchedule {
        .cosine(peak: options.learningRate, warmupSteps: 200, totalSteps: options.steps, finalFraction: 0.02)
    }

    /// A batch of strips in step `step`'s layout (layouts take turns, step by step), with their targets
    /// (host only).
    func prepareBatch(index: Int, step: Int) -> StripHostBatch {
        let b = options.batchSize
        let layout = options.layouts[step % options.layouts.count]
        let width = Int.random(in: layout[1]...max(layout[1], layout[2]), using: &rng)
        let synth = options.effectiveMix.synthesizer(letters: layout[0], width: width)
        let shape = StripReader.geometry.inputShape(width: width), p = StripReader.positions(width: width)
        let per = shape.reduce(1, *)
        var host = StripHostBatch(input: [Float](repeating: 0, count: b * per), shape: [b] + shape, positions: p, targets: [])
        host.targets.reserveCapacity(b * p)
        let letterTeacher = teachers?.letterTeacher
        if letterTeacher != nil { host.letterScores = []; host.letterScores?.reserveCapacity(b * p * StripReader.classes) }
        host.input.withUnsafeMutableBufferPointer { buf in
            for i in 0..<b {
                let s = synth.make(from: letters, rng: &rng)
                reader.fillInput(s.pixels[...], width: width, into: buf.baseAddress! + i * per)
                let targets = Self.targets(centers: s.centers, labels: s.labels, positions: p, rule: options.effectiveTargets)
                host.targets += targets
                if let letterTeacher { host.letterScores! += letterTeacher.scores(sources: s.sources, centers: s.centers, targets: targets) }
            }
        }
        return host
    }

    /// The prepared strips in a view of the next set of the reused inputs (sized for the widest layout).
    func deviceBatch(_ host: StripHostBatch) -> TrainingBatch {
        precondition(options.isDistilled == (teachers != nil), "a distilled run's teachers are given by distil(from:letterTeacher:)")
        let view: Tensor
        if host.input.count <= inputs.counts[0] {
            view = Tensor(buffer: inputs.upload([host.input])[0], shape: host.shape, backend: inputs.backend)
        } else {
            view = Tensor(zeros: host.shape, on: inputs.backend)
            view.copy(from: host.input)
        }
        // Teachers that clip lower than the student read their own copy of the batch.
        let taught = teachers?.teacherInput(host.input).map { clipped -> Tensor in
            let t = Tensor(zeros: host.shape, on: inputs.backend)
            t.copy(from: clipped)
            return t
        } ?? view
        let (b, p, targets, letterScores) = (host.shape[0], host.positions, host.targets, host.letterScores)
        return TrainingBatch(input: view, examples: b, loss: { [loss, teachers] out, record, index in
            precondition(out.shape == [b, StripReader.classes, 1, p], "unexpected output \(out.shape)")
            if let teachers {
                return teachers.gradient(student: out, input: taught, targets: targets, letterScores: letterScores, meanInto: record, at: index)
            }
            return loss.gradient(logits: out, targets: targets, meanInto: record, at: index)
        }, hits: nil)
    }
}

/// One strip-reader batch on the host: the network's input (`shape`, N × 28 × padded width), and a class
/// (or -1, no target) for each of every strip's `positions` windows.
struct StripHostBatch {
    var input: [Float]
    var shape: [Int]
    var positions: Int
    var targets: [Int]
    /// The letter teacher's `[N, positions, 27]` log-probabilities (``LetterTeacher``), when the run has one.
    var letterScores: [Float]?
}
