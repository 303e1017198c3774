import Foundation
import NeuralNet
import XCTest

/// The `.lnet` checkpoint format: exact round trips, one-line refusals naming the file for every
/// kind of damage, and atomic writes.
final class CheckpointTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { [dir] in try? FileManager.default.removeItem(at: dir!) }
    }

    static let specs: [LayerSpec] = [
        .conv2d(inChannels: 1, outChannels: 3, kernelSize: 3, stride: 1, padding: 1), .batchNorm2d(channels: 3), .relu,
        .maxPool2d(kernelSize: 2, stride: 2), .flatten, .dropout(probability: 0.2),
        .linear(inFeatures: 3 * 4 * 4, outFeatures: 5),
    ]

    /// A small network whose batch-norm running statistics have moved away from their initial values.
    func trainedModel() -> (Sequential, Tensor) {
        let model = Sequential(specs: Self.specs, inputShape: [1, 8, 8], backend: cpu, seed: 11)
        var rng = SeededGenerator(seed: 3)
        let x = Tensor((0..<(4 * 64)).map { _ in rng.nextNormal() * 2 + 0.5 }, shape: [4, 1, 8, 8], on: cpu)
        _ = model.forward(x, training: true)
        _ = model.forward(x, training: true)
        return (model, x)
    }

    func goodFile() throws -> (URL, [UInt8]) {
        let (model, _) = trainedModel()
        let url = dir.appendingPathComponent("good.lnet")
        try Checkpoint(model: model, metadata: ["a": "1"]).write(to: url)
        return (url, [UInt8](try Data(contentsOf: url)))
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Asserts reading (and, when `load`, building a model from) `url` fails with a one-line
    /// `CheckpointError` that names the file and contains `phrase`.
    func assertRefused(_ url: URL, _ phrase: String, load: Bool = false, line: UInt = #line) {
        do {
            let c = try Checkpoint.read(from: url)
            if load { _ = try c.makeModel(on: cpu, source: url.path) }
            XCTFail("\(url.lastPathComponent) was accepted; expected '\(phrase)'", line: line)
        } catch let error as CheckpointError {
            let message = error.description
            XCTAssertFalse(message.contains("\n"), "not one line: \(message)", line: line)
            XCTAssertTrue(message.hasPrefix(url.path + ": "), "does not name the file: \(message)", line: line)
            XCTAssertTrue(message.contains(phrase), "lacks '\(phrase)': \(message)", line: line)
            XCTAssertEqual(error.localizedDescription, message, line: line)
        } catch {
            XCTFail("expected a CheckpointError, got \(error)", line: line)
        }
    }

    // MARK: Round trip

    func testRoundTripKeepsEverything() throws {
        let (model, x) = trainedModel()
        let runningMean = (model.layers[1] as! BatchNorm2d).runningMean.toArray()
        XCTAssertTrue(runningMean.contains { $0 != 0 }, "the running mean should have moved")
        let meta = ["kind": "test", "unicode": "é – ✓", "empty": ""]
        let saved = Checkpoint(model: model, metadata: meta)
        let url = dir.appendingPathComponent("model.lnet")
        try saved.write(to: url)
        let loaded = try Checkpoint.read(from: url)

        XCTAssertEqual(loaded.inputShape, [1, 8, 8])
        XCTAssertEqual(loaded.layers, Self.specs)
        XCTAssertEqual(loaded.metadata, meta)
        XCTAssertEqual(loaded.tensors.map(\.name), model.namedTensors.map(\.name))
        XCTAssertTrue(loaded.tensors.map(\.name).contains("1.running_mean"))
        XCTAssertTrue(loaded.tensors.map(\.name).contains("1.running_var"))
        for (stored, (name, tensor)) in zip(loaded.tensors, model.namedTensors) {
            XCTAssertEqual(stored.shape, tensor.shape, name)
            XCTAssertEqual(stored.values.map(\.bitPattern), tensor.toArray().map(\.bitPattern), name)
        }
        XCTAssertEqual(try loaded.encoded(), try saved.encoded())

        let rebuilt = try loaded.makeModel(on: CPUBackend(threads: 2), source: url.path)
        XCTAssertEqual(rebuilt.specs, model.specs)
        let xr = Tensor(x.toArray(), shape: x.shape, on: rebuilt.backend)
        XCTAssertEqual(rebuilt.forward(xr, training: false).toArray(), model.forward(x, training: false).toArray())
        for ((n1, t1), (n2, t2)) in zip(rebuilt.namedTensors, model.namedTensors) {
            XCTAssertEqual(n1, n2)
            XCTAssertEqual(t1.toArray(), t2.toArray(), n1)
        }
    }

    func testExtraTensorsSurviveAndAreIgnoredByTheModel() throws {
        let (model, _) = trainedModel()
        var c = Checkpoint(model: model)
        c.tensors.append(("optimizer.m.0", [2, 3], [1, 2, 3, 4, 5, -6.5]))
        c.tensors.append(("optimizer.step", [], [7]))
        let url = dir.appendingPathComponent("extra.lnet")
        try c.write(to: url)
        let loaded = try Checkpoint.read(from: url)
        XCTAssertEqual(loaded.tensor(named: "optimizer.m.0")?.values, [1, 2, 3, 4, 5, -6.5])
        XCTAssertEqual(loaded.tensor(named: "optimizer.step")?.shape, [])
        XCTAssertEqual(loaded.tensor(named: "optimizer.step")?.values, [7])
        XCTAssertNoThrow(try loaded.makeModel(on: cpu, source: url.path))
    }

    // MARK: Refusals

    func testRefusesWrongMagic() throws {
        var (_, bytes) = try goodFile()
        bytes[0] = UInt8(ascii: "X")
        assertRefused(try write("magic.lnet", bytes), "wrong magic")
        assertRefused(try write("text.lnet", Array("this is just some text, no model".utf8)), "wrong magic")
    }

    func testRefusesTruncatedFiles() throws {
        let (_, bytes) = try goodFile()
        let headerLength = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
        let cuts: [(Int, String)] = [
            (0, "truncated"), (7, "truncated"), (15, "truncated"),
            (16, "truncated or corrupt header"), (16 + headerLength / 2, "truncated or corrupt header"),
            (16 + headerLength - 1, "truncated or corrupt header"),
            (16 + headerLength, "runs past the end of the file"), (16 + headerLength + 5, "runs past the end of the file"),
            (bytes.count - 4, "runs past the end of the file"), (bytes.count - 1, "runs past the end of the file"),
        ]
        for (cut, phrase) in cuts {
            assertRefused(try write("cut-\(cut).lnet", Array(bytes.prefix(cut))), phrase)
        }
    }

    func testRefusesUnsupportedVersion() throws {
        var (_, bytes) = try goodFile()
        bytes[8] = 3
        assertRefused(try write("v3.lnet", bytes), "format version 3 is not supported")
        bytes[8] = 0
        assertRefused(try write("v0.lnet", bytes), "format version 0 is not supported")
    }

    func testRefusesHeaderLengthBeyondTheFile() throws {
        var (_, bytes) = try goodFile()
        let beyond = UInt32(bytes.count)  // 16 + this > file size
        bytes.replaceSubrange(12..<16, with: withUnsafeBytes(of: beyond.littleEndian, Array.init))
        assertRefused(try write("long-header.lnet", bytes), "declares \(beyond) bytes")
        bytes.replaceSubrange(12..<16, with: [0xFF, 0xFF, 0xFF, 0xFF])
        assertRefused(try write("huge-header.lnet", bytes), "declares 4294967295 bytes")
    }

    func testRefusesCorruptHeader() throws {
        var (_, bytes) = try goodFile()
        bytes[16] = UInt8(ascii: "#")  // the JSON's opening brace
        assertRefused(try write("json.lnet", bytes), "corrupt header")
    }

    func testRefusesMissingTensor() throws {
        let (model, _) = trainedModel()
        var c = Checkpoint(model: model)
        c.tensors.removeAll { $0.name == "1.running_var" }
        let url = dir.appendingPathComponent("missing.lnet")
        try c.write(to: url)
        XCTAssertNoThrow(try Checkpoint.read(from: url), "the file itself is well formed")
        assertRefused(url, "tensor '1.running_var' is missing", load: true)
    }

    func testRefusesTensorWithTheWrongShape() throws {
        let (model, _) = trainedModel()
        var c = Checkpoint(model: model)
        let i = try XCTUnwrap(c.tensors.firstIndex { $0.name == "6.weight" })
        XCTAssertEqual(c.tensors[i].shape, [5, 48])
        c.tensors[i].shape = [48, 5]  // same number of values, transposed shape
        let url = dir.appendingPathComponent("shape.lnet")
        try c.write(to: url)
        assertRefused(url, "tensor '6.weight' has shape [48, 5], the architecture needs [5, 48]", load: true)
    }

    func testRefusesTrailingGarbage() throws {
        let (_, bytes) = try goodFile()
        assertRefused(try write("trailing.lnet", bytes + [1, 2, 3]), "3 unexpected bytes after the last tensor")
        assertRefused(try write("trailing4.lnet", bytes + [0, 0, 0, 0]), "4 unexpected bytes after the last tensor")
    }

    func testRefusesMissingFile() {
        assertRefused(dir.appendingPathComponent("nowhere.lnet"), "cannot read")
    }

    // MARK: Atomic writes

    func testWriteIsAtomicAndReplacesTheWholeFile() throws {
        let url = dir.appendingPathComponent("model.lnet")
        // A long existing file: the new, shorter checkpoint must not keep its tail.
        try Data(repeating: 0xAB, count: 1 << 16).write(to: url)
        let (model, _) = trainedModel()
        let c = Checkpoint(model: model, metadata: ["run": "2"])
        try c.write(to: url)
        XCTAssertEqual(try Data(contentsOf: url), try c.encoded())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.lnet"], "no temporary file left")
        XCTAssertEqual(try Checkpoint.read(from: url).metadata, ["run": "2"])

        // Writing again over a valid checkpoint replaces it.
        try Checkpoint(model: model, metadata: ["run": "3"]).write(to: url)
        XCTAssertEqual(try Checkpoint.read(from: url).metadata, ["run": "3"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["model.lnet"])
    }

    func testFailedWriteNamesTheFileAndLeavesNothing() throws {
        let (model, _) = trainedModel()
        let url = dir.appendingPathComponent("no-such-folder/model.lnet")
        XCTAssertThrowsError(try Checkpoint(model: model).write(to: url)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(url.path + ": cannot write"), message)
            XCTAssertFalse(message.contains("\n"), message)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testImpossibleArchitecturesAreRefused() {
        let cpu = CPUBackend(threads: 1)
        let bad: [[LayerSpec]] = [
            [.conv2d(inChannels: -1, outChannels: 4, kernelSize: 3, stride: 1, padding: 1)],
            [.conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, stride: 0, padding: 1)],
            [.conv2d(inChannels: 2, outChannels: 4, kernelSize: 3, stride: 1, padding: 1)],
            [.maxPool2d(kernelSize: 64, stride: 2)],
            [.flatten, .linear(inFeatures: 100, outFeatures: 3)],
            [.dropout(probability: 1.5)],
        ]
        for layers in bad {
            let c = Checkpoint(inputShape: [1, 8, 8], layers: layers, tensors: [])
            XCTAssertThrowsError(try c.makeModel(on: cpu, source: "bad.lnet")) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.hasPrefix("bad.lnet: impossible architecture"), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
    }
}
