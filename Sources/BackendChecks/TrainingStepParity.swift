import NeuralNet

/// One full training step (forward, loss, backward, AdamW update) of a small network built with the
/// same seed on two backends: the loss, every parameter's gradient and value after the update, and
/// the batch-norm running statistics must agree.
public enum TrainingStepParity {
    /// A network the step runs: its layers, one sample's shape, the batch, and how it is described.
    public struct Network: Sendable {
        public let description: String
        /// Put before each result's part (empty for the plain network, whose lines stay as they were).
        public let label: String
        public let specs: [LayerSpec]
        public let inputShape: [Int]
        public let batch: Int
        /// The loss's label smoothing ε (0: the plain cross-entropy).
        public var smoothing: Float = 0
    }

    /// Convolutions, batch norm, ReLU, pooling, dropout and a linear layer on 12×12 images.
    public static let plain = Network(
        description: "batch 9 of 1x12x12, (conv3x3 batchnorm relu maxpool) x2, dropout, linear 108->26", label: "",
        specs: [
            .conv2d(inChannels: 1, outChannels: 8, kernelSize: 3, stride: 1, padding: 1),
            .batchNorm2d(channels: 8), .relu, .maxPool2d(kernelSize: 2, stride: 2),
            .conv2d(inChannels: 8, outChannels: 12, kernelSize: 3, stride: 1, padding: 1),
            .batchNorm2d(channels: 12), .relu, .maxPool2d(kernelSize: 2, stride: 2),
            .flatten, .dropout(probability: 0.25),
            .linear(inFeatures: 12 * 3 * 3, outFeatures: 26),
        ],
        inputShape: [1, 12, 12], batch: 9)

    /// A small residual CNN: an identity block, pooling, then a block with a strided projection shortcut.
    public static let residual = Network(
        description: "batch 7 of 1x12x12, conv, identity residual block, maxpool, projection residual block (8->12, "
            + "stride 2), linear 108->26",
        label: "residual ",
        specs: [
            conv(1, 8), .batchNorm2d(channels: 8), .relu,
            .residual(body: [conv(8, 8), .batchNorm2d(channels: 8), .relu, conv(8, 8), .batchNorm2d(channels: 8)],
                      shortcut: []),
            .relu, .maxPool2d(kernelSize: 2, stride: 2),
            .residual(body: [conv(8, 12, stride: 2), .batchNorm2d(channels: 12), .relu, conv(12, 12),
                             .batchNorm2d(channels: 12)],
                      shortcut: LayerSpec.projection(inChannels: 8, outChannels: 12, stride: 2)),
            .relu, .flatten, .linear(inFeatures: 12 * 3 * 3, outFeatures: 26),
        ],
        inputShape: [1, 12, 12], batch: 7)

    /// The plain network trained against label-smoothed targets (ε = 0.1), as `train --label-smoothing` does.
    public static let smoothed = Network(description: plain.description + ", label smoothing 0.1", label: "smoothed ",
                                         specs: plain.specs, inputShape: plain.inputShape, batch: plain.batch,
                                         smoothing: 0.1)

    /// Every network the checks run, the plain one first.
    public static let networks = [plain, residual, smoothed]

    /// A 3×3 convolution with padding 1.
    static func conv(_ i: Int, _ o: Int, stride: Int = 1) -> LayerSpec {
        .conv2d(inChannels: i, outChannels: o, kernelSize: 3, stride: stride, padding: 1)
    }

    struct Step { let loss: Float; let net: Sequential; let grads: [[Float]] }

    static func step(_ network: Network, on backend: Backend) -> Step {
        let batch = network.batch, inputShape = network.inputShape
        let images = seededUniform(batch * inputShape.reduce(1, *), seed: 42, in: 0..<1)
        let labels = (0..<batch).map { Float(($0 * 11 + 5) % 26) }
        let net = Sequential(specs: network.specs, inputShape: inputShape, backend: backend, seed: 1234)
        let x = Tensor(images, shape: [batch] + inputShape, on: backend)
        let t = Tensor(labels, shape: [batch], on: backend)
        let loss = CrossEntropyLoss(backend: backend, smoothing: network.smoothing)
        let (lossValue, dLogits) = loss(logits: net.forward(x, training: true), labels: t)
        net.backward(dLogits)
        let grads = net.parameters.map { $0.grad.toArray() }
        Adam(learningRate: 1e-2, weightDecay: 1e-2).update(net.parameters)
        return Step(loss: lossValue, net: net, grads: grads)
    }

    /// The step of `network` on `backend` against `reference`: one result for the loss (relative
    /// error, tolerance 1e-5) and, per tensor, normalized squared errors (tolerance 1e-8).
    public static func check(_ network: Network = plain, on backend: Backend, against reference: Backend) -> [OpCheckResult] {
        let a = step(network, on: backend), b = step(network, on: reference)
        func result(_ op: String, _ part: String, _ error: Double, _ tolerance: Double, measure: String = "nmse",
                    problem: String? = nil) -> OpCheckResult {
            OpCheckResult(op: op, shape: network.label + part, variant: "", error: error, measure: measure,
                          tolerance: tolerance, problem: problem)
        }
        let lossError = Double(abs(a.loss - b.loss) / max(abs(b.loss), .leastNormalMagnitude))
        var results = [result("training_step_loss", "loss", lossError.isNaN ? .infinity : lossError, 1e-5, measure: "rel ")]
        for (i, (name, parameter)) in b.net.namedParameters.map({ ($0.name, $0.parameter) }).enumerated() {
            let gA = a.grads[i], gB = b.grads[i]
            // A conv bias followed by batch norm has a gradient that is zero up to rounding; Adam turns
            // its rounding noise into ±lr steps of arbitrary sign, so only the gradient's size is checked.
            if (gB.map { abs($0) }.max() ?? 0) < 1e-6 {
                let largest = gA.map { abs($0) }.max() ?? 0
                results.append(result("training_step_gradient", name + " (vanishing)", Double(largest), 1e-5,
                                      measure: "|g|∞"))
                continue
            }
            results.append(result("training_step_gradient", name, normalizedSquaredError(gA, gB), 1e-8))
            let wA = a.net.namedParameters[i].parameter.value.toArray(), wB = parameter.value.toArray()
            results.append(result("training_step_adam_weights", name, normalizedSquaredError(wA, wB), 1e-8))
        }
        for ((name, tA), (_, tB)) in zip(a.net.namedTensors, b.net.namedTensors) where name.contains("running") {
            results.append(result("training_step_running_stats", name, normalizedSquaredError(tA.toArray(), tB.toArray()), 1e-8))
        }
        if let fault = backend.fault {
            results.append(result("training_step", "whole step", .infinity, 1e-8, problem: "device fault: \(fault)"))
        }
        return results
    }
}
