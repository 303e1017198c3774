/// The architecture of one layer, as stored in checkpoints (the JSON of a checkpoint's `layers`:
/// `{"conv2d": {"inChannels": 1, …}}`). What each type means lives in its own file, in the type's
/// `Kind`; `kind` below is the one table that registers the types.
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

    /// The layer type of this description: the one table of layer types.
    var kind: any LayerKind {
        switch self {
        case let .conv2d(i, o, k, s, p): Conv2d.Kind(inChannels: i, outChannels: o, kernelSize: k, stride: s, padding: p)
        case let .batchNorm2d(c): BatchNorm2d.Kind(channels: c)
        case .relu: ReLU.Kind()
        case let .maxPool2d(k, s): MaxPool2d.Kind(kernelSize: k, stride: s)
        case let .dropout(p): Dropout.Kind(probability: p)
        case .flatten: Flatten.Kind()
        case let .linear(i, o): Linear.Kind(inFeatures: i, outFeatures: o)
        case let .residual(body, shortcut): Residual.Kind(body: body, shortcut: shortcut)
        }
    }

    /// The output shape (without the batch) for an input of `shape`, or a description of why not.
    public func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> { kind.outputShape(for: shape) }

    /// The tensors a layer of this kind keeps in a checkpoint (parameters, then state) with their
    /// shapes, by local name, as the built layer names and shapes them.
    public var checkpointTensorShapes: [(name: String, shape: [Int])] { kind.tensorShapes }

    /// The chains of layers inside a composite layer (a residual block's body and shortcut).
    public var branches: [[LayerSpec]] { kind.branches }

    /// Floats per sample a training step needs beyond this layer's output and gradient (a
    /// convolution's unfolded input), for an input of `input` giving `output`.
    public func scratchFloats(input: [Int], output: [Int]) -> Double { kind.scratchFloats(input: input, output: output) }

    /// The deepest nesting of residual blocks accepted.
    public static let maxNesting = 16

    /// Composite layers nested in this layer, itself included (0 for a plain layer).
    public var nestingDepth: Int {
        let inner = branches.joined().map(\.nestingDepth)
        return branches.isEmpty ? 0 : 1 + (inner.max() ?? 0)
    }

    /// Checks a whole architecture for a sample of `inputShape`; returns the output shape.
    public static func check(_ layers: [LayerSpec], inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 1, inputShape.allSatisfy({ (1...(1 << 16)).contains($0) }) else {
            throw ShapeProblem(message: "invalid input shape \(inputShape)")
        }
        return try chainShape(layers, from: inputShape, naming: "layer")
    }

    /// The output shape of `layers` one after the other; a failure names the layer (`body layer 2 …`).
    static func chainShape(_ layers: [LayerSpec], from inputShape: [Int], naming: String) throws -> [Int] {
        var shape = inputShape
        for (i, layer) in layers.enumerated() {
            switch layer.outputShape(for: shape) {
            case let .success(next): shape = next
            case let .failure(problem): throw ShapeProblem(message: "\(naming) \(i) \(problem.message)")
            }
        }
        return shape
    }
}

/// Why an architecture does not fit its input (a corrupt or hand-edited checkpoint is refused with
/// one of these before any layer is built).
public struct ShapeProblem: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
