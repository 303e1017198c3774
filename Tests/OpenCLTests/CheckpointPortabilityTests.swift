import BackendChecks
import Foundation
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// A network trained on one backend, saved and loaded on the other, classifies the same way.
final class CheckpointPortabilityTests: XCTestCase {
    static let specs: [LayerSpec] = [
        .conv2d(inChannels: 1, outChannels: 6, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 6), .relu,
        .maxPool2d(kernelSize: 2, stride: 2), .flatten, .dropout(probability: 0.2),
        .linear(inFeatures: 6 * 6 * 6, outFeatures: 4),
    ]

    /// Four classes of 12×12 images: a bright quadrant each, plus noise.
    static func data(count: Int, seed: UInt64) -> (x: [Float], y: [Float]) {
        var rng = SeededGenerator(seed: seed)
        var x = [Float](), y = [Float]()
        for _ in 0..<count {
            let c = Int(rng.next() % 4)
            for r in 0..<12 { for col in 0..<12 {
                let inside = (r < 6) == (c < 2) && (col < 6) == (c % 2 == 0)
                x.append((inside ? 1 : 0) + 0.4 * rng.nextNormal())
            } }
            y.append(Float(c))
        }
        return (x, y)
    }

    func train(on backend: Backend, steps: Int) -> Sequential {
        let model = Sequential(specs: Self.specs, inputShape: [1, 12, 12], backend: backend, seed: 5)
        let loss = CrossEntropyLoss(backend: backend), adam = Adam(learningRate: 0.01)
        for step in 0..<steps {
            let (x, y) = Self.data(count: 16, seed: UInt64(step))
            let logits = model.forward(Tensor(x, shape: [16, 1, 12, 12], on: backend), training: true)
            model.backward(loss(logits: logits, labels: Tensor(y, shape: [16], on: backend)).gradient)
            adam.update(model.parameters)
        }
        return model
    }

    func predictions(_ model: Sequential, _ x: [Float], count: Int) -> [Float] {
        softmaxProbabilities(model.forward(Tensor(x, shape: [count, 1, 12, 12], on: model.backend), training: false))
    }

    func accuracy(_ probs: [Float], _ y: [Float]) -> Double {
        var hits = 0
        for (i, label) in y.enumerated() {
            let row = Array(probs[(i * 4)..<(i * 4 + 4)])
            if row.firstIndex(of: row.max()!) == Int(label) { hits += 1 }
        }
        return Double(hits) / Double(y.count)
    }

    func testCheckpointsMoveBetweenBackends() throws {
        let opencl = try TestDevice.backend()
        let cpu = CPUBackend(threads: 2)
        let (x, y) = Self.data(count: 200, seed: 999)
        for (trainOn, evalOn) in [(cpu as Backend, opencl as Backend), (opencl as Backend, cpu as Backend)] {
            let model = train(on: trainOn, steps: 40)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("portable-\(UUID().uuidString).lnet")
            defer { try? FileManager.default.removeItem(at: url) }
            try Checkpoint(model: model).write(to: url)
            let moved = try Checkpoint.read(from: url).makeModel(on: evalOn, source: url.path)
            let here = predictions(model, x, count: 200), there = predictions(moved, x, count: 200)
            XCTAssertLessThan(normalizedSquaredError(there, here), 1e-10, "\(trainOn.name) → \(evalOn.name)")
            XCTAssertEqual(accuracy(there, y), accuracy(here, y), "\(trainOn.name) → \(evalOn.name)")
            XCTAssertGreaterThan(accuracy(here, y), 0.9, "the network learned the task")
        }
    }
}
