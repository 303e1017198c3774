import Foundation
import XCTest
import Letters
import NeuralNet

/// No command destroys its own input: an output that is the same file as an input (by device and
/// inode: the same path, a symbolic link or a hard link) or as another output is refused before
/// anything is read or written; synth writes its strips and labels both or neither.
final class OutputSafetyCLITests: CLITestCase {
    func bytes(_ p: String) -> Data? { FileManager.default.contents(atPath: p) }

    func testAnOutputOntoAnInputIsRefusedAndTheInputKept() throws {
        let letters = try lettersFile(count: 30)
        let model = try modelFile("model.lnet")
        let strips = path("strips.npy")
        try StripSet(name: "s", count: 2, height: 30, width: 150, pixels: [Float](repeating: 0, count: 9000))
            .write(to: URL(fileURLWithPath: strips))
        let labels = try textFile("labels.csv", "AAAAA\nBBBBB\n")
        try FileManager.default.createSymbolicLink(atPath: path("strips-link.npy"), withDestinationPath: strips)
        XCTAssertEqual(link(strips, path("strips-hard.npy")), 0)
        try FileManager.default.createSymbolicLink(atPath: path("letters-link.npz"), withDestinationPath: letters)
        // (arguments, the output option named, the input option named)
        let cases: [([String], String, String)] = [
            (["predict", "--strips", strips, "--model", model, "--out", strips], "--out", "--strips"),
            (["predict", "--strips", strips, "--model", model, "--out", path("strips-link.npy")], "--out", "--strips"),
            (["predict", "--strips", strips, "--model", model, "--out", path("strips-hard.npy")], "--out", "--strips"),
            (["predict", "--strips", strips, "--model", model, "--out", model], "--out", "--model"),
            (["predict", "--strips", strips, "--model", model, "--report", model], "--report", "--model"),
            (["predict", "--strips", strips, "--model", model, "--labels", labels, "--out", labels], "--out", "--labels"),
            (["evaluate", "--data", letters, "--model", model, "--report", letters], "--report", "--data"),
            (["evaluate", "--data", letters, "--model", model, "--report", model], "--report", "--model"),
            (["train", "--data", letters, "--out", path("letters-link.npz")], "--out", "--data"),
            (["train", "--data", letters + "@2", "--report", letters], "--report", "--data"),
            (["train", "--data", letters, "--initial", model, "--out", model], "--out", "--initial"),
            (["synth", "--data", letters, "--out", letters], "--out", "--data"),
            (["train-reader", "--data", letters, "--out", letters], "--out", "--data"),
            (["predict", "--strips", strips, "--model", model, "--out", path("x.csv"), "--report", path("x.csv")], "--report", "--out"),
        ]
        let before = [strips, letters, model, labels].map(bytes)
        for (arguments, output, input) in cases {
            let r = try run(arguments)
            assertRefused(r, output, input)
            XCTAssertEqual([strips, letters, model, labels].map(bytes), before, "\(arguments) changed an input")
        }
    }

    func testSynthWritesStripsAndLabelsBothOrNeither() throws {
        let letters = try lettersFile(count: 30)
        let out = path("strips.npy"), labels = path("strips-labels.csv")
        XCTAssertEqual(try run(["synth", "--data", letters, "--count", "3", "--out", out]).status, 0)
        let (oldStrips, oldLabels) = (bytes(out), bytes(labels))
        // The labels file cannot be replaced (read-only): the strips are not replaced either.
        XCTAssertEqual(chmod(labels, 0o444), 0)
        let r = try run(["synth", "--data", letters, "--count", "4", "--seed", "9", "--out", out])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("read-only"), r.stderr)
        XCTAssertEqual(bytes(out), oldStrips)
        XCTAssertEqual(bytes(labels), oldLabels)
        // A directory where the labels go: neither file is written.
        XCTAssertEqual(chmod(labels, 0o644), 0)
        let fresh = path("fresh.npy")
        try FileManager.default.createDirectory(atPath: path("fresh-labels.csv"), withIntermediateDirectories: false)
        XCTAssertEqual(try run(["synth", "--data", letters, "--count", "2", "--out", fresh]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))
    }

    func testDevicesAndStandardOutputAreWrittenThrough() throws {
        let letters = try lettersFile(count: 30)
        let r = try run(["synth", "--data", letters, "--count", "2", "--out", "/dev/null"])
        XCTAssertEqual(r.status, 0, r.stderr)
        var st = stat()
        XCTAssertEqual(stat("/dev/null", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR)
        let demo = try run(["demo-letters", "--count", "3", "--out", "/dev/stdout"])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.hasPrefix("PK"), "the archive went to standard output")
    }

    func testModeOfAnExistingOutputIsKept() throws {
        let letters = try lettersFile(count: 30)
        let out = path("private.npy")
        XCTAssertEqual(try run(["synth", "--data", letters, "--count", "2", "--out", out]).status, 0)
        XCTAssertEqual(chmod(out, 0o600), 0)
        XCTAssertEqual(try run(["synth", "--data", letters, "--count", "3", "--out", out]).status, 0)
        var st = stat()
        XCTAssertEqual(stat(out, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
    }

    func testUnwritableOutputsAreRefusedBeforeTheWork() throws {
        let letters = try lettersFile(count: 30)
        try textFile("ro.lnet", "old")
        XCTAssertEqual(chmod(path("ro.lnet"), 0o444), 0)
        let cases: [([String], String)] = [
            (["train", "--data", letters, "--out", dir.path], "is a directory"),
            (["train", "--data", letters, "--out", path("missing/m.lnet")], "no directory"),
            (["train", "--data", letters, "--out", path("ro.lnet")], "read-only file, mode 0444"),
            (["train-reader", "--data", letters, "--out", path("ro.lnet")], "read-only"),
            (["demo-letters", "--out", dir.path], "is a directory"),
            (["synth", "--data", letters, "--out", path("missing/s.npy")], "no directory"),
        ]
        for (arguments, phrase) in cases {
            let r = try run(arguments)
            assertRefused(r, phrase)
            XCTAssertFalse(r.stdout.contains("epoch") || r.stderr.contains("training"), "refused before training: \(r.stderr)")
        }
        XCTAssertEqual(String(data: bytes(path("ro.lnet"))!, encoding: .utf8), "old")
    }
}
