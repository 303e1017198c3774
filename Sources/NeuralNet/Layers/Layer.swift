/// A network layer with a hand-written backward pass.
///
/// `forward` keeps what `backward` needs; `backward` takes dL/dy for the last forward's output,
/// writes the gradients of the layer's parameters (overwriting them) and returns dL/dx.
/// Output tensors are reused between calls of the same shape, so a training step allocates nothing.
public protocol Layer: AnyObject {
    /// The description a checkpoint stores to rebuild this layer.
    var spec: LayerSpec { get }
    /// Trainable parameters, in a stable order, with names local to the layer (`weight`, `bias`).
    var parameters: [Parameter] { get }
    /// `parameters` with their names local to the layer: their own names, except in a composite
    /// layer (`Residual`), whose names say where in it they are (`body.0.weight`).
    var namedParameters: [(name: String, parameter: Parameter)] { get }
    /// Non-trainable state kept in checkpoints (e.g. running statistics), with local names.
    var stateTensors: [(name: String, tensor: Tensor)] { get }
    func forward(_ x: Tensor, training: Bool) -> Tensor
    func backward(_ dy: Tensor) -> Tensor
    /// The output shape for an input shape (the first dimension is the batch).
    func outputShape(for inputShape: [Int]) -> [Int]
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var namedParameters: [(name: String, parameter: Parameter)] { parameters.map { ($0.name, $0) } }
    public var stateTensors: [(name: String, tensor: Tensor)] { [] }
}

/// The architecture of one layer, as stored in checkpoints.
public enum LayerSpec: Codable, Equatable, Sendable {
    case conv2d(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int)
    case batchNorm2d(channels: Int)
    case relu
    case maxPool2d(kernelSize: Int, stride: Int)
    case dropout(probability: Float)
    case flatten
    case linear(inFeatures: Int, outFeatures: Int)
    /// `body(x) + shortcut(x)`: two chains over the same input whose outputs have the same shape; an
    /// empty `shortcut` is the identity (`LayerSpec.projection` makes the usual other one). Its
    /// tensors are named `body.<i>.…` and `shortcut.<i>.…` within the block. Checkpoints that hold
    /// one are format version 2 (`Checkpoint.formatVersion(for:)`).
    case residual(body: [LayerSpec], shortcut: [LayerSpec])
}

/// Returns `cached` if it already has `shape`, otherwise a new zero tensor stored in `cached`.
@inline(__always)
func reuse(_ cached: inout Tensor?, shape: [Int], on backend: Backend) -> Tensor {
    if let t = cached, t.shape == shape, t.backend === backend { return t }
    let t = Tensor(zeros: shape, on: backend)
    cached = t
    return t
}

/// The input a layer saw in its last training-mode forward, or a clear failure.
@inline(__always)
func savedInput(_ t: Tensor?, _ layer: String) -> Tensor {
    guard let t else { preconditionFailure("\(layer).backward called before a training forward") }
    return t
}
