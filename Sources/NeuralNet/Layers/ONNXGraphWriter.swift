/// Where a layer writes itself as ONNX nodes (`LayerSpec.appendONNX`), in ONNX's terms but free of
/// its protobuf messages: the core says which ops, tensors and attributes a layer becomes, and the
/// `ONNXExport` target, which implements this, writes them as an ONNX file.
public protocol ONNXGraphWriter {
    /// Adds node `op` reading the values `inputs`, writing one output named `output` (or a fresh
    /// variant of it when taken); returns the output's name.
    mutating func node(_ op: String, _ inputs: [String], output: String, attributes: [ONNXNodeAttribute]) -> String
}

extension ONNXGraphWriter {
    /// A node without attributes.
    public mutating func node(_ op: String, _ inputs: [String], output: String) -> String {
        node(op, inputs, output: output, attributes: [])
    }
}

/// One attribute of an ONNX node: its name and value.
public enum ONNXNodeAttribute: Equatable, Sendable {
    case int(String, Int)
    case ints(String, [Int])
    case float(String, Float)
}

extension LayerSpec {
    /// Appends this layer to `graph` as ONNX opset-17 nodes reading `input`, as its kind says
    /// (`LayerKind.appendONNX`); `tensors` are the names of its initializers in
    /// `checkpointTensorShapes` order. Returns the name of the layer's output, which is `input` itself
    /// for a layer that is the identity at inference (dropout).
    public func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String],
                                                   output: String) -> String {
        kind.appendONNX(to: &graph, input: input, tensors: tensors, output: output)
    }

    /// The name of the node this layer becomes (`conv`, `batch_norm`), for node names such as `3.conv`.
    public var onnxNodeName: String { kind.onnxNodeName }

    /// The layer in one short word (`conv3×3(1→32)`, `bn`, `relu`, `pool2`, `drop0.3`, `flat`,
    /// `linear(784→26)`, `residual[… + identity]`), as `letternet inspect` lists a network.
    public var shortName: String { kind.shortName }
}
