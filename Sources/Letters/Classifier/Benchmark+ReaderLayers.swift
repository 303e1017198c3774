import Foundation
import NeuralNet

extension Benchmark {
    /// Where a strip reader's time goes: milliseconds per forward of each layer of `variant`'s network
    /// folded for inference (as `StripReader` reads; random weights), on a batch of `batch` random
    /// strips `width` px wide, then of the log-softmax over positions: best of `repeats` after a warm-up.
    public static func readerLayerTimes(_ variant: StripReader.Variant, backend: Backend, width: Int, batch: Int = 64,
                                        repeats: Int = 3) -> [(layer: String, milliseconds: Double)] {
        let shape = StripReader.geometry.inputShape(width: width)
        let network = Sequential(specs: variant.layers, inputShape: shape, backend: backend, seed: 1).foldedForInference()
        var rng = SeededGenerator(seed: 1)
        var x = Tensor((0..<(batch * shape.reduce(1, *))).map { _ in Float.random(in: 0...1, using: &rng) },
                       shape: [batch] + shape, on: backend)
        func best(_ body: () -> Void) -> Double {
            fastestSeconds(repeats: repeats) { body(); backend.synchronize() } * 1e3
        }
        var rows: [(layer: String, milliseconds: Double)] = []
        for layer in network.layers {
            let input = x, name = "\(describe(layer)) on \(input.shape.map(String.init).joined(separator: "×"))"
            rows.append((name, best { x = layer.forward(input, training: false) }))
        }
        let positions = x.shape[3], scores = Tensor(zeros: [batch, positions, StripReader.classes], on: backend)
        rows.append(("log-softmax over \(positions) positions", best {
            backend.logSoftmaxPositions(logits: x.buffer, out: scores.buffer, batch: batch, classes: StripReader.classes, positions: positions)
        }))
        return rows
    }

    /// A folded layer in a few words: `conv 3×3 1→32 p1 +ReLU`, `max-pool 2`.
    private static func describe(_ layer: Layer) -> String {
        switch layer.spec {
        case let .conv2d(i, o, k, _, p):
            return "conv \(k)×\(k) \(i)→\(o) p\(p)" + ((layer as? Conv2d)?.fusesReLU == true ? " +ReLU" : "")
        case let .maxPool2d(k, _): return "max-pool \(k)"
        case let spec: return "\(spec)"
        }
    }
}
