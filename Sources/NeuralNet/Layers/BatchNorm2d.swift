/// Batch normalization over NCHW input, per channel, as `torch.nn.BatchNorm2d` (momentum 0.1, eps 1e-5).
public final class BatchNorm2d: Layer {
    public let channels: Int
    public let momentum: Float, epsilon: Float
    public let gamma: Parameter, beta: Parameter
    public let runningMean: Tensor, runningVar: Tensor
    let backend: Backend
    let mean: Tensor, invStd: Tensor
    var input: Tensor?, output: Tensor?, inputGradient: Tensor?

    /// The ε every network of a checkpoint is built with (checkpoints do not store it).
    public static let defaultEpsilon: Float = 1e-5

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = defaultEpsilon, backend: Backend) {
        self.channels = channels; self.momentum = momentum; self.epsilon = epsilon; self.backend = backend
        let kind = Kind(channels: channels)
        gamma = Parameter(kind.weight, values: [Float](repeating: 1, count: channels), decays: false, on: backend)
        beta = Parameter(kind.bias, decays: false, on: backend)
        runningMean = Tensor(kind.runningMean, filledWith: 0, on: backend)
        runningVar = Tensor(kind.runningVar, filledWith: 1, on: backend)
        mean = Tensor(zeros: [channels], on: backend)
        invStd = Tensor(zeros: [channels], on: backend)
    }

    var kind: Kind { Kind(channels: channels) }
    public var spec: LayerSpec { kind.spec }
    public var parameters: [Parameter] { [gamma, beta] }
    public var stateTensors: [(name: String, tensor: Tensor)] {
        [(kind.runningMean.name, runningMean), (kind.runningVar.name, runningVar)]
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let s = outputShape(for: x.shape)
        let y = reuse(&output, shape: s, on: backend)
        if training {
            backend.batchNormForwardTraining(x: x.buffer, gamma: gamma.value.buffer, beta: beta.value.buffer, y: y.buffer,
                                             mean: mean.buffer, invStd: invStd.buffer,
                                             runningMean: runningMean.buffer, runningVar: runningVar.buffer,
                                             momentum: momentum, epsilon: epsilon,
                                             batch: s[0], channels: channels, spatial: s[2] * s[3])
            input = x
        } else {
            backend.batchNormForwardInference(x: x.buffer, gamma: gamma.value.buffer, beta: beta.value.buffer, y: y.buffer,
                                              runningMean: runningMean.buffer, runningVar: runningVar.buffer,
                                              epsilon: epsilon, batch: s[0], channels: channels, spatial: s[2] * s[3])
            input = nil
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let x = savedInput(input, "BatchNorm2d")
        let dx = reuse(&inputGradient, shape: x.shape, on: backend)
        backend.batchNormBackward(x: x.buffer, dy: dy.buffer, gamma: gamma.value.buffer, mean: mean.buffer,
                                  invStd: invStd.buffer, dx: dx.buffer, dGamma: gamma.grad.buffer,
                                  dBeta: beta.grad.buffer, batch: x.shape[0], channels: channels,
                                  spatial: x.shape[2] * x.shape[3])
        return dx
    }

    /// Puts this normalization (with its running statistics) into the weights and bias of the
    /// convolution before it, for inference: `w·s` and `(b − μ)·s + β`, `s = γ/√(σ² + ε)`.
    func fold(into conv: Conv2d) {
        var weight = conv.weight.value.toArray(), bias = conv.bias.value.toArray()
        let gamma = gamma.value.toArray(), beta = beta.value.toArray()
        let mean = runningMean.toArray(), variance = runningVar.toArray()
        let perChannel = weight.count / conv.outChannels
        for c in 0..<conv.outChannels {
            let s = gamma[c] / (variance[c] + epsilon).squareRoot()
            for j in 0..<perChannel { weight[c * perChannel + j] *= s }
            bias[c] = (bias[c] - mean[c]) * s + beta[c]
        }
        conv.weight.value.copy(from: weight)
        conv.bias.value.copy(from: bias)
    }
}

extension BatchNorm2d {
    /// A batch normalization as a checkpoint describes it (`LayerSpec.batchNorm2d`).
    struct Kind: LayerKind {
        let channels: Int

        var spec: LayerSpec { .batchNorm2d(channels: channels) }
        /// γ and β, then the running statistics.
        var weight: TensorSlot { ("weight", [channels]) }
        var bias: TensorSlot { ("bias", [channels]) }
        var runningMean: TensorSlot { ("running_mean", [channels]) }
        var runningVar: TensorSlot { ("running_var", [channels]) }
        var tensorShapes: [TensorSlot] { [weight, bias, runningMean, runningVar] }
        var receptiveField: ReceptiveField? { ReceptiveField() }
        var shortName: String { "bn" }
        var onnxNodeName: String { "batch_norm" }

        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
            guard (1...LayerLimits.channels).contains(channels), shape.count == 3, shape[0] == channels else {
                return refuse("expects [\(channels), H, W], gets \(shape)")
            }
            return .success(shape)
        }

        func make(_ builder: inout LayerBuilder) -> Layer { BatchNorm2d(channels: channels, backend: builder.backend) }

        /// `BatchNormalization` with the inputs X, scale (γ), B (β), running mean, running variance:
        /// the checkpoint's order.
        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            graph.node("BatchNormalization", [input] + tensors, output: output,
                       attributes: [.float("epsilon", BatchNorm2d.defaultEpsilon)])
        }
    }
}
