import NeuralNet
import XCTest

/// The strip reader's loss on the backend: per-position softmax cross-entropy over the channels of
/// `[N, C, H, W]` logits, masked positions left out, averaged over the targeted ones.
final class MaskedCrossEntropyLossTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    /// Mean loss and gradient in double precision, straight from the definition.
    func reference(_ z: [Float], shape: [Int], targets: [Int]) -> (Double, [Double]) {
        let (n, c, p) = (shape[0], shape[1], shape[2] * shape[3])
        let counted = Double(max(targets.filter { $0 >= 0 }.count, 1))
        var total = 0.0, grad = [Double](repeating: 0, count: z.count)
        for b in 0..<n {
            for j in 0..<p where targets[b * p + j] >= 0 {
                let row = (0..<c).map { Double(z[(b * c + $0) * p + j]) }
                let sum = row.map(exp).reduce(0, +)
                total += log(sum) - row[targets[b * p + j]]
                for k in 0..<c { grad[(b * c + k) * p + j] = (exp(row[k]) / sum - (k == targets[b * p + j] ? 1 : 0)) / counted }
            }
        }
        return (total / counted, grad)
    }

    func testMatchesTheDefinitionAndLeavesMaskedPositionsOut() {
        var rng = SeededGenerator(seed: 11)
        let shape = [3, 27, 1, 13], p = 13
        let z = (0..<(3 * 27 * p)).map { _ in rng.nextNormal() * 4 }
        let targets = (0..<(3 * p)).map { i in i % 4 == 1 ? -1 : (i * 5 + 2) % 27 }
        let loss = MaskedCrossEntropyLoss(backend: cpu)
        let (value, gradient) = loss(logits: Tensor(z, shape: shape, on: cpu), targets: targets)
        let (expected, expectedGradient) = reference(z, shape: shape, targets: targets)
        XCTAssertEqual(value, expected, accuracy: 1e-5 * expected)
        let g = gradient.toArray()
        XCTAssertEqual(gradient.shape, shape)
        for (a, e) in zip(g, expectedGradient) { XCTAssertEqual(Double(a), e, accuracy: 1e-6) }
        for j in 0..<p where targets[j] < 0 {
            XCTAssertTrue((0..<27).allSatisfy { g[$0 * p + j] == 0 }, "masked position \(j) has a gradient")
        }

        // Changing a masked position's logits changes nothing; the buffers are reused for the next call.
        var moved = z
        moved[1] += 100
        let (again, _) = loss(logits: Tensor(moved, shape: shape, on: cpu), targets: targets)
        XCTAssertEqual(again, value)
        // A different width (the strip layouts alternate) gets buffers of its own shape.
        let (narrow, narrowGradient) = loss(logits: Tensor(Array(z.prefix(27 * 5)), shape: [1, 27, 1, 5], on: cpu),
                                            targets: [0, -1, 26, 3, -1])
        XCTAssertEqual(narrow, reference(Array(z.prefix(27 * 5)), shape: [1, 27, 1, 5], targets: [0, -1, 26, 3, -1]).0,
                       accuracy: 1e-5 * narrow)
        XCTAssertEqual(narrowGradient.shape, [1, 27, 1, 5])
    }

    func testNoTargetAtAllGivesZeroLossAndGradient() {
        let z = (0..<40).map { Float($0 % 7) - 3 }
        let (value, gradient) = MaskedCrossEntropyLoss(backend: cpu)(logits: Tensor(z, shape: [2, 4, 1, 5], on: cpu),
                                                                     targets: Array(repeating: -1, count: 10))
        XCTAssertEqual(value, 0)
        XCTAssertEqual(gradient.toArray(), Array(repeating: 0, count: 40))
    }
}
