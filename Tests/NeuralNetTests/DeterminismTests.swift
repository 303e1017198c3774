import Foundation
import NeuralNet
import XCTest

/// Same seed, same run: initial weights and the loss of every Adam step repeat bit for bit on the
/// CPU backend (dropout included); learning-rate schedules give the values worked out by hand.
final class DeterminismTests: XCTestCase {
    static let specs: [LayerSpec] = [
        .conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 4), .relu,
        .maxPool2d(kernelSize: 2, stride: 2),
        .conv2d(inChannels: 4, outChannels: 6, kernelSize: 3, stride: 1, padding: 1), .relu,
        .flatten, .dropout(probability: 0.3), .linear(inFeatures: 6 * 5 * 5, outFeatures: 16), .relu,
        .dropout(probability: 0.2), .linear(inFeatures: 16, outFeatures: 4),
    ]

    func makeModel(seed: UInt64, backend: CPUBackend) -> Sequential {
        Sequential(specs: Self.specs, inputShape: [1, 10, 10], backend: backend, seed: seed)
    }

    func weights(_ model: Sequential) -> [[UInt32]] {
        model.namedTensors.map { $0.tensor.toArray().map(\.bitPattern) }
    }

    /// Losses of `steps` Adam steps on a fixed batch, with the final weights.
    func train(seed: UInt64, steps: Int = 20) -> (losses: [Float], weights: [[UInt32]]) {
        let backend = CPUBackend(threads: 2)
        let model = makeModel(seed: seed, backend: backend)
        var rng = SeededGenerator(seed: 99)  // the data do not depend on the model's seed
        let x = Tensor((0..<(8 * 100)).map { _ in rng.nextNormal() }, shape: [8, 1, 10, 10], on: backend)
        let y = Tensor((0..<8).map { Float($0 % 4) }, shape: [8], on: backend)
        let adam = Adam(learningRate: 3e-3, weightDecay: 1e-2)
        let loss = CrossEntropyLoss(backend: backend)
        var losses: [Float] = []
        for _ in 0..<steps {
            let (value, gradient) = loss(logits: model.forward(x, training: true), labels: y)
            model.backward(gradient)
            adam.update(model.parameters)
            losses.append(value)
        }
        return (losses, weights(model))
    }

    func testSameSeedSameInitialWeights() {
        let a = makeModel(seed: 5, backend: CPUBackend(threads: 2))
        let b = makeModel(seed: 5, backend: CPUBackend(threads: 1))
        XCTAssertEqual(weights(a), weights(b))
        XCTAssertEqual(a.layers.compactMap { ($0 as? Dropout)?.seed }, b.layers.compactMap { ($0 as? Dropout)?.seed })
    }

    func testDifferentSeedDifferentWeights() {
        let a = makeModel(seed: 5, backend: CPUBackend(threads: 2))
        let b = makeModel(seed: 6, backend: CPUBackend(threads: 2))
        for ((name, ta), (_, tb)) in zip(a.namedTensors, b.namedTensors) where name.hasSuffix("weight") && !name.hasPrefix("1.") {
            XCTAssertNotEqual(ta.toArray(), tb.toArray(), name)
        }
        XCTAssertNotEqual(a.layers.compactMap { ($0 as? Dropout)?.seed }, b.layers.compactMap { ($0 as? Dropout)?.seed })
    }

    func testSameSeedSameLossSequence() {
        let first = train(seed: 5), second = train(seed: 5)
        XCTAssertEqual(first.losses.count, 20)
        XCTAssertEqual(first.losses.map(\.bitPattern), second.losses.map(\.bitPattern), "\(first.losses) vs \(second.losses)")
        XCTAssertEqual(first.weights, second.weights)
        XCTAssertTrue(first.losses.allSatisfy(\.isFinite))
        XCTAssertLessThan(first.losses.last!, first.losses.first!, "20 Adam steps on one batch should lower the loss")
        let other = train(seed: 6)
        XCTAssertNotEqual(first.losses, other.losses)
    }

    func testDropoutMasksChangeBetweenStepsButRepeatAcrossRuns() {
        let backend = CPUBackend(threads: 2)
        let a = Dropout(probability: 0.5, seed: 77, backend: backend)
        let b = Dropout(probability: 0.5, seed: 77, backend: backend)
        let x = Tensor([Float](repeating: 1, count: 64), shape: [64], on: backend)
        let a1 = a.forward(x, training: true).toArray(), a2 = a.forward(x, training: true).toArray()
        let b1 = b.forward(x, training: true).toArray(), b2 = b.forward(x, training: true).toArray()
        XCTAssertEqual(a1, b1)
        XCTAssertEqual(a2, b2)
        XCTAssertNotEqual(a1, a2, "a fresh mask every training forward")
        XCTAssertTrue(a1.allSatisfy { $0 == 0 || $0 == 2 })
        XCTAssertEqual(a.forward(x, training: false).toArray(), [Float](repeating: 1, count: 64), "identity at inference")
    }

    // MARK: Learning-rate schedules

    func assertRate(_ s: LearningRateSchedule, _ step: Int, _ expected: Float, line: UInt = #line) {
        XCTAssertEqual(s.rate(at: step), expected, accuracy: 1e-6 * max(1, abs(expected)), "step \(step)", line: line)
    }

    func testCosineSchedule() {
        let s = LearningRateSchedule.cosine(peak: 1, warmupSteps: 10, totalSteps: 110, finalFraction: 0.01)
        // Warm-up: linear from peak/10 at step 0 to the peak at step 9.
        assertRate(s, 0, 0.1)
        assertRate(s, 4, 0.5)
        assertRate(s, 9, 1)
        // Decay: peak at the end of warm-up, half-way 0.01 + 0.99/2, floor 0.01 at the end and after.
        assertRate(s, 10, 1)
        assertRate(s, 35, 0.01 + 0.99 * 0.5 * (1 + 0.70710678))  // a quarter of the way: cos(π/4)
        assertRate(s, 60, 0.505)
        assertRate(s, 85, 0.01 + 0.99 * 0.5 * (1 - 0.70710678))
        assertRate(s, 110, 0.01)
        assertRate(s, 500, 0.01)
        for step in 10..<110 { XCTAssertGreaterThanOrEqual(s.rate(at: step), s.rate(at: step + 1), "decays monotonically") }

        let noWarmup = LearningRateSchedule.cosine(peak: 2, warmupSteps: 0, totalSteps: 10, finalFraction: 0.5)
        assertRate(noWarmup, 0, 2)
        assertRate(noWarmup, 5, 1.5)
        assertRate(noWarmup, 10, 1)
    }

    func testOneCycleSchedule() {
        let s = LearningRateSchedule.oneCycle(peak: 1, totalSteps: 100)
        // Rise over 30 steps from peak/25.
        assertRate(s, 0, 0.04)
        assertRate(s, 15, 0.52)
        assertRate(s, 29, 0.04 + 0.96 * 29 / 30)
        // Peak, then cosine to peak/1e4.
        assertRate(s, 30, 1)
        assertRate(s, 65, 0.0001 + 0.9999 * 0.5)
        assertRate(s, 100, 0.0001)
        assertRate(s, 1000, 0.0001)

        let scaled = LearningRateSchedule.oneCycle(peak: 0.5, totalSteps: 10)
        assertRate(scaled, 0, 0.02)
        assertRate(scaled, 3, 0.5)
        assertRate(scaled, 10, 0.00005)
    }

    func testConstantSchedule() {
        let s = LearningRateSchedule.constant(0.3)
        for step in [0, 1, 1000] { assertRate(s, step, 0.3) }
    }
}
