import Foundation
import NeuralNet

/// Collects the nodes and initializers of one ONNX graph, in order, as ONNX's protobuf messages;
/// every value it makes gets a fresh name. Layers write their nodes into it as an `ONNXGraphWriter`.
struct ONNXGraphBuilder: ONNXGraphWriter {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var used: Set<String> = []

    /// Adds a float32 initializer (`raw_data`, little-endian) and returns its name.
    @discardableResult
    mutating func initializer(_ name: String, shape: [Int], values: [Float]) -> String {
        precondition(values.count == shape.reduce(1, *), "initializer \(name): \(values.count) values for shape \(shape)")
        var t = Onnx_TensorProto()
        t.name = claim(name)
        t.dims = shape.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        t.rawData = values.map(\.bitPattern.littleEndian).withUnsafeBytes { Data($0) }
        initializers.append(t)
        return t.name
    }

    /// A scalar float32 initializer.
    mutating func scalar(_ name: String, _ value: Float) -> String { initializer(name, shape: [], values: [value]) }

    /// Adds node `op` reading `inputs`, writing one output called `output`; returns the output's name.
    mutating func node(_ op: String, _ inputs: [String], output: String, attributes: [ONNXNodeAttribute]) -> String {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = [claim(output)]
        n.name = n.output[0]
        n.attribute = attributes.map(Self.proto)
        nodes.append(n)
        return n.output[0]
    }

    /// Takes `name` (a graph input's) so that no node or initializer gets it; returns it.
    mutating func reserve(_ name: String) -> String { used.insert(name); return name }

    /// `name`, or `name_2`, `name_3`, … when taken.
    private mutating func claim(_ name: String) -> String {
        var candidate = name, k = 1
        while used.contains(candidate) { k += 1; candidate = "\(name)_\(k)" }
        used.insert(candidate)
        return candidate
    }

    /// An attribute as ONNX's message.
    static func proto(_ attribute: ONNXNodeAttribute) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        switch attribute {
        case let .int(name, value): a.name = name; a.type = .int; a.i = Int64(value)
        case let .ints(name, values): a.name = name; a.type = .ints; a.ints = values.map(Int64.init)
        case let .float(name, value): a.name = name; a.type = .float; a.f = value
        }
        return a
    }
}
