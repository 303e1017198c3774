import NeuralNet

extension LayerSpec {
    /// Appends this layer to `graph` as ONNX opset-17 nodes reading `input`, as `torch.onnx` would
    /// write the matching `torch.nn` layer; `tensors` are the names of its initializers in
    /// `checkpointTensorShapes` order. Returns the name of the layer's output, which is `input` itself
    /// for dropout (the identity at inference, so no node).
    func appendONNX(to graph: inout ONNXGraphBuilder, input: String, tensors: [String], output: String) -> String {
        typealias A = ONNXAttribute
        switch self {
        case let .conv2d(_, _, k, s, p):
            return graph.node("Conv", [input] + tensors, output: output, attributes: [
                A.ints("kernel_shape", [k, k]), A.ints("strides", [s, s]), A.ints("pads", [p, p, p, p]),
                A.ints("dilations", [1, 1]), A.int("group", 1),
            ])
        case .batchNorm2d:
            // Inputs X, scale (γ), B (β), running mean, running variance: the checkpoint's order.
            return graph.node("BatchNormalization", [input] + tensors, output: output,
                              attributes: [A.float("epsilon", BatchNorm2d.defaultEpsilon)])
        case .relu:
            return graph.node("Relu", [input], output: output)
        case let .maxPool2d(k, s):
            return graph.node("MaxPool", [input], output: output,
                              attributes: [A.ints("kernel_shape", [k, k]), A.ints("strides", [s, s])])
        case .dropout:
            return input
        case .flatten:
            return graph.node("Flatten", [input], output: output, attributes: [A.int("axis", 1)])
        case .linear:
            // y = x·Wᵀ + b with W stored [out, in], as torch.nn.Linear.
            return graph.node("Gemm", [input] + tensors, output: output, attributes: [A.int("transB", 1)])
        }
    }

    /// A short name for the node a layer becomes (`3.conv`, `4.batch_norm`).
    var onnxNodeName: String {
        switch self {
        case .conv2d: return "conv"
        case .batchNorm2d: return "batch_norm"
        case .relu: return "relu"
        case .maxPool2d: return "max_pool"
        case .dropout: return "dropout"
        case .flatten: return "flatten"
        case .linear: return "linear"
        }
    }
}
