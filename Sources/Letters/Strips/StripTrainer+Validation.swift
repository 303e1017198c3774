import Foundation
import NeuralNet

extension StripTrainer {
    /// Strips made from held-out letters, in the real files' layout, to measure the reader on while it trains.
    public struct Validation {
        /// The layout validated on: 5 letters in 168 px, as the real 5-letter file.
        public static let letters = StripGeometry.standard.defaultLetters, width = StripGeometry.standard.cohortWidth(letters: letters)

        public let strips: StripSet
        public let labels: [[Int]]

        /// `count` strips drawn from `held` (seeded).
        public init(from held: LetterDataset, count: Int, seed: UInt64) {
            (strips, labels, _) = StripSynthesizer.realCohort(letters: Self.letters, width: Self.width)
                .makeSet(from: held, count: count, seed: seed)
        }

        /// Bytes the validation strips take, in memory, while they are made and read.
        public static func bytes(count: Int) -> Double { Double(count) * Double(StripGeometry.standard.height * width) * 4 * 3 }
    }

    /// Letters to train on and to validate on: each file is split (a share of it held out, see
    /// ``heldOutShare(count:)``), then its training part repeated `weight` times, so copies never reach
    /// validation.
    public static func split(_ files: [(set: LetterDataset, weight: Int)], seed: UInt64) -> (train: LetterDataset, held: LetterDataset) {
        var trainParts: [LetterDataset] = [], heldParts: [LetterDataset] = []
        for (set, weight) in files {
            let (t, h) = set.split(validationFraction: heldOutShare(count: set.count), seed: seed)
            trainParts += Array(repeating: t, count: weight); heldParts.append(h)
        }
        return (LetterDataset.concatenated(trainParts), LetterDataset.concatenated(heldParts))
    }

    /// The share of a file of `count` letters held out: 5%, but at least one letter when the file has
    /// two or more (none from a single letter).
    public static func heldOutShare(count: Int) -> Double {
        count >= 2 ? max(0.05, 1 / Double(count)) : 0
    }

    /// Trains to `options.steps` in the shared loop, measuring exact-match accuracy on `validation`
    /// every `every` steps; whenever validation top-5 beats `best` (updated), or after every validation
    /// when `keepsLatest`, hands `save` the reader's checkpoint with its score, step, settings and
    /// `provenance`. `progress` gets (step, mean loss
    /// since the last report, strips per second since the run started) every 50 steps and at the last,
    /// `validated` every score. With `checkpoint`, the resumable state (`resumableCheckpoint()`) is
    /// written there after every validation, then `periodDone` is called. `shouldStop` is asked after
    /// every step (yes: the run ends with `TrainingError.interrupted`). Nothing read from a failed
    /// device is saved.
    public func train(every: Int, validation: Validation, provenance: Provenance, best: inout Double,
                      keepsLatest: Bool = false, checkpoint: URL? = nil, shouldStop: () -> Bool = { false },
                      progress: (Int, Double, Double) -> Void, validated: (Int, StripScore) -> Void,
                      save: (Checkpoint) throws -> Void, periodDone: () throws -> Void = {}) throws {
        self.validation = validation
        loop.bestScore = max(loop.bestScore, best)
        defer { best = loop.bestScore; self.validation = nil }
        let plan = TrainingPlan(schedule: schedule, totalSteps: options.steps, periods: Int.max, stepsPerPeriod: every,
                                examplesPerStep: options.batchSize, keepsLatest: keepsLatest)
        var lossSum = 0.0, lossCount = 0
        try loop.run(self, plan: plan, shouldStop: shouldStop, progress: { p in
            if p.batch == 1 { lossSum = 0; lossCount = 0 }
            lossSum += p.stepLoss; lossCount += 1
            if p.step % 50 == 0 || p.step == options.steps {
                progress(p.step, lossSum / Double(lossCount), p.imagesPerSecond)
                lossSum = 0; lossCount = 0
            }
        }, validated: { period, score in
            lastPeriod = (period.loss, period.learningRate, period.examplesPerSecond, period.seconds)
            validated(period.step, score)
        }, bestModel: { period, score in
            var meta = provenance.metadata(initialSteps: true)
            meta.merge(["validation_top5": "\(score.top5)", "validation_top1": "\(score.top1)", "step": "\(period.step)",
                        "steps": "\(options.steps)", "learning_rate": "\(options.learningRate)",
                        "seed": "\(options.seed)", "balanced": "\(options.balanced)", "layouts": "\(options.layouts)",
                        "mix": options.effectiveMix.rawValue]) { _, new in new }
            if let teachers = options.teachers {  // a distilled reader names its teachers' files
                meta["teachers"] = teachers.joined(separator: ", ")
            }
            if let letterTeacher = options.letterTeacher { meta["letter_teacher"] = letterTeacher }
            if options.isDistilled { meta["teacher_share"] = "\(options.effectiveTeacherShare)" }
            return reader.checkpoint(extra: meta)
        }, keep: save, checkpoint: checkpoint.map { (url: $0, state: resumableCheckpoint) }, periodDone: { _ in try periodDone() })
    }

    // MARK: What the loop asks besides batches

    func beginPeriod() {}

    /// Reads the validation strips.
    func validate() throws -> StripScore {
        guard let validation else { preconditionFailure("validate() outside train(every:…)") }
        let readings = reader.read(validation.strips, letters: Validation.letters)
        return StripScore(guesses: readings.map { $0.map(\.labels) }, truth: validation.labels)
    }

    func value(of score: StripScore) -> Double { score.top5 }
}
