import Foundation
@testable import FileIO
import XCTest
@testable import NeuralNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an output path names decides how it is written (see `AtomicFile`): new and regular files are
/// replaced atomically keeping their mode and any symbolic link; read-only files, directories are
/// refused; devices and FIFOs are written through; a group of files is written all or none.
final class AtomicOutputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { [dir] in
            _ = chmod(dir!.appendingPathComponent("ro.txt").path, 0o644)
            try? FileManager.default.removeItem(at: dir!)
        }
    }

    func url(_ name: String) -> URL { dir.appendingPathComponent(name) }
    func text(_ name: String) -> String? { try? String(contentsOf: url(name), encoding: .utf8) }
    func mode(_ name: String) -> mode_t {
        var st = stat()
        XCTAssertEqual(lstat(url(name).path, &st), 0)
        return st.st_mode
    }
    /// Names in the folder, to see that no temporary or backup file is left behind.
    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") || $0.contains(".old-") }
    }

    func testModeOfAnExistingFileIsKept() throws {
        for m: mode_t in [0o600, 0o640, 0o755] {
            try "old".write(to: url("f.txt"), atomically: false, encoding: .utf8)
            XCTAssertEqual(chmod(url("f.txt").path, m), 0)
            try AtomicFile.write("new", to: url("f.txt"))
            XCTAssertEqual(text("f.txt"), "new")
            XCTAssertEqual(mode("f.txt") & 0o7777, m)
        }
        XCTAssertEqual(try leftovers(), [])
    }

    func testReadOnlyFilesAndDirectoriesAreRefusedUntouched() throws {
        try "old".write(to: url("ro.txt"), atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(url("ro.txt").path, 0o444), 0)
        XCTAssertThrowsError(try AtomicFile.write("new", to: url("ro.txt"))) { error in
            XCTAssertTrue("\(error)".contains("read-only"), "\(error)")
        }
        XCTAssertEqual(text("ro.txt"), "old")
        try FileManager.default.createDirectory(at: url("sub"), withIntermediateDirectories: false)
        XCTAssertThrowsError(try AtomicFile.write("new", to: url("sub"))) { XCTAssertTrue("\($0)".contains("is a directory"), "\($0)") }
        XCTAssertEqual(try leftovers(), [])
    }

    func testASymbolicLinkStaysALinkToTheNewContents() throws {
        try "old".write(to: url("target.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: url("link.txt").path, withDestinationPath: "target.txt")
        try AtomicFile.write("new", to: url("link.txt"))
        XCTAssertEqual(mode("link.txt") & S_IFMT, S_IFLNK)
        XCTAssertEqual(text("target.txt"), "new")
    }

    func testDevicesAndFIFOsAreWrittenThroughNotReplaced() throws {
        try AtomicFile.write("discarded", to: URL(fileURLWithPath: "/dev/null"))
        var st = stat()
        XCTAssertEqual(stat("/dev/null", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a device")

        let fifo = url("out.fifo")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let received = Box()
        let reader = Thread { received.data = FileHandle(forReadingAtPath: fifo.path)?.readDataToEndOfFile() ?? Data() }
        reader.start()
        try AtomicFile.write("through the pipe", to: fifo)
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        XCTAssertEqual(String(decoding: received.data, as: UTF8.self), "through the pipe")
        XCTAssertEqual(mode("out.fifo") & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
    }

    func testAGroupIsWrittenAllOrNone() throws {
        try "old a".write(to: url("a.txt"), atomically: false, encoding: .utf8)
        try "old b".write(to: url("b.txt"), atomically: false, encoding: .utf8)
        // The second rename fails: the first file is put back.
        AtomicFile.renameHook = { $0 != 1 }
        defer { AtomicFile.renameHook = nil }
        XCTAssertThrowsError(try AtomicFile.write([(Data("new a".utf8), url("a.txt")), (Data("new b".utf8), url("b.txt"))]))
        XCTAssertEqual([text("a.txt"), text("b.txt")], ["old a", "old b"])
        // A new first file is removed again.
        XCTAssertThrowsError(try AtomicFile.write([(Data("new c".utf8), url("c.txt")), (Data("new b".utf8), url("b.txt"))]))
        XCTAssertNil(text("c.txt"))
        XCTAssertEqual(try leftovers(), [])
        // A target refused up front: nothing is written at all.
        XCTAssertThrowsError(try AtomicFile.write([(Data("new a".utf8), url("a.txt")), (Data("x".utf8), dir)]))
        XCTAssertEqual(text("a.txt"), "old a")
        AtomicFile.renameHook = nil
        try AtomicFile.write([(Data("new a".utf8), url("a.txt")), (Data("new b".utf8), url("b.txt"))])
        XCTAssertEqual([text("a.txt"), text("b.txt")], ["new a", "new b"])
        XCTAssertEqual(try leftovers(), [])
    }
}
