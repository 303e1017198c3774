/// A chain of layers built from `LayerSpec`s; parameters are named `<index>.<name>` as in
/// PyTorch's `nn.Sequential` (`0.weight`, `1.running_mean`, `2.body.0.weight` in a residual block, …).
public final class Sequential {
    public let layers: [Layer]
    public let backend: Backend
    /// Shape of one input sample, without the batch dimension (e.g. `[1, 28, 28]`).
    public let inputShape: [Int]
    /// A counter bumped whenever the weights may have changed (``weightsChanged()``): by a training
    /// forward pass (running statistics), by `backward` (the optimizer step that follows it), by loading
    /// a checkpoint or an average. Caches of what is derived from the weights (``FoldedNetwork``)
    /// compare it instead of the weights themselves.
    public private(set) var weightsVersion = 0

    /// Builds the layers of `specs` on `backend` with weights drawn from `seed`.
    public init(specs: [LayerSpec], inputShape: [Int], backend: Backend, seed: UInt64) {
        self.backend = backend
        self.inputShape = inputShape
        var builder = LayerBuilder(backend: backend, seed: seed)
        layers = specs.map { builder.make($0) }
        // Nobody reads the gradient with respect to the network's input.
        (layers.first as? Conv2d)?.computesInputGradient = false
    }

    /// A network of the given layers (see `foldedForInference`).
    init(layers: [Layer], inputShape: [Int], backend: Backend) {
        self.layers = layers
        self.inputShape = inputShape
        self.backend = backend
    }

    public var specs: [LayerSpec] { layers.map(\.spec) }

    /// Parameters with their global names, in a stable order.
    public var namedParameters: [(name: String, parameter: Parameter)] {
        layers.enumerated().flatMap { i, l in l.namedParameters.map { ("\(i).\($0.name)", $0.parameter) } }
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Every tensor a checkpoint stores: parameters, then state such as running statistics.
    public var namedTensors: [(name: String, tensor: Tensor)] {
        layers.enumerated().flatMap { i, l in
            l.namedParameters.map { ("\(i).\($0.name)", $0.parameter.value) }
                + l.stateTensors.map { ("\(i).\($0.name)", $0.tensor) }
        }
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Output shape for a batch of `batch` samples.
    public func outputShape(batch: Int) -> [Int] {
        layers.reduce([batch] + inputShape) { $1.outputShape(for: $0) }
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        if training { weightsChanged() }
        return layers.reduce(x) { $1.forward($0, training: training) }
    }

    /// Marks the weights as changed (see ``weightsVersion``); call it after writing tensors directly.
    public func weightsChanged() { weightsVersion &+= 1 }

    /// Back-propagates dL/d(output) and fills every parameter's `grad`. Returns dL/d(input), except
    /// when the first layer is a `Conv2d` (then it is not computed and the result is zero).
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor {
        weightsChanged()
        return layers.reversed().reduce(dy) { $1.backward($0) }
    }
}
