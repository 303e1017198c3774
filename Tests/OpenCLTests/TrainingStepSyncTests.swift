import Letters
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// A training step on the OpenCL device, once warmed up, neither waits for the device nor allocates:
/// its loss and hits stay on the device and are read every `StepRecord.readEvery` steps, and the
/// strip trainer's buffers are reused by capacity while the width changes from step to step. Counted
/// with the backend's `OpenCLCounts` between two calls of `shouldStop`, which comes after every step.
final class TrainingStepSyncTests: XCTestCase {
    /// The counts of each step of the run that `train` makes with the `shouldStop` it is given.
    func stepCounts(on backend: OpenCLBackend, _ train: (_ shouldStop: @escaping () -> Bool) throws -> Void) rethrows
        -> [OpenCLCounts] {
        var last = backend.counts, steps: [OpenCLCounts] = []
        try train {
            let now = backend.counts
            steps.append(now - last)
            last = now
            return false
        }
        return steps
    }

    /// A backend on the test device with the standard tiles, not the tuned ones (how many launches a
    /// step takes depends on the tiles: a dense tile that splits the reduction adds a launch), copying
    /// its batches on the transfer queue.
    func fixedTiles() throws -> OpenCLBackend {
        let device = try TestDevice.backend().device
        let backend = try OpenCLBackend(device: device, denseTiles: .standard, convolutionTile: .convolution(onCPU: device.isCPU))
        backend.copiesAhead = true  // as on a GPU: the batches go on the transfer queue
        return backend
    }

    /// After `warmUp` steps: no allocation, no `clFinish`, and one blocking read
    /// exactly at every `readEvery`-th step (the device's record of the last steps), none elsewhere.
    /// Each step's batch goes in `transferWrites` copies on the transfer queue (`AlternatingInputs`).
    func checkQuiet(_ steps: [OpenCLCounts], warmUp: Int, launchesAtMost: Int, transferWrites: Int, _ what: String) {
        XCTAssertGreaterThan(steps.count, warmUp + StepRecord.readEvery, what)
        for (i, c) in steps.enumerated() where i >= warmUp {
            let reads = (i + 1) % StepRecord.readEvery == 0 ? 1 : 0
            XCTAssertEqual(c.allocations, 0, "\(what) step \(i + 1): \(c)")
            XCTAssertEqual(c.blockingReads, reads, "\(what) step \(i + 1): \(c)")
            XCTAssertEqual(c.finishes, 0, "\(what) step \(i + 1): \(c)")
            XCTAssertLessThanOrEqual(c.launches, launchesAtMost, "\(what) step \(i + 1): \(c)")
            XCTAssertEqual(c.transferWrites, transferWrites, "\(what) step \(i + 1): \(c)")
            XCTAssertEqual(c.queueMarks, 2, "\(what) step \(i + 1): \(c)")
        }
        print("\(what): a step after warm-up: \(steps[warmUp])")
    }

    /// The classifier's trainer (cnn, batches of 8, 40 steps).
    func testClassifierStepNeitherWaitsNorAllocates() throws {
        let backend = try fixedTiles()
        let letters = try StripTrainingParityTests.letters()
        var o = TrainingOptions()
        o.architecture = .cnn; o.epochs = 1; o.batchSize = 8; o.seed = 2; o.validationFraction = 0.1; o.patience = 0
        let trainer = Trainer(options: o, images: letters.images, labels: letters.labels,
                              repeats: Array(repeating: 7, count: letters.count), backend: backend)
        let steps = try stepCounts(on: backend) { stop in try trainer.run(shouldStop: stop) }
        XCTAssertEqual(steps.count, trainer.batchesPerEpoch)
        // Before the step record, a step took 76 launches, 2 blocking reads and 2 blocking writes; 61
        // launches with Adam over 8 tensors a launch, 59 with Adam over one flat buffer.
        // Images and classes are copied on the transfer queue; nothing is written on the compute queue.
        checkQuiet(steps, warmUp: 1, launchesAtMost: 59, transferWrites: 2, "classifier (cnn)")
        XCTAssertTrue(steps.dropFirst().allSatisfy { $0.queuedWrites == 0 }, "\(steps)")
    }

    /// The strip trainer (the fast reader, batches of 3 strips), its width changing at every step.
    func testStripStepNeitherWaitsNorAllocates() throws {
        try checkStripSteps(teachers: 0, launchesAtMost: 51)
    }

    /// A distilled strip step: two teachers read each batch on the device and the loss takes their
    /// scores there; still no wait and no allocation. Each folded fast teacher is 7 launches and a
    /// log-softmax, then one sum: 17 more than the plain step (50 then 67 on PoCL).
    func testDistilledStripStepNeitherWaitsNorAllocates() throws {
        try checkStripSteps(teachers: 2, launchesAtMost: 51 + 17)
    }

    func checkStripSteps(teachers: Int, launchesAtMost: Int) throws {
        let backend = try fixedTiles()
        var o = StripTrainer.Options()
        o.steps = 40; o.batchSize = 3; o.variant = .fast; o.seed = 6
        o.layouts = [[5, 184, 184], [4, 112, 112], [5, 150, 150]]
        if teachers > 0 { o.teachers = (0..<teachers).map { "t\($0).lnet" }; o.teacherShare = 0.5 }
        let letters = try StripTrainingParityTests.letters()
        let trainer = StripTrainer(options: o, letters: letters, backend: backend)
        if teachers > 0 {
            try trainer.distil(from: (0..<teachers).map { StripReader(width: 150, variant: .fast, backend: backend, seed: UInt64(30 + $0)) })
        }
        let validation = StripTrainer.Validation(from: letters, count: 2, seed: 1)
        var best = -1.0
        let steps = try stepCounts(on: backend) { stop in
            try trainer.train(every: 40, validation: validation, provenance: Provenance(trainedOn: []), best: &best,
                              shouldStop: stop, progress: { _, _, _ in }, validated: { _, _ in }, save: { _ in })
        }
        XCTAssertEqual(steps.count, 40)
        // Before the step record, a step took 67 launches, 1 blocking read, 2 blocking writes and 38
        // allocations; 53 launches with Adam over 8 tensors a launch, 51 with Adam over one flat buffer.
        // The strips are copied on the transfer queue; the targets go with the loss, on the compute queue.
        checkQuiet(steps, warmUp: o.layouts.count, launchesAtMost: launchesAtMost, transferWrites: 1,
                   "strip trainer (fast\(teachers > 0 ? ", \(teachers) teachers" : ""))")
    }
}
