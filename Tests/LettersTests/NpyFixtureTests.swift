@testable import LetterFormats
import XCTest
@testable import Letters

/// Files written by numpy load with the right shape, dtype and values.
final class NpyFixtureTests: XCTestCase {
    func testEveryDTypeLittleEndian() throws {
        for code in ["u1", "u2", "u4", "u8", "i1", "i2", "i4", "i8", "f4", "f8"] {
            let a = try NPY.read(url: fixture("dtype_\(code).npy"))
            XCTAssertEqual(a.shape, [2, 3], code)
            XCTAssertEqual(a.dtype, NpyDType(descr: "<\(code)"), code)
            let shift: Double = code.hasPrefix("u") ? 0 : -3
            let expected = (0..<6).map { Double($0) + shift + (code.hasPrefix("f") ? 0.5 : 0) }
            XCTAssertEqual(a.doubles(), expected, code)
            XCTAssertEqual(a.floats(), expected.map(Float.init), code)
            if !code.hasPrefix("f") { XCTAssertEqual(a.ints(), expected.map { Int($0) }, code) }
            else { XCTAssertNil(a.ints(), "fractional floats are not ints") }
        }
        let b = try NPY.read(url: fixture("dtype_b1.npy"))
        XCTAssertEqual(b.dtype, .bool)
        XCTAssertEqual(b.ints(), [1, 0, 1, 0, 0, 1])
    }

    func testBigEndian() throws {
        let f = try NPY.read(url: fixture("big_endian_f8.npy"))
        XCTAssertEqual(f.shape, [2, 2, 2])
        XCTAssertEqual(f.sourceDescr, ">f8")
        XCTAssertEqual(f.doubles(), (0..<8).map { Double($0) * 1.25 - 2 })
        XCTAssertEqual(try NPY.read(url: fixture("big_endian_i4.npy")).ints(), (0..<8).map { $0 * 1000 - 3000 })
        XCTAssertEqual(try NPY.read(url: fixture("big_endian_u2.npy")).ints(), [1, 256, 65535])
    }

    func testVersion2And3Headers() throws {
        let v2 = try NPY.read(url: fixture("version2_f4.npy"))
        XCTAssertEqual(v2.floats(), [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5])
        let v3 = try NPY.read(url: fixture("version3_i2.npy"))
        XCTAssertEqual(v3.ints(), [-3, -2, -1, 0, 1, 2])
        let header = try NPY.readHeader(bytes: [UInt8](Data(contentsOf: fixture("version2_f4.npy"))), name: "v2")
        XCTAssertEqual(header.version.major, 2)
    }

    func testFortranOrderIsReorderedToC() throws {
        let a = try NPY.read(url: fixture("fortran_f4.npy"))
        XCTAssertEqual(a.shape, [2, 3])
        XCTAssertEqual(a.floats(), [0, 1, 2, 3, 4, 5])
    }

    func testScalarEmptyAndRank4() throws {
        let s = try NPY.read(url: fixture("scalar_f8.npy"))
        XCTAssertEqual(s.shape, [])
        XCTAssertEqual(s.doubles(), [3.5])
        let e = try NPY.read(url: fixture("empty_f4.npy"))
        XCTAssertEqual(e.shape, [0, 3])
        XCTAssertEqual(e.count, 0)
        let r4 = try NPY.read(url: fixture("rank4_u1.npy"))
        XCTAssertEqual(r4.shape, [1, 2, 3, 4])
        XCTAssertEqual(r4.ints(), Array(0..<24))
    }

    func testNpzStoredAndDeflatedAgree() throws {
        let stored = try NPZ.read(url: fixture("letters_stored.npz"))
        let deflated = try NPZ.read(url: fixture("letters_deflated.npz"))
        XCTAssertEqual(Set(stored.keys), ["x", "y"])
        XCTAssertEqual(stored, deflated)
        XCTAssertEqual(stored["x"]?.shape, [3, 28, 28])
        XCTAssertEqual(stored["y"]?.ints(), [12, 1, 26])
        let listing = try NPZ.list(url: fixture("letters_deflated.npz"))
        XCTAssertEqual(listing.map(\.name).sorted(), ["x", "y"])
        XCTAssertTrue(listing.allSatisfy(\.compressed))
        XCTAssertFalse(try NPZ.list(url: fixture("letters_stored.npz")).contains(where: \.compressed))
    }

    func testStringArraysAreListedButNotDecoded() throws {
        let listing = try NPZ.list(url: fixture("letters_with_strings.npz"))
        let writer = try XCTUnwrap(listing.first { $0.name == "writer" })
        XCTAssertEqual(writer.header?.descr, "<U2")
        XCTAssertNil(writer.header?.dtype)
        assertLettersError(try NPZ.read(url: fixture("letters_with_strings.npz")),
                           file: "letters_with_strings.npz[writer.npy]", contains: "unsupported dtype")
        XCTAssertEqual(try LetterDataset.load(url: fixture("letters_with_strings.npz")).count, 3)
    }

    func testIdxPlainAndGzip() throws {
        for prefix in ["tiny", "tinygz"] {
            let ext = prefix == "tinygz" ? ".gz" : ""
            let raw = try IDX.read(url: fixture("\(prefix)-images-idx3-ubyte\(ext)"))
            XCTAssertEqual(raw.shape, [3, 28, 28])
            let data = try LetterDataset.load(url: fixture("\(prefix)-images-idx3-ubyte\(ext)"))
            XCTAssertEqual(data.labels, [12, 1, 26])
            // Upright 'L': stem at rows 4..23, columns 8..10; foot at rows 21..23 to column 18.
            let img = data.image(at: 0)
            XCTAssertEqual(img[img.startIndex + 10 * 28 + 9], 255)
            XCTAssertEqual(img[img.startIndex + 22 * 28 + 16], 200)
            XCTAssertEqual(img[img.startIndex + 9 * 28 + 16], 0)
            let fromNpz = try LetterDataset.load(url: fixture("letters_stored.npz"))
            XCTAssertEqual(data.images, fromNpz.images, "idx images are turned upright")
        }
    }

    func testDatasetFromFlatFloat32() throws {
        let flat = try LetterDataset.load(url: fixture("letters_flat_f4.npz"))
        let cube = try LetterDataset.load(url: fixture("letters_deflated.npz"))
        XCTAssertEqual(flat.images, cube.images)
        XCTAssertEqual(flat.labels, cube.labels)
        XCTAssertEqual(flat.classIndices, [11, 0, 25])
    }

    func testStripsAllowValuesAbove255() throws {
        let strips = try StripSet.load(url: fixture("strips_u2.npy"))
        XCTAssertEqual([strips.count, strips.height, strips.width], [2, 30, 40])
        XCTAssertEqual(strips.pixels.max(), 300)
        XCTAssertEqual(strips.strip(at: 1)[strips.strip(at: 1).startIndex + 15 * 40 + 20], 17)
    }
}
