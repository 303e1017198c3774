import Foundation
@testable import LetterFormats
import XCTest
@testable import Letters

/// A `.npy` of strips read a few strips at a time gives the strips, notes and errors of loading it whole.
final class ChunkedStripsTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try temporaryDirectory(self) }

    /// 10 strips of 30×12: values from a seeded generator, in 0…`top`.
    func values(top: Double, seed: UInt64 = 1) -> [Double] {
        var state = seed
        return (0..<(10 * 30 * 12)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 40) / Double(1 << 24) * top
        }
    }

    func write(_ array: NpyArray, _ name: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try NPY.write(array, to: url)
        return url
    }

    /// The file read in chunks of `size` strips (every chunk, and `all()`), against `StripSet.load`.
    func assertSameAsWhole(_ url: URL, size: Int = 3, line: UInt = #line) throws {
        let whole = try StripSet.load(url: url)
        let chunked = try XCTUnwrap(try ChunkedStrips.open(url: url, chunkSize: size), line: line)
        XCTAssertEqual([chunked.count, chunked.height, chunked.width], [whole.count, whole.height, whole.width], line: line)
        XCTAssertEqual(chunked.chunkCount, (whole.count + size - 1) / size, line: line)
        XCTAssertEqual(chunked.notes, whole.notes, line: line)
        var pixels = [Float]()
        for c in 0..<chunked.chunkCount {
            let chunk = try chunked.chunk(c)
            XCTAssertEqual(chunk.count, chunked.range(ofChunk: c).count, line: line)
            pixels += chunk.pixels
        }
        XCTAssertEqual(pixels, whole.pixels, line: line)
        XCTAssertEqual(try chunked.all().pixels, whole.pixels, line: line)
        XCTAssertEqual(try chunked.all().notes, whole.notes, line: line)
        XCTAssertEqual(try chunked.strips(4..<7).pixels, Array(whole.pixels[(4 * 360)..<(7 * 360)]), line: line)
    }

    func testEveryDTypeReadsAsWhole() throws {
        let v = values(top: 300)
        try assertSameAsWhole(write(NpyArray(v.map { Float($0) }, shape: [10, 30, 12]), "f4.npy"))
        try assertSameAsWhole(write(NpyArray(v, shape: [10, 30, 12]), "f8.npy"))
        try assertSameAsWhole(write(NpyArray(v.map { UInt8(min(255, $0)) }, shape: [10, 30, 12]), "u1.npy"))
        try assertSameAsWhole(write(NpyArray(v.map { Int($0) - 100 }, shape: [10, 30, 12]), "i8.npy"))
        // Big-endian float64: the little-endian file with its data bytes swapped and its descriptor '>f8'.
        let little = NpyArray(v, shape: [10, 30, 12])
        var bytes = [UInt8](NPY.encode(little))
        let offset = try NPY.readHeader(bytes: bytes, name: "big.npy").dataOffset
        for i in stride(from: offset, to: bytes.count, by: 8) { bytes[i..<(i + 8)].reverse() }
        let descr = Array("'<f8'".utf8), at = (0..<offset).first { Array(bytes[$0..<($0 + 5)]) == descr }!
        bytes[at + 1] = UInt8(ascii: ">")
        let url = dir.appendingPathComponent("big.npy")
        try Data(bytes).write(to: url)
        XCTAssertEqual(try StripSet.load(url: url).pixels, try StripSet.load(url: write(little, "little.npy")).pixels)
        try assertSameAsWhole(url)
        // One chunk, and chunks of one strip.
        try assertSameAsWhole(write(NpyArray(v, shape: [10, 30, 12]), "f8.npy"), size: 64)
        try assertSameAsWhole(write(NpyArray(v, shape: [10, 30, 12]), "f8.npy"), size: 1)
    }

    /// The 0…1 scale is decided over the whole file: a value above 2 in the last chunk alone keeps it 0…255.
    func testUnitScaleIsDecidedOverTheWholeFile() throws {
        var v = values(top: 1)
        let unit = try write(NpyArray(v, shape: [10, 30, 12]), "unit.npy")
        try assertSameAsWhole(unit)
        XCTAssertEqual(try ChunkedStrips.open(url: unit, chunkSize: 3)?.notes.count, 1)
        XCTAssertTrue(try XCTUnwrap(ChunkedStrips.open(url: unit, chunkSize: 3)).notes[0].contains("multiplied by 255"))
        v[v.count - 1] = 200
        let mixed = try write(NpyArray(v, shape: [10, 30, 12]), "mixed.npy")
        try assertSameAsWhole(mixed)
        XCTAssertEqual(try ChunkedStrips.open(url: mixed, chunkSize: 3)?.notes, [])
        XCTAssertEqual(try ChunkedStrips.open(url: mixed, chunkSize: 3)?.chunk(0).pixels.max().map { $0 <= 1 }, true)
    }

    /// Opening throws what loading whole throws.
    func assertSameError(_ url: URL, _ phrase: String, line: UInt = #line) {
        var whole: LettersError?, chunked: LettersError?
        do { _ = try StripSet.load(url: url) } catch { whole = error as? LettersError }
        do { _ = try ChunkedStrips.open(url: url, chunkSize: 3) } catch { chunked = error as? LettersError }
        XCTAssertNotNil(whole, line: line)
        XCTAssertEqual(chunked, whole, line: line)
        XCTAssertTrue(whole?.description.contains(phrase) ?? false, "\(String(describing: whole))", line: line)
    }

    func testBadFilesGiveTheWholeFileErrors() throws {
        var v = values(top: 255)
        v[9 * 360 + 5 * 12 + 7] = .nan  // strip 9 (the last chunk), row 5, column 7
        v[9 * 360 + 6 * 12] = .infinity
        assertSameError(try write(NpyArray(v, shape: [10, 30, 12]), "nan64.npy"), "2 NaN or infinite pixel(s), the first in strip 9 at row 5, column 7")
        assertSameError(try write(NpyArray(v.map { Float($0) }, shape: [10, 30, 12]), "nan32.npy"), "the first in strip 9 at row 5, column 7")
        v = values(top: 255)
        v[8 * 360 + 1] = 1e300
        assertSameError(try write(NpyArray(v, shape: [10, 30, 12]), "huge.npy"), "in strip 8 at row 0, column 1 is beyond the float32 range")
        assertSameError(try write(NpyArray(v.map { Float($0) }, shape: [300, 12]), "flat.npy"), "expected N×30×W")

        // Cut short or too long: refused when opened, before any strip is read.
        let good = [UInt8](NPY.encode(NpyArray(values(top: 255).map { Float($0) }, shape: [10, 30, 12])))
        let cut = dir.appendingPathComponent("cut.npy")
        try Data(good.dropLast(100)).write(to: cut)
        assertSameError(cut, "needs 14400 data bytes but only 14300 follow the header")
        let long = dir.appendingPathComponent("long.npy")
        try Data(good + [0, 0, 0, 0]).write(to: long)
        assertSameError(long, "but 14404 follow the header")
        let tiny = dir.appendingPathComponent("tiny.npy")
        try Data(good.prefix(40)).write(to: tiny)
        assertSameError(tiny, "truncated")
        let text = dir.appendingPathComponent("text.npy")
        try Data("not an array at all\n".utf8).write(to: text)
        assertSameError(text, "not an .npy file")
    }

    /// Fortran order, missing files and folders are left to the whole-file loader (nil).
    func testWhatCannotBeReadInChunksIsLeftToTheWholeFileLoader() throws {
        let v = values(top: 255).map { Float($0) }
        var bytes = [UInt8](NPY.encode(NpyArray(v, shape: [10, 30, 12])))
        let header = try NPY.readHeader(bytes: bytes, name: "f.npy")
        let fortran = Array("False".utf8), at = (0..<header.dataOffset).first { Array(bytes[$0..<($0 + 5)]) == fortran }!
        bytes.replaceSubrange(at..<(at + 5), with: Array("True ".utf8))
        let url = dir.appendingPathComponent("fortran.npy")
        try Data(bytes).write(to: url)
        XCTAssertTrue(try NPY.readHeader(bytes: bytes, name: "f.npy").fortranOrder)
        XCTAssertNil(try ChunkedStrips.open(url: url))
        XCTAssertNil(try ChunkedStrips.open(url: dir.appendingPathComponent("missing.npy")))
        XCTAssertNil(try ChunkedStrips.open(url: dir))
        XCTAssertNil(chunked(try InputStrips.load(url: url, chunkSize: 3)))
        XCTAssertEqual(chunked(try InputStrips.load(url: try write(NpyArray(v, shape: [10, 30, 12]), "c.npy"), chunkSize: 3))?.chunkCount, 4)
    }

    /// Chunked input gives its strips run by run in input order; `padded()` reads it whole.
    func testInputStripsRunsInOrder() throws {
        let url = try write(NpyArray(values(top: 255).map { Float($0) }, shape: [10, 30, 12]), "s.npy")
        let input = try InputStrips.load(url: url, chunkSize: 4)
        XCTAssertEqual(input.count, 10)
        XCTAssertEqual(input.widths, [12])
        var places = [Int](), pixels = [Float]()
        try input.forEachRun { group, set, at in
            XCTAssertEqual(group, 0)
            places += at; pixels += set.pixels
        }
        XCTAssertEqual(places, Array(0..<10))
        XCTAssertEqual(pixels, try StripSet.load(url: url).pixels)
        XCTAssertEqual(try input.padded().pixels, pixels)
        XCTAssertEqual(try input.sample()?.count, 4)
    }

    /// `predict`'s input tells images from `.npy` files as the file-kind registry does: by the first
    /// bytes, else by the name; whatever is not an image is read as a `.npy`, with its errors.
    func testImagesAndNpyFilesAreToldApartByTheRegistry() throws {
        let npy = NpyArray(values(top: 255).map { Float($0) }, shape: [10, 30, 12])
        let png = try PNGFile.encode(GrayImage(width: 12, height: 30, pixels: [UInt8](repeating: 0, count: 360)))
        let misnamedNpy = try write(npy, "strips.png"), unnamedPNG = dir.appendingPathComponent("strip")
        try Data(png).write(to: unnamedPNG)
        XCTAssertEqual(InputStrips.kind(of: misnamedNpy), .npy)
        XCTAssertEqual(chunked(try InputStrips.load(url: misnamedNpy, chunkSize: 4))?.count, 10)
        XCTAssertEqual(InputStrips.kind(of: unnamedPNG), .image)
        let image = try InputStrips.load(url: unnamedPNG, chunkSize: 4)
        guard case .images(let images) = image else { return XCTFail("an image is read as one") }
        XCTAssertEqual([image.count, images.files.count], [1, 1])
        XCTAssertEqual(image.firstFile(ofGroup: 0), displayName(unnamedPNG))
        XCTAssertEqual(image.widths, [12])

        let broken = dir.appendingPathComponent("broken.PNG"), text = dir.appendingPathComponent("notes.txt")
        try Data([1, 2, 3]).write(to: broken)
        try Data("0102030405,0102030406\n0304050607,0304050608\n".utf8).write(to: text)
        XCTAssertEqual(InputStrips.kind(of: broken), .image, "by its name, as its bytes say nothing")
        assertLettersError(try InputStrips.load(url: broken), file: "broken.PNG", contains: "neither a PNG nor a JPEG")
        assertLettersError(try InputStrips.load(url: text, chunkSize: 4), file: "notes.txt", contains: "not an .npy file")
        assertLettersError(try InputStrips.load(url: dir.appendingPathComponent("missing.png")), file: "missing.png",
                           contains: "no such file")

        // A folder is searched by name: the misnamed .npy is taken (and refused), the unnamed PNG is not.
        XCTAssertEqual(try ImageStrips.imageFiles(in: dir).map(\.lastPathComponent), ["broken.PNG", "strips.png"])
    }

    /// The chunked file `input` reads, if it reads one.
    func chunked(_ input: InputStrips) -> ChunkedStrips? {
        if case .chunked(let c) = input { return c }
        return nil
    }
}
