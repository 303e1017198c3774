import Foundation
import XCTest
import NeuralNet
@testable import ONNXExport

/// The graph the exporter writes, read back through the generated ONNX messages: its nodes, their
/// attributes and wiring, the initializers (bit for bit the checkpoint's tensors), the input and
/// outputs, the metadata; and what it refuses. (The numbers it computes are checked against
/// onnxruntime in LetterNetCLITests/ONNXRuntimeParityTests.)
final class ONNXExporterTests: XCTestCase {
    static let layers: [LayerSpec] = [
        .conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 4), .relu,
        .maxPool2d(kernelSize: 2, stride: 2), .dropout(probability: 0.3), .flatten,
        .linear(inFeatures: 4 * 4 * 4, outFeatures: 5), .dropout(probability: 0.1),
    ]

    func checkpoint(layers: [LayerSpec] = layers, inputShape: [Int] = [1, 8, 8]) -> Checkpoint {
        let model = Sequential(specs: layers, inputShape: inputShape, backend: CPUBackend(threads: 1), seed: 3)
        var c = Checkpoint(model: model, metadata: ["trained_on": "a.npz", "kind": "test"])
        // Running statistics other than the initial 0 and 1, so that their place in the graph shows.
        for i in c.tensors.indices where c.tensors[i].name.contains("running") {
            c.tensors[i].values = c.tensors[i].values.indices.map { Float($0) * 0.25 + 0.5 }
        }
        return c
    }

    func signature(input: [ONNXSignature.Dimension] = [.named("N"), .fixed(1), .fixed(8), .fixed(8)]) -> ONNXSignature {
        ONNXSignature(input: .init(name: "pixels", shape: input, doc: "raw"),
                      scaling: .init(lower: 0, upper: 255, divisor: 255, mean: 0.17, std: 0.33),
                      logits: .init(name: "logits", shape: [.named("N"), .fixed(5)], doc: "scores"),
                      probabilities: .init(name: "probabilities", shape: [.named("N"), .fixed(5)], doc: "softmax"),
                      name: "test", doc: "a test network", metadata: ["kind": "test", "classes": "a,b,c,d,e"])
    }

    func testGraphHoldsTheLayersInOrderWithTheCheckpointsTensors() throws {
        let c = checkpoint()
        let model = try Onnx_ModelProto(serializedBytes: try ONNXExporter.model(c, signature: signature()))
        XCTAssertEqual(model.irVersion, 8)
        XCTAssertEqual(model.opsetImport.map(\.version), [17])
        XCTAssertEqual(model.producerName, "letternet")
        let g = model.graph
        XCTAssertEqual(g.node.map(\.opType), ["Clip", "Div", "Sub", "Div", "Conv", "BatchNormalization", "Relu",
                                              "MaxPool", "Flatten", "Gemm", "Softmax"])
        // A chain: every node reads the previous node's output (dropout left out).
        for (a, b) in zip(g.node, g.node.dropFirst()) { XCTAssertEqual(b.input.first, a.output.first, "\(b.opType)") }
        XCTAssertEqual(g.node.first?.input.first, "pixels")
        XCTAssertEqual(g.node[9].output, ["logits"])
        XCTAssertEqual(g.node[10].input, ["logits"])
        XCTAssertEqual(g.node[10].output, ["probabilities"])

        // Initializers: the scaling constants, then every checkpoint tensor, bit for bit, in checkpoint names.
        let initializers = Dictionary(uniqueKeysWithValues: g.initializer.map { ($0.name, $0) })
        func floats(_ t: Onnx_TensorProto) -> [Float] {
            t.rawData.withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
            }
        }
        for t in c.tensors {
            let onnx = try XCTUnwrap(initializers[t.name], t.name)
            XCTAssertEqual(onnx.dims, t.shape.map(Int64.init), t.name)
            XCTAssertEqual(onnx.dataType, 1, t.name)
            XCTAssertEqual(floats(onnx).map(\.bitPattern), t.values.map(\.bitPattern), t.name)
        }
        XCTAssertEqual(g.initializer.count, c.tensors.count + 5)
        XCTAssertEqual(g.node[0].input.dropFirst().map { floats(initializers[$0]!) }, [[0], [255]])
        XCTAssertEqual(floats(initializers[g.node[2].input[1]]!), [0.17])
        XCTAssertEqual(floats(initializers[g.node[3].input[1]]!), [0.33])
        XCTAssertEqual(g.node[4].input, ["normalized", "0.weight", "0.bias"])
        XCTAssertEqual(g.node[5].input, ["0.conv", "1.weight", "1.bias", "1.running_mean", "1.running_var"])
        XCTAssertEqual(g.node[9].input.dropFirst().map { $0 }, ["6.weight", "6.bias"])

        func attributes(_ n: Onnx_NodeProto) -> [String: String] {
            Dictionary(uniqueKeysWithValues: n.attribute.map { a in
                (a.name, a.type == .ints ? "\(a.ints)" : a.type == .float ? "\(a.f)" : "\(a.i)")
            })
        }
        XCTAssertEqual(attributes(g.node[4]), ["kernel_shape": "[3, 3]", "strides": "[1, 1]", "pads": "[1, 1, 1, 1]",
                                               "dilations": "[1, 1]", "group": "1"])
        XCTAssertEqual(attributes(g.node[5]), ["epsilon": "\(BatchNorm2d.defaultEpsilon)"])
        XCTAssertEqual(attributes(g.node[7]), ["kernel_shape": "[2, 2]", "strides": "[2, 2]"])
        XCTAssertEqual(attributes(g.node[8]), ["axis": "1"])
        XCTAssertEqual(attributes(g.node[9]), ["transB": "1"])
        XCTAssertEqual(attributes(g.node[10]), ["axis": "1"])

        // Input and outputs: names, float32, shapes with the batch named.
        XCTAssertEqual(g.input.map(\.name), ["pixels"])
        XCTAssertEqual(g.output.map(\.name), ["logits", "probabilities"])
        let dims = g.input[0].type.tensorType.shape.dim
        XCTAssertEqual(dims.map(\.dimParam), ["N", "", "", ""])
        XCTAssertEqual(dims.map(\.dimValue), [0, 1, 8, 8])
        XCTAssertEqual(g.output[1].type.tensorType.elemType, 1)

        XCTAssertEqual(model.metadataProps.map(\.key), ["classes", "kind"])
        XCTAssertEqual(model.metadataProps.map(\.value), ["a,b,c,d,e", "test"])
    }

    func testLogitsOnlyAndAFinalDropoutStillNameTheOutput() throws {
        var s = signature()
        s.probabilities = nil
        s.scaling = nil
        let g = try Onnx_ModelProto(serializedBytes: try ONNXExporter.model(checkpoint(), signature: s)).graph
        XCTAssertEqual(g.node.map(\.opType), ["Conv", "BatchNormalization", "Relu", "MaxPool", "Flatten", "Gemm"])
        XCTAssertEqual(g.node.first?.input.first, "pixels")
        XCTAssertEqual(g.output.map(\.name), ["logits"])
        XCTAssertEqual(g.node.last?.output, ["logits"])
    }

    func testRefusesTensorsThatDisagreeAndAnInputThatDoesNotFit() throws {
        var c = checkpoint()
        c.tensors[0].shape = [4, 1, 9]
        XCTAssertThrowsError(try ONNXExporter.model(c, signature: signature())) { error in
            XCTAssertTrue("\(error)".contains("'0.weight' has shape [4, 1, 9]"), "\(error)")
        }
        c = checkpoint()
        c.tensors.removeAll { $0.name == "1.running_var" }
        XCTAssertThrowsError(try ONNXExporter.model(c, signature: signature())) { error in
            XCTAssertTrue("\(error)".contains("'1.running_var' is missing"), "\(error)")
        }
        XCTAssertThrowsError(try ONNXExporter.model(checkpoint(), signature: signature(input: [.named("N"), .fixed(1), .fixed(9), .fixed(8)]))) {
            XCTAssertTrue("\($0)".contains("does not fit"), "\($0)")
        }
        XCTAssertNoThrow(try ONNXExporter.model(checkpoint(), signature: signature(input: [.named("N"), .fixed(1), .fixed(8), .named("W")])))
    }
}
