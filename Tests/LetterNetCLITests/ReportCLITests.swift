import Foundation
import XCTest
import Letters
import NeuralNet

/// Runs the built `letternet` binary end to end without any data or shipped model: demo letters,
/// `train --report`, `evaluate --report`, `predict --report` on the built-in demo strips, and every
/// command's `--help` giving an example.
final class ReportCLITests: XCTestCase {
    struct Result { let status: Int32; let stdout: String; let stderr: String }

    static var binary: URL? {
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return candidates.map { $0.appendingPathComponent("letternet") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = try XCTUnwrap(Self.binary, "letternet binary not found beside the test bundle")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("letternet-report-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { [dir] in try? FileManager.default.removeItem(at: dir!) }
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

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

        // An untrained reader: the demo strips are read and scored whatever the model says.
        let model = dir.appendingPathComponent("reader.lnet")
        try StripReader(width: 150, backend: CPUBackend(threads: 1), seed: 2).checkpoint().write(to: model)
        let predict = try run(["predict", "--model", model.path, "--out", path("p.csv"), "--report", path("predict.html")])
        assertOK(predict)
        XCTAssertTrue(predict.stderr.contains("demo strips"), predict.stderr)
        XCTAssertTrue(predict.stdout.contains("top-5") && predict.stdout.contains("(200 strips)"), predict.stdout)
        let rows = try String(contentsOfFile: path("p.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, DemoStrips.defaultCount)
        XCTAssertTrue(rows.allSatisfy { $0.split(separator: ",").count == 5 })
        try page("predict.html", holds: ["LetterNet prediction report", "data:image/png;base64,", "Closest calls"])
    }

    func testEveryCommandsHelpHasAnExample() throws {
        for command in ["inspect", "devices", "train", "evaluate", "synth", "demo-letters", "train-reader", "predict", "score", "bench"] {
            let r = try run([command, "--help"])
            assertOK(r)
            XCTAssertTrue(r.stdout.contains("Example"), "\(command) --help has no example:\n\(r.stdout)")
            XCTAssertTrue(r.stdout.contains("letternet \(command)"), "\(command) --help shows no command line")
        }
    }
}
