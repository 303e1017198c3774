import NeuralNet
import XCTest

/// `Sequential.foldedForInference` (batch norm folded into convolutions, ReLU fused, dropout left
/// out) against the network's own inference forward, and the CPU's fused conv + ReLU; a linear layer
/// taking the ReLU after it.
final class InferenceFoldingTests: XCTestCase {
    let backend = CPUBackend(threads: 2)

    func values(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: range, using: &rng) }
    }

    /// A small CNN whose batch norms have non-trivial statistics, as after training.
    func network() -> Sequential {
        let net = Sequential(specs: [
            .conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 4), .relu,
            .maxPool2d(kernelSize: 2, stride: 2),
            .conv2d(inChannels: 4, outChannels: 6, kernelSize: 3, stride: 1, padding: 0), .batchNorm2d(channels: 6), .relu,
            .conv2d(inChannels: 6, outChannels: 3, kernelSize: 1, stride: 1, padding: 0),
            .flatten, .dropout(probability: 0.5), .linear(inFeatures: 3 * 3 * 3, outFeatures: 5),
        ], inputShape: [2, 10, 10], backend: backend, seed: 3)
        for (i, layer) in net.layers.enumerated() {
            guard let bn = layer as? BatchNorm2d else { continue }
            let c = bn.channels, s = UInt64(i) * 10
            bn.gamma.value.copy(from: values(c, seed: s + 1, in: 0.5...2))
            bn.beta.value.copy(from: values(c, seed: s + 2))
            bn.runningMean.copy(from: values(c, seed: s + 3))
            bn.runningVar.copy(from: values(c, seed: s + 4, in: 0.1...3))
        }
        return net
    }

    func testFoldedNetworkComputesTheSameOutputs() {
        let net = network()
        let x = Tensor(values(7 * 200, seed: 9), shape: [7, 2, 10, 10], on: backend)
        let expected = net.forward(x, training: false).toArray()
        let folded = net.foldedForInference()
        let got = folded.forward(x, training: false).toArray()
        XCTAssertEqual(got.count, expected.count)
        let scale = expected.map(abs).max()!
        for (a, b) in zip(got, expected) { XCTAssertEqual(a, b, accuracy: 1e-5 * scale) }
        // conv+BN+ReLU, pool, conv+BN+ReLU, conv, flatten, linear: batch norms, ReLUs and dropout gone.
        XCTAssertEqual(folded.layers.count, 6)
        XCTAssertFalse(folded.layers.contains { $0 is BatchNorm2d || $0 is ReLU || $0 is Dropout })
        XCTAssertEqual(folded.layers.compactMap { ($0 as? Conv2d)?.fusesReLU }, [true, true, false])
    }

    /// A ReLU after a linear layer runs in its output pass (`Linear.fusesReLU`), the last one not.
    func testLinearTakesTheReLUAfterIt() {
        let net = Sequential(specs: [.flatten, .linear(inFeatures: 12, outFeatures: 9), .relu, .dropout(probability: 0.5),
                                     .linear(inFeatures: 9, outFeatures: 4)],
                             inputShape: [3, 2, 2], backend: backend, seed: 5)
        let x = Tensor(values(6 * 12, seed: 8), shape: [6, 3, 2, 2], on: backend)
        let expected = net.forward(x, training: false).toArray()
        let folded = net.foldedForInference()
        XCTAssertEqual(folded.layers.compactMap { ($0 as? Linear)?.fusesReLU }, [true, false])
        XCTAssertFalse(folded.layers.contains { $0 is ReLU || $0 is Dropout })
        XCTAssertEqual(folded.forward(x, training: false).toArray(), expected)
    }

    func testFoldedNetworkIsASnapshot() {
        let net = network()
        let x = Tensor(values(3 * 200, seed: 4), shape: [3, 2, 10, 10], on: backend)
        let folded = net.foldedForInference()
        let before = folded.forward(x, training: false).toArray()
        for p in net.parameters { p.value.copy(from: [Float](repeating: 0, count: p.value.count)) }
        XCTAssertEqual(folded.forward(x, training: false).toArray(), before)
        XCTAssertNotEqual(net.forward(x, training: false).toArray(), before)
    }

    /// One image per GEMM (wide outputs) and grouped images (narrow ones): the fused pass gives
    /// exactly `conv2dForward` followed by `reluForward`.
    func testFusedReLUEqualsConvolutionThenReLU() {
        for g in [Conv2dGeometry(batch: 3, inChannels: 3, inHeight: 28, inWidth: 30, outChannels: 5, kernelSize: 3, stride: 1, padding: 1),
                  Conv2dGeometry(batch: 9, inChannels: 4, inHeight: 7, inWidth: 12, outChannels: 6, kernelSize: 7, stride: 1, padding: 0)] {
            let outCount = g.batch * g.outChannels * g.outHeight * g.outWidth
            let x = Tensor(values(g.batch * g.inChannels * g.inHeight * g.inWidth, seed: 1), shape: [g.batch, g.inChannels, g.inHeight, g.inWidth], on: backend)
            let w = Tensor(values(g.weightCount, seed: 2), shape: [g.weightCount], on: backend)
            let b = Tensor(values(g.outChannels, seed: 3), shape: [g.outChannels], on: backend)
            let plain = Tensor(zeros: [outCount], on: backend), fused = Tensor(zeros: [outCount], on: backend)
            backend.conv2dForward(x: x.buffer, weight: w.buffer, bias: b.buffer, y: plain.buffer, geometry: g)
            backend.reluForward(x: plain.buffer, y: plain.buffer, count: outCount)
            backend.conv2dForwardReLU(x: x.buffer, weight: w.buffer, bias: b.buffer, y: fused.buffer, geometry: g)
            XCTAssertEqual(fused.toArray(), plain.toArray(), "\(g)")
            XCTAssertTrue(plain.toArray().contains(0) && plain.toArray().contains { $0 > 0 })
        }
    }
}
