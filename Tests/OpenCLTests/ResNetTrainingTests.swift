import BackendChecks
import Letters
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// `--arch resnet` (residual blocks in a letter classifier) trains through `Trainer` on the CPU and
/// on the OpenCL device: the loss falls over a few steps on tiny data, and both backends take the same steps.
final class ResNetTrainingTests: XCTestCase {
    /// 24 noisy 28×28 images (pixels 0…255) of 4 classes, a bright quadrant each; labels 1…4.
    static func data() -> (images: [Float], labels: [Int]) {
        var rng = SeededGenerator(seed: 8)
        var images = [Float](), labels = [Int]()
        for i in 0..<24 {
            let c = i % 4
            for r in 0..<28 { for col in 0..<28 {
                let inside = (r < 14) == (c < 2) && (col < 14) == (c % 2 == 0)
                images.append(min(255, max(0, (inside ? 200 : 20) + 40 * rng.nextNormal())))
            } }
            labels.append(c + 1)
        }
        return (images, labels)
    }

    /// Six steps (two epochs of three batches of 8); the per-step losses and the trained network.
    func train(on backend: Backend) throws -> (losses: [Double], model: Sequential) {
        var o = TrainingOptions()
        o.architecture = .resnet
        o.epochs = 2
        o.batchSize = 8
        o.validationFraction = 0
        o.patience = 0
        o.augmentation = .none
        o.seed = 5
        let (images, labels) = Self.data()
        let trainer = Trainer(options: o, images: images, labels: labels, backend: backend)
        XCTAssertEqual(trainer.totalSteps, 6)
        var losses = [Double]()
        try trainer.run(progress: { losses.append($0.loss) })
        return (losses, trainer.classifier.model)
    }

    func testResNetTrainsOnBothBackends() throws {
        // The OpenCL kernels convolve directly; so does the CPU here, so that six Adam steps compare the
        // same arithmetic (WinogradTests checks the CPU's Winograd path against the direct one).
        let direct = CPUBackend(threads: 2)
        direct.convolutionAlgorithm = .direct
        let cpu = try train(on: direct)
        XCTAssertEqual(cpu.losses.count, 6)
        XCTAssertTrue(cpu.losses.allSatisfy(\.isFinite), "\(cpu.losses)")
        XCTAssertLessThan(cpu.losses.suffix(3).reduce(0, +), cpu.losses.prefix(3).reduce(0, +), "\(cpu.losses)")
        XCTAssertTrue(cpu.model.specs.contains { if case .residual = $0 { return true } else { return false } })

        let cl = try train(on: try TestDevice.backend())
        XCTAssertEqual(cl.losses.count, 6)
        for (a, b) in zip(cl.losses, cpu.losses) { XCTAssertEqual(a, b, accuracy: 1e-3 * abs(b), "\(cl.losses) vs \(cpu.losses)") }
        // Weights agree; a convolution's bias before batch norm does not (its gradient is rounding noise
        // that Adam turns into steps of either sign) and neither do the running means that include it,
        // but the trained networks compute the same (six steps of float rounding apart).
        for ((name, a), (_, b)) in zip(cl.model.namedParameters, cpu.model.namedParameters) where name.hasSuffix("weight") {
            XCTAssertLessThan(normalizedSquaredError(a.value.toArray(), b.value.toArray()), 1e-6, name)
        }
        let pixels = Self.data().images.map { ($0 / 255 - 0.17) / 0.33 }
        let outputs = [cl.model, cpu.model].map { m in
            m.forward(Tensor(pixels, shape: [24] + Architecture.inputShape, on: m.backend), training: false).toArray()
        }
        XCTAssertLessThan(normalizedSquaredError(outputs[0], outputs[1]), 1e-4)
    }
}
