@testable import NeuralNet
import CGemm
import XCTest

/// The CPU backend's special forward kernels, one-row (CPUBackend+OneRow.swift), one-channel
/// (CPUBackend+OneChannel.swift) and row Winograd (CPUBackend+RowWinograd.swift), against the plain im2col + GEMM path (`ConvolutionAlgorithm.direct`)
/// on awkward shapes, with and without the fused ReLU, by the normalized error ‖fast − plain‖ / ‖plain‖;
/// and 2×2 max pooling at inference against the pooling that keeps indices (exactly equal).
///
/// Stated tolerance: 1e-5. The one-row and one-channel paths compute the same products as the plain
/// path (the one-row path leaves out only products with zero padding; the one-channel path fuses each
/// multiply-add), in another order; row Winograd's F(2, 3) transforms only add, subtract and halve.
/// Float32 rounding gives 1e-8 to 1e-6 here, while a wrong tap, shift, edge or weight row gives
/// errors of order 1.
final class ForwardKernelTests: XCTestCase {
    static let tolerance = 1e-5

    /// One-row inputs: the reader's context convolution, another stride, a 5×5 kernel, padding off
    /// centre (row 3 of a 5×5 kernel with stride 3), a one-column output, many images.
    static let oneRow: [Conv2dGeometry] = [
        Conv2dGeometry(batch: 3, inChannels: 192, inHeight: 1, inWidth: 43, outChannels: 192, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 5, inHeight: 1, inWidth: 37, outChannels: 7, kernelSize: 3, stride: 2, padding: 1),
        Conv2dGeometry(batch: 1, inChannels: 3, inHeight: 1, inWidth: 9, outChannels: 4, kernelSize: 5, stride: 1, padding: 2),
        Conv2dGeometry(batch: 2, inChannels: 4, inHeight: 1, inWidth: 11, outChannels: 3, kernelSize: 5, stride: 3, padding: 3),
        Conv2dGeometry(batch: 2, inChannels: 6, inHeight: 1, inWidth: 1, outChannels: 5, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 37, inChannels: 16, inHeight: 1, inWidth: 20, outChannels: 17, kernelSize: 3, stride: 1, padding: 1),
    ]

    /// One-channel inputs: the reader's first layer, the benchmark's, widths below and across 16
    /// columns, 1×1, 5×5 and 7×7 kernels, padding 0 to 3, single rows and columns.
    static let oneChannel: [Conv2dGeometry] = [
        Conv2dGeometry(batch: 3, inChannels: 1, inHeight: 28, inWidth: 196, outChannels: 32, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 5, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 32, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 1, inHeight: 5, inWidth: 7, outChannels: 3, kernelSize: 3, stride: 1, padding: 0),
        Conv2dGeometry(batch: 2, inChannels: 1, inHeight: 9, inWidth: 33, outChannels: 5, kernelSize: 5, stride: 1, padding: 2),
        Conv2dGeometry(batch: 1, inChannels: 1, inHeight: 8, inWidth: 17, outChannels: 2, kernelSize: 7, stride: 1, padding: 3),
        Conv2dGeometry(batch: 3, inChannels: 1, inHeight: 6, inWidth: 16, outChannels: 4, kernelSize: 1, stride: 1, padding: 0),
        Conv2dGeometry(batch: 2, inChannels: 1, inHeight: 13, inWidth: 1, outChannels: 6, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 1, inChannels: 1, inHeight: 4, inWidth: 4, outChannels: 3, kernelSize: 3, stride: 1, padding: 2),
    ]

    /// Kernels covering the input height: the reader's 7×7 head, 3 to 8 taps (lone taps 0, 1, 2 after
    /// the groups of three), odd and even output widths, many images.
    static let rowWinograd: [Conv2dGeometry] = [
        Conv2dGeometry(batch: 2, inChannels: 64, inHeight: 7, inWidth: 49, outChannels: 192, kernelSize: 7, stride: 1, padding: 0),
        Conv2dGeometry(batch: 2, inChannels: 4, inHeight: 5, inWidth: 20, outChannels: 16, kernelSize: 5, stride: 1, padding: 0),
        Conv2dGeometry(batch: 3, inChannels: 6, inHeight: 3, inWidth: 17, outChannels: 16, kernelSize: 3, stride: 1, padding: 0),
        Conv2dGeometry(batch: 1, inChannels: 5, inHeight: 4, inWidth: 12, outChannels: 17, kernelSize: 4, stride: 1, padding: 0),
        Conv2dGeometry(batch: 2, inChannels: 2, inHeight: 8, inWidth: 30, outChannels: 16, kernelSize: 8, stride: 1, padding: 0),
        Conv2dGeometry(batch: 37, inChannels: 3, inHeight: 7, inWidth: 20, outChannels: 16, kernelSize: 7, stride: 1, padding: 0),
    ]

    /// Forward and forward + ReLU of `g` with `algorithm` into outputs that start as garbage.
    func forward(_ g: Conv2dGeometry, _ algorithm: ConvolutionAlgorithm, threads: Int) -> [[Float]] {
        let cpu = CPUBackend(threads: threads)
        cpu.convolutionAlgorithm = algorithm
        var rng = SeededGenerator(seed: UInt64(g.inChannels * 7919 + g.inHeight * 31 + g.inWidth))
        func buffer(_ count: Int) -> DeviceBuffer {
            let values = (0..<count).map { _ in rng.nextNormal() }
            let b = cpu.makeBuffer(count: count)
            values.withUnsafeBufferPointer { cpu.upload($0, to: b) }
            return b
        }
        let x = buffer(g.inputCount), w = buffer(g.weightCount), bias = buffer(g.outChannels)
        let y = buffer(g.outputCount), yr = buffer(g.outputCount)
        cpu.conv2dForward(x: x, weight: w, bias: bias, y: y, geometry: g)
        cpu.conv2dForwardReLU(x: x, weight: w, bias: bias, y: yr, geometry: g)
        return [cpu.download(y), cpu.download(yr)]
    }

