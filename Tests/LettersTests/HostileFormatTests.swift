@testable import LetterFormats
import XCTest
@testable import Letters
import NeuralNet

/// Hostile but well-formed-looking files: each is refused with one `LettersError` line, or read the
/// way numpy reads it — never a crash or a silently wrong array.
final class HostileFormatTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try temporaryDirectory(self) }

    /// A version 2.0 .npy (32-bit header length) with the header dict `dict`.
    func npy2(_ dict: String, _ payload: [UInt8] = []) -> [UInt8] {
        let header = Array((dict + "\n").utf8), n = header.count
        return NPY.magic + [2, 0] + (0..<4).map { UInt8((n >> (8 * $0)) & 0xFF) } + header + payload
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    // MARK: nesting

    func testDeeplyNestedHeadersAreRefusedNotRecursedInto() throws {
        let prefix = "{'descr': '<f4', 'fortran_order': False, 'shape': "
        let cases: [(String, String)] = [
            ("tuples", prefix + String(repeating: "(", count: 60_000) + "1," + String(repeating: ")", count: 60_000) + ", }"),
            ("lists", prefix + String(repeating: "[", count: 60_000) + ", }"),
            ("dicts", prefix + String(repeating: "{'a': ", count: 30_000) + "1}, }"),
            ("descr", "{'descr': " + String(repeating: "[('a', ", count: 65) + "'<i4'" + String(repeating: ")]", count: 65)
                + ", 'fortran_order': False, 'shape': (1,), }"),
        ]
        for (name, dict) in cases {
            let url = try write("\(name).npy", npy2(dict))
            assertLettersError(try NPY.read(url: url), file: "\(name).npy", contains: "nest deeper than 64 levels")
        }
        // Nesting within the cap still parses (a structured dtype, listed but not decoded).
        let nested = try NPY.readHeader(bytes: npy2("{'descr': [('a', [('b', '<i4')])], 'fortran_order': False, 'shape': (1,), }"),
                                        name: "ok.npy")
        XCTAssertEqual(nested.shape, [1])
        XCTAssertNil(nested.dtype)
    }

    // MARK: streams, directories, devices

    func testStreamsAreReadAndDevicesAndDirectoriesNamed() throws {
        let array = NpyArray([Float](repeating: 7, count: 2 * 30 * 40), shape: [2, 30, 40])
        let fifo = dir.appendingPathComponent("strips.fifo")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let payload = NPY.encode(array)
        let writer = Thread {
            if let h = FileHandle(forWritingAtPath: fifo.path) { h.write(payload); try? h.close() }
        }
        writer.start()
        let strips = try StripSet.load(url: fifo)
        XCTAssertEqual([strips.count, strips.width], [2, 40])

        assertLettersError(try NPY.read(url: URL(fileURLWithPath: "/dev/zero")), file: "/dev/zero", contains: "character device")
        assertLettersError(try NPY.read(url: dir), file: dir.lastPathComponent, contains: "is a directory")
        XCTAssertThrowsError(try Checkpoint.read(from: dir)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
            XCTAssertFalse("\(error)".contains("NSCocoaErrorDomain"), "\(error)")
        }
    }

    // MARK: silently wrong

    func testDuplicateArrayNamesInAnArchiveAreRefused() throws {
        // An archive of x, y and z, with z's member renamed x.npy (in its local header and directory entry).
        let url = dir.appendingPathComponent("dup.npz")
        let x = NpyArray([UInt8](repeating: 1, count: 784), shape: [1, 28, 28])
        try NPZ.write(["x": x, "y": NpyArray([1], shape: [1]), "z": x], to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        let from = Array("z.npy".utf8), to = Array("x.npy".utf8)
        for i in 0...(bytes.count - from.count) where Array(bytes[i..<(i + from.count)]) == from {
            bytes.replaceSubrange(i..<(i + from.count), with: to)
        }
        try Data(bytes).write(to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "dup.npz", contains: "holds array 'x' twice")
        assertLettersError(try NPZ.list(url: url), file: "dup.npz", contains: "numpy would read the last copy")
    }

    func testFloat64BeyondFloat32IsOutOfRangeNotNonFinite() throws {
        var values = [Double](repeating: 0, count: 2 * 30 * 40)
        values[45] = 1e300
        let url = dir.appendingPathComponent("big.npy")
        try NPY.write(NpyArray(values, shape: [2, 30, 40]), to: url)
        assertLettersError(try StripSet.load(url: url), file: "big.npy", contains: "beyond the float32 range")
        values[45] = .nan
        try NPY.write(NpyArray(values, shape: [2, 30, 40]), to: url)
        assertLettersError(try StripSet.load(url: url), file: "big.npy", contains: "NaN or infinite")
    }

    func testFloatPixelsInZeroToOneAreScaledWithANote() throws {
        // (values, expected first pixel after loading, whether a note is given)
        let cases: [([Float], Float, Bool)] = [
            ([0.5, 1, 0, 0.25], 127.5, true),   // numpy's 0…1 habit
            ([0.5, 200, 0, 0.25], 0.5, false),  // already 0…255
            ([0, 0, 0, 0], 0, false),           // blank: nothing to scale
            ([0.5, -0.1, 0, 1], 0.5, false),    // negative: not a 0…1 image
        ]
        for (values, first, noted) in cases {
            let pixels = (0..<(2 * 784)).map { values[$0 % values.count] }
            let url = dir.appendingPathComponent("unit.npz")
            try NPZ.write(["x": NpyArray(pixels, shape: [2, 28, 28]), "y": NpyArray([1, 2], shape: [2])], to: url)
            let set = try LetterDataset.load(url: url)
            XCTAssertEqual(set.images[0], first, "\(values)")
            XCTAssertEqual(set.notes.count, noted ? 1 : 0, "\(values)")
            if noted { XCTAssertTrue(set.notes[0].contains("multiplied by 255"), set.notes[0]) }
        }
        // Strips: overlaps on the 0…1 scale reach 2.
        let url = dir.appendingPathComponent("unit-strips.npy")
        try NPY.write(NpyArray((0..<(30 * 40)).map { Float($0 % 3) * 0.9 }, shape: [1, 30, 40]), to: url)
        let strips = try StripSet.load(url: url)
        XCTAssertEqual(strips.pixels.max()!, 1.8 * 255, accuracy: 1e-3)
        XCTAssertEqual(strips.notes.count, 1)
    }

    func testRaggedGuessesAreReadAndLengthMismatchesAreRefused() throws {
        // A row's guesses may differ in length (predict --letters auto).
        XCTAssertEqual(try PredictionCSV.parse("0102030405,0102030405,01020304,0102030405,0102030405\n", file: "p.csv")[0].map(\.count),
                       [5, 5, 4, 5, 5])
        let guesses = [[[1, 2, 3, 4]] + Array(repeating: [1, 2, 3, 4], count: 4)]
        XCTAssertThrowsError(try StripScore.checkComparable(guesses: guesses, truth: [[1, 2, 3, 4, 5]], predictions: "p.csv", labels: "l.csv")) {
            XCTAssertTrue("\($0)".contains("guesses 4 letters but line 1 of l.csv has 5"), "\($0)")
        }
        XCTAssertThrowsError(try StripScore.checkComparable(guesses: [], truth: [], predictions: "p.csv", labels: "l.csv")) {
            XCTAssertTrue("\($0)".contains("holds no predictions"), "\($0)")
        }
        XCTAssertNoThrow(try StripScore.checkComparable(guesses: guesses, truth: [[1, 2, 3, 4]], predictions: "p.csv", labels: "l.csv"))
    }

    func testNarrowStripsNameTheWidthTheyNeed() {
        for letters in 1...12 {
            let w = StripReader.minimumWidth(letters: letters)
            XCTAssertEqual(StripReader.maxLetters(width: w), letters)
            if w > 1 { XCTAssertLessThan(StripReader.maxLetters(width: w - 1), letters) }
            let p = StripReader.positions(width: w)
            let readings = KBestDecoder(letters: letters, k: 5, minimumSpacing: StripReader.minimumSpacing)
                .decode(scores: [Float](repeating: 0, count: p * 26), positions: p, classes: 26)
            XCTAssertEqual(readings.count, 5, "\(letters) letters in \(w) px")
        }
    }
}
