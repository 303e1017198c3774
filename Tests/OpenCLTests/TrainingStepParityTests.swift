import NeuralNet
import NeuralNetOpenCL
import XCTest

/// One full training step of a small network built with the same seed on both backends.
final class TrainingStepParityTests: XCTestCase {
    static let specs: [LayerSpec] = [
        .conv2d(inChannels: 1, outChannels: 8, kernelSize: 3, stride: 1, padding: 1),
        .batchNorm2d(channels: 8), .relu, .maxPool2d(kernelSize: 2, stride: 2),
        .conv2d(inChannels: 8, outChannels: 12, kernelSize: 3, stride: 1, padding: 1),
        .batchNorm2d(channels: 12), .relu, .maxPool2d(kernelSize: 2, stride: 2),
        .flatten, .dropout(probability: 0.25),
        .linear(inFeatures: 12 * 3 * 3, outFeatures: 26),
    ]

    func testAdamStepMatchesCPU() throws {
        let cl = try TestDevice.backend()
        let cpu = CPUBackend(threads: 2)
        let batch = 9, inputShape = [1, 12, 12]
        let images = randomValues(batch * 144, seed: 42, in: 0..<1)
        let labels = (0..<batch).map { Float(($0 * 11 + 5) % 26) }

        func step(_ backend: Backend) -> (loss: Float, net: Sequential, grads: [[Float]]) {
            let net = Sequential(specs: Self.specs, inputShape: inputShape, backend: backend, seed: 1234)
            let x = Tensor(images, shape: [batch] + inputShape, on: backend)
            let t = Tensor(labels, shape: [batch], on: backend)
            let logits = net.forward(x, training: true)
            let (loss, dLogits) = CrossEntropyLoss(backend: backend)(logits: logits, labels: t)
            net.backward(dLogits)
            let grads = net.parameters.map { $0.grad.toArray() }
            Adam(learningRate: 1e-2, weightDecay: 1e-2).update(net.parameters)
            return (loss, net, grads)
        }

        let a = step(cl), b = step(cpu)
        XCTAssertEqual(Double(a.loss), Double(b.loss), accuracy: 1e-5 * Double(abs(b.loss)), "loss")
        ParityLog.shared.record("training step (loss, relative)", Double(abs(a.loss - b.loss) / abs(b.loss)),
                                tolerance: 1e-5)
        let names = b.net.namedParameters.map(\.name)
        for (i, name) in names.enumerated() {
            let gCL = a.grads[i], gCPU = b.grads[i]
            // A conv bias followed by batch norm has a gradient that is zero up to rounding; Adam
            // turns its rounding noise into ±lr steps of arbitrary sign, so only the gradient is compared.
            let degenerate = gCPU.map { abs($0) }.max() ?? 0 < 1e-6
            if degenerate {
                XCTAssertLessThan(gCL.map { abs($0) }.max() ?? 0, 1e-5, "\(name): gradient should vanish")
                continue
            }
            assertParity("training step (gradients)", gCL, gCPU, tolerance: 1e-8, name)
            let wCL = a.net.namedParameters[i].parameter.value.toArray()
            let wCPU = b.net.namedParameters[i].parameter.value.toArray()
            assertParity("training step (weights after Adam)", wCL, wCPU, tolerance: 1e-8, name)
        }
        // Running statistics and the whole state a checkpoint would store.
        for ((name, tCL), (_, tCPU)) in zip(a.net.namedTensors, b.net.namedTensors) where name.contains("running") {
            assertParity("training step (running stats)", tCL.toArray(), tCPU.toArray(), tolerance: 1e-8, name)
        }
    }

    override class func tearDown() {
        print("OpenCL parity (worst nmse per op so far):\n\(ParityLog.shared.summary)")
        super.tearDown()
    }
}
