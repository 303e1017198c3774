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
}
