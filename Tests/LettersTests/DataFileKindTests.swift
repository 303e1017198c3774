import Foundation
@testable import LetterFormats
import NeuralNet
import XCTest
@testable import Letters

/// The format registry: which kind a file is (first bytes, else name, else text content), and that
/// dataset loading follows it.
final class DataFileKindTests: XCTestCase {
    func kind(_ name: String, _ bytes: [UInt8]) -> DataFileKind? { DataFileKind.of(name: name, bytes: bytes) }

    func testFirstBytesDecideBeforeTheName() {
        XCTAssertEqual(kind("x.npz", NPY.magic + [1, 0]), .npy)
        XCTAssertEqual(kind("x.npy", [0x50, 0x4B, 3, 4, 0]), .npz)
        XCTAssertEqual(kind("empty.bin", [0x50, 0x4B, 5, 6] + [UInt8](repeating: 0, count: 18)), .npz)
        XCTAssertEqual(kind("x.csv", Checkpoint.magic + [0, 0]), .model)
        XCTAssertEqual(kind("letters.gz", [0x1F, 0x8B, 8, 0]), .idx)
        XCTAssertEqual(kind("photo.jpg", PNGFile.signature), .image)
        XCTAssertEqual(kind("scan", [0xFF, 0xD8, 0xFF, 0xE0]), .image)
    }

    func testTheNameDecidesWhereTheBytesDoNot() {
        XCTAssertEqual(kind("x.npy", Array("hello".utf8)), .npy)
        XCTAssertEqual(kind("X.NPZ", []), .npz)
        XCTAssertEqual(kind("m.lnet", [1, 2, 3]), .model)
        XCTAssertEqual(kind("run.ckpt", []), .model)
        XCTAssertEqual(kind("emnist-letters-train-images-idx3-ubyte", [0, 0, 8, 3]), .idx)
        XCTAssertEqual(kind("strip.PNG", Array("text".utf8)), .image)
    }

    func testTextIsToldApartByItsFirstLine() {
        XCTAssertEqual(kind("prediction.csv", Array("\n  \n0102,0304,05,06,07\n".utf8)), .predictionCSV)
        XCTAssertEqual(kind("labels.csv", Array("2118161513\nURPOM\n".utf8)), .labels)
        XCTAssertEqual(kind("empty", []), .labels)
        XCTAssertNil(kind("blob", [0x41, 0, 0x42]))
        XCTAssertNil(kind("latin1", [0x41, 0xE9, 0x42]))
    }

    /// The registry's model signature is the checkpoint format's own (kept in two targets).
    func testModelSignatureIsTheCheckpointMagic() {
        XCTAssertEqual(DataFileKind.modelMagic, Checkpoint.magic)
    }

    func testReadersRefuseAnotherKind() throws {
        let file = DataFile(name: "labels.txt", bytes: Array("0102\n".utf8))
        XCTAssertEqual(file.kind, .labels)
        assertLettersError(try file.array(), file: "labels.txt", contains: "not an array file (.npy or idx); it reads as labels")
        assertLettersError(try file.arrays(), file: "labels.txt", contains: "not an .npz archive")
        assertLettersError(try file.image(), file: "labels.txt", contains: "not a PNG or JPEG image")
        XCTAssertEqual(try file.text(), "0102\n")
    }

    /// Loading asks the registry: an archive loads whatever its name, a .npy named .npz does not.
    func testLoadingFollowsTheRegistry() throws {
        let dir = try temporaryDirectory(self)
        let x = NpyArray([Float](repeating: 0, count: 2 * 784), shape: [2, 28, 28]), y = NpyArray([1, 26], shape: [2])
        let archive = dir.appendingPathComponent("letters.bin")
        try NPZ.write(["x": x, "y": y], to: archive)
        let data = try LetterDataset.load(url: archive)
        XCTAssertEqual(data.labels, [1, 26])
        XCTAssertEqual(data.count, 2)

        let disguised = dir.appendingPathComponent("disguised.npz")
        try NPY.write(x, to: disguised)
        XCTAssertEqual(try DataFile.read(disguised).kind, .npy)
        assertLettersError(try LetterDataset.load(url: disguised), file: "disguised.npz", contains: "not a dataset file")
    }
}
