import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// Small files the hostile-input tests build for themselves (no shipped data needed).
extension CLITestCase {
    /// A letters `.npz` of `count` images (a bar whose place depends on the class), labels cycling A…Z.
    @discardableResult
    func lettersFile(_ name: String = "letters.npz", count: Int) throws -> String {
        var pixels = [UInt8](), labels = [Int]()
        for i in 0..<count {
            let c = i % 26
            var img = [UInt8](repeating: 0, count: 784)
            for y in 4..<24 { for x in (3 + c % 20)..<(6 + c % 20) { img[y * 28 + x] = 255 } }
            pixels += img
            labels.append(c + 1)
        }
        let url = dir.appendingPathComponent(name)
        try NPZ.write(["x": NpyArray(pixels, shape: [count, 28, 28]), "y": NpyArray(labels, shape: [count])], to: url)
        return url.path
    }

    /// Writes `text` to `name` in the test's folder.
    @discardableResult
    func textFile(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        return path(name)
    }

    /// An untrained model file of `layers` (an MLP letter classifier by default).
    @discardableResult
    func modelFile(_ name: String, layers: [LayerSpec] = Architecture.mlp.layers, inputShape: [Int] = Architecture.inputShape,
                   metadata: [String: String] = [:], edit: (inout Checkpoint) -> Void = { _ in }) throws -> String {
        let model = Sequential(specs: layers, inputShape: inputShape, backend: CPUBackend(threads: 1), seed: 1)
        var c = Checkpoint(model: model, metadata: metadata)
        edit(&c)
        let url = dir.appendingPathComponent(name)
        try Data(c.encoded()).write(to: url)
        return url.path
    }

    /// Asserts exit status 2 with one `error: …` line on stderr that contains every one of `phrases`.
    func assertRefused(_ r: Result, _ phrases: String..., line: UInt = #line) {
        XCTAssertEqual(r.status, 2, "stdout: \(r.stdout) stderr: \(r.stderr)", line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: "), r.stderr, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line on stderr: \(r.stderr)", line: line)
        for p in phrases { XCTAssertTrue(r.stderr.contains(p), "mentions '\(p)': \(r.stderr)", line: line) }
    }
}
