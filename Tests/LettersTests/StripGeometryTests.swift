import Foundation
import NeuralNet
import XCTest
@testable import Letters

/// `StripGeometry`: the course's strip sizes in one value, recorded in a strip reader's model, and
/// found as a literal nowhere else among the strip files.
final class StripGeometryTests: XCTestCase {
    let standard = StripGeometry.standard

    func testTheCourseGeometry() {
        XCTAssertEqual(standard.height, 30)
        XCTAssertEqual(standard.boxRows, 1...28)
        XCTAssertEqual(standard.boxSize, 28)
        XCTAssertEqual(standard.defaultLetters, 5)
        XCTAssertEqual([standard.classicWidth(letters: 5), standard.cohortWidth(letters: 5)], [150, 168])
        XCTAssertEqual([standard.classicWidth(letters: 4), standard.cohortWidth(letters: 4)], [120, 140])
        XCTAssertTrue(standard.isCourseWidth(168, letters: 5) && standard.isCourseWidth(150, letters: 5))
        XCTAssertFalse(standard.isCourseWidth(160, letters: 5))
        // What reads it: the strips, the synthesizer, the reader's rows.
        XCTAssertEqual(StripReader.rows, standard.boxRows)
        XCTAssertEqual(StripSynthesizer().height, standard.height)
        XCTAssertEqual(StripSynthesizer(letters: 4).width, 120)
        XCTAssertEqual(PhotoStrip.height, standard.height)
        XCTAssertEqual(StripTrainer.Validation.width, 168)
    }

    func testMetadataRoundTripAndOldModels() {
        XCTAssertEqual(standard.metadata, ["strip_height": "30", "strip_box_rows": "1-28"])
        XCTAssertEqual(StripGeometry(metadata: standard.metadata), standard)
        XCTAssertEqual(StripGeometry(metadata: [:]), standard, "a model made before the keys were recorded")
        XCTAssertEqual(StripGeometry(metadata: ["strip_height": "32", "strip_box_rows": "2-29"])?.boxRows, 2...29)
        for bad in [["strip_height": "x"], ["strip_height": "0"], ["strip_box_rows": "1-30"], ["strip_box_rows": "5-2"], ["strip_box_rows": "1"]] {
            XCTAssertNil(StripGeometry(metadata: bad), "\(bad)")
        }
    }

    func testReaderRecordsItAndRefusesAnother() throws {
        let cpu = CPUBackend(threads: 1)
        var checkpoint = StripReader(width: 150, backend: cpu, seed: 1).checkpoint()
        XCTAssertEqual(checkpoint.metadata["strip_height"], "30")
        XCTAssertEqual(checkpoint.metadata["strip_box_rows"], "1-28")
        XCTAssertNoThrow(try StripReader(checkpoint: checkpoint, backend: cpu, source: "r.lnet"))
        checkpoint.metadata["strip_height"] = nil; checkpoint.metadata["strip_box_rows"] = nil
        XCTAssertNoThrow(try StripReader(checkpoint: checkpoint, backend: cpu, source: "old.lnet"), "absent: the defaults")
        checkpoint.metadata["strip_height"] = "40"
        XCTAssertThrowsError(try StripReader(checkpoint: checkpoint, backend: cpu, source: "tall.lnet")) { error in
            XCTAssertTrue("\(error)".contains("made for 40-row strips with letters at rows 1…28"), "\(error)")
        }
        checkpoint.metadata["strip_height"] = "thirty"
        XCTAssertThrowsError(try StripReader(checkpoint: checkpoint, backend: cpu, source: "bad.lnet"))
    }

    // MARK: - One home for the literals

    /// Where strip geometry is used: the strip files, and the commands that make, read and time strips.
    static let stripFiles = ["Sources/Letters/Strips", "Sources/letternet/Synth.swift", "Sources/letternet/Predict.swift",
                             "Sources/letternet/Predict+Input.swift", "Sources/letternet/Predict+Demo.swift",
                             "Sources/letternet/TrainReader.swift", "Sources/letternet/Bench.swift"]

    /// The geometry's numbers written as code (comments left out; a number with a decimal point, or part
    /// of a longer number or name, does not count): a height of 30 (`height: 30`, `stripHeight = 30`), a
    /// box assigned (`= 28`; `= 30` alone is too common: `steps = 30`), a product (`30 *`, `* 30`, `28 *`, `* 28`), a box offset (`- 28`,
    /// `+ 28`), a range ending at the box (`..<28`, `...28`), a box as a bound (`max(28`, `min(28`), and a
    /// network input of box rows (`[1, 28,`).
    static let patterns = [
        #"height(\s*:\s*\w+)?\s*[:=]\s*30(?![\w.])"#, #"=\s*28(?![\w.])"#, #"(?<![\w.])(28|30)\s*\*"#, #"\*\s*(28|30)(?![\w.])"#,
        #"[-+]\s*28(?![\w.])"#, #"\.\.[.<]\s*28(?![\w.])"#, #"(max|min)\(\s*28(?![\w.])"#, #"\[1,\s*28,"#,
    ]

    /// Every line of `files` (under `root`) holding a geometry literal, as "file:line: text".
    static func literals(in root: URL, files: [String] = stripFiles) throws -> [String] {
        let regexes = try patterns.map { try NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
        var found: [String] = []
        for entry in files {
            let url = root.appendingPathComponent(entry)
            let paths = entry.hasSuffix(".swift") ? [url]
                : try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil).filter { $0.pathExtension == "swift" }
            for path in paths.sorted(by: { $0.path < $1.path }) where path.lastPathComponent != "StripGeometry.swift" {
                for (n, line) in try String(contentsOf: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let code = String(line.components(separatedBy: "//")[0])
                    let range = NSRange(code.startIndex..., in: code)
                    if regexes.contains(where: { $0.firstMatch(in: code, range: range) != nil }) {
                        found.append("\(path.lastPathComponent):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                    }
                }
            }
        }
        return found
    }

    func testNoStripFileWritesTheGeometryAsALiteral() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        XCTAssertEqual(try Self.literals(in: root), [], "use StripGeometry.standard instead")
    }

    /// The grep finds what it looks for, and passes over comments, decimals and longer numbers.
    func testTheGrepFindsPlantedLiterals() throws {
        let dir = try temporaryDirectory(self)
        let planted = ["let stripHeight = 30", "var lo = 28", "var height: Int = 30", "w * 28 + x", "30 * n", "width - 28", "0..<28",
                       "max(28, w)", "[1, 28, w]"]
        let passed = ["// height = 30", "pitch: 27.5...28.5", "let n = 300", "x * 280", "steps = 30", "let a = b // = 28"]
        try (planted + passed).joined(separator: "\n").write(to: dir.appendingPathComponent("Planted.swift"), atomically: true, encoding: .utf8)
        let found = try Self.literals(in: dir, files: ["Planted.swift"])
        XCTAssertEqual(found.count, planted.count, found.joined(separator: "\n"))
    }
}
