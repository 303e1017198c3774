import Foundation
import NeuralNet
import XCTest

/// Residual blocks (`LayerSpec.residual`, `Residual`): finite-difference gradients with an identity and
/// a projection shortcut, shape refusals, checkpoints of nested blocks (format version 2), and
/// inference folding inside blocks. CPU backend.
final class ResidualTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    static func conv(_ i: Int, _ o: Int, k: Int = 3, stride: Int = 1) -> LayerSpec {
        .conv2d(inChannels: i, outChannels: o, kernelSize: k, stride: stride, padding: k / 2)
    }

    /// conv-bn-relu-conv on 3 channels plus the input.
    static let identityBlock = LayerSpec.residual(body: [conv(3, 3), .batchNorm2d(channels: 3), .relu, conv(3, 3)],
                                                  shortcut: [])
    /// 2 → 4 channels at half the resolution; the shortcut a strided 1×1 convolution and batch norm.
    static let projectionBlock = LayerSpec.residual(
        body: [conv(2, 4, stride: 2), .batchNorm2d(channels: 4), .relu, conv(4, 4)],
        shortcut: LayerSpec.projection(inChannels: 2, outChannels: 4, stride: 2))

    // The finite-difference checks use blocks without ReLU kinks (a step of h moves many inputs of a
    // ReLU across 0) and without a convolution right before batch norm (whose bias has no effect, so
    // its numeric gradient is rounding noise): the block's wiring is what they check.

    /// Batch norm then a convolution, plus the input.
    static let smoothIdentityBlock = LayerSpec.residual(body: [.batchNorm2d(channels: 3), conv(3, 3)], shortcut: [])
    /// Batch norm then a strided convolution 2 → 4, plus a strided 1×1 convolution of the input.
    static let smoothProjectionBlock = LayerSpec.residual(body: [.batchNorm2d(channels: 2), conv(2, 4, stride: 2)],
                                                          shortcut: [conv(2, 4, k: 1, stride: 2)])

    /// A block of `spec`, built as the only layer of a network.
    func block(_ spec: LayerSpec, input: [Int], seed: UInt64 = 5) -> Layer {
        Sequential(specs: [spec], inputShape: input, backend: cpu, seed: seed).layers[0]
    }

    func testIdentityShortcutGradients() {
        let layer = block(Self.smoothIdentityBlock, input: [3, 5, 5])
        XCTAssertEqual(layer.namedParameters.map(\.name), ["body.0.weight", "body.0.bias", "body.1.weight", "body.1.bias"])
        GradientCheck.check(layer, inputShape: [2, 3, 5, 5], backend: cpu, tolerance: 2e-2)
    }

    func testProjectionShortcutGradients() {
        let layer = block(Self.smoothProjectionBlock, input: [2, 6, 6])
        XCTAssertEqual(layer.outputShape(for: [3, 2, 6, 6]), [3, 4, 3, 3])
        XCTAssertEqual(layer.namedParameters.map(\.name).filter { $0.hasPrefix("shortcut") }, ["shortcut.0.weight", "shortcut.0.bias"])
        GradientCheck.check(layer, inputShape: [3, 2, 6, 6], backend: cpu, tolerance: 2e-2)
    }

    func testProjectionBlockNamesItsTensors() {
        let layer = block(Self.projectionBlock, input: [2, 6, 6])
        XCTAssertEqual(layer.outputShape(for: [3, 2, 6, 6]), [3, 4, 3, 3])
        XCTAssertEqual(layer.namedParameters.map(\.name).filter { $0.hasPrefix("shortcut") },
                       ["shortcut.0.weight", "shortcut.0.bias", "shortcut.1.weight", "shortcut.1.bias"])
        XCTAssertEqual(layer.stateTensors.map(\.name),
                       ["body.1.running_mean", "body.1.running_var", "shortcut.1.running_mean", "shortcut.1.running_var"])
        XCTAssertEqual(layer.parameters.count, 10)
    }

    /// The sum is really a sum: with the body's last convolution zeroed, the block is the identity
    /// (plus the zero conv's zero bias), and its input gradient is dL/dy plus what the body sends back.
    func testIdentityBlockAddsTheInput() throws {
        let layer = try XCTUnwrap(block(Self.identityBlock, input: [3, 4, 4]) as? Residual)
        let last = try XCTUnwrap(layer.body.last as? Conv2d)
        last.weight.value.copy(from: [Float](repeating: 0, count: last.weight.value.count))
        var rng = SeededGenerator(seed: 2)
        let xs = GradientCheck.randomValues(2 * 48, &rng)
        let x = Tensor(xs, shape: [2, 3, 4, 4], on: cpu)
        XCTAssertEqual(layer.forward(x, training: true).toArray(), xs)
        let dy = GradientCheck.randomValues(2 * 48, &rng)
        // The zeroed convolution passes no gradient back into the body, so dx = dy exactly.
        XCTAssertEqual(layer.backward(Tensor(dy, shape: [2, 3, 4, 4], on: cpu)).toArray(), dy)
    }

    func testShapeRuleRefusesBranchesThatDisagree() {
        func problem(_ spec: LayerSpec, _ input: [Int]) -> String? {
            do { _ = try LayerSpec.check([spec], inputShape: input); return nil } catch { return "\(error)" }
        }
        XCTAssertNil(problem(Self.projectionBlock, [2, 6, 6]))
        XCTAssertEqual(try LayerSpec.check([Self.projectionBlock], inputShape: [2, 7, 7]), [4, 4, 4])
        // Without its projection the block's channels and size change under an identity shortcut.
        let bare = LayerSpec.residual(body: [Self.conv(2, 4, stride: 2)], shortcut: [])
        XCTAssertEqual(problem(bare, [2, 6, 6]), "layer 0 residual block: body gives [4, 3, 3], shortcut [2, 6, 6] for [2, 6, 6]")
        let wrongInput = LayerSpec.residual(body: [Self.conv(3, 3)], shortcut: [])
        XCTAssertTrue(problem(wrongInput, [2, 6, 6])?.hasPrefix("layer 0 residual block: body layer 0 conv2d") ?? false,
                      problem(wrongInput, [2, 6, 6]) ?? "accepted")
        XCTAssertEqual(problem(.residual(body: [], shortcut: []), [2, 6, 6]), "layer 0 residual block: empty body")
        var deep = LayerSpec.relu
        for _ in 0...LayerSpec.maxNesting { deep = .residual(body: [deep], shortcut: []) }
        XCTAssertTrue(problem(deep, [2, 6, 6])?.contains("nested deeper than") ?? false)
    }

    /// A stem, a projection block whose body holds an identity block (and dropout), pooling and a linear head.
    static func nested(dropout: Float) -> [LayerSpec] {
        [conv(2, 2), .batchNorm2d(channels: 2), .relu,
         .residual(body: [conv(2, 4, stride: 2), .batchNorm2d(channels: 4), .relu,
                          .residual(body: [conv(4, 4), .batchNorm2d(channels: 4), .relu, conv(4, 4)], shortcut: []),
                          .dropout(probability: dropout)],
                   shortcut: LayerSpec.projection(inChannels: 2, outChannels: 4, stride: 2)),
         .relu, .maxPool2d(kernelSize: 2, stride: 2), .flatten, .linear(inFeatures: 4 * 2 * 2, outFeatures: 5)]
    }
    static let nestedSpecs = nested(dropout: 0.2)

    /// The nested network after two training forwards, so that every running statistic has moved.
    func nestedNetwork() -> (Sequential, Tensor) {
        let net = Sequential(specs: Self.nestedSpecs, inputShape: [2, 8, 8], backend: cpu, seed: 21)
        var rng = SeededGenerator(seed: 6)
        let x = Tensor(GradientCheck.randomValues(5 * 128, &rng, scale: 2), shape: [5, 2, 8, 8], on: cpu)
        _ = net.forward(x, training: true)
        _ = net.forward(x, training: true)
        return (net, x)
    }

    func testNestedBlockCheckpointRoundTrip() throws {
        let (net, x) = nestedNetwork()
        let names = net.namedTensors.map(\.name)
        for name in ["3.body.0.weight", "3.body.3.body.0.weight", "3.body.3.body.1.running_var", "3.body.3.body.3.bias",
                     "3.shortcut.0.weight", "3.shortcut.1.running_mean", "7.weight"] {
            XCTAssertTrue(names.contains(name), "\(name) not in \(names)")
        }
        XCTAssertEqual(Set(names).count, names.count)
        let moved = try XCTUnwrap(net.namedTensors.first { $0.name == "3.body.3.body.1.running_mean" }).tensor.toArray()
        XCTAssertTrue(moved.contains { $0 != 0 }, "the nested running mean should have moved")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("residual-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("nested.lnet")
        try Checkpoint(model: net).write(to: url)
        let bytes = try Data(contentsOf: url)
        XCTAssertEqual(bytes[8], 2, "a checkpoint with a residual block is format version 2")
        let loaded = try Checkpoint.read(from: url)
        XCTAssertEqual(loaded.layers, Self.nestedSpecs)
        // Every tensor's checkpoint shape comes from the spec alone, under the model's own names.
        let expectedShapes = Self.nestedSpecs.enumerated().flatMap { i, spec in
            spec.checkpointTensorShapes.map { ("\(i).\($0.name)", $0.shape) }
        }
        XCTAssertEqual(Set(expectedShapes.map(\.0)), Set(names))
        for (name, shape) in expectedShapes { XCTAssertEqual(loaded.tensor(named: name)?.shape, shape, name) }

        let rebuilt = try loaded.makeModel(on: CPUBackend(threads: 1), source: url.path)
        XCTAssertEqual(rebuilt.specs, net.specs)
        for ((n1, t1), (n2, t2)) in zip(rebuilt.namedTensors, net.namedTensors) {
            XCTAssertEqual(n1, n2)
            XCTAssertEqual(t1.toArray().map(\.bitPattern), t2.toArray().map(\.bitPattern), n1)
        }
        let xr = Tensor(x.toArray(), shape: x.shape, on: rebuilt.backend)
        XCTAssertEqual(rebuilt.forward(xr, training: false).toArray(), net.forward(x, training: false).toArray())

        // A missing nested tensor is named; a version-1 header cannot hold a block.
        var damaged = loaded
        damaged.tensors.removeAll { $0.name == "3.body.3.body.1.running_var" }
        XCTAssertThrowsError(try damaged.makeModel(on: cpu, source: "damaged")) {
            XCTAssertTrue("\($0)".contains("tensor '3.body.3.body.1.running_var' is missing"), "\($0)")
        }
        var v1 = [UInt8](bytes)
        v1[8] = 1
        XCTAssertThrowsError(try Checkpoint.decode(Data(v1), source: "v1")) {
            XCTAssertTrue("\($0)".contains("format version 1 cannot hold residual blocks"), "\($0)")
        }
    }

    /// A forged header with blocks nested thousands deep is refused with a message, not a crash.
    func testDeeplyNestedHeaderIsRefused() throws {
        for depth in [LayerSpec.maxNesting + 1, 5000] {
            var layer = #"{"relu":{}}"#
            for _ in 0..<depth { layer = #"{"residual":{"body":["# + layer + #"],"shortcut":[]}}"# }
            let header = Data((#"{"inputShape":[1,4,4],"layers":["# + layer + #"],"metadata":{},"tensors":[]}"#).utf8)
            var bytes = Data(Checkpoint.magic)
            withUnsafeBytes(of: UInt32(2).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(header.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(header)
            XCTAssertThrowsError(try Checkpoint.decode(bytes, source: "deep").makeModel(on: cpu, source: "deep")) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("nested deeper than") || message.contains("corrupt header"), "\(depth): \(message.prefix(300))")
            }
        }
    }

    func testPlainChainsStayFormatVersion1() throws {
        let net = Sequential(specs: [Self.conv(1, 2), .relu], inputShape: [1, 4, 4], backend: cpu, seed: 1)
        XCTAssertEqual(try Checkpoint(model: net).encoded()[8], 1)
        XCTAssertEqual(Checkpoint.formatVersion(for: Self.nestedSpecs), 2)
    }

    func testFoldingReachesIntoBlocks() throws {
        let (net, x) = nestedNetwork()
        let expected = net.forward(x, training: false).toArray()
        let folded = net.foldedForInference()
        let got = folded.forward(x, training: false).toArray()
        let scale = expected.map(abs).max()!
        XCTAssertEqual(got.count, expected.count)
        for (a, b) in zip(got, expected) { XCTAssertEqual(a, b, accuracy: 1e-5 * scale) }
        let outer = try XCTUnwrap(folded.layers.compactMap { $0 as? Residual }.first)
        let inner = try XCTUnwrap(outer.body.compactMap { $0 as? Residual }.first)
        for branch in [outer.body, outer.shortcut, inner.body] {
            XCTAssertFalse(branch.contains { $0 is BatchNorm2d || $0 is Dropout }, "\(branch.map(\.spec))")
        }
        XCTAssertEqual(inner.body.compactMap { ($0 as? Conv2d)?.fusesReLU }, [true, false])
    }

    /// Whole-network gradients through nested blocks (a projection block holding an identity block)
    /// by finite differences of the loss, without ReLU kinks or pooling ties.
    func testNestedNetworkGradients() {
        let specs: [LayerSpec] = [
            Self.conv(2, 2),
            .residual(body: [.batchNorm2d(channels: 2), Self.conv(2, 4, stride: 2), Self.smoothIdentityBlock(4)],
                      shortcut: LayerSpec.projection(inChannels: 2, outChannels: 4, stride: 2)),
            .flatten, .linear(inFeatures: 4 * 4 * 4, outFeatures: 5),
        ]
        let net = Sequential(specs: specs, inputShape: [2, 8, 8], backend: cpu, seed: 8)
        var rng = SeededGenerator(seed: 12)
        let x = Tensor(GradientCheck.randomValues(4 * 128, &rng), shape: [4, 2, 8, 8], on: cpu)
        let labels = Tensor([0, 1, 4, 2], shape: [4], on: cpu)
        // Both branches normalize what these biases add (the body first, the shortcut after its 1×1
        // convolution), so they cannot change the output: zero gradient up to rounding.
        let compared = GradientCheck.checkNetwork(net, x: x, labels: labels, vanishing: ["0.bias", "1.shortcut.0.bias"],
                                                  tolerance: 2e-2, rng: &rng)
        XCTAssertEqual(compared, 14)
    }
}

extension ResidualTests {
    static func smoothIdentityBlock(_ channels: Int) -> LayerSpec {
        .residual(body: [.batchNorm2d(channels: channels), conv(channels, channels)], shortcut: [])
    }
}
