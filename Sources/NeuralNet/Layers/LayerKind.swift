/// A layer type as a checkpoint describes it, before any layer of it exists. Each type declares its
/// kind in its own file (`Conv2d.Kind`, `Residual.Kind`, …) beside the layer class, and
/// `LayerSpec.kind` is the one table from checkpoint descriptions to kinds, so what a type is —
/// its shape rule, its tensors, how it is built — is written once, in its file.
protocol LayerKind {
    /// The description a checkpoint stores (the inverse of `LayerSpec.kind`).
    var spec: LayerSpec { get }
    /// The output shape (without the batch) for an input of `shape`, or why not. This is the one
    /// shape rule: the checkpoint check runs it before building, and the built layer's
    /// `outputShape(for:)` is it with the batch in front.
    func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem>
    /// The tensors a layer of this kind keeps in a checkpoint, parameters then state, by local name,
    /// as the built layer names them (a composite's with its children's, prefixed).
    var tensorShapes: [(name: String, shape: [Int])] { get }
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
}

extension LayerKind {
    var tensorShapes: [(name: String, shape: [Int])] { [] }
    var branches: [[LayerSpec]] { [] }
    func scratchFloats(input: [Int], output: [Int]) -> Double { 0 }

    /// A shape failure that names this layer (`conv2d(inChannels: 1, …): why`).
    func refuse(_ why: String) -> Result<[Int], ShapeProblem> { .failure(ShapeProblem(message: "\(spec): \(why)")) }
}

/// Sizes beyond these are refused as corrupt before anything is allocated.
enum LayerLimits {
    static let channels = 1 << 20
    static let window = 64
}
