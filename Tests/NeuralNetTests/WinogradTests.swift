import CGemm
@testable import NeuralNet
import XCTest

/// Winograd F(2×2, 3×3) against the direct (im2col) convolution on awkward shapes, forward (with
/// and without the fused ReLU), input gradient, weight gradient and bias gradient, by the
/// normalized error ‖w − d‖ / ‖d‖.
///
/// Stated tolerance: 1e-5. F(2×2, 3×3)'s transforms only add, subtract and halve, so its float32
/// error stays within a few units in the last place of the direct result's (1e-7 to 1e-6 measured
/// here; the weight gradient sums over the whole batch, in another order); a wrong tile offset,
/// edge or transform element gives errors of order 1.
final class WinogradTests: XCTestCase {
    static let tolerance = 1e-5

    /// Odd and even sizes, padding 0/1/2, one and many channels on each side, batch 1, single rows
    /// and columns of tiles, and the benchmark's and the strip reader's layer shapes.
    static let geometries: [Conv2dGeometry] = [
        Conv2dGeometry(batch: 1, inChannels: 1, inHeight: 5, inWidth: 7, outChannels: 1, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 3, inHeight: 9, inWidth: 6, outChannels: 5, kernelSize: 3, stride: 1, padding: 0),
        Conv2dGeometry(batch: 1, inChannels: 1, inHeight: 3, inWidth: 3, outChannels: 4, kernelSize: 3, stride: 1, padding: 0),
        Conv2dGeometry(batch: 3, inChannels: 7, inHeight: 4, inWidth: 11, outChannels: 2, kernelSize: 3, stride: 1, padding: 2),
        Conv2dGeometry(batch: 1, inChannels: 40, inHeight: 13, inWidth: 1, outChannels: 33, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 24, inHeight: 1, inWidth: 37, outChannels: 24, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 5, inChannels: 32, inHeight: 28, inWidth: 28, outChannels: 32, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 64, inHeight: 14, inWidth: 89, outChannels: 64, kernelSize: 3, stride: 1, padding: 1),
        // Many small images: chunks of several images, the last one short (CPUBackend.parallelChunks).
        Conv2dGeometry(batch: 13, inChannels: 4, inHeight: 6, inWidth: 6, outChannels: 3, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 37, inChannels: 16, inHeight: 7, inWidth: 7, outChannels: 17, kernelSize: 3, stride: 1, padding: 1),
    ]

    func values(_ count: Int, _ rng: inout SeededGenerator) -> [Float] { (0..<count).map { _ in rng.nextNormal() } }

    func normalizedError(_ a: [Float], _ b: [Float]) -> Double {
        let num = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let den = b.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (num / max(den, 1e-30)).squareRoot()
    }

    static let outputs = ["forward", "forward+relu", "input gradient", "weight gradient", "bias gradient"]

    /// Runs forward, forward + ReLU, input gradient and weight gradient of `g` with `algorithm` on
    /// fresh buffers (outputs start as garbage, so every element must be written).
    func run(_ g: Conv2dGeometry, _ algorithm: ConvolutionAlgorithm, threads: Int) -> [[Float]] {
        let cpu = CPUBackend(threads: threads)
        cpu.convolutionAlgorithm = algorithm
        var rng = SeededGenerator(seed: UInt64(g.inChannels * 1000 + g.inWidth))
        func buffer(_ v: [Float]) -> DeviceBuffer {
            let b = cpu.makeBuffer(count: v.count)
            v.withUnsafeBufferPointer { cpu.upload($0, to: b) }
            return b
        }
        let x = buffer(values(g.inputCount, &rng)), w = buffer(values(g.weightCount, &rng))
        let bias = buffer(values(g.outChannels, &rng)), dy = buffer(values(g.outputCount, &rng))
        let y = buffer(values(g.outputCount, &rng)), yr = buffer(values(g.outputCount, &rng))
        let dx = buffer(values(g.inputCount, &rng))
        let dw = buffer(values(g.weightCount, &rng)), db = buffer(values(g.outChannels, &rng))
        cpu.conv2dForward(x: x, weight: w, bias: bias, y: y, geometry: g)
        cpu.conv2dForwardReLU(x: x, weight: w, bias: bias, y: yr, geometry: g)
        cpu.conv2dBackwardInput(dy: dy, weight: w, dx: dx, geometry: g)
        cpu.conv2dBackwardWeight(x: x, dy: dy, dWeight: dw, dBias: db, geometry: g)
        return [y, yr, dx, dw, db].map { cpu.download($0) }
    }

