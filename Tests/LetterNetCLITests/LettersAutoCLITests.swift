import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// `predict --letters auto`: each strip's count is read too; rows may hold guesses of several lengths,
/// which the CSV and `score` take. An untrained stand-in reader, so nothing depends on shipped weights.
final class LettersAutoCLITests: CLITestCase {
    func strips(width: Int, count: Int = 4) throws -> String {
        var rng = SeededGenerator(seed: 3)
        var pixels = [Float](repeating: 0, count: count * 30 * width)
        for i in pixels.indices where Double.random(in: 0..<1, using: &rng) < 0.15 { pixels[i] = 255 }
        try StripSet(name: "s", count: count, height: 30, width: width, pixels: pixels).write(to: dir.appendingPathComponent("s\(width).npy"))
        return path("s\(width).npy")
    }

    func rows(_ name: String) throws -> [[[Int]]] { try PredictionCSV.read(url: dir.appendingPathComponent(name)) }

    func testAutoReadsCountsInItsRangeAndOneCountReadsAsTheFixedRead() throws {
        let model = try modelFile("reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178])
        let s = try strips(width: 150)
        func predict(_ extra: [String], _ out: String) throws -> Result {
            let r = try run(["predict", "--strips", s, "--model", model, "--out", path(out)] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return r
        }
        let auto = try predict(["--letters", "auto"], "auto.csv")
        XCTAssertTrue(auto.stdout.contains("letters read (first guess):"), auto.stdout)
        let autoRows = try rows("auto.csv")
        XCTAssertEqual(autoRows.count, 4)
        for row in autoRows {
            XCTAssertEqual(row.count, 5)
            XCTAssertEqual(Set(row).count, 5, "distinct guesses")
            XCTAssertTrue(row.allSatisfy { (1...StripReader.maxLetters(width: 150)).contains($0.count) }, "\(row)")
        }
        _ = try predict(["--letters", "auto", "--letters-range", "3-4"], "range.csv")
        XCTAssertTrue(try rows("range.csv").allSatisfy { $0.allSatisfy { (3...4).contains($0.count) } })
        // One count in the range: exactly the fixed-count read (the prior shifts every reading alike).
        _ = try predict(["--letters", "auto", "--letters-range", "5-5", "--letter-penalty", "3"], "five-auto.csv")
        _ = try predict(["--letters", "5"], "five.csv")
        XCTAssertEqual(try String(contentsOfFile: path("five-auto.csv"), encoding: .utf8), try String(contentsOfFile: path("five.csv"), encoding: .utf8))
        // The prior decides: a large bonus a letter reads more letters than a large penalty.
        _ = try predict(["--letters", "auto", "--letter-penalty", "-30"], "many.csv")
        _ = try predict(["--letters", "auto", "--letter-penalty", "30"], "few.csv")
        let many = try rows("many.csv").map { $0[0].count }, few = try rows("few.csv").map { $0[0].count }
        XCTAssertTrue(zip(many, few).allSatisfy { $0 > $1 }, "\(many) vs \(few)")
        // Labels of several lengths are taken with auto, and scored (`score` on ragged files: WrongAnswerCLITests).
        let labels = try textFile("labels.csv", "ABCDE\nABCD\nABC\nABCDEF\n")
        let scored = try predict(["--letters", "auto", "--labels", labels], "scored.csv")
        XCTAssertTrue(scored.stdout.contains("top-1"), scored.stdout)
    }

    func testAutoOptionsAreCheckedFirst() throws {
        let model = try modelFile("reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178])
        let s = try strips(width: 150), narrow = try strips(width: 20, count: 1)
        func refused(_ extra: [String], _ phrases: String...) throws {
            let r = try run(["predict", "--strips", s, "--model", model, "--out", path("p.csv")] + extra)
            XCTAssertEqual(r.status, 2, "\(extra): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, r.stderr)
            for p in phrases { XCTAssertTrue(r.stderr.contains(p), "\(extra): \(r.stderr)") }
        }
        try refused(["--letters", "five"], "--letters")
        try refused(["--letters-range", "3-4"], "need --letters auto")
        try refused(["--letter-penalty", "1"], "need --letters auto")
        try refused(["--letters", "auto", "--letters-range", "4-3"], "--letters-range")
        try refused(["--letters", "auto", "--letters-range", "0-3"], "--letters-range 0", "between 1 and 12")
        try refused(["--letters", "auto", "--letters-range", "2-13"], "--letters-range 13", "between 1 and 12")
        try refused(["--letters", "auto", "--letter-penalty", "nan"], "--letter-penalty")
        try refused(["--strips", narrow, "--letters", "auto", "--letters-range", "4-6"], "20 px wide", "too narrow for --letters-range 4-6")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("p.csv")))
    }
}
