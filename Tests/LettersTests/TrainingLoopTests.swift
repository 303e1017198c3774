import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// What both trainers share: the optimisation step, the provenance a trained model records, resuming
/// from a file, and the strip reader's keep-the-best validation loop.
final class TrainingLoopTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func testStepCountsAndUpdates() throws {
        let model = Sequential(specs: [.linear(inFeatures: 4, outFeatures: 3)], inputShape: [4], backend: cpu, seed: 1)
        let step = TrainingStep(model: model, optimizer: Adam(learningRate: 0.1, weightDecay: 0),
                                schedule: .cosine(peak: 0.1, warmupSteps: 0, totalSteps: 10, finalFraction: 0.1))
        let input = Tensor([1, 2, 3, 4, 4, 3, 2, 1], shape: [2, 4], on: cpu)
        let before = model.parameters[0].value.toArray()
        var n = 0
        let output = try step.take(input, step: &n) { out in Tensor(zeros: out.shape, on: self.cpu) }
        XCTAssertEqual(n, 1)
        XCTAssertEqual(output.shape, [2, 3])
        let gradient = Tensor([Float](repeating: 1, count: 6), shape: [2, 3], on: cpu)
        _ = try step.take(input, step: &n) { _ in gradient }
        XCTAssertEqual(n, 2)
        XCTAssertNotEqual(model.parameters[0].value.toArray(), before, "the update changed the weights")
    }

    /// The record gives back each step's loss and hits (none for a step that counts none) and empties;
    /// a loss that is not finite throws `diverged` naming that step and its learning rate.
    func testStepRecordReadsLossesAndHitsAndStopsOnALossThatIsNotFinite() throws {
        let record = StepRecord(backend: cpu)
        var values = [Float](repeating: 0, count: 2 * StepRecord.readEvery)
        values[0...5] = [0.5, 3, 0.25, 7, 2, 1]
        record.values.copy(from: values)
        for (k, hits) in [true, false, true].enumerated() {
            record.append(.init(number: 10 + k, learningRate: 0.1, examples: 4, batchIndex: k, countsHits: hits))
        }
        var read: [StepRecord.Reading] = []
        try record.read { read.append($0) }
        XCTAssertEqual(read.map(\.loss), [0.5, 0.25, 2])
        XCTAssertEqual(read.map(\.hits), [3, 0, 1])
        XCTAssertEqual(read.map(\.step.number), [10, 11, 12])
        XCTAssertTrue(record.isEmpty)
        values[2] = .nan
        record.values.copy(from: values)
        for k in 0..<3 { record.append(.init(number: 20 + k, learningRate: Float(k), examples: 4, batchIndex: k, countsHits: true)) }
        read = []
        XCTAssertThrowsError(try record.read { read.append($0) }) { error in
            guard case TrainingError.diverged(let at, let rate) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(at, 21)
            XCTAssertEqual(rate, 1)
        }
        XCTAssertEqual(read.map(\.step.number), [20], "the steps before it are handed over")
    }

    func testProvenanceRecordsFileNamesAndTheFineTuningChain() {
        XCTAssertEqual(Provenance(trainedOn: ["/data/a.npz@2", "b.npz"]).metadata(), ["trained_on": "a.npz@2, b.npz"])
        var base = Checkpoint(inputShape: [1], layers: [], metadata: ["trained_on": "/x/first.npz, /y/second.npz",
                                                                      "initial_trained_on": "/z/zero.npz", "step": "40"], tensors: [])
        let p = Provenance(trainedOn: ["/data/c.npz"], initial: ("/models/base.lnet", base))
        XCTAssertEqual(p.metadata(), ["trained_on": "c.npz", "fine_tuned_from": "base.lnet",
                                      "initial_trained_on": "zero.npz; then first.npz, second.npz"])
        XCTAssertEqual(p.metadata(initialSteps: true)["initial_trained_on"], "zero.npz; then first.npz, second.npz (40 steps)")
        base.metadata = [:]
        XCTAssertEqual(Provenance(trainedOn: [], initial: ("m.lnet", base)).metadata()["initial_trained_on"], "?")
    }

    func testBestModelRecordsHowItWasMadeAndResumeNeedsAFile() throws {
        var o = TrainingOptions()
        o.architecture = .mlp; o.epochs = 1; o.batchSize = 8; o.seed = 4; o.maxSteps = 2; o.learningRate = 0.003
        let data = DrawnLetters.dataset(count: 40, classes: 4, seed: 1)
        let t = Trainer(options: o, images: data.images, labels: data.labels, backend: cpu)
        try t.run()
        let best = t.bestModel(provenance: Provenance(trainedOn: ["/d/letters.npz@3"]))
        XCTAssertEqual(best.metadata["trained_on"], "letters.npz@3")
        XCTAssertEqual(best.metadata["seed"], "4")
        XCTAssertEqual(best.metadata["balanced"], "false")
        XCTAssertEqual(best.metadata["epochs"], "1")
        XCTAssertEqual(best.metadata["learning_rate"], "0.003")
        XCTAssertEqual(best.metadata["epoch"], "1")
        let missing = try temporaryDirectory(self).appendingPathComponent("none.lnet.ckpt")
        XCTAssertThrowsError(try t.resume(fromFileAt: missing)) { error in
            XCTAssertEqual("\(error)", "\(missing.path): no checkpoint to resume from")
        }
    }

    /// The reader's validation loop hands over a model only when it beats the best so far, with its
    /// score and provenance in the metadata.
    func testStripTrainingKeepsOnlyBetterModels() throws {
        var o = StripTrainer.Options()
        o.steps = 2; o.batchSize = 2; o.variant = .fast; o.seed = 9
        let letters = DrawnLetters.dataset(count: 52, classes: 26, seed: 2)
        let validation = StripTrainer.Validation(from: letters, count: 3, seed: 1)
        XCTAssertEqual([validation.strips.count, validation.strips.width], [3, StripTrainer.Validation.width])
        var best = -1.0, saved: [Checkpoint] = [], scores: [Double] = []
        let trainer = StripTrainer(options: o, letters: letters, backend: cpu)
        try trainer.train(every: 1, validation: validation, provenance: Provenance(trainedOn: ["/d/l.npz"]), best: &best,
                          progress: { _, _, _ in }, validated: { _, s in scores.append(s.top5) }, save: { saved.append($0) })
        XCTAssertEqual(trainer.step, 2)
        XCTAssertEqual(scores.count, 2)
        XCTAssertEqual(best, scores.max())
        XCTAssertEqual(saved.count, scores[1] > scores[0] ? 2 : 1)
        let last = try XCTUnwrap(saved.last)
        XCTAssertEqual(last.metadata["validation_top5"], "\(best)")
        XCTAssertEqual(last.metadata["trained_on"], "l.npz")
        XCTAssertEqual(last.metadata["kind"], "strip-reader")
        XCTAssertEqual(last.metadata["variant"], "fast")
        XCTAssertEqual(last.metadata["seed"], "9")

        // Nothing beats a perfect score: nothing is handed over.
        var perfect = 1.0
        let again = StripTrainer(options: o, letters: letters, backend: cpu)
        try again.train(every: 2, validation: validation, provenance: Provenance(trainedOn: []), best: &perfect,
                        progress: { _, _, _ in }, validated: { _, _ in }, save: { _ in XCTFail("saved a worse model") })
        XCTAssertEqual(again.step, 2)
    }

    func testHeldOutShareAndSplit() {
        XCTAssertEqual(StripTrainer.heldOutShare(count: 1), 0)
        XCTAssertEqual(StripTrainer.heldOutShare(count: 2), 0.5)
        XCTAssertEqual(StripTrainer.heldOutShare(count: 1000), 0.05)
        let a = DrawnLetters.dataset(count: 40, classes: 4, seed: 1), b = DrawnLetters.dataset(count: 20, classes: 4, seed: 2)
        let (train, held) = StripTrainer.split([(a, 3), (b, 1)], seed: 5)
        XCTAssertEqual(held.count, 2 + 1)
        XCTAssertEqual(train.count, 38 * 3 + 19)
    }
}
