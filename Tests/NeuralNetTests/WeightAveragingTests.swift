import Foundation
import NeuralNet
import XCTest

/// Weight averaging (`Sequential.loadAverage`) and the re-estimation of batch-norm statistics that
/// follows it (`recalibrateBatchNorm`), checked against sums done here on the host. CPU backend.
final class WeightAveragingTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)
    static let specs: [LayerSpec] = [.conv2d(inChannels: 1, outChannels: 3, kernelSize: 3, stride: 1, padding: 1),
                                     .batchNorm2d(channels: 3), .relu, .flatten, .linear(inFeatures: 3 * 4 * 4, outFeatures: 5)]

    func network(seed: UInt64) -> Sequential { Sequential(specs: Self.specs, inputShape: [1, 4, 4], backend: cpu, seed: seed) }

    func testEveryTensorIsTheMeanOfTheMembers() {
        let members = (1...3).map { network(seed: UInt64($0)) }
        // Give the running statistics distinct values too: they are averaged like the weights.
        for (k, m) in members.enumerated() {
            let bn = m.batchNormLayers[0]
            bn.runningMean.copy(from: [Float(k), 1, -Float(k)]); bn.runningVar.copy(from: [1 + Float(k), 2, 3])
        }
        let averaged = network(seed: 9)
        averaged.loadAverage(of: members)
        for (k, entry) in averaged.namedTensors.enumerated() {
            let values = members.map { $0.namedTensors[k].tensor.toArray() }
            let expected = (0..<entry.tensor.count).map { i in values.map { $0[i] }.reduce(0, +) / 3 }
            assertClose(entry.tensor.toArray().map(Double.init), expected.map(Double.init), 1e-6, entry.name)
        }
        XCTAssertNotEqual(averaged.namedTensors[0].tensor.toArray(), members[0].namedTensors[0].tensor.toArray())
    }

    /// Batch norm as the first layer sees the batches themselves: its new statistics must be the mean
    /// over batches of each batch's per-channel mean and unbiased variance.
    func testRecalibrationIsTheMeanOfTheBatchStatistics() {
        let net = Sequential(specs: [.batchNorm2d(channels: 2), .relu], inputShape: [2, 3, 3], backend: cpu, seed: 1)
        var rng = SeededGenerator(seed: 7)
        let batches = (0..<4).map { b in (0..<(5 * 2 * 9)).map { _ in Float.random(in: -1...3, using: &rng) * Float(b + 1) } }
        var means = [Double](repeating: 0, count: 2), vars = means
        for x in batches {
            for c in 0..<2 {
                let v = (0..<5).flatMap { n in (0..<9).map { Double(x[(n * 2 + c) * 9 + $0]) } }
                let m = v.reduce(0, +) / Double(v.count)
                means[c] += m / 4
                vars[c] += v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1) / 4
            }
        }
        let read = net.recalibrateBatchNorm(batches: batches.map { Tensor($0, shape: [5, 2, 3, 3], on: cpu) })
        XCTAssertEqual(read, 4)
        let bn = net.batchNormLayers[0]
        assertClose(bn.runningMean.toArray().map(Double.init), means, 1e-5, "mean")
        assertClose(bn.runningVar.toArray().map(Double.init), vars, 1e-4, "variance")
    }

    func testNoBatchesLeavesTheStatisticsAlone() {
        let net = network(seed: 2)
        let bn = net.batchNormLayers[0]
        bn.runningMean.copy(from: [0.5, -0.5, 2]); bn.runningVar.copy(from: [3, 4, 5])
        XCTAssertEqual(net.recalibrateBatchNorm(batches: [Tensor]()), 0)
        XCTAssertEqual(bn.runningMean.toArray(), [0.5, -0.5, 2])
        XCTAssertEqual(bn.runningVar.toArray(), [3, 4, 5])
    }

    /// Batch norms inside residual blocks, on both branches, are found and re-estimated.
    func testBatchNormInsideResidualBlocksIsFound() {
        let block = LayerSpec.residual(body: [.conv2d(inChannels: 2, outChannels: 2, kernelSize: 3, stride: 1, padding: 1),
                                              .batchNorm2d(channels: 2)],
                                       shortcut: [.conv2d(inChannels: 2, outChannels: 2, kernelSize: 1, stride: 1, padding: 0),
                                                  .batchNorm2d(channels: 2)])
        let net = Sequential(specs: [.batchNorm2d(channels: 2), block, .relu], inputShape: [2, 4, 4], backend: cpu, seed: 3)
        XCTAssertEqual(net.batchNormLayers.count, 3)
        for bn in net.batchNormLayers { bn.runningVar.copy(from: [100, 100]) }
        net.recalibrateBatchNorm(batches: [Tensor((0..<64).map { Float($0 % 7) / 7 }, shape: [2, 2, 4, 4], on: cpu)])
        for bn in net.batchNormLayers { XCTAssertLessThan(bn.runningVar.toArray().max()!, 10) }
    }

    func assertClose(_ a: [Double], _ b: [Double], _ tolerance: Double, _ what: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, line: line)
        for (x, y) in zip(a, b) where abs(x - y) > tolerance * max(1, abs(y)) {
            XCTFail("\(what): \(a) differs from \(b)", line: line); return
        }
    }
}
