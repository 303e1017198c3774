import NeuralNet
import NeuralNetOpenCL
import XCTest

/// Dense, convolution, pooling and batch-norm ops, forward and backward: OpenCL against CPUBackend.
/// Output buffers start with random garbage to check that every op overwrites them.
final class LayerParityTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    /// Both kernel paths (`cpu` and `tiled`), as for convolutions.
    func testLinear() throws {
        let device = try TestDevice.backend().device
        for path in [OpenCLBackend.KernelPath.cpu, .tiled] {
            try checkLinear(OpenCLBackend(device: device, kernelPath: path))
        }
    }

    func checkLinear(_ cl: OpenCLBackend) {
        for (batch, inF, outF) in [(1, 3, 5), (7, 33, 65), (128, 300, 26), (3, 1568, 128), (65, 17, 1), (0, 4, 3)] {
            let ctx = "batch \(batch) in \(inF) out \(outF) path \(cl.kernelPath)"
            let x = Pair(randomValues(batch * inF, seed: 1), cpu: cpu, cl: cl)
            let w = Pair(randomValues(outF * inF, seed: 2), cpu: cpu, cl: cl)
            let b = Pair(randomValues(outF, seed: 3), cpu: cpu, cl: cl)
            let y = Pair(randomValues(batch * outF, seed: 4), cpu: cpu, cl: cl)
            cpu.linearForward(x: x.cpu, weight: w.cpu, bias: b.cpu, y: y.cpu, batch: batch, inFeatures: inF, outFeatures: outF)
            cl.linearForward(x: x.cl, weight: w.cl, bias: b.cl, y: y.cl, batch: batch, inFeatures: inF, outFeatures: outF)
            assertParity("linear_forward", y.clValues, y.cpuValues, tolerance: 1e-8, ctx)

            let dy = Pair(randomValues(batch * outF, seed: 5), cpu: cpu, cl: cl)
            let dx = Pair(randomValues(batch * inF, seed: 6), cpu: cpu, cl: cl)
            cpu.linearBackwardInput(dy: dy.cpu, weight: w.cpu, dx: dx.cpu, batch: batch, inFeatures: inF, outFeatures: outF)
            cl.linearBackwardInput(dy: dy.cl, weight: w.cl, dx: dx.cl, batch: batch, inFeatures: inF, outFeatures: outF)
            assertParity("linear_backward_input", dx.clValues, dx.cpuValues, tolerance: 1e-8, ctx)

            let dw = Pair(randomValues(outF * inF, seed: 7), cpu: cpu, cl: cl)
            let db = Pair(randomValues(outF, seed: 8), cpu: cpu, cl: cl)
            cpu.linearBackwardWeight(x: x.cpu, dy: dy.cpu, dWeight: dw.cpu, dBias: db.cpu,
                                     batch: batch, inFeatures: inF, outFeatures: outF)
            cl.linearBackwardWeight(x: x.cl, dy: dy.cl, dWeight: dw.cl, dBias: db.cl,
                                    batch: batch, inFeatures: inF, outFeatures: outF)
            assertParity("linear_backward_weight (dW)", dw.clValues, dw.cpuValues, tolerance: 1e-8, ctx)
            assertParity("linear_backward_weight (dBias)", db.clValues, db.cpuValues, tolerance: 1e-8, ctx)
        }
    }

    /// Kernel 1/3/5, stride 1/2, padding 0/1/2, odd batches, channel counts on both sides of the
    /// direct/GEMM switch, chunked im2col, and sizes that are not multiples of the tiles.
    static let convGeometries: [Conv2dGeometry] = [
        Conv2dGeometry(batch: 3, inChannels: 1, inHeight: 13, inWidth: 13, outChannels: 5, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 3, inHeight: 9, inWidth: 11, outChannels: 7, kernelSize: 5, stride: 2, padding: 2),
        Conv2dGeometry(batch: 5, inChannels: 10, inHeight: 8, inWidth: 8, outChannels: 33, kernelSize: 1, stride: 1, padding: 0),
        Conv2dGeometry(batch: 1, inChannels: 9, inHeight: 7, inWidth: 6, outChannels: 3, kernelSize: 3, stride: 2, padding: 0),
        Conv2dGeometry(batch: 2, inChannels: 12, inHeight: 10, inWidth: 10, outChannels: 20, kernelSize: 5, stride: 1, padding: 2),
        Conv2dGeometry(batch: 3, inChannels: 16, inHeight: 9, inWidth: 9, outChannels: 8, kernelSize: 3, stride: 2, padding: 1),
        Conv2dGeometry(batch: 4, inChannels: 16, inHeight: 14, inWidth: 14, outChannels: 32, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 17, inChannels: 8, inHeight: 28, inWidth: 28, outChannels: 16, kernelSize: 3, stride: 1, padding: 1),
        // Rows of at least 16 (padded): the cpu path's direct weight gradient, with 25 taps (three
        // passes), one tap, no padding, and an odd number of output channels.
        Conv2dGeometry(batch: 3, inChannels: 4, inHeight: 16, inWidth: 17, outChannels: 5, kernelSize: 5, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 5, inHeight: 16, inWidth: 16, outChannels: 7, kernelSize: 1, stride: 1, padding: 0),
        Conv2dGeometry(batch: 9, inChannels: 3, inHeight: 18, inWidth: 20, outChannels: 6, kernelSize: 3, stride: 1, padding: 0),
        // The context strip reader's convolutions over positions: one row, padded above and below.
        Conv2dGeometry(batch: 3, inChannels: 24, inHeight: 1, inWidth: 37, outChannels: 24, kernelSize: 3, stride: 1, padding: 1),
        // Several im2col chunks on the cpu path (OpenCLBackend.im2colBudget), the last one partial.
        Conv2dGeometry(batch: 40, inChannels: 32, inHeight: 28, inWidth: 28, outChannels: 16, kernelSize: 3, stride: 1, padding: 1),
    ]

    /// Both kernel paths (`cpu` and `tiled`) on the test device, whichever it would pick by default.
    func testConv2d() throws {
        let device = try TestDevice.backend().device
        for path in [OpenCLBackend.KernelPath.cpu, .tiled] {
            try checkConv2d(OpenCLBackend(device: device, kernelPath: path))
        }
    }

    func checkConv2d(_ cl: OpenCLBackend) {
        for (i, g) in Self.convGeometries.enumerated() {
            let ctx = "N\(g.batch) C\(g.inChannels) \(g.inHeight)x\(g.inWidth) O\(g.outChannels) k\(g.kernelSize) "
                + "s\(g.stride) p\(g.padding) path \(cl.kernelPath)"
            let s = UInt64(10 * i)
            let x = Pair(randomValues(g.inputCount, seed: s + 1), cpu: cpu, cl: cl)
            let w = Pair(randomValues(g.weightCount, seed: s + 2), cpu: cpu, cl: cl)
            let b = Pair(randomValues(g.outChannels, seed: s + 3), cpu: cpu, cl: cl)
            let y = Pair(randomValues(g.outputCount, seed: s + 4), cpu: cpu, cl: cl)
            cpu.conv2dForward(x: x.cpu, weight: w.cpu, bias: b.cpu, y: y.cpu, geometry: g)
            cl.conv2dForward(x: x.cl, weight: w.cl, bias: b.cl, y: y.cl, geometry: g)
            assertParity("conv2d_forward", y.clValues, y.cpuValues, tolerance: 1e-8, ctx)
            // CPUBackend fuses the ReLU into its bias pass; OpenCL runs the protocol's default (conv, then ReLU).
            cpu.conv2dForwardReLU(x: x.cpu, weight: w.cpu, bias: b.cpu, y: y.cpu, geometry: g)
            cl.conv2dForwardReLU(x: x.cl, weight: w.cl, bias: b.cl, y: y.cl, geometry: g)
            assertParity("conv2d_forward (fused ReLU)", y.clValues, y.cpuValues, tolerance: 1e-8, ctx)
            XCTAssertTrue(y.cpuValues.allSatisfy { $0 >= 0 }, "ReLU applied: \(ctx)")

            let dy = Pair(randomValues(g.outputCount, seed: s + 5), cpu: cpu, cl: cl)
            let dx = Pair(randomValues(g.inputCount, seed: s + 6), cpu: cpu, cl: cl)
            cpu.conv2dBackwardInput(dy: dy.cpu, weight: w.cpu, dx: dx.cpu, geometry: g)
            cl.conv2dBackwardInput(dy: dy.cl, weight: w.cl, dx: dx.cl, geometry: g)
            assertParity("conv2d_backward_input", dx.clValues, dx.cpuValues, tolerance: 1e-8, ctx)

            let dw = Pair(randomValues(g.weightCount, seed: s + 7), cpu: cpu, cl: cl)
            let db = Pair(randomValues(g.outChannels, seed: s + 8), cpu: cpu, cl: cl)
            cpu.conv2dBackwardWeight(x: x.cpu, dy: dy.cpu, dWeight: dw.cpu, dBias: db.cpu, geometry: g)
            cl.conv2dBackwardWeight(x: x.cl, dy: dy.cl, dWeight: dw.cl, dBias: db.cl, geometry: g)
            assertParity("conv2d_backward_weight (dW)", dw.clValues, dw.cpuValues, tolerance: 1e-8, ctx)
            assertParity("conv2d_backward_weight (dBias)", db.clValues, db.cpuValues, tolerance: 1e-8, ctx)
        }
    }

    func testMaxPool2d() throws {
        let cl = try TestDevice.backend()
        let cases = [Pool2dGeometry(batch: 3, channels: 5, inHeight: 9, inWidth: 9, kernelSize: 2, stride: 2),
                     Pool2dGeometry(batch: 2, channels: 3, inHeight: 7, inWidth: 8, kernelSize: 3, stride: 2),
                     Pool2dGeometry(batch: 1, channels: 4, inHeight: 6, inWidth: 5, kernelSize: 3, stride: 1),
                     Pool2dGeometry(batch: 33, channels: 8, inHeight: 28, inWidth: 28, kernelSize: 2, stride: 2),
                     // 17 windows a row: two groups of 8 (the second overlapping), an odd column left over.
                     Pool2dGeometry(batch: 2, channels: 3, inHeight: 17, inWidth: 35, kernelSize: 2, stride: 2)]
        for (i, g) in cases.enumerated() {
            for ties in [false, true] {
                let ctx = "N\(g.batch) C\(g.channels) \(g.inHeight)x\(g.inWidth) k\(g.kernelSize) s\(g.stride) ties \(ties)"
                // With ties, values come from {0, 1, 2}: the first maximum in window order must win.
                let values = randomValues(g.inputCount, seed: UInt64(i)).map { ties ? Float(Int(($0 + 1) * 1.5)) : $0 }
                let x = Pair(values, cpu: cpu, cl: cl)
                let y = Pair(randomValues(g.outputCount, seed: 1), cpu: cpu, cl: cl)
                let idx = Pair(randomValues(g.outputCount, seed: 2), cpu: cpu, cl: cl)
                cpu.maxPool2dForward(x: x.cpu, y: y.cpu, indices: idx.cpu, geometry: g)
                cl.maxPool2dForward(x: x.cl, y: y.cl, indices: idx.cl, geometry: g)
                assertParity("maxpool2d_forward", y.clValues, y.cpuValues, tolerance: 1e-10, ctx)
                XCTAssertEqual(idx.clValues, idx.cpuValues, "maxpool2d indices \(ctx)")
                // Inference: no indices kept, the same outputs.
                let y2 = Pair(randomValues(g.outputCount, seed: 5), cpu: cpu, cl: cl)
                cpu.maxPool2dForward(x: x.cpu, y: y2.cpu, indices: nil, geometry: g)
                cl.maxPool2dForward(x: x.cl, y: y2.cl, indices: nil, geometry: g)
                XCTAssertEqual(y2.cpuValues, y.cpuValues, "maxpool2d without indices (cpu) \(ctx)")
                XCTAssertEqual(y2.clValues, y.clValues, "maxpool2d without indices (opencl) \(ctx)")
                let dy = Pair(randomValues(g.outputCount, seed: 3), cpu: cpu, cl: cl)
                let dx = Pair(randomValues(g.inputCount, seed: 4), cpu: cpu, cl: cl)
                cpu.maxPool2dBackward(dy: dy.cpu, indices: idx.cpu, dx: dx.cpu, geometry: g)
                cl.maxPool2dBackward(dy: dy.cl, indices: idx.cl, dx: dx.cl, geometry: g)
                assertParity("maxpool2d_backward", dx.clValues, dx.cpuValues, tolerance: 1e-10, ctx)
            }
        }
    }

    func testBatchNorm() throws {
        let cl = try TestDevice.backend()
        for (batch, channels, spatial) in [(3, 5, 49), (1, 2, 1000), (7, 3, 1), (2, 4, 300), (16, 8, 196)] {
            let ctx = "N\(batch) C\(channels) spatial \(spatial)"
            let n = batch * channels * spatial
            let x = Pair(randomValues(n, seed: 1, in: -2..<3), cpu: cpu, cl: cl)
            let gamma = Pair(randomValues(channels, seed: 2, in: 0.5..<1.5), cpu: cpu, cl: cl)
            let beta = Pair(randomValues(channels, seed: 3), cpu: cpu, cl: cl)
            let y = Pair(randomValues(n, seed: 4), cpu: cpu, cl: cl)
            let mean = Pair(zeros: channels, cpu: cpu, cl: cl), inv = Pair(zeros: channels, cpu: cpu, cl: cl)
            let rm = Pair(randomValues(channels, seed: 5), cpu: cpu, cl: cl)
            let rv = Pair(randomValues(channels, seed: 6, in: 0.5..<2), cpu: cpu, cl: cl)
            cpu.batchNormForwardTraining(x: x.cpu, gamma: gamma.cpu, beta: beta.cpu, y: y.cpu, mean: mean.cpu,
                                         invStd: inv.cpu, runningMean: rm.cpu, runningVar: rv.cpu, momentum: 0.1,
                                         epsilon: 1e-5, batch: batch, channels: channels, spatial: spatial)
            cl.batchNormForwardTraining(x: x.cl, gamma: gamma.cl, beta: beta.cl, y: y.cl, mean: mean.cl,
                                        invStd: inv.cl, runningMean: rm.cl, runningVar: rv.cl, momentum: 0.1,
                                        epsilon: 1e-5, batch: batch, channels: channels, spatial: spatial)
            assertParity("batchnorm_forward_training (y)", y.clValues, y.cpuValues, tolerance: 1e-8, ctx)
            assertParity("batchnorm_forward_training (mean)", mean.clValues, mean.cpuValues, tolerance: 1e-8, ctx)
            assertParity("batchnorm_forward_training (invStd)", inv.clValues, inv.cpuValues, tolerance: 1e-8, ctx)
            assertParity("batchnorm_forward_training (running)", rm.clValues + rv.clValues, rm.cpuValues + rv.cpuValues,
                         tolerance: 1e-8, ctx)

            cpu.batchNormForwardInference(x: x.cpu, gamma: gamma.cpu, beta: beta.cpu, y: y.cpu, runningMean: rm.cpu,
                                          runningVar: rv.cpu, epsilon: 1e-5, batch: batch, channels: channels, spatial: spatial)
            cl.batchNormForwardInference(x: x.cl, gamma: gamma.cl, beta: beta.cl, y: y.cl, runningMean: rm.cl,
                                         runningVar: rv.cl, epsilon: 1e-5, batch: batch, channels: channels, spatial: spatial)
            assertParity("batchnorm_forward_inference", y.clValues, y.cpuValues, tolerance: 1e-10, ctx)

            let dy = Pair(randomValues(n, seed: 7), cpu: cpu, cl: cl)
            let dx = Pair(randomValues(n, seed: 8), cpu: cpu, cl: cl)
            let dg = Pair(randomValues(channels, seed: 9), cpu: cpu, cl: cl)
            let db = Pair(randomValues(channels, seed: 10), cpu: cpu, cl: cl)
            cpu.batchNormBackward(x: x.cpu, dy: dy.cpu, gamma: gamma.cpu, mean: mean.cpu, invStd: inv.cpu, dx: dx.cpu,
                                  dGamma: dg.cpu, dBeta: db.cpu, batch: batch, channels: channels, spatial: spatial)
            cl.batchNormBackward(x: x.cl, dy: dy.cl, gamma: gamma.cl, mean: mean.cl, invStd: inv.cl, dx: dx.cl,
                                 dGamma: dg.cl, dBeta: db.cl, batch: batch, channels: channels, spatial: spatial)
            assertParity("batchnorm_backward (dx)", dx.clValues, dx.cpuValues, tolerance: 1e-8, ctx)
            assertParity("batchnorm_backward (dGamma, dBeta)", dg.clValues + db.clValues, dg.cpuValues + db.cpuValues,
                         tolerance: 1e-8, ctx)
        }
    }
}
