import NeuralNet

extension LayerSpec {
    /// Appends this layer to `graph` as ONNX opset-17 nodes reading `input`, as `torch.onnx` would
    /// write the matching `torch.nn` layer; `tensors` are the names of its initializers in
    /// `checkpointTensorShapes` order. Returns the name of the layer's output, which is `input` itself
    /// for dropout (the identity at inference, so no node). A residual block becomes its branches'
    /// nodes (named `<output>.body.0.conv`, …) and an `Add`.
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
        case let .residual(body, shortcut):
            // Each branch's layers take their tensors from `tensors` in turn (checkpoint order); an
            // empty shortcut passes `input` itself to the `Add`.
            var rest = tensors[...]
            func chain(_ layers: [LayerSpec], _ branch: String) -> String {
                layers.enumerated().reduce(input) { value, item in
                    let (j, layer) = item, n = layer.checkpointTensorShapes.count
                    defer { rest = rest.dropFirst(n) }
                    return layer.appendONNX(to: &graph, input: value, tensors: Array(rest.prefix(n)),
                                            output: "\(output).\(branch).\(j).\(layer.onnxNodeName)")
                }
            }
            let a = chain(body, "body"), b = chain(shortcut, "shortcut")
            return graph.node("Add", [a, b], output: output)
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
        case .residual: return "residual"
        }
    }
}
