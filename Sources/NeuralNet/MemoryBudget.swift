import Foundation

/// Memory needs checked before allocating: a run that would need more than the machine has is refused
/// up front instead of aborting in the allocator.
public enum MemoryBudget {
    /// The most a run may plan to hold: three quarters of the physical memory.
    public static var limit: Double { Double(ProcessInfo.processInfo.physicalMemory) * 0.75 }

    /// Refuses `bytes` (an estimate, for `what`) above ``limit``; the message names the option to lower.
    public static func check(_ bytes: Double, for what: String, lower option: String) throws {
        guard bytes > limit else { return }
        throw Exceeded(message: String(format: "%@ needs about %.1f GB of memory, more than this machine can give (%.1f GB); lower %@",
                                       what, bytes / 1e9, limit / 1e9, option))
    }

    /// A need refused by ``check(_:for:lower:)``.
    public struct Exceeded: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }
}

/// A rough upper estimate of the memory one training step needs, to refuse a batch size the machine
/// cannot hold before anything is allocated (see ``MemoryBudget``).
public enum NetworkMemory {
    /// Bytes for a training step of `batch` samples of `inputShape` through `layers`: every layer's
    /// output and its gradient, the largest scratch a layer needs (a convolution's unfolded input),
    /// and the checkpoint's tensors four times over (weights, gradients, two Adam moments). All float32.
    public static func trainingBytes(layers: [LayerSpec], inputShape: [Int], batch: Int) -> Double {
        var tally = Tally(activations: Double(inputShape.reduce(1, *)))
        tally.add(layers, from: inputShape)
        return 4 * (Double(batch) * (2 * tally.activations + tally.largestScratch) + 4 * tally.parameters)
    }

    /// Bytes for a forward pass (inference) of `batch` samples of `inputShape` through `layers`: the input
    /// and every layer's output (each layer keeps its own), the largest scratch a layer needs, and the
    /// parameters once. All float32.
    public static func inferenceBytes(layers: [LayerSpec], inputShape: [Int], batch: Int) -> Double {
        var tally = Tally(activations: Double(inputShape.reduce(1, *)))
        tally.add(layers, from: inputShape)
        return 4 * (Double(batch) * (tally.activations + tally.largestScratch) + tally.parameters)
    }

    /// Floats per sample in the largest buffer a pass through `layers` allocates: a layer's output or its
    /// scratch (a convolution's unfolded input).
    public static func largestBufferFloats(layers: [LayerSpec], inputShape: [Int]) -> Double {
        var tally = Tally(activations: Double(inputShape.reduce(1, *)))
        tally.add(layers, from: inputShape)
        return max(tally.largestActivation, tally.largestScratch)
    }

    /// Floats per sample (activations, largest scratch) and parameters, layer by layer, each layer
    /// asked for its own (`LayerSpec.checkpointTensorShapes`, `scratchFloats`, `branches`).
    struct Tally {
        var activations: Double, largestScratch = 0.0, largestActivation = 0.0, parameters = 0.0

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
                    largestActivation = max(largestActivation, inner.largestActivation)
                }
                activations += Double(next.reduce(1, *))
                largestActivation = max(largestActivation, Double(next.reduce(1, *)))
                shape = next
            }
        }
    }
}
