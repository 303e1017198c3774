/// 2-D convolution (cross-correlation) over NCHW input, weights `[out, in, k, k]`, as `torch.nn.Conv2d`.
public final class Conv2d: Layer {
    public let inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int
    public let weight: Parameter
    public let bias: Parameter
    let backend: Backend
    /// When false, `backward` computes only the parameter gradients and returns a zero tensor
    /// (`Sequential` turns it off for a first layer, whose input gradient nobody reads).
    public var computesInputGradient = true
    /// Whether a ReLU runs in the output pass (inference only; see `Sequential.foldedForInference`).
    public var fusesReLU = false
    var input: Tensor?, output: Tensor?, inputGradient: Tensor?

    /// Kaiming-uniform weights (bound √(6/fan_in), for ReLU networks) and zero biases, from `rng`.
    public init<G: RandomNumberGenerator>(inputChannels: Int, outputChannels: Int, kernelSize: Int,
                                          stride: Int = 1, padding: Int = 0, backend: Backend, rng: inout G) {
        self.inChannels = inputChannels; self.outChannels = outputChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        self.backend = backend
        let fanIn = inputChannels * kernelSize * kernelSize
        let w = kaimingUniform(count: outputChannels * fanIn, fanIn: fanIn, rng: &rng)
        weight = Parameter(name: "weight",
                           value: Tensor(w, shape: [outputChannels, inputChannels, kernelSize, kernelSize], on: backend),
                           decays: true)
        bias = Parameter(name: "bias", value: Tensor(zeros: [outputChannels], on: backend), decays: false)
    }

    public var spec: LayerSpec {
        .conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride, padding: padding)
    }
    public var parameters: [Parameter] { [weight, bias] }

    func geometry(_ shape: [Int]) -> Conv2dGeometry {
        precondition(shape.count == 4 && shape[1] == inChannels, "Conv2d expects [N, \(inChannels), H, W], got \(shape)")
        return Conv2dGeometry(batch: shape[0], inChannels: inChannels, inHeight: shape[2], inWidth: shape[3],
                              outChannels: outChannels, kernelSize: kernelSize, stride: stride, padding: padding)
    }

    public func outputShape(for s: [Int]) -> [Int] {
        let g = geometry(s)
        return [g.batch, outChannels, g.outHeight, g.outWidth]
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(x.shape)
        let y = reuse(&output, shape: outputShape(for: x.shape), on: backend)
        if fusesReLU {
            precondition(!training, "a Conv2d with a fused ReLU is for inference only")
            backend.conv2dForwardReLU(x: x.buffer, weight: weight.value.buffer, bias: bias.value.buffer, y: y.buffer, geometry: g)
        } else {
            backend.conv2dForward(x: x.buffer, weight: weight.value.buffer, bias: bias.value.buffer, y: y.buffer, geometry: g)
        }
        input = training ? x : nil
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let x = savedInput(input, "Conv2d")
        let g = geometry(x.shape)
        backend.conv2dBackwardWeight(x: x.buffer, dy: dy.buffer, dWeight: weight.grad.buffer,
                                     dBias: bias.grad.buffer, geometry: g)
        let dx = reuse(&inputGradient, shape: x.shape, on: backend)
        if computesInputGradient {
            backend.conv2dBackwardInput(dy: dy.buffer, weight: weight.value.buffer, dx: dx.buffer, geometry: g)
        }
        return dx
    }
}
