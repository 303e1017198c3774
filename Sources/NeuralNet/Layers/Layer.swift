/// A network layer with a hand-written backward pass.
///
/// `forward` keeps what `backward` needs; `backward` takes dL/dy for the last forward's output,
/// writes the gradients of the layer's parameters (overwriting them) and returns dL/dx.
/// Output tensors are reused between calls of the same shape, so a training step allocates nothing.
///
/// A layer type is one file: the class, and its `Kind` (`LayerKind`: how a checkpoint describes it,
/// its shape rule, its tensors' names and shapes, how to build it, its short name, its ONNX nodes),
/// registered in `LayerSpec.kind`.
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
    /// The output shape for an input shape (the first dimension is the batch): by default the shape
    /// rule of the layer's kind (`LayerSpec.outputShape(for:)`), the one the checkpoint check uses.
    func outputShape(for inputShape: [Int]) -> [Int]
    /// This layer as an inference-only network runs it (`Sequential.foldedForInference`), given the
    /// layers that follow it in its chain: the layers to keep in its place (none for what is the
    /// identity at inference) and how many of `following` it took into itself. It may change itself
    /// (the network it belongs to is a copy). By default the layer itself, taking nothing.
    func foldedForInference(before following: ArraySlice<Layer>) -> (kept: [Layer], absorbed: Int)
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var namedParameters: [(name: String, parameter: Parameter)] { parameters.map { ($0.name, $0) } }
    public var stateTensors: [(name: String, tensor: Tensor)] { [] }

    public func outputShape(for s: [Int]) -> [Int] {
        precondition(!s.isEmpty, "\(type(of: self)) gets an input without a batch dimension")
        switch spec.outputShape(for: Array(s.dropFirst())) {
        case let .success(shape): return [s[0]] + shape
        case let .failure(problem): preconditionFailure("\(type(of: self)) gets \(s): \(problem)")
        }
    }

    public func foldedForInference(before following: ArraySlice<Layer>) -> (kept: [Layer], absorbed: Int) { ([self], 0) }
}

/// Returns `cached` if it already has `shape`; otherwise a view with `shape` of its buffer when that
/// is large enough (its contents undefined: a strip trainer's width changes step by step, and its
/// buffers are kept at the largest size seen, not made again); otherwise a new zero tensor. The
/// tensor returned is stored in `cached`.
@inline(__always)
public func reuse(_ cached: inout Tensor?, shape: [Int], on backend: Backend) -> Tensor {
    if let t = cached, t.backend === backend {
        if t.shape == shape { return t }
        if t.buffer.count >= shape.reduce(1, *) {
            let view = Tensor(buffer: t.buffer, shape: shape, backend: backend)
            cached = view
            return view
        }
    }
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
