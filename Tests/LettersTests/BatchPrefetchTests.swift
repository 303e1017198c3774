import Foundation
import NeuralNet
import XCTest
@testable import Letters

/// Batches made on a worker thread while the step before runs (`BatchPrefetch`): made in step order,
/// one at a time, off the calling thread; and both trainers end with bit-identical weights with the
/// worker or without it, also through an interrupted and resumed run.
final class BatchPrefetchTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func testBatchesAreMadeInOrderOnTheWorker() {
        let prefetch = BatchPrefetch<Int>(overlaps: true)
        var made: [Int] = [], taken: [Int] = []
        var onCaller = false
        let lock = NSLock()
        for k in 0..<5 {
            prefetch.start {
                lock.lock(); made.append(k); lock.unlock()
                if Thread.isMainThread { onCaller = true }
                usleep(2000)
                return k * k
            }
            taken.append(prefetch.take())
        }
        XCTAssertEqual(made, [0, 1, 2, 3, 4])
        XCTAssertEqual(taken, [0, 1, 4, 9, 16])
        XCTAssertFalse(onCaller, "a batch was made on the calling thread")

        let serial = BatchPrefetch<String>(overlaps: false)
        var ran = false
        serial.start { ran = true; return "now" }
        XCTAssertTrue(ran, "without overlap the batch is made when it is started")
        XCTAssertEqual(serial.take(), "now")
        serial.start { "dropped" }
        serial.drain()
        serial.start { "next" }
        XCTAssertEqual(serial.take(), "next")
    }

    func stripOptions() -> StripTrainer.Options {
        var o = StripTrainer.Options()
        o.steps = 4; o.batchSize = 2; o.variant = .fast; o.seed = 13
        return o
    }

    func trainStrips(prefetch: Bool, checkpoint: URL? = nil, stopAfter: Int = .max, resume: Bool = false) throws -> [[Float]] {
        let letters = DrawnLetters.dataset(count: 52, classes: 26, seed: 5)
        let validation = StripTrainer.Validation(from: letters, count: 2, seed: 1)
        let t = StripTrainer(options: stripOptions(), letters: letters, backend: cpu)
        t.prefetchesBatches = prefetch
        if resume, let checkpoint { try t.resume(fromFileAt: checkpoint) }
        var best = -1.0
        try t.train(every: 2, validation: validation, provenance: Provenance(trainedOn: []), best: &best, checkpoint: checkpoint,
                    shouldStop: { t.step > stopAfter }, progress: { _, _, _ in }, validated: { _, _ in }, save: { _ in })
        XCTAssertEqual(t.step, 4)
        return t.reader.model.namedTensors.map { $0.tensor.toArray() }
    }

    func testStripTrainerIsTheSameWithTheWorker() throws {
        let serial = try trainStrips(prefetch: false)
        XCTAssertEqual(try trainStrips(prefetch: true), serial)
        // Stopped after step 3, with the batch of step 4 made ahead and dropped; resumed from step 2's checkpoint.
        let ckpt = try temporaryDirectory(self).appendingPathComponent("r.lnet.ckpt")
        XCTAssertThrowsError(try trainStrips(prefetch: true, checkpoint: ckpt, stopAfter: 2)) { error in
            guard case TrainingError.interrupted = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try trainStrips(prefetch: true, checkpoint: ckpt, resume: true), serial)
    }

    func testClassifierTrainerIsTheSameWithTheWorker() throws {
        let data = DrawnLetters.dataset(count: 64, classes: 4, seed: 6)
        func weights(prefetch: Bool) throws -> [[Float]] {
            var o = TrainingOptions()
            o.architecture = .mlp; o.epochs = 2; o.batchSize = 8; o.seed = 4; o.validationFraction = 0.1; o.patience = 0
            let t = Trainer(options: o, images: data.images, labels: data.labels, backend: cpu)
            t.prefetchesBatches = prefetch
            try t.run()
            XCTAssertEqual(t.step, 2 * t.batchesPerEpoch)
            return t.classifier.model.namedTensors.map { $0.tensor.toArray() }
        }
        XCTAssertFalse(Trainer(options: TrainingOptions(), images: data.images, labels: data.labels, backend: cpu).prefetchesBatches,
                       "off on the CPU backend by default")
        XCTAssertEqual(try weights(prefetch: true), try weights(prefetch: false))
    }
}
