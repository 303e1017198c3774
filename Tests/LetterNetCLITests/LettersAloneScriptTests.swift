import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// `Scripts/letters_alone.py`, the letters-alone reference of the strip figures: its letter accuracy is
/// letternet's own for the exported classifier, and strips of independently read letters score top-1
/// about that accuracy to the power of their letters (the exact expectation), top-5 above it. Skips
/// without python3, onnxruntime and numpy (CI installs them).
final class LettersAloneScriptTests: CLITestCase {
    func testReferenceAgreesWithTheClassifiersOwnAccuracy() throws {
        guard let probe = try python(["-c", "import onnxruntime, numpy"]), probe.status == 0 else {
            throw XCTSkip("python3 with onnxruntime and numpy not found; Scripts/letters_alone.py is not checked")
        }
        let letters = path("letters.npz"), onnx = path("letters.onnx")
        XCTAssertEqual(try run(["demo-letters", "--count", "400", "--seed", "4", "--out", letters]).status, 0)
        let model = ONNXRuntimeParityTests.repo.appendingPathComponent("Models/letters-cnn.lnet")
        XCTAssertEqual(try run(["export", "--model", model.path, "--out", onnx]).status, 0)
        let data = try LetterDataset.load(url: URL(fileURLWithPath: letters))
        let classifier = try LetterClassifier(checkpoint: try Checkpoint.read(from: model), backend: CPUBackend(), source: model.path)
        let probs = classifier.probabilities(images: data.images, count: data.count)
        var right = 0
        for i in 0..<data.count {
            let row = Array(probs[(i * 26)..<((i + 1) * 26)])
            let best: Int = row.indices.max { row[$0] < row[$1] }!
            if best + 1 == data.labels[i] { right += 1 }
        }
        let accuracy = Double(right) / Double(data.count)
        XCTAssertTrue((0.3...0.99).contains(accuracy), "a classifier that is neither hopeless nor perfect on these: \(accuracy)")
        let script = ONNXRuntimeParityTests.repo.appendingPathComponent("Scripts/letters_alone.py").path
        for n in [5, 4] {
            let strips = 3000
            let r = try XCTUnwrap(try python([script, onnx, letters, "--letters", "\(n)", "--strips", "\(strips)", "--seed", "1"]))
            XCTAssertEqual(r.status, 0, r.stderr)
            let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
            XCTAssertEqual(report["letters"] as? Int, 400)
            XCTAssertEqual(report["letters_file"] as? String, "letters.npz", "named by file name, not path")
            XCTAssertEqual(try XCTUnwrap(report["letter_accuracy"] as? Double), accuracy, accuracy: 1.0 / 400)
            let top1 = try XCTUnwrap(report["top1"] as? Double), top5 = try XCTUnwrap(report["top5"] as? Double)
            let expected = pow(accuracy, Double(n)), error = (expected * (1 - expected) / Double(strips)).squareRoot()
            XCTAssertEqual(top1, expected, accuracy: 4 * error + 0.005, "\(n) letters")
            XCTAssertGreaterThan(top5, top1 + 0.05, "\(n) letters: the other four guesses find more")
            XCTAssertLessThanOrEqual(top5, 1)
        }
    }
}
