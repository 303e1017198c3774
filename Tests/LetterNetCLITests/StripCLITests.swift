import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// Runs the built `letternet` binary on strips: `synth` writes strips and labels, `predict` refuses
/// bad strip files (exit 2, one `error: <file>: …` line) and writes prediction.csv, `score` prints
/// the expected figures.
final class StripCLITests: CLITestCase {

    func writeText(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        return path(name)
    }

    /// A letters file: 52 drawn letters (two of each class), a bar whose place depends on the class.
    func lettersFile() throws -> String {
        var pixels = [UInt8](), labels = [Int]()
        for i in 0..<52 {
            let c = i % 26
            var img = [UInt8](repeating: 0, count: 784)
            for y in 4..<24 { for x in (3 + c % 20)..<(6 + c % 20) { img[y * 28 + x] = 255 } }
            for x in 4..<24 { img[(4 + c % 18) * 28 + x] = 200 }
            pixels += img
            labels.append(c + 1)
        }
        let url = dir.appendingPathComponent("letters.npz")
        try NPZ.write(["x": NpyArray(pixels, shape: [52, 28, 28]), "y": NpyArray(labels, shape: [52])], to: url)
        return url.path
    }

    /// An untrained strip-reader model file, so that these tests need no shipped model.
    func tinyModel() throws -> String {
        let url = dir.appendingPathComponent("reader.lnet")
        try StripReader(width: 150, backend: CPUBackend(threads: 1), seed: 2).checkpoint().write(to: url)
        return url.path
    }

