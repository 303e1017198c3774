import Foundation
import NeuralNet
import XCTest

/// Matches a small network against values PyTorch 2.13 (CPU, float32) computed once:
/// `Scripts/make_golden.py` wrote `Fixtures/golden-small-net.json`.
/// Tolerances: max |Δ| ≤ 1e-4 for logits and loss, ≤ 1e-4 relative-to-scale for gradients and
/// for the weights after one AdamW step (lr 0.01, weight decay 0.01 on conv/linear weights).
final class PyTorchGoldenTests: XCTestCase {
    struct Fixture: Decodable {
        struct Named: Decodable { var shape: [Int]; var values: [Float] }
        var input_shape: [Int]
        var input: [Float]
        var labels: [Int]
        var initial: [String: Named]
        var logits: [Float]
        var loss: Float
        var grads: [String: [Float]]
        var after_step: [String: [Float]]
    }

    static let specs: [LayerSpec] = [
        .conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, stride: 1, padding: 1),
        .relu, .batchNorm2d(channels: 4), .maxPool2d(kernelSize: 2, stride: 2), .flatten,
        .linear(inFeatures: 48, outFeatures: 5),
    ]

    func loadFixture() throws -> Fixture {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "golden-small-net", withExtension: "json",
                                                  subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func assertClose(_ a: [Float], _ b: [Float], _ tolerance: Float, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        let scale = max(1, b.map(abs).max() ?? 1)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance * scale, "\(what): max |Δ| = \(worst)", file: file, line: line)
    }

    func testOneAdamWStepMatchesPyTorch() throws {
        let f = try loadFixture()
        let cpu = CPUBackend(threads: 2)
        let model = Sequential(specs: Self.specs, inputShape: Array(f.input_shape.dropFirst()), backend: cpu, seed: 0)
        for (name, tensor) in model.namedTensors {
            let stored = try XCTUnwrap(f.initial[name], "fixture lacks \(name)")
            XCTAssertEqual(stored.shape, tensor.shape, name)
            tensor.copy(from: stored.values)
        }
        let x = Tensor(f.input, shape: f.input_shape, on: cpu)
        let labels = Tensor(f.labels.map(Float.init), shape: [f.labels.count], on: cpu)
        let logits = model.forward(x, training: true)
        assertClose(logits.toArray(), f.logits, 1e-4, "logits")
        let (loss, grad) = crossEntropy(logits: logits, labels: labels)
        XCTAssertEqual(loss, f.loss, accuracy: 1e-4)
        model.backward(grad)
        for (name, p) in model.namedParameters {
            assertClose(p.grad.toArray(), try XCTUnwrap(f.grads[name]), 1e-4, "grad \(name)")
        }
        let adam = Adam(learningRate: 0.01, weightDecay: 0.01)
        adam.update(model.parameters)
        for (name, tensor) in model.namedTensors {
            assertClose(tensor.toArray(), try XCTUnwrap(f.after_step[name]), 1e-4, "after step \(name)")
        }
    }
}
