import BackendChecks
import Foundation
import NeuralNet
import NeuralNetOpenCL
import Letters
import XCTest

/// Training steps of the benchmark network (Letters' `Benchmark.layers`, batch 128) on OpenCL and
/// CPUBackend; runs only when `LETTERNET_OPENCL_TIMING` is set (build with `-c release`). With
/// `LETTERNET_OPENCL_PROFILE=1` as well, the OpenCL backend prints its per-kernel device times for
/// exactly these steps when the test releases it.
final class TrainingTimingTests: XCTestCase {
    func testTrainingStepTiming() throws {
        guard ProcessInfo.processInfo.environment["LETTERNET_OPENCL_TIMING"] != nil else {
            throw XCTSkip("set LETTERNET_OPENCL_TIMING=1 to time training steps on OpenCL and CPU")
        }
        let device = try TestDevice.backend().device
        let steps = 10, batch = 128
        for make in [{ try OpenCLBackend(device: device) as Backend }, { CPUBackend() as Backend }] {
            do {  // the backend is released (and prints its profile) at the end of each iteration
                let backend = try make()
                let model = Sequential(specs: Benchmark.layers, inputShape: [1, 28, 28], backend: backend, seed: 1)
                let x = Tensor(seededUniform(batch * 784, seed: 1), shape: [batch, 1, 28, 28], on: backend)
                let y = Tensor((0..<batch).map { Float($0 % 26) }, shape: [batch], on: backend)
                let loss = CrossEntropyLoss(backend: backend), adam = Adam(learningRate: 1e-3)
                func step() {
                    let (_, g) = loss(logits: model.forward(x, training: true), labels: y)
                    model.backward(g)
                    adam.update(model.parameters)
                }
                step(); backend.synchronize()
                let start = Date()
                for _ in 0..<steps { step() }
                backend.synchronize()
                let ms = Date().timeIntervalSince(start) * 1000 / Double(steps)
                print(String(format: "training step %@: %.1f ms (%.0f images/s)", backend.name, ms, Double(batch) * 1000 / ms))
            }
        }
    }
}
