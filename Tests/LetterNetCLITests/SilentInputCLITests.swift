import Foundation
import XCTest
import Letters

/// Inputs a new user gets wrong, which used to be taken without a word: each is now an error or a
/// warning naming the file and the option. (Ragged guesses in `score`: `WrongAnswerCLITests`.)
final class SilentInputCLITests: CLITestCase {
    func testAMissingModelsFolderIsAnError() throws {
        let missing = path("no-such-models")
        assertRefused(try run(["predict", "--out", path("p.csv")], environment: ["LETTERNET_MODELS": missing]),
                      "LETTERNET_MODELS=\(missing)", "no such folder")
        assertRefused(try run(["evaluate", "--data", try lettersFile(count: 26)], environment: ["LETTERNET_MODELS": missing]),
                      "LETTERNET_MODELS")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("p.csv")))
    }

    func testStripsTooNarrowForTheLetterCountAreWarnedAboutByName() throws {
        let model = try modelFile("reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178])
        try StripSet(name: "s", count: 2, height: 30, width: 43, pixels: [Float](repeating: 0, count: 2 * 30 * 43))
            .write(to: URL(fileURLWithPath: path("narrow.npy")))
        let r = try run(["predict", "--strips", path("narrow.npy"), "--model", model, "--letters", "5", "--out", path("p.csv")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let warning = try XCTUnwrap(r.stderr.split(separator: "\n").first { $0.contains("px a letter") }, r.stderr)
        XCTAssertTrue(warning.hasPrefix("warning: \(path("narrow.npy")): 5 letters in 43 px is 8 px a letter"), String(warning))
        XCTAssertTrue(warning.contains("far narrower than a letter's 28-px box") && warning.hasSuffix("is --letters 5 right?"), String(warning))
    }

    /// `--rescore-weight` and `--rescore-candidates` tune the second pass, which only `--window-model` turns on:
    /// without it they used to be taken and ignored.
    func testSecondPassOptionsWithoutAWindowModelAreRefused() throws {
        for extra in [["--rescore-weight", "0.5"], ["--rescore-candidates", "3"]] {
            assertRefused(try run(["predict", "--out", path("p.csv")] + extra), extra[0], "--window-model")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("p.csv")))
    }
}
