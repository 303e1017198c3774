import NeuralNet

/// A rough upper estimate of the memory one training step needs, to refuse a batch size the machine
/// cannot hold before anything is allocated (see ``MemoryBudget``).
enum NetworkMemory {
    /// Bytes for a training step of `batch` samples of `inputShape` through `layers`: every layer's
    /// output and its gradient, the largest unfolded convolution input (im2col), and the parameters
    /// four times over (weights, gradients, two Adam moments). All float32.
    static func trainingBytes(layers: [LayerSpec], inputShape: [Int], batch: Int) -> Double {
        var tally = Tally(activations: Double(inputShape.reduce(1, *)))
        tally.add(layers, from: inputShape)
        return 4 * (Double(batch) * (2 * tally.activations + tally.largestUnfold) + 4 * tally.parameters)
    }

    /// Floats per sample (activations, largest unfold) and parameters, layer by layer.
    struct Tally {
        var activations: Double, largestUnfold = 0.0, parameters = 0.0

        /// Adds `layers` on an input of `shape` (without the batch); stops at a layer that does not fit.
        mutating func add(_ layers: [LayerSpec], from shape: [Int]) {
            var shape = shape
            for layer in layers {
                guard case let .success(next) = layer.outputShape(for: shape) else { return }
                switch layer {
                case let .conv2d(i, o, k, _, _):
                    largestUnfold = max(largestUnfold, Double(i * k * k) * Double(next[1] * next[2]))
                    parameters += Double(o * i * k * k + o)
                case let .linear(i, o): parameters += Double(i * o + o)
                case let .batchNorm2d(c): parameters += Double(4 * c)
                case let .residual(body, shortcut):
                    add(body, from: shape)
                    add(shortcut, from: shape)
                default: break
                }
                activations += Double(next.reduce(1, *))
                shape = next
            }
        }
    }
}
