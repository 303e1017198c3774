import Foundation
import XCTest
import Letters
import NeuralNet

/// `letternet export`: what it writes, and the inputs it refuses with one `error:` line and status 2
/// before writing anything. (What the written graph computes: ONNXRuntimeParityTests.)
final class ExportCLITests: CLITestCase {
    func testWritesAnONNXFileForAClassifierAndAReader() throws {
        let classifier = try modelFile("mlp.lnet", metadata: ["architecture": "mlp", "trained_on": "x.npz"])
        let r = try run(["export", "--model", classifier, "--out", path("mlp.onnx")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("letter classifier (mlp), input pixels [N, 1, 28, 28], ONNX opset 17"), r.stdout)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("mlp.onnx")))
        // The weights go in as raw float32: the file holds at least the model's 784·256 + 256·26 weights.
        XCTAssertGreaterThan(bytes.count, 4 * (784 * 256 + 256 * 26))
        XCTAssertNotNil(bytes.range(of: Data("trained_on".utf8)), "the metadata is in the file")
        XCTAssertNotNil(bytes.range(of: Data("probabilities".utf8)))

        let reader = try modelFile("reader.lnet", layers: StripReader.Variant.context.layers, inputShape: [1, 28, 168])
        let s = try run(["export", "--model", reader, "--out", path("reader.onnx")])
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.stdout.contains("strip reader (context), input strip [N, 1, 28, W]"), s.stdout)
    }

    func testRefusesWhatIsNotALetternetModelAndNeverWritesOntoItsInput() throws {
        let out = path("out.onnx")
        let text = try textFile("notes.txt", "hello\n")
        assertRefused(try run(["export", "--model", text, "--out", out]), "notes.txt", "not a checkpoint")
        assertRefused(try run(["export", "--model", path("missing.lnet"), "--out", out]), "missing.lnet")
        // A network that is neither a letter classifier nor a strip reader.
        let other = try modelFile("ten.lnet", layers: [.flatten, .linear(inFeatures: 784, outFeatures: 10)])
        assertRefused(try run(["export", "--model", other, "--out", out]), "ten.lnet", "not a letter classifier")
        let broken = try modelFile("nan.lnet") { $0.tensors[0].values[0] = .nan }
        assertRefused(try run(["export", "--model", broken, "--out", out]), "nan.lnet", "NaN or infinite")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written for a refused model")

        let model = try modelFile("m.lnet")
        let before = try Data(contentsOf: URL(fileURLWithPath: model))
        assertRefused(try run(["export", "--model", model, "--out", model]), "same file as --model")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: model)), before)
        assertRefused(try run(["export", "--model", model, "--out", path("no/such/dir/m.onnx")]), "m.onnx")
        assertRefused(try run(["export", "--model", model]), "--out")
        assertRefused(try run(["export", "--out", out]), "--model")
    }

    func testHelpShowsAnExample() throws {
        let r = try run(["export", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("letternet export --model letters.lnet --out letters.onnx"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Example:"), r.stdout)
    }
}
