import Foundation
import XCTest
import Letters
import NeuralNet

/// `inspect` tells files by their first bytes (then their name), so it reads pipes, models and the
/// labels file synth writes; it never prints a control byte from a file to the terminal.
final class InspectHostileCLITests: CLITestCase {
    func testModelsAreDescribedAndBrokenOnesRefused() throws {
        let good = try modelFile("letters.lnet", metadata: ["trained_on": "demo\u{1B}[2J"])
        let r = try run(["inspect", good])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("letternet model, letter classifier (mlp)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("loads: maps [1, 28, 28] to [26]"), r.stdout)
        XCTAssertTrue(r.stdout.contains(#"demo\u{1b}[2J"#), "escape byte shown escaped: \(r.stdout)")
        // Named otherwise, still recognised by its magic bytes.
        try FileManager.default.copyItem(atPath: good, toPath: path("model.bin"))
        XCTAssertTrue(try run(["inspect", path("model.bin")]).stdout.contains("letternet model"))
        let broken = try modelFile("broken.lnet") { $0.tensors[0].values[0] = .nan }
        let b = try run(["inspect", broken])
        XCTAssertEqual(b.status, 2, b.stderr)
        XCTAssertTrue(b.stderr.contains("NaN or infinite"), b.stderr)
    }

    func testTheLabelsFileSynthWritesAndPredictionFiles() throws {
        let letters = try lettersFile(count: 30)
        XCTAssertEqual(try run(["synth", "--data", letters, "--count", "4", "--out", path("strips.npy")]).status, 0)
        let labels = try run(["inspect", path("strips-labels.csv")])
        XCTAssertEqual(labels.status, 0, labels.stderr)
        XCTAssertTrue(labels.stdout.contains("labels file, 4 lines"), labels.stdout)
        let pred = try run(["inspect", try textFile("p.csv", "0102030405,0102030405,0102030405,0102030405,0102030405\n")])
        XCTAssertTrue(pred.stdout.contains("prediction.csv, 1 rows"), pred.stdout)
    }

    func testControlBytesFromAFileAreNeverPrintedRaw() throws {
        let dict = "{'descr': '<f\u{0}\u{1B}[2J\r', 'fortran_order': False, 'shape': (1,), }\n"
        let header = Array(dict.utf8)
        let npy = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + header + [0, 0, 0, 0]
        try Data(npy).write(to: dir.appendingPathComponent("ctl.npy"))
        try Data("AB\u{1B}]0;title\u{7}\n".utf8).write(to: dir.appendingPathComponent("ctl-labels.txt"))
        for name in ["ctl.npy", "ctl-labels.txt"] {
            let r = try run(["inspect", path(name)])
            XCTAssertEqual(r.status, 2, r.stderr)
            for byte in ["\u{0}", "\u{1B}", "\r", "\u{7}"] {
                XCTAssertFalse((r.stdout + r.stderr).contains(byte), "\(name): raw control byte printed: \(r.stderr.debugDescription)")
            }
            XCTAssertTrue(r.stderr.contains(#"\u{1b}"#), r.stderr)
        }
    }

    func testAPipeIsReadOnce() throws {
        let letters = try lettersFile(count: 3)
        let r = try run(["inspect", "/dev/stdin"], stdin: letters)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("/dev/stdin: npz, 2 array(s)"), r.stdout)
    }
}
