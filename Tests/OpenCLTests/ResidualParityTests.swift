import BackendChecks
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// A residual block's forward and backward on the OpenCL device against CPUBackend: the output, the
/// gradient with respect to its input (the sum of both branches') and every parameter gradient.
final class ResidualParityTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func conv(_ i: Int, _ o: Int, stride: Int = 1) -> LayerSpec {
        .conv2d(inChannels: i, outChannels: o, kernelSize: 3, stride: stride, padding: 1)
    }

    func check(_ block: LayerSpec, input: [Int], batch: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let cl = try TestDevice.backend()
        let outputShape = try LayerSpec.check([block], inputShape: input)
        let x = seededUniform(batch * input.reduce(1, *), seed: 3)
        let dy = seededUniform(batch * outputShape.reduce(1, *), seed: 4)
        func run(_ backend: Backend) -> (y: [Float], dx: [Float], grads: [(String, [Float])]) {
            let net = Sequential(specs: [block], inputShape: input, backend: backend, seed: 17)
            let y = net.forward(Tensor(x, shape: [batch] + input, on: backend), training: true).toArray()
            let dx = net.backward(Tensor(dy, shape: [batch] + outputShape, on: backend)).toArray()
            return (y, dx, net.namedParameters.map { ($0.name, $0.parameter.grad.toArray()) })
        }
        let a = run(cl), b = run(cpu)
        XCTAssertLessThan(normalizedSquaredError(a.y, b.y), 1e-10, "output", file: file, line: line)
        XCTAssertLessThan(normalizedSquaredError(a.dx, b.dx), 1e-10, "input gradient", file: file, line: line)
        XCTAssertGreaterThan(b.dx.map(abs).max() ?? 0, 0, file: file, line: line)
        XCTAssertEqual(a.grads.map(\.0), b.grads.map(\.0), file: file, line: line)
        let scale = b.grads.flatMap(\.1).map(abs).max() ?? 0
        for ((name, gA), (_, gB)) in zip(a.grads, b.grads) {
            // A convolution's bias right before batch norm has a gradient that is rounding noise.
            if (gB.map(abs).max() ?? 0) < 1e-5 * scale {
                XCTAssertLessThan(gA.map(abs).max() ?? 0, 1e-5 * scale, name, file: file, line: line)
                continue
            }
            XCTAssertLessThan(normalizedSquaredError(gA, gB), 1e-8, name, file: file, line: line)
        }
        XCTAssertNil(cl.fault, file: file, line: line)
    }

    func testIdentityShortcut() throws {
        try check(.residual(body: [conv(6, 6), .batchNorm2d(channels: 6), .relu, conv(6, 6)], shortcut: []),
                  input: [6, 9, 9], batch: 3)
    }

    func testProjectionShortcutWithANestedBlock() throws {
        let inner = LayerSpec.residual(body: [conv(8, 8), .batchNorm2d(channels: 8)], shortcut: [])
        try check(.residual(body: [conv(5, 8, stride: 2), .batchNorm2d(channels: 8), .relu, inner],
                            shortcut: LayerSpec.projection(inChannels: 5, outChannels: 8, stride: 2)),
                  input: [5, 10, 11], batch: 4)
    }
}
