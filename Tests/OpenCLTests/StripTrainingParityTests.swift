import Letters
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// The strip reader trains through the shared loop with its loss on the backend: a few steps of the
/// fast reader on the CPU and on the OpenCL device give the same losses and weights, float rounding apart.
final class StripTrainingParityTests: XCTestCase {
    /// 52 noisy 28×28 images, two of each class 1…26: a bright bar whose row and column depend on the class.
    static func letters() throws -> LetterDataset {
        var rng = SeededGenerator(seed: 4)
        var images = [Float](), labels = [Int]()
        for i in 0..<52 {
            let c = i % 26
            for r in 0..<28 { for col in 0..<28 {
                let ink = (r / 3 == c % 9) || (col / 3 == c / 3 % 9)
                images.append(min(255, max(0, (ink ? 220 : 10) + 30 * rng.nextNormal())))
            } }
            labels.append(c + 1)
        }
        return try LetterDataset(name: "bars", images: images, labels: labels)
    }

    /// Four steps of batches of 3 strips; the mean loss reported at the last step, and the network.
    /// With `teachers`, the run is distilled (share ½) from that many fast readers made from seeds 21, 22, ….
    func train(on backend: Backend, letters: LetterDataset, prefetch: Bool? = nil, teachers: Int = 0) throws -> (loss: Double, model: Sequential) {
        var o = StripTrainer.Options()
        o.steps = 4; o.batchSize = 3; o.variant = .fast; o.seed = 6
        if teachers > 0 { o.teachers = (0..<teachers).map { "t\($0).lnet" }; o.teacherShare = 0.5 }
        let trainer = StripTrainer(options: o, letters: letters, backend: backend)
        if teachers > 0 {
            try trainer.distil(from: (0..<teachers).map {
                StripReader(width: 150, variant: .fast, backend: backend, seed: UInt64(21 + $0))
            })
        }
        if let prefetch { trainer.prefetchesBatches = prefetch }
        let validation = StripTrainer.Validation(from: letters, count: 2, seed: 1)
        var best = -1.0, losses: [Double] = []
        try trainer.train(every: 4, validation: validation, provenance: Provenance(trainedOn: []), best: &best,
                          progress: { _, loss, _ in losses.append(loss) }, validated: { _, _ in }, save: { _ in })
        XCTAssertEqual(losses.count, 1)
        return (losses[0], trainer.reader.model)
    }

    func testFastReaderStepsMatchAcrossBackends() throws {
        try checkParity(teachers: 0)
    }

    /// A distilled run (two teachers reading each batch on the backend) matches across backends too.
    func testDistilledStepsMatchAcrossBackends() throws {
        try checkParity(teachers: 2)
    }

    func checkParity(teachers: Int) throws {
        let letters = try Self.letters()
        let direct = CPUBackend(threads: 2)
        direct.convolutionAlgorithm = .direct  // the OpenCL kernels convolve directly too
        let cpu = try train(on: direct, letters: letters, teachers: teachers)
        let cl = try train(on: try TestDevice.backend(), letters: letters, teachers: teachers)
        XCTAssertTrue(cpu.loss.isFinite && cpu.loss > 0, "\(cpu.loss)")
        XCTAssertEqual(cl.loss, cpu.loss, accuracy: 1e-4 * cpu.loss)
        for ((name, a), (_, b)) in zip(cl.model.namedParameters, cpu.model.namedParameters) where name.hasSuffix("weight") {
            let x = a.value.toArray(), y = b.value.toArray()
            let diff = zip(x, y).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            let norm = y.reduce(0.0) { $0 + Double($1) * Double($1) }
            XCTAssertLessThan((diff / max(norm, 1e-20)).squareRoot(), 1e-3, name)
        }
    }

    /// On the device each next batch is made on a worker thread while the step before runs (the default
    /// there): the same losses and weights, bit for bit, as batches made between the steps.
    func testBatchesMadeAheadTrainTheSameOnTheDevice() throws {
        let letters = try Self.letters(), device = try TestDevice.backend()
        let ahead = try train(on: device, letters: letters), between = try train(on: device, letters: letters, prefetch: false)
        XCTAssertTrue(StripTrainer(options: .init(), letters: letters, backend: device).prefetchesBatches, "on by default on OpenCL")
        XCTAssertEqual(ahead.loss, between.loss)
        XCTAssertEqual(ahead.model.namedTensors.map { $0.tensor.toArray() }, between.model.namedTensors.map { $0.tensor.toArray() })
    }
}
