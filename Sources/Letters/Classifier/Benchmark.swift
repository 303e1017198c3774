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

    /// Multiply-adds per image of `layers` on `inputShape` (convolutions and dense layers, counted as
    /// the direct method does them: what a share of the GEMM peak is measured in, whatever algorithm runs).
    public static func multiplyAdds(_ layers: [LayerSpec], inputShape: [Int]) -> Int {
        var total = 0
        walk(layers, inputShape: inputShape) { spec, input, output in
            switch spec {
            case let .conv2d(i, o, k, _, _): total += o * output[1] * output[2] * i * k * k
            case let .linear(i, o): total += i * o
            default: break
            }
        }
        return total
    }

    /// The convolutions of `layers` on a batch of `batch` inputs of `inputShape`, in order.
    public static func convolutions(_ layers: [LayerSpec], inputShape: [Int], batch: Int) -> [Conv2dGeometry] {
        var result: [Conv2dGeometry] = []
        walk(layers, inputShape: inputShape) { spec, input, _ in
            if case let .conv2d(i, o, k, s, p) = spec {
                result.append(Conv2dGeometry(batch: batch, inChannels: i, inHeight: input[1], inWidth: input[2],
                                             outChannels: o, kernelSize: k, stride: s, padding: p))
            }
        }
        return result
    }

    /// Calls `body` with each layer and its input and output shapes (the layers' own shape rule),
    /// a composite layer's branches (a residual block's body and shortcut) first.
    private static func walk(_ layers: [LayerSpec], inputShape: [Int], _ body: (LayerSpec, [Int], [Int]) -> Void) {
        var shape = inputShape
        for spec in layers {
            guard case let .success(output) = spec.outputShape(for: shape) else { return }
            for branch in spec.branches { walk(branch, inputShape: shape, body) }
            body(spec, shape, output)
            shape = output
        }
    }

    /// Strips per second of `reader` on `count` random strips `width` wide (30 rows): its network
    /// (batch norm folded) and log-softmax over one view, `reader.batchSize` strips per forward pass,
    /// after one warm-up batch.
    public static func readStrips(_ reader: StripReader, count: Int, width: Int, seed: UInt64 = 1) throws -> Double {
        var rng = SeededGenerator(seed: seed)
        let pixels = (0..<(count * StripGeometry.standard.height * width)).map { _ in Float.random(in: 0...1, using: &rng) }
        let strips = try StripSet(name: "benchmark", count: count, height: StripGeometry.standard.height, width: width, pixels: pixels)
        let warm = try StripSet(name: "warm-up", count: min(count, reader.batchSize), height: StripGeometry.standard.height,
                                width: width, pixels: Array(pixels.prefix(min(count, reader.batchSize) * StripGeometry.standard.height * width)))
        _ = reader.logProbabilities(warm)
        let start = Date()
        _ = reader.logProbabilities(strips)
        return Double(count) / Date().timeIntervalSince(start)
    }
}
