/// A layer type as a checkpoint describes it, before any layer of it exists. Each type declares its
/// kind in its own file (`Conv2d.Kind`, `Residual.Kind`, …) beside the layer class, and
/// `LayerSpec.kind` is the one table from checkpoint descriptions to kinds, so what a type is —
/// its shape rule, its tensors, how it is built, its short name, its ONNX nodes — is written once,
/// in its file.
protocol LayerKind {
    /// The description a checkpoint stores (the inverse of `LayerSpec.kind`).
    var spec: LayerSpec { get }
    /// The output shape (without the batch) for an input of `shape`, or why not. This is the one
    /// shape rule: the checkpoint check runs it before building, and the built layer's
    /// `outputShape(for:)` is it with the batch in front.
    func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem>
    /// The tensors a layer of this kind keeps in a checkpoint, parameters then state, by local name
    /// (a composite's with its children's, prefixed). The built layer takes each tensor's name and
    /// shape from here (`Parameter(_:values:decays:on:)`, `Tensor(_:filledWith:on:)`).
    var tensorShapes: [TensorSlot] { get }
    /// The chains of layers inside a composite layer (a residual block's body and shortcut), none in
    /// a plain one.
    var branches: [[LayerSpec]] { get }
    /// Where the layer's output columns look in its input; nil when it mixes columns otherwise
    /// (flatten, linear).
    var receptiveField: ReceptiveField? { get }
    /// Floats per sample a training step needs beyond the layer's output and its gradient (a
    /// convolution's unfolded input), for memory estimates; `output` is `outputShape(for: input)`.
    func scratchFloats(input: [Int], output: [Int]) -> Double
    /// A new layer of this kind, its initial weights and seeds drawn from `builder`.
    func make(_ builder: inout LayerBuilder) -> Layer
    /// The layer in one short word, as `letternet inspect` lists a network (`conv3×3(1→32)`, `bn`).
    var shortName: String { get }
    /// The name of the node a layer of this kind becomes in an exported graph (`conv`, `batch_norm`).
    var onnxNodeName: String { get }
    /// Appends the layer to `graph` as ONNX opset-17 nodes reading `input`, as `torch.onnx` writes
    /// the matching `torch.nn` layer; `tensors` are the names of its initializers in `tensorShapes`
    /// order. Returns the name of the layer's output: `input` itself for a layer that is the identity
    /// at inference (no node).
    func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String
}

extension LayerKind {
    var tensorShapes: [TensorSlot] { [] }
    var branches: [[LayerSpec]] { [] }
    func scratchFloats(input: [Int], output: [Int]) -> Double { 0 }

    /// A shape failure that names this layer (`conv2d(inChannels: 1, …): why`).
    func refuse(_ why: String) -> Result<[Int], ShapeProblem> { .failure(ShapeProblem(message: "\(spec): \(why)")) }
}

/// One tensor a layer keeps in a checkpoint: its name local to the layer and its shape.
typealias TensorSlot = (name: String, shape: [Int])

extension Parameter {
    /// A parameter named and shaped as its layer's kind says (`LayerKind.tensorShapes`), holding
    /// `values` (zeros when nil).
    convenience init(_ slot: TensorSlot, values: [Float]? = nil, decays: Bool, on backend: Backend) {
        let value = values.map { Tensor($0, shape: slot.shape, on: backend) } ?? Tensor(zeros: slot.shape, on: backend)
        self.init(name: slot.name, value: value, decays: decays)
    }
}

extension Tensor {
    /// A state tensor shaped as its layer's kind says, every element `value`.
    convenience init(_ slot: TensorSlot, filledWith value: Float, on backend: Backend) {
        self.init([Float](repeating: value, count: slot.shape.reduce(1, *)), shape: slot.shape, on: backend)
    }
}

/// Sizes beyond these are refused as corrupt before anything is allocated.
enum LayerLimits {
    static let channels = 1 << 20
    static let window = 64
}