    func normalizedError(_ a: [Float], _ b: [Float]) -> Double {
        let num = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let den = b.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (num / max(den, 1e-30)).squareRoot()
    }

    func check(_ geometries: [Conv2dGeometry], kernel: ConvolutionAlgorithm.ForwardKernel) {
        var worst = 0.0
        defer { print("\(kernel) against im2col: worst normalized error \(worst) (tolerance \(Self.tolerance))") }
        for g in geometries {
            XCTAssertEqual(ConvolutionAlgorithm.auto.forwardKernel(g), kernel, "\(g)")
            let plain = forward(g, .direct, threads: 1)
            XCTAssertEqual(plain[0].count, g.outputCount)
            for threads in [1, 2] {
                for (name, (a, b)) in zip(["forward", "forward+relu"], zip(forward(g, .auto, threads: threads), plain)) {
                    let error = normalizedError(a, b)
                    worst = max(worst, error)
                    XCTAssertLessThan(error, Self.tolerance, "\(name) \(g), \(threads) threads")
                }
            }
        }
    }

    func testOneRowMatchesIm2col() { check(Self.oneRow, kernel: .oneRow) }

    /// Every vector path this processor has (AVX-512, AVX2 + FMA, the plain loop) against im2col.
    func testOneChannelMatchesIm2col() {
        defer { lnet_conv1ch_limit_vectors(2) }
        for level: Int32 in [2, 1, 0] {
            lnet_conv1ch_limit_vectors(level)
            check(Self.oneChannel, kernel: .oneChannel)
        }
    }

    func testRowWinogradMatchesIm2col() { check(Self.rowWinograd, kernel: .rowWinograd) }

    /// 2×2 max pooling at inference (no indices, CPUBackend+InferencePool.swift) gives exactly the outputs of
    /// the pooling that keeps indices, on odd and even sizes, planes narrower and wider than 16 outputs,
    /// with ties (values on a coarse grid), over one and two workers.
    func testInferencePoolMatchesIndexedPool() {
        let shapes = [(3, 32, 28, 196), (2, 3, 7, 33), (1, 2, 2, 2), (5, 17, 5, 17), (2, 4, 9, 64)]
        for threads in [1, 2] {
            let cpu = CPUBackend(threads: threads)
            var rng = SeededGenerator(seed: UInt64(threads))
            for (n, c, h, w) in shapes {
                let g = Pool2dGeometry(batch: n, channels: c, inHeight: h, inWidth: w, kernelSize: 2, stride: 2)
                let x = cpu.makeBuffer(count: g.inputCount)
                let values = (0..<g.inputCount).map { _ in Float(Int(rng.nextNormal() * 4)) / 4 }
                values.withUnsafeBufferPointer { cpu.upload($0, to: x) }
                let fast = cpu.makeBuffer(count: g.outputCount), plain = cpu.makeBuffer(count: g.outputCount)
                let indices = cpu.makeBuffer(count: g.outputCount)
                let garbage = [Float](repeating: .nan, count: g.outputCount)
                garbage.withUnsafeBufferPointer { cpu.upload($0, to: fast) }
                cpu.maxPool2dForward(x: x, y: fast, indices: nil, geometry: g)
                cpu.maxPool2dForward(x: x, y: plain, indices: indices, geometry: g)
                XCTAssertEqual(cpu.download(fast), cpu.download(plain), "\(g), \(threads) threads")
            }
        }
    }

    /// Neither path takes shapes it would get wrong, and `direct` always means the plain path.
    func testSpecialPathsOnlyWhereTheyApply() {
        let twoRows = Conv2dGeometry(batch: 1, inChannels: 8, inHeight: 2, inWidth: 9, outChannels: 8, kernelSize: 3, stride: 1, padding: 1)
        let threeOutRows = Conv2dGeometry(batch: 1, inChannels: 8, inHeight: 1, inWidth: 9, outChannels: 8, kernelSize: 3, stride: 1, padding: 2)
        let stridedOneChannel = Conv2dGeometry(batch: 1, inChannels: 1, inHeight: 9, inWidth: 9, outChannels: 8, kernelSize: 3, stride: 2, padding: 1)
        let twoChannels = Conv2dGeometry(batch: 1, inChannels: 2, inHeight: 9, inWidth: 9, outChannels: 8, kernelSize: 3, stride: 1, padding: 1)
        let narrowHead = Conv2dGeometry(batch: 1, inChannels: 64, inHeight: 7, inWidth: 7, outChannels: 192, kernelSize: 7, stride: 1, padding: 0)
        let paddedHead = Conv2dGeometry(batch: 1, inChannels: 64, inHeight: 7, inWidth: 49, outChannels: 192, kernelSize: 7, stride: 1, padding: 1)
        for g in [twoRows, threeOutRows, stridedOneChannel, twoChannels, narrowHead, paddedHead] {
            XCTAssertFalse(ConvolutionAlgorithm.oneRowApplies(g), "\(g)")
            XCTAssertFalse(ConvolutionAlgorithm.oneChannelApplies(g), "\(g)")
            XCTAssertFalse(ConvolutionAlgorithm.rowWinogradApplies(g), "\(g)")
            XCTAssertEqual(ConvolutionAlgorithm.auto.forwardKernel(g), .im2col, "\(g)")
        }
        for g in Self.oneRow + Self.oneChannel + Self.rowWinograd { XCTAssertEqual(ConvolutionAlgorithm.direct.forwardKernel(g), .im2col) }
    }
}
