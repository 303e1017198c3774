import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// Inputs that used to give a plausible but wrong answer with exit status 0 are refused (or, for
/// 0…1 float pixels, scaled with a note), each with one line naming the file and the real problem.
final class WrongAnswerCLITests: CLITestCase {
    func testScoreRefusesWhatItCannotScore() throws {
        let five = "0102030405,0102030405,0102030405,0102030405,0102030405\n"
        let labels5 = try textFile("labels5.csv", "ABCDE\n"), labels4 = try textFile("labels4.csv", "ABCD\n")
        let cases: [(String, String, [String])] = [
            (five, labels4, ["guesses 5 letters but line 1 of", "has 4"]),
            (five + five, labels5, ["2 rows but", "has 1 labels"]),
            ("", labels5, ["holds no predictions"]),
        ]
        for (i, (pred, labels, phrases)) in cases.enumerated() {
            let p = try textFile("pred\(i).csv", pred)
            assertRefused(try run(["score", "--pred", p, "--labels", labels]), "pred\(i).csv")
            let r = try run(["score", "--pred", p, "--labels", labels])
            for phrase in phrases { XCTAssertTrue(r.stderr.contains(phrase), "\(pred): \(r.stderr)") }
        }
        let ok = try run(["score", "--pred", try textFile("ok.csv", five), "--labels", labels5, "--json"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        // Guesses of several lengths (--letters auto): a guess of another length than the label is just wrong.
        let ragged = try textFile("ragged.csv", "01020304,0102030405,01,02,03\n01020304,0102,01,02,03\n")
        let both = try textFile("labels-both.csv", "ABCDE\nABCD\n")
        assertRefused(try run(["score", "--pred", ragged, "--labels", both]), "ragged.csv", "row 1 holds guesses of 1, 4, 5 letters", "--any-length")
        let r = try run(["score", "--pred", ragged, "--labels", both, "--json", "--any-length"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["top1"] as? Double, 0.5)
        XCTAssertEqual(json["top5"] as? Double, 1)
        assertRefused(try run(["score", "--pred", ragged, "--labels", labels5, "--any-length"]), "2 rows but", "has 1 labels")
    }

    func testPredictNamesTheRealProblem() throws {
        let model = try modelFile("reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178])
        let narrow = path("narrow.npy")
        try StripSet(name: "s", count: 1, height: 30, width: 80, pixels: [Float](repeating: 0, count: 2400))
            .write(to: URL(fileURLWithPath: narrow))
        let r = try run(["predict", "--strips", narrow, "--model", model, "--letters", "12", "--out", path("p.csv")])
        assertRefused(r, "narrow.npy", "80 px wide", "at most 11 fit", "12 need 88 px")
        XCTAssertFalse(r.stderr.contains("p.csv"), r.stderr)
        let labels = try textFile("l.csv", "ABCD\n")
        assertRefused(try run(["predict", "--strips", narrow, "--model", model, "--letters", "5", "--labels", labels, "--out", path("p.csv")]),
                      "l.csv", "line 1 has 4 letters, but --letters is 5")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("p.csv")))
    }

    func testUnitScaleFloatPixelsAreScaledWithANote() throws {
        let url = dir.appendingPathComponent("unit.npz")
        let pixels = (0..<(26 * 784)).map { Float($0 % 784 < 300 ? 1 : 0) }
        try NPZ.write(["x": NpyArray(pixels, shape: [26, 28, 28]), "y": NpyArray(Array(1...26), shape: [26])], to: url)
        let r = try run(["evaluate", "--data", url.path, "--model", try modelFile("mlp.lnet"), "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("note: ") && r.stderr.contains("multiplied by 255"), r.stderr)
    }
}
