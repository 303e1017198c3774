import Foundation
@testable import NeuralNet
import XCTest

/// Each layer type's facts live in its `Kind` (`LayerSpec.kind`): the built layer agrees with them,
/// and the shipped checkpoints (format 1) go through spec decoding, building and saving unchanged.
final class LayerKindTests: XCTestCase {
    let backend = CPUBackend(threads: 1)

    /// One layer of every type, a residual block with a projection and one nested with an identity.
    static let everyType: (specs: [LayerSpec], input: [Int]) = ([
        .conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 4), .relu,
        .residual(body: [.conv2d(inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2, padding: 1), .batchNorm2d(channels: 6),
                         .residual(body: [.relu, .conv2d(inChannels: 6, outChannels: 6, kernelSize: 3, stride: 1, padding: 1)],
                                   shortcut: [])],
                  shortcut: LayerSpec.projection(inChannels: 4, outChannels: 6, stride: 2)),
        .maxPool2d(kernelSize: 2, stride: 2), .dropout(probability: 0.25), .flatten, .linear(inFeatures: 24, outFeatures: 5),
    ], [2, 8, 8])

    func testBuiltLayersAreWhatTheirKindsSay() throws {
        let (specs, input) = Self.everyType
        XCTAssertEqual(try LayerSpec.check(specs, inputShape: input), [5])
        let net = Sequential(specs: specs, inputShape: input, backend: backend, seed: 1)
        XCTAssertEqual(net.specs, specs, "a layer's spec is the spec it was built from")
        var shape = [3] + input
        for (layer, spec) in zip(net.layers, specs) {
            XCTAssertEqual(spec.kind.spec, spec)
            // The tensors the checkpoint check expects are the ones the layer has, by name and shape.
            let expected = Dictionary(uniqueKeysWithValues: spec.checkpointTensorShapes.map { ($0.name, $0.shape) })
            let built = layer.namedParameters.map { ($0.name, $0.parameter.value.shape) } + layer.stateTensors.map { ($0.name, $0.tensor.shape) }
            XCTAssertEqual(Dictionary(uniqueKeysWithValues: built), expected, "\(spec)")
            XCTAssertEqual(built.count, spec.checkpointTensorShapes.count, "\(spec)")
            // The layer's shape rule is its kind's.
            let next = layer.outputShape(for: shape)
            XCTAssertEqual(try spec.outputShape(for: Array(shape.dropFirst())).get(), Array(next.dropFirst()), "\(spec)")
            XCTAssertEqual(layer.forward(Tensor(zeros: shape, on: backend), training: false).shape, next, "\(spec)")
            shape = next
        }
        XCTAssertEqual(specs.map(\.nestingDepth), [0, 0, 0, 2, 0, 0, 0, 0])
        XCTAssertEqual(Checkpoint.formatVersion(for: specs), 2)
        XCTAssertEqual(Checkpoint.formatVersion(for: specs.filter { $0.branches.isEmpty }), 1)
    }

    /// A graph that records the nodes layers write into it, names as asked.
    struct RecordingGraph: ONNXGraphWriter {
        var nodes: [(op: String, inputs: [String], output: String)] = []
        mutating func node(_ op: String, _ inputs: [String], output: String, attributes: [ONNXNodeAttribute]) -> String {
            nodes.append((op, inputs, output))
            return output
        }
    }

    /// Each layer's ONNX nodes (its kind's `appendONNX`) read each of its tensors exactly once and run
    /// from its input to its output, each node reading only what came before; dropout writes none.
    func testEveryLayersONNXNodesReadItsTensorsOnceInOrder() {
        for spec in Self.everyType.specs {
            var graph = RecordingGraph()
            let tensors = spec.checkpointTensorShapes.map { "tensor." + $0.name }
            let output = spec.appendONNX(to: &graph, input: "x", tensors: tensors, output: "y")
            let read = graph.nodes.flatMap(\.inputs).filter { $0.hasPrefix("tensor.") }
            XCTAssertEqual(read, tensors, "\(spec)")
            var known: Set<String> = Set(["x"] + tensors)
            for node in graph.nodes {
                XCTAssertTrue(node.inputs.allSatisfy(known.contains), "\(spec): \(node)")
                known.insert(node.output)
            }
            if case .dropout = spec {
                XCTAssertEqual(output, "x")
                XCTAssertTrue(graph.nodes.isEmpty)
            } else {
                XCTAssertEqual(output, "y", "\(spec)")
                XCTAssertEqual(graph.nodes.last?.output, "y", "\(spec)")
            }
        }
    }

    /// How `letternet inspect` lists a network, each layer named by its kind.
    func testShortNames() {
        XCTAssertEqual(Self.everyType.specs.map(\.shortName).joined(separator: " "),
                       "conv3×3(2→4) bn relu residual[conv3×3/2(4→6) bn residual[relu conv3×3(6→6) + identity] + conv1×1/2(4→6) bn] "
                           + "pool2 drop0.25 flat linear(24→5)")
    }

    /// Every shipped model loads, and saving it again gives the file byte for byte: a plain chain stays format 1,
    /// a network with residual blocks format 2.
    func testShippedModelsRoundTripByteForByte() throws {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models")
        let files = try FileManager.default.contentsOfDirectory(at: models, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "lnet" }
        XCTAssertFalse(files.isEmpty, "no shipped models in \(models.path)")
        for url in files {
            let bytes = try Data(contentsOf: url)
            let checkpoint = try Checkpoint.read(from: url)
            XCTAssertEqual(UInt32(bytes[8]), Checkpoint.formatVersion(for: checkpoint.layers), url.lastPathComponent)
            let model = try checkpoint.makeModel(on: backend, source: url.path)
            XCTAssertEqual(try Checkpoint(model: model, metadata: checkpoint.metadata).encoded(), bytes, url.lastPathComponent)
        }
    }
}
