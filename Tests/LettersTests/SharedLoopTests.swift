import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// `TrainingLoop` by itself, driven by a scripted task: periods and where they end, validation once per
/// period, the best model kept only when the score improves, early stopping, the checkpoint rewritten
/// each period, an interrupted run, and its state through a resumable checkpoint.
final class SharedLoopTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    /// A linear layer learning two fixed examples; validation scores come from a script.
    final class ScriptedTask: TrainingTask {
        let input: Tensor, labels: Tensor, loss: CrossEntropyLoss
        /// Logits that get one of the two labels right, and losses whose mean is NaN.
        let halfRight: Tensor, nanLosses: Tensor
        var script: [Double], begun = 0, batches: [Int] = []
        /// The batch (counted from 1 over the run) whose loss the device records as NaN.
        var nanAtBatch: Int?

        init(backend: Backend, script: [Double]) {
            input = Tensor([1, 2, 3, 4, 4, 3, 2, 1], shape: [2, 4], on: backend)
            labels = Tensor([0, 2], shape: [2], on: backend)
            halfRight = Tensor([1, 0, 0, 1, 0, 0], shape: [2, 3], on: backend)
            nanLosses = Tensor([1, .nan], shape: [2], on: backend)
            loss = CrossEntropyLoss(backend: backend)
            self.script = script
        }

        func beginPeriod() { begun += 1 }
        func prepareBatch(index: Int, step: Int) -> (index: Int, poisoned: Bool) {
            batches.append(index)
            return (index, batches.count == nanAtBatch)
        }
        func deviceBatch(_ host: (index: Int, poisoned: Bool)) -> TrainingBatch {
            let poisoned = host.poisoned
            return TrainingBatch(input: input, examples: 2, loss: { [loss, labels, nanLosses] out, record, slot in
                let gradient = loss.gradient(logits: out, labels: labels, meanInto: record, at: slot)
                if poisoned { out.backend.meanLoss(losses: nanLosses.buffer, count: 2, divisor: 2, record: record, index: slot) }
                return gradient
            }, hits: { [halfRight, labels] out, record, slot in
                out.backend.countHits(logits: halfRight.buffer, labels: labels.buffer, batch: 2, classes: 3, record: record, index: slot)
            })
        }
        func validate() -> Double { script.removeFirst() }
        func value(of score: Double) -> Double { score }
    }

    func makeLoop(seed: UInt64 = 1) -> TrainingLoop {
        let model = Sequential(specs: [.linear(inFeatures: 4, outFeatures: 3)], inputShape: [4], backend: cpu, seed: seed)
        return TrainingLoop(model: model, optimizer: Adam(learningRate: 0.05, weightDecay: 0))
    }

    func plan(periods: Int, every: Int, total: Int, patience: Int = 0) -> TrainingPlan {
        TrainingPlan(schedule: .constant(0.05), totalSteps: total, periods: periods, stepsPerPeriod: every,
                     examplesPerStep: 2, patience: patience)
    }

    func testPeriodsValidationBestModelAndEarlyStopping() throws {
        let loop = makeLoop(), task = ScriptedTask(backend: cpu, script: [0.2, 0.5, 0.4, 0.3, 0.9])
        let url = try temporaryDirectory(self).appendingPathComponent("run.ckpt")
        var validatedAt: [Int] = [], kept: [String] = [], steps: [Int] = [], written = 0, done = 0
        try loop.run(task, plan: plan(periods: 5, every: 3, total: 100, patience: 2), progress: { p in
            steps.append(p.step)
            XCTAssertEqual(p.accuracy, 0.5)
            XCTAssertEqual(p.batches, 3)
        }, validated: { period, _ in validatedAt.append(period.step) }, bestModel: { period, score in
            Checkpoint(model: loop.model, metadata: ["period": "\(period.number)", "score": "\(score)"])
        }, keep: { kept.append($0.metadata["period"]!) }, checkpoint: (url: url, state: {
            written += 1
            return try loop.resumable(Checkpoint(model: loop.model))
        }), periodDone: { _ in done += 1 })
        // 0.5 in period 2, then two periods without improvement: patience 2 ends the run after period 4.
        XCTAssertEqual(loop.scores, [0.2, 0.5, 0.4, 0.3])
        XCTAssertEqual(loop.step, 12)
        XCTAssertEqual(steps, Array(1...12))
        XCTAssertEqual(validatedAt, [3, 6, 9, 12])
        XCTAssertEqual(kept, ["1", "2"])
        XCTAssertEqual(loop.bestScore, 0.5)
        XCTAssertEqual(loop.best?.metadata["period"], "2")
        XCTAssertEqual([written, done, task.begun], [4, 4, 4])
        XCTAssertEqual(task.batches, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
        let onDisk = try Checkpoint.read(from: url)
        XCTAssertEqual(onDisk.metadata["training_step"], "12")
        XCTAssertEqual(onDisk.metadata["best_accuracy"], "0.5")

        // The state comes back in a fresh loop; the stopped run stays stopped.
        let again = makeLoop(seed: 2)
        try again.restore(from: onDisk, source: url.path, scores: loop.scores)
        XCTAssertEqual(again.step, 12)
        XCTAssertEqual(again.bestScore, 0.5)
        XCTAssertEqual(again.optimizer.stepCount, loop.optimizer.stepCount)
        XCTAssertEqual(again.model.parameters[0].value.toArray(), loop.model.parameters[0].value.toArray())
        XCTAssertEqual(try again.best?.encoded(), try loop.best?.encoded())
        XCTAssertTrue(again.stoppedEarly(patience: 2))
        try again.run(task, plan: plan(periods: 5, every: 3, total: 100, patience: 2),
                      bestModel: { _, _ in XCTFail("a stopped run trained on"); return Checkpoint(model: again.model) })
        XCTAssertEqual(again.step, 12)
    }

    /// The total step count cuts the last period short; the run still validates at its end.
    func testTotalStepsEndTheLastPeriodEarly() throws {
        let loop = makeLoop(), task = ScriptedTask(backend: cpu, script: [0.1, 0.1, 0.1])
        var validatedAt: [Int] = [], keptCount = 0
        var p = plan(periods: .max, every: 4, total: 6)
        p.keepsLatest = true
        try loop.run(task, plan: p, validated: { period, _ in validatedAt.append(period.step) },
                     bestModel: { _, _ in keptCount += 1; return Checkpoint(model: loop.model) })
        XCTAssertEqual(validatedAt, [4, 6])
        XCTAssertEqual(keptCount, 2, "keepsLatest keeps a model that does not beat the best")
        XCTAssertEqual(task.batches, [0, 1, 2, 3, 0, 1])
    }

    func testAnInterruptedRunWritesNothing() throws {
        let loop = makeLoop(), task = ScriptedTask(backend: cpu, script: [0.1])
        let url = try temporaryDirectory(self).appendingPathComponent("run.ckpt")
        XCTAssertThrowsError(try loop.run(task, plan: plan(periods: 2, every: 3, total: 6), shouldStop: { loop.step >= 2 },
                                          bestModel: { _, _ in Checkpoint(model: loop.model) },
                                          checkpoint: (url: url, state: { Checkpoint(model: loop.model) }))) { error in
            guard case TrainingError.interrupted(epochsDone: 0)? = error as? TrainingError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(loop.step, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    /// A loss that is not finite, recorded on the device, ends the run within `StepRecord.readEvery` steps,
    /// naming its own step and learning rate as when every step was read; nothing after it is reported.
    func testALossThatIsNotFiniteEndsTheRunAtItsStep() throws {
        let loop = makeLoop(), task = ScriptedTask(backend: cpu, script: [0.1])
        task.nanAtBatch = 5
        var reported: [Int] = []
        XCTAssertThrowsError(try loop.run(task, plan: plan(periods: 1, every: 40, total: 40),
                                          progress: { reported.append($0.step) },
                                          bestModel: { _, _ in Checkpoint(model: loop.model) })) { error in
            guard case TrainingError.diverged(step: 5, learningRate: 0.05)? = error as? TrainingError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual("\(error)", "training diverged at step 5 (loss is not finite; learning rate 0.05): try a lower --lr")
        }
        XCTAssertEqual(reported, [1, 2, 3, 4])
        XCTAssertEqual(loop.step, StepRecord.readEvery, "the run stopped at the first read of the record")
    }
}