    func assertExit2(_ r: Result, _ file: String, _ phrase: String, line: UInt = #line) {
        XCTAssertEqual(r.status, 2, "stdout: \(r.stdout) stderr: \(r.stderr)", line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line on stderr: \(r.stderr)", line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: \(file)"), "names the file: \(r.stderr)", line: line)
        XCTAssertTrue(r.stderr.contains(phrase), "mentions '\(phrase)': \(r.stderr)", line: line)
    }

    // MARK: synth

    func testSynthWritesStripsAndLabels() throws {
        let data = try lettersFile()
        let r = try run(["synth", "--data", data, "--count", "7", "--seed", "3", "--out", path("strips.npy")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("(7×30×150)"), r.stdout)
        let strips = try StripSet.load(url: dir.appendingPathComponent("strips.npy"))
        XCTAssertEqual([strips.count, strips.height, strips.width], [7, 30, 150])
        let labelsText = try String(contentsOfFile: path("strips-labels.csv"), encoding: .utf8)
        let lines = labelsText.split(separator: "\n")
        XCTAssertEqual(lines.count, 7)
        XCTAssertTrue(lines.allSatisfy { $0.count == 10 && $0.allSatisfy(\.isNumber) }, labelsText)
        let labels = try LabelsFile.read(url: dir.appendingPathComponent("strips-labels.csv"))
        XCTAssertTrue(labels.allSatisfy { $0.count == 5 && $0.allSatisfy((1...26).contains) })

        // The same strips the library makes from the same seed.
        let source = try LetterDataset.load(url: URL(fileURLWithPath: data))
        let expected = StripSynthesizer(letters: 5).makeSet(from: source, count: 7, seed: 3)
        XCTAssertEqual(strips.pixels, expected.strips.pixels)
        XCTAssertEqual(labels, expected.labels)

        // Same seed, same bytes; another layout.
        XCTAssertEqual(try run(["synth", "--data", data, "--count", "7", "--seed", "3", "--out", path("again.npy")]).status, 0)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("again.npy")), try Data(contentsOf: dir.appendingPathComponent("strips.npy")))
        let four = try run(["synth", "--data", data, "--count", "3", "--letters", "4", "--width", "140", "--out", path("four.npy")])
        XCTAssertEqual(four.status, 0, four.stderr)
        let fourStrips = try StripSet.load(url: dir.appendingPathComponent("four.npy"))
        XCTAssertEqual([fourStrips.count, fourStrips.height, fourStrips.width], [3, 30, 140])
        XCTAssertTrue(try LabelsFile.read(url: dir.appendingPathComponent("four-labels.csv")).allSatisfy { $0.count == 4 })
    }

    // MARK: predict

    func testPredictRefusesBadStripFiles() throws {
        let model = try tinyModel()
        let out = path("prediction.csv")
        func predict(_ strips: String) throws -> Result {
            try run(["predict", "--strips", strips, "--model", model, "--out", out])
        }
        func npy(_ name: String, _ shape: [Int]) throws -> String {
            try NPY.write(NpyArray([Float](repeating: 7, count: shape.reduce(1, *)), shape: shape), to: dir.appendingPathComponent(name))
            return path(name)
        }
        let flat = try npy("flat.npy", [30, 150])
        assertExit2(try predict(flat), flat, "wrong rank")
        assertExit2(try predict(flat), flat, "expected N×30×W")
        let short = try npy("short.npy", [2, 29, 150])
        assertExit2(try predict(short), short, "expected N×30×W")
        let tall = try npy("tall.npy", [2, 31, 150])
        assertExit2(try predict(tall), tall, "expected N×30×W")
        let empty = try npy("empty.npy", [0, 30, 150])
        assertExit2(try predict(empty), empty, "holds no strips")
        let narrow = try npy("narrow.npy", [1, 30, 20])
        assertExit2(try predict(narrow), narrow, "too narrow for --letters 5")
        let text = try writeText("strips.npy", "these are not strips\n")
        assertExit2(try predict(text), text, "wrong magic")
        assertExit2(try predict(path("missing.npy")), path("missing.npy"), "no such file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing written on failure")

        // A model file that is not a checkpoint is refused the same way.
        let strips = try npy("ok.npy", [1, 30, 150])
        let notModel = try writeText("model.lnet", "this is a text file, not a model\n")
        let r = try run(["predict", "--strips", strips, "--model", notModel, "--out", out])
        assertExit2(r, notModel, "wrong magic")
    }

    func testPredictWritesOneRowPerStripAndScores() throws {
        let data = try lettersFile(), model = try tinyModel()
        XCTAssertEqual(try run(["synth", "--data", data, "--count", "3", "--seed", "5", "--out", path("s.npy")]).status, 0)
        let r = try run(["predict", "--strips", path("s.npy"), "--model", model, "--out", path("p.csv"),
                         "--labels", path("s-labels.csv")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("3 strips × 5 guesses"), r.stdout)
        XCTAssertTrue(r.stdout.contains("top-1 ") && r.stdout.contains("(3 strips)"), r.stdout)
        let rows = try String(contentsOfFile: path("p.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 3)
        for row in rows {
            let guesses = row.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(guesses.count, 5, String(row))
            XCTAssertEqual(Set(guesses).count, 5, String(row))
            XCTAssertTrue(guesses.allSatisfy { $0.count == 10 && $0.allSatisfy(\.isNumber) }, String(row))
        }
        let score = try run(["score", "--pred", path("p.csv"), "--labels", path("s-labels.csv"), "--json"])
        XCTAssertEqual(score.status, 0, score.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(score.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["count"] as? Int, 3)
    }

    // MARK: score

    func testScoreOnAHandWrittenPair() throws {
        let pred = try writeText("pred.csv", """
            0102030405,0102030406,0202030405,0303030303,0404040404
            0607080911,0607080912,0101010101,0202020202,0607080910
            1514131211,0101010101,0202020202,0303030303,0404040404
            0202020202,0303030303,0404040404,0505050505,0606060606

            """)
        let labels = try writeText("labels.csv", "0102030405\n0607080910\nKLMNO\n0101010101\n")
        let json = try run(["score", "--pred", pred, "--labels", labels, "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(json.stdout.split(separator: "\n").count, 1, json.stdout)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertEqual(Set(object.keys), ["top1", "top5", "letters", "letters_by_position", "count", "confusions"])
        let confusions = try XCTUnwrap(object["confusions"] as? [[String: Any]])
        XCTAssertEqual(confusions.map { "\($0["truth"]!)\($0["read"]!)\($0["count"]!)" }, ["AB5", "JK1", "KO1", "LN1", "NL1", "OK1"])
        XCTAssertEqual(confusions[0]["share_of_errors"] as? Double, 0.5)
        XCTAssertEqual(object["letters_by_position"] as? [Double], [0.5, 0.5, 0.75, 0.5, 0.25])
        XCTAssertEqual(object["count"] as? Int, 4)
        XCTAssertEqual(object["top1"] as? Double, 0.25)
        XCTAssertEqual(object["top5"] as? Double, 0.5)
        XCTAssertEqual(object["letters"] as? Double, 0.5)  // 5 + 4 + 1 + 0 of 20

        let text = try run(["score", "--pred", pred, "--labels", labels])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(text.stdout, "4 strips: top-1 25.00%, top-5 50.00%, letters 50.00%\n"
                       + "letters by position: 1: 50.00%, 2: 50.00%, 3: 75.00%, 4: 50.00%, 5: 25.00%\n"
                       + "most confused letters (first guess): A→B 5 (50.0%), J→K 1 (10.0%), K→O 1 (10.0%), L→N 1 (10.0%), "
                       + "N→L 1 (10.0%); these make 90.0% of the 10 letter errors\n")

        let three = try writeText("three.csv", "0102030405\n0607080910\n1112131415\n")
        let mismatch = try run(["score", "--pred", pred, "--labels", three])
        assertExit2(mismatch, pred, "4 rows but \(three) has 3 labels")
    }

    /// `synth --centres` writes one centre per letter; `score --centres` adds the breakdown by gap, whose
    /// bands add up to every letter and strip, and refuses centres that do not match the labels.
    func testSynthCentresAndScoreByGap() throws {
        let data = try lettersFile()
        let r = try run(["synth", "--data", data, "--count", "40", "--seed", "3", "--layout", "cohort", "--centres", "--out", path("s.npy")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains(path("s-centres.csv")), r.stdout)
        let centres = try CentresFile.read(url: dir.appendingPathComponent("s-centres.csv"))
        let labels = try LabelsFile.read(url: dir.appendingPathComponent("s-labels.csv"))
        XCTAssertEqual(centres.map(\.count), labels.map(\.count))
        XCTAssertTrue(centres.joined().allSatisfy { (-2...170).contains($0) }, "centres inside the 168-px strip")
        // The labels' own digits as a perfect prediction: every band reads 100%.
        let rows = labels.map { l in Array(repeating: l.map { String(format: "%02d", $0) }.joined(), count: 5).joined(separator: ",") }
        let pred = try writeText("p.csv", rows.joined(separator: "\n") + "\n")
        let json = try run(["score", "--pred", pred, "--labels", path("s-labels.csv"), "--centres", path("s-centres.csv"), "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let bands = try XCTUnwrap(object["by_gap"] as? [[String: Any]])
        XCTAssertEqual(bands.compactMap { $0["letters"] as? Int }.reduce(0, +), 200)
        XCTAssertEqual(bands.compactMap { $0["strips"] as? Int }.reduce(0, +), 40)
        for b in bands where (b["letters"] as? Int ?? 0) > 0 { XCTAssertEqual(b["letters_right"] as? Double, 1) }
        let text = try run(["score", "--pred", pred, "--labels", path("s-labels.csv"), "--centres", path("s-centres.csv")])
        XCTAssertTrue(text.stdout.contains("distance to the nearest letter (px)"), text.stdout)
        let short = try writeText("short.csv", "10.0,40.0\n")
        assertExit2(try run(["score", "--pred", pred, "--labels", path("s-labels.csv"), "--centres", short]), short, "1 line but \(path("s-labels.csv")) has 40 labels")
        let lines = try String(contentsOfFile: path("s-centres.csv"), encoding: .utf8).split(separator: "\n")
        let fewer = try writeText("fewer.csv", (["10.0,40.0"] + lines.dropFirst()).joined(separator: "\n") + "\n")
        assertExit2(try run(["score", "--pred", pred, "--labels", path("s-labels.csv"), "--centres", fewer]), fewer, "line 1 has 2 centres")
    }
}
