/// Fully connected layer `y = x·Wᵀ + b`, weights `[out, in]`, as `torch.nn.Linear`.
public final class Linear: Layer {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter
    let backend: Backend
    var input: Tensor?, output: Tensor?, inputGradient: Tensor?
    /// Whether a ReLU runs in the output pass (set by `foldedForInference`; inference only).
    public var fusesReLU = false

    /// Kaiming-uniform weights (bound √(6/fan_in)) and zero biases, from `rng`.
    public init<G: RandomNumberGenerator>(inputFeatures: Int, outputFeatures: Int, backend: Backend, rng: inout G) {
        inFeatures = inputFeatures; outFeatures = outputFeatures; self.backend = backend
        let kind = Kind(inFeatures: inputFeatures, outFeatures: outputFeatures)
        weight = Parameter(kind.weight, values: kaimingUniform(count: outputFeatures * inputFeatures, fanIn: inputFeatures, rng: &rng),
                           decays: true, on: backend)
        bias = Parameter(kind.bias, decays: false, on: backend)
    }

    var kind: Kind { Kind(inFeatures: inFeatures, outFeatures: outFeatures) }
    public var spec: LayerSpec { kind.spec }
    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = reuse(&output, shape: outputShape(for: x.shape), on: backend)
        if fusesReLU {
            precondition(!training, "a Linear with a fused ReLU is for inference only")
            backend.linearForwardReLU(x: x.buffer, weight: weight.value.buffer, bias: bias.value.buffer, y: y.buffer,
                                      batch: x.shape[0], inFeatures: inFeatures, outFeatures: outFeatures)
        } else {
            backend.linearForward(x: x.buffer, weight: weight.value.buffer, bias: bias.value.buffer, y: y.buffer,
                                  batch: x.shape[0], inFeatures: inFeatures, outFeatures: outFeatures)
        }
        input = training ? x : nil
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let x = savedInput(input, "Linear")
        let n = x.shape[0]
        backend.linearBackwardWeight(x: x.buffer, dy: dy.buffer, dWeight: weight.grad.buffer, dBias: bias.grad.buffer,
                                     batch: n, inFeatures: inFeatures, outFeatures: outFeatures)
        let dx = reuse(&inputGradient, shape: x.shape, on: backend)
        backend.linearBackwardInput(dy: dy.buffer, weight: weight.value.buffer, dx: dx.buffer,
                                    batch: n, inFeatures: inFeatures, outFeatures: outFeatures)
        return dx
    }

    /// Takes a ReLU that follows into its output pass.
    public func foldedForInference(before following: ArraySlice<Layer>) -> (kept: [Layer], absorbed: Int) {
        guard following.first is ReLU else { return ([self], 0) }
        fusesReLU = true
        return ([self], 1)
    }
}

extension Linear {
    /// A fully connected layer as a checkpoint describes it (`LayerSpec.linear`).
    struct Kind: LayerKind {
        let inFeatures: Int, outFeatures: Int

        var spec: LayerSpec { .linear(inFeatures: inFeatures, outFeatures: outFeatures) }
        var weight: TensorSlot { ("weight", [outFeatures, inFeatures]) }
        var bias: TensorSlot { ("bias", [outFeatures]) }
        var tensorShapes: [TensorSlot] { [weight, bias] }
        /// Every output mixes all columns.
        var receptiveField: ReceptiveField? { nil }
        var shortName: String { "linear(\(inFeatures)→\(outFeatures))" }
        var onnxNodeName: String { "linear" }

        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
            guard (1...(1 << 26)).contains(inFeatures), (1...LayerLimits.channels).contains(outFeatures) else {
                return refuse("invalid sizes")
            }
            guard shape == [inFeatures] else { return refuse("expects [\(inFeatures)], gets \(shape)") }
            return .success([outFeatures])
        }

        func make(_ builder: inout LayerBuilder) -> Layer {
            Linear(inputFeatures: inFeatures, outputFeatures: outFeatures, backend: builder.backend, rng: &builder.rng)
        }

        /// `Gemm`: y = x·Wᵀ + b with W stored [out, in], as `torch.nn.Linear`.
        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            graph.node("Gemm", [input] + tensors, output: output, attributes: [.int("transB", 1)])
        }
    }
}