    func testWinogradMatchesDirect() {
        var worst = 0.0
        defer { print("Winograd against direct: worst normalized error \(worst) (tolerance \(Self.tolerance))") }
        for g in Self.geometries {
            XCTAssertTrue(ConvolutionAlgorithm.winogradApplies(g))
            let direct = run(g, .direct, threads: 1)
            for (threads, vector) in [(1, true), (2, true), (2, false)] {
                lnet_winograd_allow_avx512(vector ? 1 : 0)
                defer { lnet_winograd_allow_avx512(1) }
                let fast = run(g, .winograd, threads: threads)
                for (name, (a, b)) in zip(Self.outputs, zip(fast, direct)) {
                    let error = normalizedError(a, b)
                    worst = max(worst, error)
                    XCTAssertLessThan(error, Self.tolerance, "\(name) \(g), \(threads) threads, AVX-512 \(vector)")
                }
            }
        }
    }

    /// The AVX-512 transforms (Sources/CGemm/lnet_winograd_avx512.c) do the plain loops' operations in
    /// the same order: forward and input gradient agree bit for bit (so a model's outputs do not
    /// depend on the processor), the weight gradient up to the order of the bias gradient's sum.
    func testVectorTransformsMatchPlainLoops() throws {
        guard GEMM.avx512Available else { throw XCTSkip("no AVX-512 on this processor: only the plain loops run") }
        for g in Self.geometries {
            let vector = run(g, .winograd, threads: 2)
            lnet_winograd_allow_avx512(0)
            defer { lnet_winograd_allow_avx512(1) }
            let plain = run(g, .winograd, threads: 2)
            for (name, (a, b)) in zip(Self.outputs, zip(vector, plain)).prefix(3) {
                XCTAssertEqual(a, b, "\(name) \(g)")
            }
            XCTAssertLessThan(normalizedError(vector[3], plain[3]), Self.tolerance, "weight gradient \(g)")
            XCTAssertLessThan(normalizedError(vector[4], plain[4]), Self.tolerance, "bias gradient \(g)")
        }
    }

    /// `letternet bench --convolutions` times all three passes and leaves the backend's choice as it was.
    func testTimingCoversEveryPass() {
        let cpu = CPUBackend(threads: 2)
        cpu.convolutionAlgorithm = .direct
        let times = cpu.timeConvolution(Self.geometries[8], algorithm: .winograd, repeats: 1)
        for pass in ConvolutionPass.allCases {
            XCTAssertTrue(times[pass] > 0 && times[pass].isFinite, "\(pass): \(times[pass]) s")
        }
        XCTAssertEqual(cpu.convolutionAlgorithm, .direct)
    }

    func testWinogradOnlyWhereItApplies() {
        let strided = Conv2dGeometry(batch: 1, inChannels: 32, inHeight: 8, inWidth: 8, outChannels: 32,
                                     kernelSize: 3, stride: 2, padding: 1)
        let fiveByFive = Conv2dGeometry(batch: 1, inChannels: 32, inHeight: 8, inWidth: 8, outChannels: 32,
                                        kernelSize: 5, stride: 1, padding: 2)
        for g in [strided, fiveByFive] {
            XCTAssertFalse(ConvolutionAlgorithm.winogradApplies(g))
            XCTAssertFalse(ConvolutionAlgorithm.winograd.usesWinograd(g))
        }
        let benchmark = Conv2dGeometry(batch: 128, inChannels: 32, inHeight: 28, inWidth: 28, outChannels: 32,
                                       kernelSize: 3, stride: 1, padding: 1)
        for pass in ConvolutionPass.allCases {
            XCTAssertTrue(ConvolutionAlgorithm.auto.usesWinograd(benchmark, pass: pass), "\(pass)")
            XCTAssertFalse(ConvolutionAlgorithm.direct.usesWinograd(benchmark, pass: pass), "\(pass)")
        }
    }

    /// Finite differences through a Conv2d layer whose backend is forced onto Winograd (forward,
    /// input gradient and weight gradient, odd sizes and both paddings).
    func testGradientsThroughWinograd() {
        let cpu = CPUBackend(threads: 2)
        cpu.convolutionAlgorithm = .winograd
        var rng = SeededGenerator(seed: 3)
        let conv = Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1, backend: cpu, rng: &rng)
        GradientCheck.check(conv, inputShape: [2, 3, 7, 6], backend: cpu)
        let valid = Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 3, padding: 0, backend: cpu, rng: &rng)
        GradientCheck.check(valid, inputShape: [1, 2, 5, 8], backend: cpu)
    }
}
