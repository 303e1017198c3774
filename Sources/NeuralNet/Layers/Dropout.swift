/// Inverted dropout: in training, zeroes each element with `probability` and scales the rest by
/// 1/(1−p); identity at inference. The mask comes from `dropoutKeeps(seed:index:probability:)`
/// with a fresh seed per forward drawn from `seed`, so runs repeat on every backend.
public final class Dropout: Layer {
    public let probability: Float
    /// The seed of the next mask; advanced after each training forward.
    public var seed: UInt32
    let backend: Backend
    var mask: Tensor?, output: Tensor?, inputGradient: Tensor?

    public init(probability: Float, seed: UInt32 = 0x5EED, backend: Backend) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.probability = probability; self.seed = seed; self.backend = backend
    }

    public var spec: LayerSpec { .dropout(probability: probability) }

    /// The identity at inference: left out of an inference network.
    public func foldedForInference(before following: ArraySlice<Layer>) -> (kept: [Layer], absorbed: Int) { ([], 0) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        guard training, probability > 0 else { return x }
        let y = reuse(&output, shape: x.shape, on: backend)
        let m = reuse(&mask, shape: x.shape, on: backend)
        backend.dropoutForward(x: x.buffer, mask: m.buffer, y: y.buffer, probability: probability,
                               seed: seed, count: x.count)
        seed = seed &* 747_796_405 &+ 2_891_336_453
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard probability > 0 else { return dy }
        let m = savedInput(mask, "Dropout")
        let dx = reuse(&inputGradient, shape: dy.shape, on: backend)
        backend.multiply(dy.buffer, m.buffer, out: dx.buffer, count: dy.count)
        return dx
    }
}

extension Dropout {
    /// A dropout as a checkpoint describes it (`LayerSpec.dropout`).
    struct Kind: LayerKind {
        let probability: Float

        var spec: LayerSpec { .dropout(probability: probability) }
        var receptiveField: ReceptiveField? { ReceptiveField() }
        var shortName: String { "drop\(probability)" }
        var onnxNodeName: String { "dropout" }

        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
            guard probability >= 0 && probability < 1 else { return refuse("probability must be in [0, 1)") }
            return .success(shape)
        }

        /// Each dropout layer gets the next of the builder's seeds, so masks differ between layers.
        func make(_ builder: inout LayerBuilder) -> Layer {
            Dropout(probability: probability, seed: builder.nextDropoutSeed(), backend: builder.backend)
        }

        /// The identity at inference: no node.
        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            input
        }
    }
}
