import Foundation
import NeuralNet
import XCTest

/// Label smoothing in the softmax cross-entropy: against PyTorch's `label_smoothing` (a committed fixture
/// from `Scripts/make_golden_smoothing.py`: loss and logit gradient for ε = 0, 0.1, 0.3; max |Δ| ≤ 1e-5),
/// against finite differences of its own loss, and ε = 0 bit for bit the plain loss.
final class LabelSmoothingTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable { var smoothing: Float; var loss: Float; var grad: [Float] }
        var batch: Int, classes: Int
        var logits: [Float]
        var labels: [Int]
        var cases: [Case]
    }

    let cpu = CPUBackend(threads: 1)

    func loadFixture() throws -> Fixture {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "golden-label-smoothing", withExtension: "json",
                                                  subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testMatchesPyTorch() throws {
        let f = try loadFixture()
        XCTAssertEqual(f.cases.map(\.smoothing), [0, 0.1, 0.3])
        let logits = Tensor(f.logits, shape: [f.batch, f.classes], on: cpu)
        let labels = Tensor(f.labels.map(Float.init), shape: [f.batch], on: cpu)
        for c in f.cases {
            let (loss, gradient) = CrossEntropyLoss(backend: cpu, smoothing: c.smoothing)(logits: logits, labels: labels)
            XCTAssertEqual(loss, c.loss, accuracy: 1e-5, "loss at ε = \(c.smoothing)")
            let worst = zip(gradient.toArray(), c.grad).map { abs($0 - $1) }.max()!
            XCTAssertLessThanOrEqual(worst, 1e-6, "gradient at ε = \(c.smoothing)")
        }
        // The smoothed loss differs from the plain one by more than the tolerance: the check can fail.
        XCTAssertGreaterThan(abs(f.cases[1].loss - f.cases[0].loss), 0.01)
    }

    func testGradientMatchesFiniteDifferences() throws {
        var rng = SeededGenerator(seed: 5)
        let (n, c) = (4, 9)
        let z = (0..<(n * c)).map { _ in Float.random(in: -3..<3, using: &rng) }
        let labels = Tensor([2, 8, 0, 5], shape: [n], on: cpu)
        let loss = CrossEntropyLoss(backend: cpu, smoothing: 0.2)
        let gradient = loss(logits: Tensor(z, shape: [n, c], on: cpu), labels: labels).gradient.toArray()
        // Central differences of the same loss, in float32 (hence h = 1e-2 and the 2e-3 tolerance).
        let h: Float = 1e-2
        var worst: Float = 0
        for i in 0..<(n * c) {
            var up = z, down = z
            up[i] += h; down[i] -= h
            let lp = loss(logits: Tensor(up, shape: [n, c], on: cpu), labels: labels).loss
            let lm = loss(logits: Tensor(down, shape: [n, c], on: cpu), labels: labels).loss
            worst = max(worst, abs((lp - lm) / (2 * h) - gradient[i]))
        }
        XCTAssertLessThan(worst, 2e-3, "max |analytic − numeric| = \(worst)")
    }

    func testZeroSmoothingIsThePlainLossBitForBit() {
        var rng = SeededGenerator(seed: 6)
        let z = (0..<(7 * 26)).map { _ in Float.random(in: -10..<10, using: &rng) }
        let logits = Tensor(z, shape: [7, 26], on: cpu)
        let labels = Tensor((0..<7).map { Float($0 * 3) }, shape: [7], on: cpu)
        let plain = crossEntropy(logits: logits, labels: labels)
        let zero = CrossEntropyLoss(backend: cpu, smoothing: 0)(logits: logits, labels: labels)
        XCTAssertEqual(plain.loss.bitPattern, zero.loss.bitPattern)
        XCTAssertEqual(plain.gradient.toArray().map(\.bitPattern), zero.gradient.toArray().map(\.bitPattern))
        let smoothed = CrossEntropyLoss(backend: cpu, smoothing: 0.1)(logits: logits, labels: labels)
        XCTAssertNotEqual(plain.loss, smoothed.loss)
    }
}
