import NeuralNet
import NeuralNetOpenCL
import XCTest

/// Weight averaging and the batch-norm re-estimation after it on the OpenCL device give what they
/// give on the CPU: the averaged tensors within float rounding, the re-estimated running statistics
/// within 1e-5 normalized error (the per-batch statistics are reduced on the device).
final class WeightAveragingParityTests: XCTestCase {
    static let specs: [LayerSpec] = [
        .conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 4), .relu,
        .residual(body: [.conv2d(inChannels: 4, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 4)],
                  shortcut: []),
        .flatten, .linear(inFeatures: 4 * 6 * 6, outFeatures: 3),
    ]

    func averaged(on backend: Backend, batches: [[Float]]) -> [[Float]] {
        let members = (1...3).map { Sequential(specs: Self.specs, inputShape: [1, 6, 6], backend: backend, seed: UInt64($0)) }
        let net = Sequential(specs: Self.specs, inputShape: [1, 6, 6], backend: backend, seed: 9)
        net.loadAverage(of: members)
        XCTAssertEqual(net.recalibrateBatchNorm(batches: batches.map { Tensor($0, shape: [5, 1, 6, 6], on: backend) }), batches.count)
        return net.namedTensors.map { $0.tensor.toArray() }
    }

    func testAveragingAndRecalibrationMatchTheCPU() throws {
        var rng = SeededGenerator(seed: 3)
        let batches = (0..<3).map { _ in (0..<180).map { _ in Float.random(in: -1...2, using: &rng) } }
        let cpu = averaged(on: CPUBackend(threads: 2), batches: batches)
        let cl = averaged(on: try TestDevice.backend(), batches: batches)
        let names = Sequential(specs: Self.specs, inputShape: [1, 6, 6], backend: CPUBackend(threads: 1), seed: 1).namedTensors.map(\.name)
        for (name, (a, b)) in zip(names, zip(cl, cpu)) {
            let diff = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            let norm = b.reduce(0.0) { $0 + Double($1) * Double($1) }
            XCTAssertLessThan((diff / max(norm, 1e-20)).squareRoot(), 1e-5, name)
        }
        XCTAssertTrue(names.contains("3.body.1.running_var"), "\(names)")
    }
}
