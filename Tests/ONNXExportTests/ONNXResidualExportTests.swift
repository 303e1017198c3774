import Foundation
import XCTest
import NeuralNet
@testable import ONNXExport

/// A residual block in the graph: its branches' nodes read the block's input, an `Add` joins them,
/// and the nested blocks' tensors are initializers under their checkpoint names. (onnxruntime runs
/// `--arch resnet` in LetterNetCLITests/ONNXRuntimeParityTests.)
final class ONNXResidualExportTests: XCTestCase {
    static func conv(_ i: Int, _ o: Int, k: Int = 3, stride: Int = 1) -> LayerSpec {
        .conv2d(inChannels: i, outChannels: o, kernelSize: k, stride: stride, padding: k / 2)
    }

    static let layers: [LayerSpec] = [
        conv(1, 4), .relu,
        .residual(body: [conv(4, 6, stride: 2), .batchNorm2d(channels: 6), .relu,
                         .residual(body: [conv(6, 6), .dropout(probability: 0.2)], shortcut: [])],
                  shortcut: LayerSpec.projection(inChannels: 4, outChannels: 6, stride: 2)),
        .relu, .flatten, .linear(inFeatures: 6 * 4 * 4, outFeatures: 5),
    ]

    func testBranchesJoinInAnAdd() throws {
        let model = Sequential(specs: Self.layers, inputShape: [1, 8, 8], backend: CPUBackend(threads: 1), seed: 3)
        let c = Checkpoint(model: model)
        let signature = ONNXSignature(input: .init(name: "pixels", shape: [.named("N"), .fixed(1), .fixed(8), .fixed(8)], doc: ""),
                                      scaling: nil, logits: .init(name: "logits", shape: [.named("N"), .fixed(5)], doc: ""),
                                      probabilities: nil, name: "residual", doc: "", metadata: [:])
        let g = try Onnx_ModelProto(serializedBytes: try ONNXExporter.model(c, signature: signature)).graph
        XCTAssertEqual(g.node.map(\.opType), ["Conv", "Relu",
                                              "Conv", "BatchNormalization", "Relu", "Conv", "Add",  // body, inner block
                                              "Conv", "BatchNormalization", "Add",                  // shortcut, outer sum
                                              "Relu", "Flatten", "Gemm"])
        let byOutput = Dictionary(uniqueKeysWithValues: g.node.map { ($0.output[0], $0) })
        let blockInput = g.node[1].output[0]
        // The outer body and the shortcut both start from the block's input; the inner block's Add
        // sums its convolution and its own input (the outer body's ReLU); the outer Add sums both branches.
        XCTAssertEqual(g.node[2].input.first, blockInput)
        XCTAssertEqual(g.node[7].input.first, blockInput)
        XCTAssertEqual(g.node[6].input, [g.node[5].output[0], g.node[4].output[0]])
        XCTAssertEqual(g.node[9].input, [g.node[6].output[0], g.node[8].output[0]])
        XCTAssertEqual(g.node[10].input, [g.node[9].output[0]])
        XCTAssertEqual(g.node.last?.output, ["logits"])
        for node in g.node { for input in node.input.dropFirst() where node.opType == "Add" { XCTAssertNotNil(byOutput[input]) } }
        let initializers = Set(g.initializer.map(\.name))
        XCTAssertEqual(initializers, Set(c.tensors.map(\.name)))
        for name in ["2.body.0.weight", "2.body.1.running_var", "2.body.3.body.0.bias", "2.shortcut.0.weight",
                     "2.shortcut.1.running_mean"] {
            XCTAssertTrue(initializers.contains(name), name)
            XCTAssertTrue(g.node.contains { $0.input.contains(name) }, "\(name) is not read by a node")
        }
    }
}
