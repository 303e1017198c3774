import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// Synthetic "letters" for fast tests: class `c` (0-based, 0…25) is a horizontal and a vertical bar
/// at positions that depend on `c`, shifted by up to `jitter` px, with a little speckle.
enum DrawnLetters {
    /// One 28×28 image (0…255) of class `c`.
    static func glyph(_ c: Int, dx: Int = 0, dy: Int = 0, speckle: [(Int, Float)] = []) -> [Float] {
        var img = [Float](repeating: 0, count: 784)
        let row0 = 4 + (c % 6) * 3, col0 = 4 + (c / 6) * 4
        func set(_ y: Int, _ x: Int) {
            let (yy, xx) = (y + dy, x + dx)
            if (0..<28).contains(yy) && (0..<28).contains(xx) { img[yy * 28 + xx] = 255 }
        }
        for y in row0..<(row0 + 3) { for x in 6..<22 { set(y, x) } }
        for x in col0..<(col0 + 3) { for y in 6..<22 { set(y, x) } }
        for (i, v) in speckle { img[i] = max(img[i], v) }
        return img
    }

    /// `count` images of classes `0..<classes` in turn, labels 1…`classes`; class `c` is drawn as
    /// glyph `7c mod 26`, so that even a few classes differ in both bars.
    static func dataset(count: Int, classes: Int, seed: UInt64, jitter: Int = 2) -> LetterDataset {
        var rng = SeededGenerator(seed: seed)
        var images: [Float] = [], labels: [Int] = []
        for i in 0..<count {
            let c = i % classes
            let speckle = (0..<6).map { _ in (Int.random(in: 0..<784, using: &rng), Float(Int.random(in: 0...120, using: &rng))) }
            images += glyph((c * 7) % 26, dx: Int.random(in: -jitter...jitter, using: &rng), dy: Int.random(in: -jitter...jitter, using: &rng),
                            speckle: speckle)
            labels.append(c + 1)
        }
        return try! LetterDataset(name: "drawn letters", images: images, labels: labels)
    }
}

/// `Trainer` on a tiny MLP and drawn letters: it learns, its validation split is seeded and
/// disjoint, and a resumed run ends exactly where a straight run does.
final class TrainerTests: XCTestCase {
    func options(epochs: Int, batchSize: Int = 8, seed: UInt64 = 3) -> TrainingOptions {
        var o = TrainingOptions()
        o.architecture = .mlp
        o.epochs = epochs
        o.batchSize = batchSize
        o.seed = seed
        o.validationFraction = 0.1
        o.patience = 0
        return o
    }

    func trainer(_ o: TrainingOptions, data: LetterDataset) -> Trainer {
        Trainer(options: o, images: data.images, labels: data.labels, backend: CPUBackend(threads: 2))
    }

    func testSmokeTrainingLossFalls() throws {
        let data = DrawnLetters.dataset(count: 240, classes: 4, seed: 1)
        var o = options(epochs: 8)
        o.augmentation = .none
        let t = trainer(o, data: data)
        XCTAssertEqual(t.batchesPerEpoch, 27)
        var progressCalls = 0
        try t.run(progress: { p in
            progressCalls += 1
            XCTAssertTrue(p.loss.isFinite)
        })
        XCTAssertEqual(t.step, 8 * 27)
        XCTAssertEqual(progressCalls, 8 * 27)
        XCTAssertEqual(t.history.map(\.epoch), Array(1...8))
        let first = t.history.first!.trainLoss, last = t.history.last!.trainLoss
        XCTAssertLessThan(last, 0.5 * first, "loss by epoch: \(t.history.map(\.trainLoss))")
        XCTAssertGreaterThan(t.history.last!.validationAccuracy, 0.9)
        XCTAssertEqual(t.history.last!.validationAccuracy, t.validate().accuracy)

        // The best checkpoint classifies the held-out letters as well as the run reported.
        let best = t.bestCheckpoint()
        XCTAssertNotNil(best.metadata["validation_accuracy"])
        let classifier = try LetterClassifier(checkpoint: best, backend: CPUBackend(threads: 2), source: "best")
        var pixels: [Float] = []
        for i in t.validationIndices { pixels += data.image(at: i) }
        let probs = classifier.probabilities(images: pixels, count: t.validationIndices.count)
        let eval = Evaluation(probabilities: probs, classes: t.validationIndices.map { data.labels[$0] - 1 })
        XCTAssertEqual(eval.top1, Double(best.metadata["validation_accuracy"]!)!, accuracy: 1e-9)
    }

