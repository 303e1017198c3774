import Foundation
import NeuralNet
import XCTest

/// Knowledge distillation's loss per position: against its definition in double precision, against the
/// masked cross-entropy it becomes with α = 0, and against PyTorch (a committed fixture from
/// `Scripts/make_golden_distillation.py`: `cross_entropy` with probability targets and with labels).
final class DistillationLossTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    /// Mean loss and gradient in double from the definition: q = α·softmax(Σ teacher / k) + (1 − α)·onehot,
    /// masked positions keeping α·softmax only; averaged over labelled positions.
    func reference(_ z: [Float], teacher: [Float], teachers k: Int, shape: [Int], targets: [Int], share a: Double) -> (Double, [Double]) {
        let (n, c, p) = (shape[0], shape[1], shape[2] * shape[3])
        let counted = Double(max(targets.filter { $0 >= 0 }.count, 1))
        var total = 0.0, grad = [Double](repeating: 0, count: z.count)
        for b in 0..<n {
            for j in 0..<p {
                let row = (0..<c).map { Double(z[(b * c + $0) * p + j]) }
                let lse = log(row.map(exp).reduce(0, +))
                let tr = (0..<c).map { Double(teacher[(b * p + j) * c + $0]) / Double(k) }
                let te = tr.map(exp), ts = te.reduce(0, +)
                var q = te.map { a * $0 / ts }
                if targets[b * p + j] >= 0 { q[targets[b * p + j]] += 1 - a }
                let qs = q.reduce(0, +)
                for i in 0..<c {
                    total += q[i] * (lse - row[i])
                    grad[(b * c + i) * p + j] = (qs * exp(row[i] - lse) - q[i]) / counted
                }
            }
        }
        return (total / counted, grad)
    }

    func operands(seed: UInt64, shape: [Int], teachers: Int) -> (z: [Float], teacher: [Float], targets: [Int]) {
        var rng = SeededGenerator(seed: seed)
        let (n, c, p) = (shape[0], shape[1], shape[3])
        let z = (0..<(n * c * p)).map { _ in rng.nextNormal() * 4 }
        // Each teacher's log-probabilities, summed.
        var sum = [Float](repeating: 0, count: n * p * c)
        for _ in 0..<teachers {
            for pos in 0..<(n * p) {
                let raw = (0..<c).map { _ in Double(rng.nextNormal() * 3) }
                let lse = log(raw.map(exp).reduce(0, +))
                for i in 0..<c { sum[pos * c + i] += Float(raw[i] - lse) }
            }
        }
        let targets = (0..<(n * p)).map { i in i % 4 == 1 ? -1 : (i * 5 + 2) % c }
        return (z, sum, targets)
    }

    func testMatchesTheDefinitionForOneAndTwoTeachers() {
        let shape = [3, 27, 1, 13]
        for (teachers, share) in [(1, 0.5), (2, 0.3), (2, 1.0)] {
            let (z, t, targets) = operands(seed: UInt64(40 + teachers), shape: shape, teachers: teachers)
            let loss = DistillationLoss(backend: cpu, share: Float(share))
            let (value, gradient) = loss(logits: Tensor(z, shape: shape, on: cpu), teacher: Tensor(t, shape: [3, 13, 27], on: cpu),
                                         teachers: teachers, targets: targets)
            let (expected, expectedGradient) = reference(z, teacher: t, teachers: teachers, shape: shape, targets: targets, share: share)
            XCTAssertEqual(value, expected, accuracy: 1e-5 * expected, "\(teachers) teacher(s), α = \(share)")
            XCTAssertEqual(gradient.shape, shape)
            let worst = zip(gradient.toArray(), expectedGradient).map { abs(Double($0) - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-6, "\(teachers) teacher(s), α = \(share)")
        }
    }

    func testNoShareIsTheMaskedCrossEntropy() {
        let shape = [2, 27, 1, 11]
        let (z, t, targets) = operands(seed: 5, shape: shape, teachers: 2)
        let logits = Tensor(z, shape: shape, on: cpu)
        let (kd, kdGradient) = DistillationLoss(backend: cpu, share: 0)(logits: logits, teacher: Tensor(t, shape: [2, 11, 27], on: cpu),
                                                                      teachers: 2, targets: targets)
        let (plain, plainGradient) = MaskedCrossEntropyLoss(backend: cpu)(logits: logits, targets: targets)
        XCTAssertEqual(kd, plain, accuracy: 1e-6 * plain)
        let worst = zip(kdGradient.toArray(), plainGradient.toArray()).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-7)
    }

    func testATeacherThatAgreesWithTheStudentLeavesOnlyTheLabelsPull() {
        // The student's own log-probabilities as the teacher: at masked positions the gradient vanishes.
        let shape = [1, 5, 1, 4]
        let z: [Float] = (0..<20).map { Float($0 % 7) - 3 }
        var t = [Float](repeating: 0, count: 20)
        for j in 0..<4 {
            let col = (0..<5).map { Double(z[$0 * 4 + j]) }, lse = log(col.map(exp).reduce(0, +))
            for c in 0..<5 { t[j * 5 + c] = Float(col[c] - lse) }
        }
        let (_, g) = DistillationLoss(backend: cpu, share: 0.7)(logits: Tensor(z, shape: shape, on: cpu), teacher: Tensor(t, shape: [1, 4, 5], on: cpu),
                                                              teachers: 1, targets: [2, -1, 0, -1])
        let grad = g.toArray()
        for j in [1, 3] { for c in 0..<5 { XCTAssertEqual(grad[c * 4 + j], 0, accuracy: 1e-7, "masked position \(j)") } }
        XCTAssertNotEqual(grad[2 * 4 + 0], 0)
    }

    func testMatchesPyTorch() throws {
        struct Case: Decodable { var share: Float; var teachers: Int; var loss: Float; var grad: [Float] }
        struct Fixture: Decodable {
            var batch: Int; var classes: Int; var positions: Int
            var logits: [Float]; var teacher: [[Float]]; var labels: [Int]; var cases: [Case]
        }
        let url = try XCTUnwrap(Bundle.module.url(forResource: "golden-distillation", withExtension: "json", subdirectory: "Fixtures"))
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let shape = [f.batch, f.classes, 1, f.positions]
        XCTAssertEqual(f.cases.count, 4)
        for c in f.cases {
            var sum = [Float](repeating: 0, count: f.batch * f.positions * f.classes)
            for k in 0..<c.teachers { for i in sum.indices { sum[i] += f.teacher[k][i] } }
            let (loss, gradient) = DistillationLoss(backend: cpu, share: c.share)(
                logits: Tensor(f.logits, shape: shape, on: cpu), teacher: Tensor(sum, shape: [f.batch, f.positions, f.classes], on: cpu),
                teachers: c.teachers, targets: f.labels)
            XCTAssertEqual(loss, Double(c.loss), accuracy: 1e-5, "α = \(c.share), \(c.teachers) teacher(s)")
            let worst = zip(gradient.toArray(), c.grad).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-6, "gradient at α = \(c.share), \(c.teachers) teacher(s)")
        }
    }
}
