import NeuralNet

/// A rough upper estimate of the memory one training step needs, to refuse a batch size the machine
/// cannot hold before anything is allocated (see ``MemoryBudget``).
enum NetworkMemory {
    /// Bytes for a training step of `batch` samples of `inputShape` through `layers`: every layer's
    /// output and its gradient, the largest scratch a layer needs (a convolution's unfolded input),
    /// and the checkpoint's tensors four times over (weights, gradients, two Adam moments). All float32.
    static func trainingBytes(layers: [LayerSpec], inputShape: [Int], batch: Int) -> Double {
        var tally = Tally(activations: Double(inputShape.reduce(1, *)))
        tally.add(layers, from: inputShape)
        return 4 * (Double(batch) * (2 * tally.activations + tally.largestScratch) + 4 * tally.parameters)
    }

    /// Floats per sample (activations, largest scratch) and parameters, layer by layer, each layer
    /// asked for its own (`LayerSpec.checkpointTensorShapes`, `scratchFloats`, `branches`).
    struct Tally {
        var activations: Double, largestScratch = 0.0, parameters = 0.0

        /// Adds `layers` on an input of `shape` (without the batch); stops at a layer that does not fit.
        mutating func add(_ layers: [LayerSpec], from shape: [Int]) {
            var shape = shape
            for layer in layers {
                guard case let .success(next) = layer.outputShape(for: shape) else { return }
                largestScratch = max(largestScratch, layer.scratchFloats(input: shape, output: next))
                // A composite layer's tensors include its children's: only their activations and scratch add.
                parameters += Double(layer.checkpointTensorShapes.reduce(0) { $0 + $1.shape.reduce(1, *) })
                for branch in layer.branches {
                    var inner = Tally(activations: 0)
                    inner.add(branch, from: shape)
                    activations += inner.activations
                    largestScratch = max(largestScratch, inner.largestScratch)
                }
                activations += Double(next.reduce(1, *))
                shape = next
            }
        }
    }
}
