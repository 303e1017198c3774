import Foundation
import NeuralNet

/// The fixed benchmark: a small VGG-style network trained with Adam on random data, then timed at
/// inference. The same network is in `Scripts/bench_pytorch.py`, so the two are compared in one run.
public enum Benchmark {
    public static let layers: [LayerSpec] = [
        .conv2d(inChannels: 1, outChannels: 32, kernelSize: 3, stride: 1, padding: 1), .relu,
        .conv2d(inChannels: 32, outChannels: 32, kernelSize: 3, stride: 1, padding: 1), .relu,
        .maxPool2d(kernelSize: 2, stride: 2),
        .conv2d(inChannels: 32, outChannels: 64, kernelSize: 3, stride: 1, padding: 1), .relu,
        .conv2d(inChannels: 64, outChannels: 64, kernelSize: 3, stride: 1, padding: 1), .relu,
        .maxPool2d(kernelSize: 2, stride: 2),
        .flatten, .linear(inFeatures: 3136, outFeatures: 256), .relu, .linear(inFeatures: 256, outFeatures: 26),
    ]

    public struct Result: Codable, Sendable {
        public var device: String
        public var trainImagesPerSecond: Double
        public var inferImagesPerSecond: Double
        public var trainSteps: Int
        public var finalLoss: Float
    }

    /// Times `steps` training steps (batch `trainBatch`) after `warmup` steps, then `inferBatches`
    /// forward passes of `inferBatch` images.
    public static func run(backend: Backend, steps: Int = 30, warmup: Int = 3, trainBatch: Int = 128,
                           inferBatch: Int = 1000, inferBatches: Int = 3, seed: UInt64 = 1) -> Result {
        let model = Sequential(specs: layers, inputShape: [1, 28, 28], backend: backend, seed: seed)
        var rng = SeededGenerator(seed: seed)
        let x = Tensor((0..<(trainBatch * 784)).map { _ in rng.nextNormal() }, shape: [trainBatch, 1, 28, 28], on: backend)
        let y = Tensor((0..<trainBatch).map { _ in Float(Int.random(in: 0..<26, using: &rng)) }, shape: [trainBatch], on: backend)
        let loss = CrossEntropyLoss(backend: backend)
        let adam = Adam(learningRate: 1e-3)
        var last: Float = 0
        func step() {
            let (l, g) = loss(logits: model.forward(x, training: true), labels: y)
            model.backward(g)
            adam.update(model.parameters)
            last = l
        }
        for _ in 0..<warmup { step() }
        backend.synchronize()
        var start = Date()
        for _ in 0..<steps { step() }
        backend.synchronize()
        let train = Double(steps * trainBatch) / Date().timeIntervalSince(start)

        let xi = Tensor((0..<(inferBatch * 784)).map { _ in rng.nextNormal() }, shape: [inferBatch, 1, 28, 28], on: backend)
        _ = model.forward(xi, training: false).toArray()
        start = Date()
        for _ in 0..<inferBatches { _ = model.forward(xi, training: false).toArray() }
        let infer = Double(inferBatches * inferBatch) / Date().timeIntervalSince(start)
        return Result(device: backend.name, trainImagesPerSecond: train, inferImagesPerSecond: infer,
                      trainSteps: steps, finalLoss: last)
    }
}
