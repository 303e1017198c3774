import Foundation
import NeuralNet
import SwiftProtobuf

/// Writes a network (a checkpoint's layer specs and tensors) as an ONNX model: the input scaling of
/// its signature, one node per layer (batch norm kept as `BatchNormalization` with the running
/// statistics; dropout left out, being the identity at inference), the logits and optionally their
/// softmax as outputs, the checkpoint's tensors as initializers named as in the checkpoint
/// (`0.weight`, `1.running_mean`, … as in a PyTorch `state_dict`), and the signature's metadata.
public enum ONNXExporter {
    /// ONNX operator set 17 (2022) and its IR version 8: read by onnxruntime ≥ 1.13 and current converters.
    public static let opsetVersion: Int64 = 17
    public static let irVersion: Int64 = 8

    /// The serialized ONNX model (`.onnx` file bytes).
    public static func model(_ checkpoint: Checkpoint, signature: ONNXSignature,
                             producer: String = "letternet", producerVersion: String = "") throws -> Data {
        try check(checkpoint, signature)
        var graph = ONNXGraphBuilder()
        var value = graph.reserve(signature.input.name)
        if let s = signature.scaling {
            value = graph.node("Clip", [value, graph.scalar("input_lower", s.lower), graph.scalar("input_upper", s.upper)],
                               output: "clipped")
            value = graph.node("Div", [value, graph.scalar("input_divisor", s.divisor)], output: "scaled")
            value = graph.node("Sub", [value, graph.scalar("input_mean", s.mean)], output: "centered")
            value = graph.node("Div", [value, graph.scalar("input_std", s.std)], output: "normalized")
        }
        // The last layer that makes a node writes the logits output.
        let last = checkpoint.layers.lastIndex(where: \.makesONNXNodes)
        for (i, layer) in checkpoint.layers.enumerated() {
            let tensors = layer.checkpointTensorShapes.map { local in
                let name = "\(i).\(local.name)"
                return graph.initializer(name, shape: local.shape, values: checkpoint.tensor(named: name)!.values)
            }
            value = layer.appendONNX(to: &graph, input: value, tensors: tensors,
                                     output: i == last ? signature.logits.name : "\(i).\(layer.onnxNodeName)")
        }
        if value != signature.logits.name { value = graph.node("Identity", [value], output: signature.logits.name) }
        var outputs = [signature.logits]
        if let p = signature.probabilities {
            _ = graph.node("Softmax", [value], output: p.name, attributes: [.int("axis", signature.softmaxAxis)])
            outputs.append(p)
        }

        var g = Onnx_GraphProto()
        g.name = signature.name
        g.node = graph.nodes
        g.initializer = graph.initializers
        g.input = [valueInfo(signature.input)]
        g.output = outputs.map(valueInfo)
        var m = Onnx_ModelProto()
        m.irVersion = irVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        m.opsetImport = [opset]
        m.producerName = producer
        m.producerVersion = producerVersion
        m.modelVersion = 1
        m.docString = signature.doc
        m.graph = g
        m.metadataProps = signature.metadata.sorted { $0.key < $1.key }.map { key, value in
            var entry = Onnx_StringStringEntryProto(); entry.key = key; entry.value = value; return entry
        }
        return try m.serializedBytes()
    }

    /// Refuses an impossible architecture, tensors that disagree with it, and a signature whose input
    /// does not fit the network.
    static func check(_ c: Checkpoint, _ signature: ONNXSignature) throws {
        do { _ = try LayerSpec.check(c.layers, inputShape: c.inputShape) } catch {
            throw ONNXExportError("impossible architecture: \(error)")
        }
        for (i, layer) in c.layers.enumerated() {
            for (name, shape) in layer.checkpointTensorShapes {
                guard let stored = c.tensor(named: "\(i).\(name)") else { throw ONNXExportError("tensor '\(i).\(name)' is missing") }
                guard stored.shape == shape else {
                    throw ONNXExportError("tensor '\(i).\(name)' has shape \(stored.shape), the architecture needs \(shape)")
                }
            }
        }
        let dims = signature.input.shape
        let fits = dims.count == c.inputShape.count + 1 && zip(dims.dropFirst(), c.inputShape).allSatisfy { d, n in
            if case let .fixed(m) = d { return m == n } else { return true }
        }
        guard fits else { throw ONNXExportError("input \(dims) does not fit the network's input [N] + \(c.inputShape)") }
        guard !signature.input.name.isEmpty, signature.input.name != signature.logits.name,
              signature.probabilities.map({ ![signature.input.name, signature.logits.name].contains($0.name) }) ?? true else {
            throw ONNXExportError("the input and outputs need distinct, non-empty names")
        }
    }

    static func valueInfo(_ v: ONNXSignature.Value) -> Onnx_ValueInfoProto {
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape.dim = v.shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            switch d {
            case let .fixed(n): dim.dimValue = Int64(n)
            case let .named(s): dim.dimParam = s
            }
            return dim
        }
        var info = Onnx_ValueInfoProto()
        info.name = v.name
        info.type.tensorType = tensor
        info.docString = v.doc
        return info
    }
}

extension LayerSpec {
    /// Whether the layer becomes any node: not when it is the identity at inference (dropout), which
    /// its `appendONNX` says by returning its input.
    var makesONNXNodes: Bool {
        var probe = ONNXGraphBuilder()
        return appendONNX(to: &probe, input: "input", tensors: checkpointTensorShapes.map(\.name), output: "output") != "input"
    }
}

/// A network that cannot be exported; one line.
public struct ONNXExportError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
