import Foundation
import LetterFormats
import XCTest
import Letters

/// Runs the built `letternet` binary: `inspect` succeeds on good files and exits 2 with
/// `error: <file>: <problem>` on stderr for each kind of bad input.
final class InspectCLITests: CLITestCase {
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func assertExit2(_ path: String, _ phrase: String, line: UInt = #line) throws {
        let r = try run(["inspect", path])
        XCTAssertEqual(r.status, 2, "stdout: \(r.stdout) stderr: \(r.stderr)", line: line)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on stderr: \(r.stderr)", line: line)
        XCTAssertTrue(r.stderr.hasPrefix("error: \(path)"), "names the file: \(r.stderr)", line: line)
        XCTAssertTrue(r.stderr.contains(phrase), "mentions '\(phrase)': \(r.stderr)", line: line)
    }

    func testGoodFilesExitZero() throws {
        let url = dir.appendingPathComponent("good.npz")
        let x = NpyArray([UInt8](repeating: 9, count: 2 * 784), shape: [2, 28, 28])
        try NPZ.write(["x": x, "y": NpyArray([1, 26], shape: [2])], to: url, compressed: true)
        let r = try run(["inspect", url.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("x: shape (2, 28, 28), dtype |u1 (deflated), values 9…9"), r.stdout)
        XCTAssertTrue(r.stdout.contains("A=1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Z=1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("letters dataset: 2 images"), r.stdout)
    }

    func testBadInputsExitTwo() throws {
        let good = [UInt8](NPY.encode(NpyArray([Float](repeating: 1, count: 6), shape: [2, 3])))
        try assertExit2(dir.appendingPathComponent("missing.npy").path, "no such file")
        try assertExit2(try write("cut.npy", Array(good.dropLast(4))), "truncated file")
        try assertExit2(try write("magic.npy", Array("not numpy at all".utf8)), "wrong magic")
        try assertExit2(try write("long.npy", good + [0, 0, 0, 0]), "shape disagrees with data")
        let header = Array("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }\n".utf8)
        try assertExit2(try write("str.npy", Array(good.prefix(8)) + [UInt8(header.count), 0] + header + [UInt8](repeating: 0, count: 12)), "unsupported dtype")
        try assertExit2(try write("zip.npz", Array("PK nope".utf8)), "not a zip archive")
        try assertExit2(try write("x-labels-idx1-ubyte.gz", [1, 2, 3]), "not gzip")

        let x = NpyArray([Float](repeating: 0, count: 784), shape: [1, 28, 28])
        let rank = dir.appendingPathComponent("rank.npz")
        try NPZ.write(["x": NpyArray([Float](repeating: 0, count: 784), shape: [28, 28]), "y": NpyArray([1], shape: [1])], to: rank)
        try assertExit2(rank.path, "wrong rank")
        let labels = dir.appendingPathComponent("labels.npz")
        try NPZ.write(["x": x, "y": NpyArray([27], shape: [1])], to: labels)
        try assertExit2(labels.path, "label out of range")
        var nanPixels = [Float](repeating: 0, count: 784)
        nanPixels[3] = .nan
        let nan = dir.appendingPathComponent("nan.npz")
        try NPZ.write(["x": NpyArray(nanPixels, shape: [1, 28, 28]), "y": NpyArray([1], shape: [1])], to: nan)
        try assertExit2(nan.path, "non-finite pixels")
        let noY = dir.appendingPathComponent("noy.npz")
        try NPZ.write(["x": x, "z": NpyArray([1], shape: [1])], to: noY)
        try assertExit2(noY.path, "missing array")

        // A zip member declaring ~4 GiB: patch the central directory's uncompressed size.
        var zip = [UInt8](try Data(contentsOf: labels))
        let cd = (0..<(zip.count - 4)).first { zip[$0] == 0x50 && zip[$0 + 1] == 0x4B && zip[$0 + 2] == 1 && zip[$0 + 3] == 2 }!
        zip.replaceSubrange((cd + 24)..<(cd + 28), with: [0xF0, 0xFF, 0xFF, 0xFF])
        try assertExit2(try write("huge.npz", zip), "size too large")
        try assertExit2(try write("prediction.csv", Array("01,02\n".utf8)), "has 2 fields")
    }

    /// The format registry's kinds beyond arrays: an image by its signature whatever its name, a
    /// name that promises an image the bytes do not keep, and bytes of no kind.
    func testImagesAndFilesOfNoKnownKind() throws {
        let png = try PNGFile.encode(GrayImage(width: 3, height: 2, pixels: [0, 50, 100, 150, 200, 250]))
        let r = try run(["inspect", try write("scan.dat", png)])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("scan.dat: PNG image, 3×2 pixels"), r.stdout)
        try assertExit2(try write("photo.png", Array("no picture".utf8)), "wrong magic: neither a PNG nor a JPEG file")
        try assertExit2(try write("blob.bin", [0x41, 0, 0x42, 0xFF]), "not a file inspect knows")
    }
}
