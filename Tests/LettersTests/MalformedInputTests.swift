@testable import LetterFormats
import XCTest
@testable import Letters

/// Every kind of bad input gives a one-line `LettersError` naming the file and the problem —
/// never a crash, a hang or a silently wrong result.
final class MalformedInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try temporaryDirectory(self) }

    /// Writes `bytes` to `name` in the test's directory.
    func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func bytes(of fixtureName: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: fixture(fixtureName))) }

    /// A v1.0 .npy with a hand-written header dict.
    func npy(_ dict: String, _ payload: [UInt8]) -> [UInt8] {
        let header = Array((dict + "\n").utf8)
        return NPY.magic + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header + payload
    }

    /// Offset of the first zip central-directory entry.
    func centralDirectory(_ b: [UInt8]) -> Int {
        (0..<(b.count - 4)).first { b[$0] == 0x50 && b[$0 + 1] == 0x4B && b[$0 + 2] == 1 && b[$0 + 3] == 2 }!
    }

    func testMissingFile() {
        assertLettersError(try NPY.read(url: dir.appendingPathComponent("nope.npy")), file: "nope.npy", contains: "no such file")
    }

    func testTruncatedNpy() throws {
        let good = try bytes(of: "dtype_f4.npy")
        let cut = try file("cut.npy", Array(good.dropLast(4)))
        assertLettersError(try NPY.read(url: cut), file: "cut.npy", contains: "truncated file: header shape (2, 3) of <f4 needs 24 data bytes but only 20")
        assertLettersError(try NPY.read(url: file("tiny.npy", Array(good.prefix(5)))), file: "tiny.npy", contains: "truncated")
        assertLettersError(try NPY.read(url: file("halfheader.npy", Array(good.prefix(40)))), file: "halfheader.npy", contains: "truncated")
    }

    func testWrongMagic() throws {
        let text = Array("hello, this is not numpy".utf8)
        assertLettersError(try NPY.read(url: file("text.npy", text)), file: "text.npy", contains: "wrong magic")
        assertLettersError(try NPZ.read(url: file("text.npz", text)), file: "text.npz", contains: "not a zip archive")
        assertLettersError(try IDX.read(url: file("x-images-idx3-ubyte", [1, 2, 8, 3] + text)), file: "x-images-idx3-ubyte", contains: "wrong magic")
        assertLettersError(try IDX.read(url: file("x-labels-idx1-ubyte.gz", text)), file: "x-labels-idx1-ubyte.gz", contains: "not gzip")
    }

    func testHeaderShapeDisagreesWithData() throws {
        let good = try bytes(of: "dtype_f4.npy")
        assertLettersError(try NPY.read(url: file("long.npy", good + [0, 0, 0, 0])), file: "long.npy",
                           contains: "shape disagrees with data: header shape (2, 3) of <f4 needs 24 data bytes but 28 follow")
        let idx = try bytes(of: "tiny-labels-idx1-ubyte")
        assertLettersError(try IDX.read(url: file("l-labels-idx1-ubyte", idx + [1])), file: "l-labels-idx1-ubyte", contains: "needs 3 data bytes but 4 follow")
        assertLettersError(try IDX.read(url: file("s-labels-idx1-ubyte", Array(idx.dropLast()))), file: "s-labels-idx1-ubyte", contains: "truncated")
    }

    func testUnsupportedDType() throws {
        let u = try file("str.npy", npy("{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }", [UInt8](repeating: 0, count: 20)))
        assertLettersError(try NPY.read(url: u), file: "str.npy", contains: "unsupported dtype: '<U5'")
        let half = try file("half.npy", npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", [0, 0, 0, 0]))
        assertLettersError(try NPY.read(url: half), file: "half.npy", contains: "unsupported dtype")
        let structured = try file("rec.npy", npy("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0]))
        assertLettersError(try NPY.read(url: structured), file: "rec.npy", contains: "unsupported dtype")
        assertLettersError(try IDX.read(url: file("odd-idx1-ubyte", [0, 0, 0x0A, 1, 0, 0, 0, 1, 5])), file: "odd-idx1-ubyte", contains: "unsupported dtype")
        let garbage = try file("garbage.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3) ", []))
        assertLettersError(try NPY.read(url: garbage), file: "garbage.npy", contains: "bad header")
    }

    func testWrongRank() throws {
        let x = NpyArray([UInt8](repeating: 0, count: 3 * 28), shape: [3, 28])
        let url = dir.appendingPathComponent("rank.npz")
        try NPZ.write(["x": x, "y": NpyArray([1, 2, 3], shape: [3])], to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "rank.npz[x]", contains: "wrong rank: images have shape (3, 28)")
        let flat = dir.appendingPathComponent("flat.npy")
        try NPY.write(NpyArray([Float](repeating: 0, count: 60), shape: [2, 30]), to: flat)
        assertLettersError(try StripSet.load(url: flat), file: "flat.npy", contains: "expected N×30×W")
        assertLettersError(try LetterDataset.load(url: fixture("tiny-labels-idx1-ubyte")), file: "tiny-labels-idx1-ubyte", contains: "labels file")
    }

    func testLabelsOutsideRange() throws {
        let x = NpyArray([UInt8](repeating: 0, count: 2 * 784), shape: [2, 28, 28])
        let url = dir.appendingPathComponent("zero.npz")
        try NPZ.write(["x": x, "y": NpyArray([0, 5], shape: [2])], to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "zero.npz[y]", contains: "label 0 at index 0 is outside 1…26 (0-based labels?")
        try NPZ.write(["x": x, "y": NpyArray([1, 27], shape: [2])], to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "zero.npz[y]", contains: "label 27 at index 1")
        try NPZ.write(["x": x, "y": NpyArray([Double](arrayLiteral: 1, 2.5), shape: [2])], to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "zero.npz[y]", contains: "not all whole numbers")
        assertLettersError(try PredictionCSV.parse("01,02,03,04,27\n", file: "prediction.csv"), file: "prediction.csv", contains: "each pair 01…26")
        assertLettersError(try PredictionCSV.encode([[[1], [2], [3], [4], [0]]]), file: "prediction.csv", contains: "label 0")
        assertLettersError(try LabelsFile.parse("0102\n\n2799\n", file: "labels.txt"), file: "labels.txt", contains: "line 2")
    }

    func testNonFinitePixels() throws {
        var px = [Float](repeating: 0, count: 784)
        px[12] = .nan
        let url = dir.appendingPathComponent("nan.npz")
        try NPZ.write(["x": NpyArray(px, shape: [1, 784]), "y": NpyArray([3], shape: [1])], to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "nan.npz[x]", contains: "non-finite pixels: 1 NaN or infinite pixel(s), the first in image 0 at pixel 12")
        let strips = dir.appendingPathComponent("inf.npy")
        var sp = [Float](repeating: 0, count: 30 * 4)
        sp[5] = .infinity
        try NPY.write(NpyArray(sp, shape: [1, 30, 4]), to: strips)
        assertLettersError(try StripSet.load(url: strips), file: "inf.npy", contains: "non-finite pixels")
    }

    func testZipMemberDeclaringAbsurdSize() throws {
        var b = try bytes(of: "letters_stored.npz")
        let cd = centralDirectory(b)
        b.replaceSubrange((cd + 24)..<(cd + 28), with: [0xF0, 0xFF, 0xFF, 0xFF])  // ~4 GiB uncompressed
        assertLettersError(try NPZ.read(url: file("huge.npz", b)), file: "huge.npz[", contains: "size too large: member declares 4294967280 bytes")
        var d = try bytes(of: "letters_deflated.npz")
        let cd2 = centralDirectory(d)
        d.replaceSubrange((cd2 + 24)..<(cd2 + 28), with: [0x00, 0x00, 0x00, 0x7F])  // 2 GiB from a few hundred bytes
        assertLettersError(try NPZ.read(url: file("ratio.npz", d)), file: "ratio.npz[", contains: "impossible ratio")
    }

    func testZipMemberWhoseActualSizeExceedsDeclared() throws {
        var d = try bytes(of: "letters_deflated.npz")
        let cd = centralDirectory(d)
        d.replaceSubrange((cd + 24)..<(cd + 28), with: [100, 0, 0, 0])  // declares 100 bytes, holds ~2 KB
        assertLettersError(try NPZ.read(url: file("liar.npz", d)), file: "liar.npz[", contains: "inflates to more than 100 bytes")
    }

    func testDeflateStreamRunningPastItsDataDoesNotHang() throws {
        // A hand-made zip: one deflated member whose stored block claims 65535 bytes but has 10.
        let name = Array("x.npy".utf8)
        let payload: [UInt8] = [0x01, 0xFF, 0xFF, 0x00, 0x00] + [UInt8](repeating: 7, count: 10)
        func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let local = le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(8, 2) + le(0, 4) + le(0, 4)
            + le(payload.count, 4) + le(16000, 4) + le(name.count, 2) + le(0, 2) + name
        let central = le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(8, 2) + le(0, 4) + le(0, 4)
            + le(payload.count, 4) + le(16000, 4) + le(name.count, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2)
            + le(0, 4) + le(0, 4) + name
        let cdOffset = local.count + payload.count
        let end = le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(central.count, 4) + le(cdOffset, 4) + le(0, 2)
        let url = try file("stuck.npz", local + payload + central + end)
        assertLettersError(try NPZ.read(url: url), file: "stuck.npz[x.npy]", contains: "size too large")
    }

    func testCorruptAndTruncatedGzip() throws {
        let gz = try bytes(of: "tinygz-images-idx3-ubyte.gz")
        assertLettersError(try IDX.read(url: file("cut-images-idx3-ubyte.gz", Array(gz.dropLast(12)))), file: "cut-images-idx3-ubyte.gz", contains: "corrupt or truncated")
        var flipped = gz
        flipped[flipped.count - 10] ^= 0xFF
        assertLettersError(try IDX.read(url: file("crc-images-idx3-ubyte.gz", flipped)), file: "crc-images-idx3-ubyte.gz", contains: "corrupt")
    }

    func testMissingArrayAndMissingSibling() throws {
        let url = dir.appendingPathComponent("noy.npz")
        try NPZ.write(["x": NpyArray([UInt8](repeating: 0, count: 784), shape: [1, 28, 28])], to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "noy.npz", contains: "missing array: no array 'y' (it holds: x)")
        let images = try file("lonely-images-idx3-ubyte", try bytes(of: "tiny-images-idx3-ubyte"))
        assertLettersError(try LetterDataset.load(url: images), file: "lonely-images-idx3-ubyte", contains: "no labels file")
    }

    func testCountMismatchAndBadCSVRows() throws {
        let url = dir.appendingPathComponent("mismatch.npz")
        try NPZ.write(["x": NpyArray([UInt8](repeating: 0, count: 784), shape: [1, 784]), "y": NpyArray([1, 2], shape: [2])], to: url)
        assertLettersError(try LetterDataset.load(url: url), file: "mismatch.npz", contains: "1 images but 2 labels")
        assertLettersError(try PredictionCSV.parse("01,02,03,04\n", file: "p.csv"), file: "p.csv", contains: "line 1 has 4 fields")
        assertLettersError(try PredictionCSV.parse("01,02,03,04,5\n", file: "p.csv"), file: "p.csv", contains: "'5'")
        assertLettersError(try PredictionCSV.encode([[[1], [2]]], file: "p.csv"), file: "p.csv", contains: "row 1 has 2 guesses")
    }
}
