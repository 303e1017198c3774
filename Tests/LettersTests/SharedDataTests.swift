@testable import LetterFormats
import XCTest
@testable import Letters

/// The real files in `<repo>/../shared/data` load with the shapes their SOURCE.md states.
/// Skipped where that folder is absent.
final class SharedDataTests: XCTestCase {
    static let dataRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    private func shared(_ path: String) throws -> URL {
        let url = Self.dataRoot.appendingPathComponent(path)
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path), "\(url.path) is absent")
        return url
    }

    func testEmnistTrainSample() throws {
        let url = try shared("emnist-letters/emnist-letters-train-sample8879-upright.npz")
        let arrays = try NPZ.read(url: url)
        XCTAssertEqual(arrays["x"]?.shape, [8879, 28, 28])
        XCTAssertEqual(arrays["x"]?.dtype, .uint8)
        XCTAssertEqual(arrays["y"]?.shape, [8879])
        XCTAssertEqual(arrays["y"]?.dtype, .int64)
        XCTAssertEqual(arrays["idx"]?.shape, [8879])
        let data = try LetterDataset.fromArrays(x: arrays["x"]!, y: arrays["y"]!, name: url.lastPathComponent)
        XCTAssertEqual(data.count, 8879)
        XCTAssertEqual(data.labels.filter { $0 == 1 }.count, 324, "SOURCE.md: 324 a's")
        XCTAssertEqual(OrientationHint(images: data.images, count: data.count).verdict, .upright)
        XCTAssertEqual(OrientationHint(images: data.transposed().images, count: data.count).verdict, .transposed)
    }

    func testEmnistTestDev() throws {
        let data = try LetterDataset.load(url: shared("emnist-letters/emnist-letters-test-dev-upright.npz"))
        XCTAssertEqual(data.count, 5000)
        XCTAssertEqual(data.labels.filter { $0 == 13 }.count, 200)
        XCTAssertEqual(data.labels.filter { $0 > 13 }.count, 0)
    }

    func testFemnistLettersWithStringArrays() throws {
        let url = try shared("femnist-leaf-letters/femnist-leaf-letters.npz")
        let listing = try NPZ.list(url: url)
        XCTAssertEqual(Set(listing.map(\.name)), ["x", "y", "x_raw", "y62", "case", "writer", "src_repo"])
        XCTAssertEqual(listing.first { $0.name == "writer" }?.header?.dtype, nil, "string array listed, not decoded")
        let data = try LetterDataset.load(url: url)
        XCTAssertEqual(data.count, 21066)
    }

    func testKaggleAZ() throws {
        let url = try shared("az-handwritten-sample/az-handwritten-sample.npz")
        let arrays = try NPZ.read(url: url)
        XCTAssertEqual(arrays["x"]?.shape, [5881, 28, 28])
        XCTAssertEqual(arrays["src"]?.shape, [5881])
        XCTAssertEqual(try LetterDataset.load(url: url).labels.filter { $0 == 15 }.count, 1091)
    }

    func testEmnistLabelIdxFiles() throws {
        let train = try IDX.read(url: shared("emnist-letters/emnist-letters-train-labels-idx1-ubyte.gz"))
        XCTAssertEqual(train.shape, [124_800])
        XCTAssertEqual(train.ints()?.filter { $0 == 26 }.count, 4800)
        let test = try IDX.read(url: shared("emnist-letters/emnist-letters-test-labels-idx1-ubyte.gz"))
        XCTAssertEqual(test.shape, [20_800])
        XCTAssertEqual(test.ints()?.prefix(800).allSatisfy { $0 == 1 }, true, "sorted by class")
    }
}