    func testMaxStepsStopsEarly() throws {
        let data = DrawnLetters.dataset(count: 80, classes: 4, seed: 2)
        var o = options(epochs: 5)
        o.maxSteps = 5
        let t = trainer(o, data: data)
        try t.run()
        XCTAssertEqual(t.step, 5)
        XCTAssertEqual(t.history.count, 1)
    }

    func testValidationSplitIsDisjointAndSeeded() {
        let data = DrawnLetters.dataset(count: 95, classes: 4, seed: 1)
        let a = trainer(options(epochs: 1, seed: 7), data: data)
        let b = trainer(options(epochs: 1, seed: 7), data: data)
        let c = trainer(options(epochs: 1, seed: 8), data: data)
        XCTAssertEqual(a.validationIndices.count, 10)  // 9.5 rounded
        XCTAssertEqual(a.trainIndices.count, 85)
        XCTAssertTrue(Set(a.trainIndices).isDisjoint(with: a.validationIndices))
        XCTAssertEqual(Set(a.trainIndices).union(a.validationIndices), Set(0..<95))
        XCTAssertEqual(a.validationIndices, b.validationIndices)
        XCTAssertEqual(a.trainIndices, b.trainIndices)
        XCTAssertNotEqual(a.validationIndices, c.validationIndices)
        XCTAssertEqual(a.validationIndices, a.validationIndices.sorted())

        var none = options(epochs: 1)
        none.validationFraction = 0
        let d = trainer(none, data: data)
        XCTAssertTrue(d.validationIndices.isEmpty)
        XCTAssertEqual(d.trainIndices, Array(0..<95))
    }

    /// Everything about an epoch except its timing.
    func comparable(_ h: [EpochRecord]) -> [[Double]] {
        h.map { [Double($0.epoch), $0.trainLoss, $0.trainAccuracy, $0.validationLoss, $0.validationAccuracy, Double($0.learningRate)] }
    }

    func modelBits(_ t: Trainer) -> [[UInt32]] {
        t.classifier.model.namedTensors.map { $0.tensor.toArray().map(\.bitPattern) }
    }

    func testResumeMatchesAStraightRun() throws {
        let data = DrawnLetters.dataset(count: 120, classes: 4, seed: 5)
        let o = options(epochs: 4)  // default augmentation: the generator state must carry over too
        let straight = trainer(o, data: data)
        try straight.run()
        XCTAssertEqual(straight.history.count, 4)

        // Run 2 epochs, stop early in the third; the checkpoint file holds the end of epoch 2.
        let url = try temporaryDirectory(self).appendingPathComponent("run.lnet")
        let first = trainer(o, data: data)
        var saved: Checkpoint?
        XCTAssertThrowsError(try first.run(checkpoint: url, shouldStop: { first.step > 2 * first.batchesPerEpoch },
                                           epochDone: { r in if r.epoch == 2 { saved = try? first.resumableCheckpoint() } })) { error in
            guard case TrainingError.interrupted(epochsDone: 2)? = error as? TrainingError else {
                return XCTFail("expected interrupted after 2 epochs, got \(error)")
            }
        }
        let onDisk = try Checkpoint.read(from: url)
        XCTAssertEqual(try onDisk.encoded(), try XCTUnwrap(saved).encoded(), "the file is the end-of-epoch-2 state")
        XCTAssertEqual(onDisk.metadata["training_step"], "\(2 * first.batchesPerEpoch)")

        let resumed = trainer(o, data: data)
        try resumed.resume(from: onDisk, source: url.path)
        XCTAssertEqual(resumed.history.count, 2)
        XCTAssertEqual(resumed.step, 2 * resumed.batchesPerEpoch)
        try resumed.run()

        XCTAssertEqual(resumed.step, straight.step)
        XCTAssertEqual(comparable(resumed.history), comparable(straight.history))
        XCTAssertTrue(modelBits(resumed) == modelBits(straight), "final weights differ")
        XCTAssertEqual(resumed.classifier.model.layers.compactMap { ($0 as? Dropout)?.seed },
                       straight.classifier.model.layers.compactMap { ($0 as? Dropout)?.seed })
        XCTAssertEqual(try resumed.bestCheckpoint().encoded(), try straight.bestCheckpoint().encoded())
        // The whole training state agrees too (the history differs only in its timings).
        var r = try resumed.resumableCheckpoint(), s = try straight.resumableCheckpoint()
        XCTAssertNotNil(r.metadata.removeValue(forKey: "training_history"))
        XCTAssertNotNil(s.metadata.removeValue(forKey: "training_history"))
        XCTAssertEqual(try r.encoded(), try s.encoded())
    }

