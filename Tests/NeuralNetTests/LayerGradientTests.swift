import NeuralNet
import XCTest

/// Finite-difference gradient checks of every layer and the loss on the CPU backend.
/// Tolerance: normalized error ‖analytic − numeric‖/‖numeric‖ < 1e-2 (float32 central differences, h = 1e-2).
final class LayerGradientTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func testConv2dPadding1() {
        var rng = SeededGenerator(seed: 7)
        let conv = Conv2d(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1, backend: cpu, rng: &rng)
        GradientCheck.check(conv, inputShape: [2, 3, 6, 5], backend: cpu)
    }

    func testConv2dStride2NoPadding() {
        var rng = SeededGenerator(seed: 8)
        let conv = Conv2d(inputChannels: 2, outputChannels: 3, kernelSize: 3, stride: 2, backend: cpu, rng: &rng)
        GradientCheck.check(conv, inputShape: [3, 2, 7, 7], backend: cpu)
    }

    func testConv2dKernel5Padding2() {
        var rng = SeededGenerator(seed: 9)
        let conv = Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 5, padding: 2, backend: cpu, rng: &rng)
        GradientCheck.check(conv, inputShape: [2, 1, 6, 6], backend: cpu)
    }

    func testLinear() {
        var rng = SeededGenerator(seed: 10)
        let linear = Linear(inputFeatures: 7, outputFeatures: 5, backend: cpu, rng: &rng)
        GradientCheck.check(linear, inputShape: [4, 7], backend: cpu)
    }

    func testMaxPool2d() {
        GradientCheck.check(MaxPool2d(kernelSize: 2, backend: cpu), inputShape: [2, 3, 6, 6], backend: cpu, h: 1e-3)
        // Rows of 8 or more windows take the vector path (here 9: one group of 8, then an overlapping one).
        GradientCheck.check(MaxPool2d(kernelSize: 2, backend: cpu), inputShape: [1, 2, 4, 19], backend: cpu, h: 1e-3)
        GradientCheck.check(MaxPool2d(kernelSize: 3, stride: 2, backend: cpu), inputShape: [1, 2, 7, 7],
                            backend: cpu, h: 1e-3)
    }

    func testReLU() {
        // h smaller than the typical distance of inputs from the kink.
        GradientCheck.check(ReLU(backend: cpu), inputShape: [3, 17], backend: cpu, h: 1e-3)
    }

    func testBatchNorm2d() {
        let bn = BatchNorm2d(channels: 3, backend: cpu)
        bn.gamma.value.copy(from: [1.5, 0.5, -1])
        bn.beta.value.copy(from: [0.1, -0.2, 0.3])
        GradientCheck.check(bn, inputShape: [4, 3, 3, 2], backend: cpu, h: 1e-2, tolerance: 2e-2)
    }

    func testDropout() {
        let dropout = Dropout(probability: 0.3, seed: 42, backend: cpu)
        GradientCheck.check(dropout, inputShape: [4, 25], backend: cpu, prepare: { dropout.seed = 42 })
    }

    func testFlatten() {
        GradientCheck.check(Flatten(), inputShape: [2, 3, 2, 2], backend: cpu)
    }

    func testCrossEntropyGradient() {
        var rng = SeededGenerator(seed: 11)
        let logits = Tensor(GradientCheck.randomValues(5 * 7, &rng, scale: 2), shape: [5, 7], on: cpu)
        let labels = Tensor([0, 6, 3, 3, 1], shape: [5], on: cpu)
        let loss = CrossEntropyLoss(backend: cpu)
        let analytic = loss(logits: logits, labels: labels).gradient.toArray()
        let numeric = GradientCheck.numeric(logits, indices: Array(0..<35), h: 1e-2) {
            Double(loss(logits: logits, labels: labels).loss)
        }
        XCTAssertLessThan(GradientCheck.normalizedError(analytic, numeric), 1e-2)
    }

    func testCrossEntropyIsStableForHugeLogits() {
        let logits = Tensor([1000, -1000, 0, 88, 89, 90], shape: [2, 3], on: cpu)
        let labels = Tensor([0, 2], shape: [2], on: cpu)
        let (loss, grad) = crossEntropy(logits: logits, labels: labels)
        // Row 0: loss 0. Row 1: log(e^-2 + e^-1 + 1) = 0.40760596.
        XCTAssertEqual(loss, 0.40760596 / 2, accuracy: 1e-5)
        XCTAssertTrue(grad.toArray().allSatisfy(\.isFinite))
    }

    func testWholeNetworkParameterGradients() {
        let specs: [LayerSpec] = [
            .conv2d(inChannels: 1, outChannels: 3, kernelSize: 3, stride: 1, padding: 1),
            .batchNorm2d(channels: 3), .relu, .maxPool2d(kernelSize: 2, stride: 2), .flatten,
            .linear(inFeatures: 3 * 3 * 3, outFeatures: 4),
        ]
        let model = Sequential(specs: specs, inputShape: [1, 6, 6], backend: cpu, seed: 3)
        var rng = SeededGenerator(seed: 4)
        let x = Tensor(GradientCheck.randomValues(5 * 36, &rng), shape: [5, 1, 6, 6], on: cpu)
        let labels = Tensor([0, 1, 2, 3, 1], shape: [5], on: cpu)
        // A bias followed by batch norm cannot change the output: its gradient is exactly zero. Looser
        // than the per-layer checks: the loss is a float32 mean through five layers.
        XCTAssertEqual(GradientCheck.checkNetwork(model, x: x, labels: labels, vanishing: ["0.bias"], tolerance: 5e-2,
                                                  rng: &rng), 5)
    }
}
