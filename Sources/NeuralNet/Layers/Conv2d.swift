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
        let kind = Kind(inChannels: inputChannels, outChannels: outputChannels, kernelSize: kernelSize,
                        stride: stride, padding: padding)
        weight = Parameter(kind.weight, values: kaimingUniform(count: outputChannels * fanIn, fanIn: fanIn, rng: &rng),
                           decays: true, on: backend)
        bias = Parameter(kind.bias, decays: false, on: backend)
    }

    var kind: Kind {
        Kind(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride, padding: padding)
    }
    public var spec: LayerSpec { kind.spec }
    public var parameters: [Parameter] { [weight, bias] }

    func geometry(_ shape: [Int]) -> Conv2dGeometry {
        precondition(shape.count == 4 && shape[1] == inChannels, "Conv2d expects [N, \(inChannels), H, W], got \(shape)")
        return Conv2dGeometry(batch: shape[0], inChannels: inChannels, inHeight: shape[2], inWidth: shape[3],
                              outChannels: outChannels, kernelSize: kernelSize, stride: stride, padding: padding)
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

    /// Takes a batch norm (with its running statistics) and a ReLU that follow into itself.
    public func foldedForInference(before following: ArraySlice<Layer>) -> (kept: [Layer], absorbed: Int) {
        var absorbed = 0
        if let norm = following.first as? BatchNorm2d {
            norm.fold(into: self)
            absorbed = 1
        }
        if following.dropFirst(absorbed).first is ReLU {
            fusesReLU = true
            absorbed += 1
        }
        return ([self], absorbed)
    }
}

extension Conv2d {
    /// A convolution as a checkpoint describes it (`LayerSpec.conv2d`).
    struct Kind: LayerKind {
        let inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int, padding: Int

        var spec: LayerSpec {
            .conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride, padding: padding)
        }
        var weight: TensorSlot { ("weight", [outChannels, inChannels, kernelSize, kernelSize]) }
        var bias: TensorSlot { ("bias", [outChannels]) }
        var tensorShapes: [TensorSlot] { [weight, bias] }
        var receptiveField: ReceptiveField? { ReceptiveField(kernel: kernelSize, stride: stride, padding: padding) }
        var shortName: String { "conv\(kernelSize)×\(kernelSize)\(stride > 1 ? "/\(stride)" : "")(\(inChannels)→\(outChannels))" }
        var onnxNodeName: String { "conv" }

        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
            let (i, o, k, s, p) = (inChannels, outChannels, kernelSize, stride, padding)
            let channels = 1...LayerLimits.channels, window = 1...LayerLimits.window
            guard channels.contains(i), channels.contains(o), window.contains(k), window.contains(s),
                  (0...LayerLimits.window).contains(p) else { return refuse("invalid sizes") }
            guard shape.count == 3, shape[0] == i else { return refuse("expects [\(i), H, W], gets \(shape)") }
            guard shape[1] + 2 * p >= k, shape[2] + 2 * p >= k else { return refuse("kernel larger than its input \(shape)") }
            let g = Conv2dGeometry(batch: 1, inChannels: i, inHeight: shape[1], inWidth: shape[2], outChannels: o,
                                   kernelSize: k, stride: s, padding: p)
            return .success([o, g.outHeight, g.outWidth])
        }

        /// The unfolded (im2col) input: a column of `inChannels · k · k` per output position.
        func scratchFloats(input: [Int], output: [Int]) -> Double {
            Double(inChannels * kernelSize * kernelSize) * Double(output[1] * output[2])
        }

        func make(_ builder: inout LayerBuilder) -> Layer {
            Conv2d(inputChannels: inChannels, outputChannels: outChannels, kernelSize: kernelSize, stride: stride,
                   padding: padding, backend: builder.backend, rng: &builder.rng)
        }

        /// `Conv` with the weight and bias as its second and third inputs.
        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            let (k, s, p) = (kernelSize, stride, padding)
            return graph.node("Conv", [input] + tensors, output: output, attributes: [
                .ints("kernel_shape", [k, k]), .ints("strides", [s, s]), .ints("pads", [p, p, p, p]),
                .ints("dilations", [1, 1]), .int("group", 1),
            ])
        }
    }
}
