/// Fully connected layer `y = x·Wᵀ + b`, weights `[out, in]`, as `torch.nn.Linear`.
public final class Linear: Layer {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter
    let backend: Backend
    var input: Tensor?, output: Tensor?, inputGradient: Tensor?

    /// Kaiming-uniform weights (bound √(6/fan_in)) and zero biases, from `rng`.
    public init<G: RandomNumberGenerator>(inputFeatures: Int, outputFeatures: Int, backend: Backend, rng: inout G) {
        inFeatures = inputFeatures; outFeatures = outputFeatures; self.backend = backend
        let w = kaimingUniform(count: outputFeatures * inputFeatures, fanIn: inputFeatures, rng: &rng)
        weight = Parameter(name: "weight", value: Tensor(w, shape: [outputFeatures, inputFeatures], on: backend),
                           decays: true)
        bias = Parameter(name: "bias", value: Tensor(zeros: [outputFeatures], on: backend), decays: false)
    }

    public var spec: LayerSpec { .linear(inFeatures: inFeatures, outFeatures: outFeatures) }
    public var parameters: [Parameter] { [weight, bias] }

    public func outputShape(for s: [Int]) -> [Int] {
        precondition(s.count == 2 && s[1] == inFeatures, "Linear expects [N, \(inFeatures)], got \(s)")
        return [s[0], outFeatures]
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = reuse(&output, shape: outputShape(for: x.shape), on: backend)
        backend.linearForward(x: x.buffer, weight: weight.value.buffer, bias: bias.value.buffer, y: y.buffer,
                              batch: x.shape[0], inFeatures: inFeatures, outFeatures: outFeatures)
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
}
