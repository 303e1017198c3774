import Foundation

extension Sequential {
    /// A copy of the network for inference only, with less work per forward, each layer folded as
    /// its type says (`Layer.foldedForInference(before:)`):
    /// - a `Conv2d` followed by `BatchNorm2d` becomes one `Conv2d` whose weights and bias hold the
    ///   normalization with the running statistics (`BatchNorm2d.fold(into:)`);
    /// - a `ReLU` right after such a convolution or a `Linear` runs in its output pass
    ///   (`Conv2d.fusesReLU`, `Linear.fusesReLU`);
    /// - `Dropout` (the identity at inference) is left out;
    /// - inside a `Residual` block, each branch is folded the same way.
    ///
    /// The copy has weights of its own, a snapshot of these: training `self` later does not reach it.
    /// Its outputs equal `forward(x, training: false)` up to float rounding (the fold reorders
    /// products). It cannot be trained, and its `specs` are not this network's, so it is not saved.
    public func foldedForInference() -> Sequential {
        // A fresh network of the same layers holding a copy of every tensor, folded in place.
        let copy = Sequential(specs: specs, inputShape: inputShape, backend: backend, seed: 0)
        for ((_, a), (_, b)) in zip(namedTensors, copy.namedTensors) { backend.copy(a.buffer, to: b.buffer, count: a.count) }
        return Sequential(layers: Self.folded(copy.layers), inputShape: inputShape, backend: backend)
    }

    /// The chain `layers` folded for inference, each layer taking in the ones after it that it can.
    static func folded(_ layers: [Layer]) -> [Layer] {
        var kept: [Layer] = []
        var i = 0
        while i < layers.count {
            let (replacement, absorbed) = layers[i].foldedForInference(before: layers[(i + 1)...])
            kept += replacement
            i += 1 + absorbed
        }
        return kept
    }
}

/// A network's inference copy (``Sequential/foldedForInference()``), folded once and kept while the
/// weights stay as they are: a reader that reads many chunks of strips, several views of each, folds its
/// network once per process, not once per read. Whether the weights changed is told by the network's
/// ``Sequential/weightsVersion``, a counter, so no weight is compared or copied back from a device.
public final class FoldedNetwork {
    public let model: Sequential
    private var folded: (version: Int, network: Sequential)?
    private let lock = NSLock()

    public init(_ model: Sequential) { self.model = model }

    /// The folded copy of ``model``'s current weights (folded again only after they changed).
    public var network: Sequential {
        lock.lock()
        defer { lock.unlock() }
        if let folded, folded.version == model.weightsVersion { return folded.network }
        let network = model.foldedForInference()
        folded = (model.weightsVersion, network)
        return network
    }
}
