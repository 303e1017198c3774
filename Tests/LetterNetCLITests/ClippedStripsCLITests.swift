import Foundation
import LetterFormats
import XCTest
import Letters

/// Strips whose overlapping letters are clipped at 255 (a uint8 file) are read, without `--model`, by the
/// shipped reader that learnt from clipped overlaps (`Models/clipped/strip-reader.lnet`); strips with sums
/// by the default one.
final class ClippedStripsCLITests: CLITestCase {
    func testClippedStripsGetTheClippedReader() throws {
        let letters = path("letters.npz")
        XCTAssertEqual(try run(["demo-letters", "--count", "260", "--seed", "3", "--out", letters]).status, 0)
        let made = try run(["synth", "--data", letters, "--layout", "cohort", "--count", "60", "--seed", "8", "--out", path("sums.npy")])
        XCTAssertEqual(made.status, 0, made.stderr)
        let sums = try StripSet.load(url: URL(fileURLWithPath: path("sums.npy")))
        XCTAssertTrue(sums.pixels.contains { $0 > 255 }, "cohort strips sum their overlaps")
        let clipped = try StripSet(name: "u8", count: sums.count, height: sums.height, width: sums.width, pixels: sums.pixels.map { min($0, 255) })
        try NPY.write(NpyArray(clipped.pixels.map { UInt8($0.rounded()) }, shape: [clipped.count, clipped.height, clipped.width]),
                      to: dir.appendingPathComponent("u8.npy"))

        let auto = try run(["predict", "--strips", path("u8.npy"), "--out", path("auto.csv")])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stderr.contains("reading with clipped/strip-reader.lnet"), auto.stderr)
        XCTAssertFalse(auto.stderr.contains("reads clipped overlaps less well"), "no warning once the right reader reads")
        let chosen = try run(["predict", "--strips", path("u8.npy"), "--model", repoPath("Models/clipped/strip-reader.lnet"),
                              "--out", path("chosen.csv")])
        XCTAssertEqual(chosen.status, 0, chosen.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("auto.csv"))), try Data(contentsOf: URL(fileURLWithPath: path("chosen.csv"))))

        // Strips with sums: the default reader, quietly; a reader named with --model is kept, with the warning.
        let plain = try run(["predict", "--strips", path("sums.npy"), "--out", path("sums.csv")])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertFalse(plain.stderr.contains("clipped"), plain.stderr)
        let named = try run(["predict", "--strips", path("u8.npy"), "--model", repoPath("Models/strip-reader.lnet"), "--out", path("named.csv")])
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertFalse(named.stderr.contains("reading with clipped"), named.stderr)
        XCTAssertTrue(named.stderr.contains("reads clipped overlaps less well"), named.stderr)
    }

    func repoPath(_ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(relative).path
    }
}
