import Foundation
import XCTest
import Letters
import NeuralNet

/// Runs the built `letternet` binary end to end without any data or shipped model: demo letters,
/// `train --report`, `evaluate --report`, `predict --report` on the font demo strips, and every
/// command's `--help` giving an example.
final class ReportCLITests: CLITestCase {

    func assertOK(_ r: Result, line: UInt = #line) {
        XCTAssertEqual(r.status, 0, "stdout: \(r.stdout)\nstderr: \(r.stderr)", line: line)
    }

    func page(_ name: String, holds parts: [String], line: UInt = #line) throws {
        let html = try String(contentsOfFile: path(name), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"), line: line)
        XCTAssertFalse(html.contains("<script") || html.contains("src=\"http"), line: line)
        for part in parts { XCTAssertTrue(html.contains(part), "\(name) lacks \(part)", line: line) }
    }

    func testTrainEvaluateAndPredictWriteReports() throws {
        assertOK(try run(["demo-letters", "--count", "156", "--seed", "3", "--out", path("demo.npz")]))
        let train = try run(["train", "--data", path("demo.npz"), "--arch", "mlp", "--epochs", "2", "--max-steps", "8",
                             "--batch-size", "16", "--validation", "0.2", "--out", path("m.lnet"), "--report", path("train.html")])
        assertOK(train)
        try page("train.html", holds: ["LetterNet training report", "<polyline", "learningRate", "images/s"])
        let evaluate = try run(["evaluate", "--data", path("demo.npz"), "--model", path("m.lnet"), "--report", path("evaluate.html")])
        assertOK(evaluate)
        try page("evaluate.html", holds: ["LetterNet evaluation report", "Confusion matrix", "data:image/png;base64,"])

        // An untrained reader: the font demo strips are read and scored whatever the model says.
        let model = dir.appendingPathComponent("reader.lnet")
        try StripReader(width: 150, backend: CPUBackend(threads: 1), seed: 2).checkpoint().write(to: model)
        let predict = try run(["predict", "--font-demo", "--model", model.path, "--out", path("p.csv"), "--report", path("predict.html")])
        assertOK(predict)
        XCTAssertTrue(predict.stderr.contains("demo strips"), predict.stderr)
        XCTAssertTrue(predict.stdout.contains("top-5") && predict.stdout.contains("(200 strips)"), predict.stdout)
        let rows = try String(contentsOfFile: path("p.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, DemoStrips.defaultCount)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: ",").count == 5 })
        try page("predict.html", holds: ["LetterNet prediction report", "data:image/png;base64,", "Closest calls"])
    }

    func testEveryCommandsHelpHasAnExample() throws {
        for command in ["inspect", "devices", "train", "evaluate", "average", "synth", "demo-letters", "train-reader", "predict",
                        "score", "export", "bench", "selftest"] {
            let r = try run([command, "--help"])
            assertOK(r)
            XCTAssertTrue(r.stdout.contains("Example"), "\(command) --help has no example:\n\(r.stdout)")
            XCTAssertTrue(r.stdout.contains("letternet \(command)"), "\(command) --help shows no command line")
            // No example wraps mid-line: every line of the example block is a command, or continues one ending in "\".
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let block = lines.drop { !$0.hasPrefix("Example") }.dropFirst().prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            XCTAssertFalse(block.isEmpty, "\(command): empty example")
            for (previous, line) in zip([""] + block.map(String.init), block) {
                XCTAssertTrue(line.hasPrefix("  letternet ") || previous.hasSuffix("\\"), "\(command) --help wraps an example: \(line)")
            }
        }
    }
}
