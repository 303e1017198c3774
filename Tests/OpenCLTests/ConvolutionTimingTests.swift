import BackendChecks
import Foundation
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// A quick timing of the convolution ops on OpenCL and CPUBackend; runs only when
/// `LETTERNET_OPENCL_TIMING` is set (build with `-c release` for meaningful CPU numbers).
final class ConvolutionTimingTests: XCTestCase {
    func testConvolutionTiming() throws {
        guard ProcessInfo.processInfo.environment["LETTERNET_OPENCL_TIMING"] != nil else {
            throw XCTSkip("set LETTERNET_OPENCL_TIMING=1 to time conv2d on OpenCL and CPU")
        }
        let cl = try TestDevice.backend()
        let cpu = CPUBackend()
        let shapes = [Conv2dGeometry(batch: 128, inChannels: 32, inHeight: 28, inWidth: 28, outChannels: 32,
                                     kernelSize: 3, stride: 1, padding: 1),
                      Conv2dGeometry(batch: 128, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 32,
                                     kernelSize: 3, stride: 1, padding: 1),
                      Conv2dGeometry(batch: 128, inChannels: 32, inHeight: 14, inWidth: 14, outChannels: 64,
                                     kernelSize: 3, stride: 1, padding: 1)]
        for g in shapes {
            for backend in [cl as Backend, cpu] {
                let x = Tensor(seededUniform(g.inputCount, seed: 1), shape: [g.inputCount], on: backend)
                let w = Tensor(seededUniform(g.weightCount, seed: 2), shape: [g.weightCount], on: backend)
                let b = Tensor(zeros: [g.outChannels], on: backend)
                let y = Tensor(zeros: [g.outputCount], on: backend)
                let dx = Tensor(zeros: [g.inputCount], on: backend), dw = Tensor(zeros: [g.weightCount], on: backend)
                func time(_ label: String, _ body: () -> Void) {
                    body(); backend.synchronize()                   // warm-up (kernel compilation)
                    let reps = 5, start = Date()
                    for _ in 0..<reps { body() }
                    backend.synchronize()
                    let ms = Date().timeIntervalSince(start) * 1000 / Double(reps)
                    print(String(format: "%-28@ %-12@ %8.2f ms", "\(label)" as NSString,
                                 "\(backend.name.prefix(12))" as NSString, ms),
                          "N\(g.batch) C\(g.inChannels) \(g.inHeight)x\(g.inWidth) O\(g.outChannels) k\(g.kernelSize)")
                }
                time("conv2d_forward") { backend.conv2dForward(x: x.buffer, weight: w.buffer, bias: b.buffer, y: y.buffer, geometry: g) }
                time("conv2d_backward_input") { backend.conv2dBackwardInput(dy: y.buffer, weight: w.buffer, dx: dx.buffer, geometry: g) }
                time("conv2d_backward_weight") {
                    backend.conv2dBackwardWeight(x: x.buffer, dy: y.buffer, dWeight: dw.buffer, dBias: b.buffer, geometry: g)
                }
            }
        }
    }
}