    func testResumeRefusesOtherOptionsAndPlainModels() throws {
        let data = DrawnLetters.dataset(count: 40, classes: 4, seed: 6)
        let o = options(epochs: 1)
        let t = trainer(o, data: data)
        try t.run()
        let c = try t.resumableCheckpoint()

        var other = o
        other.learningRate = 1e-3
        XCTAssertThrowsError(try trainer(other, data: data).resume(from: c, source: "run.lnet")) { error in
            XCTAssertTrue("\(error)".contains("run.lnet was written with other training options"), "\(error)")
        }
        var longer = o
        longer.epochs = 2
        XCTAssertThrowsError(try trainer(longer, data: data).resume(from: c, source: "run.lnet"))

        XCTAssertThrowsError(try trainer(o, data: data).resume(from: t.bestCheckpoint(), source: "best.lnet")) { error in
            XCTAssertTrue("\(error)".contains("best.lnet is not a resumable training checkpoint"), "\(error)")
        }
        XCTAssertNoThrow(try trainer(o, data: data).resume(from: c, source: "run.lnet"))
    }

    /// `labelSmoothing` reaches the loss (other weights than the plain run from the same seed), is
    /// recorded in the model, and is part of the options a resumed run must share.
    func testLabelSmoothingChangesTrainingAndIsRecorded() throws {
        let data = DrawnLetters.dataset(count: 40, classes: 4, seed: 9)
        let plainOptions = options(epochs: 1)
        var smoothOptions = plainOptions
        smoothOptions.labelSmoothing = 0.1
        let plain = trainer(plainOptions, data: data), smooth = trainer(smoothOptions, data: data)
        try plain.run()
        try smooth.run()
        XCTAssertFalse(modelBits(plain) == modelBits(smooth), "label smoothing changed nothing")
        XCTAssertEqual(smooth.bestModel(provenance: Provenance(trainedOn: [])).metadata["label_smoothing"], "0.1")
        XCTAssertNil(plain.bestModel(provenance: Provenance(trainedOn: [])).metadata["label_smoothing"])
        XCTAssertThrowsError(try trainer(plainOptions, data: data).resume(from: smooth.resumableCheckpoint(), source: "run.lnet"))
        XCTAssertNoThrow(try trainer(smoothOptions, data: data).resume(from: smooth.resumableCheckpoint(), source: "run.lnet"))
    }

    /// A run that stopped early (patience) is finished: resuming it trains nothing more.
    func testResumingAnEarlyStoppedRunDoesNothing() throws {
        let data = DrawnLetters.dataset(count: 48, classes: 4, seed: 8, jitter: 3)
        var o = options(epochs: 8, seed: 1)
        o.patience = 1
        o.validationFraction = 0.25
        o.learningRate = 0.05
        o.schedule = .constant
        let url = try temporaryDirectory(self).appendingPathComponent("run.lnet")
        let straight = trainer(o, data: data)
        try straight.run(checkpoint: url)
        XCTAssertEqual(straight.history.count, 2, "this run stops early: \(straight.history.map(\.validationAccuracy))")

        let resumed = trainer(o, data: data)
        try resumed.resume(from: Checkpoint.read(from: url), source: url.path)
        try resumed.run(checkpoint: url)
        XCTAssertEqual(resumed.history.count, straight.history.count)
        XCTAssertEqual(resumed.step, straight.step)
        XCTAssertTrue(modelBits(resumed) == modelBits(straight), "final weights differ")
    }
}
