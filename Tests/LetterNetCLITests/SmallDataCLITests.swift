import Foundation
import XCTest

/// Small and empty data: every command either works on it (a batch larger than the data trains on
/// the whole split) or refuses it with one line naming the file — never a trap.
final class SmallDataCLITests: CLITestCase {
    func testTrainOnFewerImagesThanOneBatch() throws {
        let data = try lettersFile(count: 5)
        let r = try run(["train", "--data", data, "--arch", "mlp", "--optimizer", "sgd", "--epochs", "2", "--out", path("m.lnet")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("m.lnet")))
    }

    func testEmptyAndTooSmallSplitsAreRefused() throws {
        let empty = try lettersFile("empty.npz", count: 0), one = try lettersFile("one.npz", count: 1)
        let cases: [([String], [String])] = [
            (["train", "--data", empty, "--out", path("m.lnet")], ["empty.npz: holds no images"]),
            (["train", "--data", one, "--validation", "0.9", "--out", path("m.lnet")], ["no image is left to train on", "--validation"]),
            (["train-reader", "--data", empty, "--out", path("r.lnet")], ["empty.npz: holds no images"]),
            (["train-reader", "--data", one, "--out", path("r.lnet")], ["one.npz", "needs at least 2"]),
            (["synth", "--data", empty, "--out", path("s.npy")], ["empty.npz: holds no images"]),
            (["evaluate", "--data", empty, "--model", try modelFile("mlp.lnet")], ["empty.npz: holds no images"]),
        ]
        for (arguments, phrases) in cases {
            let r = try run(arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("error: "), "\(arguments): \(r.stderr)")
            for p in phrases { XCTAssertTrue(r.stderr.contains(p), "\(arguments): \(r.stderr)") }
            XCTAssertFalse(r.stderr.contains("Fatal error"), "\(arguments): \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.lnet")))
    }

    func testTrainReaderAndSynthOnAFewLetters() throws {
        let data = try lettersFile(count: 4)
        let synth = try run(["synth", "--data", data, "--count", "3", "--out", path("s.npy")])
        XCTAssertEqual(synth.status, 0, synth.stderr)
        let reader = try run(["train-reader", "--data", data, "--variant", "fast", "--steps", "1", "--eval-every", "1",
                              "--batch-size", "2", "--validation-strips", "2", "--out", path("r.lnet")])
        XCTAssertEqual(reader.status, 0, reader.stderr)
        XCTAssertTrue(reader.stderr.contains("from 1 held-out letters"), reader.stderr)
    }
}
