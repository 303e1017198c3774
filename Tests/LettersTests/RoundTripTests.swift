@testable import FileIO
@testable import LetterFormats
import NeuralNet
import XCTest
@testable import Letters

/// Writers produce files the readers (and numpy, per the script's formats) read back unchanged.
final class RoundTripTests: XCTestCase {
    func testNpyWriteReadEveryWriterType() throws {
        let dir = try temporaryDirectory(self)
        let arrays = [
            NpyArray([Float](arrayLiteral: 1.5, -2, .greatestFiniteMagnitude, 0), shape: [2, 2]),
            NpyArray([Double](arrayLiteral: 1e-300, -7), shape: [2]),
            NpyArray([UInt8](arrayLiteral: 0, 128, 255), shape: [3, 1]),
            NpyArray([Int](arrayLiteral: Int.min, -1, 0, Int.max), shape: [4]),
            NpyArray([Float](arrayLiteral: 42), shape: []),
        ]
        for (i, a) in arrays.enumerated() {
            let url = dir.appendingPathComponent("a\(i).npy")
            try NPY.write(a, to: url)
            XCTAssertEqual(try NPY.read(url: url), a)
            XCTAssertEqual(try Data(contentsOf: url).count % 64, (a.bytes.count) % 64, "data starts 64-aligned")
        }
    }

    func testNpzWriteStoredAndCompressed() throws {
        let dir = try temporaryDirectory(self)
        let original = try NPZ.read(url: fixture("letters_stored.npz"))
        for compressed in [false, true] {
            let url = dir.appendingPathComponent("out-\(compressed).npz")
            try NPZ.write(original, to: url, compressed: compressed)
            XCTAssertEqual(try NPZ.read(url: url), original)
            XCTAssertEqual(try NPZ.list(url: url).map(\.compressed), [compressed, compressed])
        }
    }

    func testStripSetWriteFloat32AndUInt8() throws {
        let dir = try temporaryDirectory(self)
        let strips = try StripSet.load(url: fixture("strips_u2.npy"))
        try strips.write(to: dir.appendingPathComponent("f.npy"))
        XCTAssertEqual(try StripSet.load(url: dir.appendingPathComponent("f.npy")).pixels, strips.pixels)
        try strips.write(to: dir.appendingPathComponent("u.npy"), as: .uint8)
        let u8 = try NPY.read(url: dir.appendingPathComponent("u.npy"))
        XCTAssertEqual(u8.dtype, .uint8)
        XCTAssertEqual(u8.floats(), strips.pixels.map { min($0, 255) }, "uint8 clamps to 255")
    }

    func testPredictionCSVRoundTripAndFormat() throws {
        let dir = try temporaryDirectory(self)
        let url = dir.appendingPathComponent("prediction.csv")
        let urpom = LetterLabel.parseLetters("urpom")!
        XCTAssertEqual(LetterLabel.digits(urpom), "2118161513")
        XCTAssertEqual(LetterLabel.letters(urpom), "URPOM")
        // Rows may differ in length, and so may one row's guesses (predict --letters auto).
        let rows = [[urpom, [1, 2, 3, 4, 5], [26, 26, 26, 26, 26], [3, 3, 3, 3, 3], [9, 9, 9, 9, 9]], [[1], [2], [3], [4], [5]],
                    [urpom, [1, 2, 3, 4], [26], [3, 3, 3, 3, 3, 3], [9, 9, 9, 9, 9]]]
        try writePrediction(rows, to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8),
                       "2118161513,0102030405,2626262626,0303030303,0909090909\n01,02,03,04,05\n"
                       + "2118161513,01020304,26,030303030303,0909090909\n")
        XCTAssertThrowsError(try writePrediction([[urpom, [1, 2], [], [3, 3, 3], [9]]], to: url))
        XCTAssertThrowsError(try writePrediction([[urpom, [1, 2]]], to: url), "a row of 2 guesses")
        XCTAssertEqual(try PredictionCSV.read(url: url), rows)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(leftovers, ["prediction.csv"], "no temporary file left behind")
    }

    func testLabelsFileDigitsAndLetters() throws {
        XCTAssertEqual(try LabelsFile.parse("2118161513\r\nURPOM\n01\n\n", file: "labels.txt"),
                       [[21, 18, 16, 15, 13], [21, 18, 16, 15, 13], [1]])
        let dir = try temporaryDirectory(self)
        try LabelsFile.write([[1, 26], [5]], to: dir.appendingPathComponent("l.txt"))
        XCTAssertEqual(try LabelsFile.read(url: dir.appendingPathComponent("l.txt")), [[1, 26], [5]])
    }

    func testAtomicFileReplacesExisting() throws {
        let url = try temporaryDirectory(self).appendingPathComponent("f.txt")
        try AtomicFile.write("old", to: url)
        try AtomicFile.write("new", to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "new")
    }

    func testDatasetSubsetConcatSplitTranspose() throws {
        let d = try LetterDataset.load(url: fixture("letters_stored.npz"))
        XCTAssertEqual(d.subset([2, 0]).labels, [26, 12])
        XCTAssertEqual(d.subset([2, 0]).image(at: 1), d.image(at: 0))
        let both = LetterDataset.concatenated([d, d])
        XCTAssertEqual(both.count, 6)
        XCTAssertEqual(both.images.count, 6 * 784)
        let (train, val) = both.split(validationFraction: 1.0 / 3.0, seed: 7)
        XCTAssertEqual([train.count, val.count], [4, 2])
        XCTAssertEqual((train.labels + val.labels).sorted(), both.labels.sorted())
        let again = both.split(validationFraction: 1.0 / 3.0, seed: 7)
        XCTAssertEqual(again.validation.labels, val.labels, "same seed, same split")
        XCTAssertEqual(d.transposed().transposed().images, d.images)
        XCTAssertNotEqual(d.transposed().images, d.images)
    }
}
