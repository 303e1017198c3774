import Foundation
@testable import LetterFormats
import XCTest
@testable import Letters
import NeuralNet
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every writer the command-line tool uses (prediction.csv, labels, checkpoints and models, HTML
/// reports, .npy strips, .npz letters) writes atomically: when a write fails part-way, the old file is
/// intact and no temporary file is left behind; when it succeeds, the file is complete.
///
/// Writes are made to fail with a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) so that the
/// temporary file is cut short after its first bytes — this works as root too, where a read-only
/// directory does not stop anything (CI runs as root; the read-only test skips there).
final class AtomicWriteTests: XCTestCase {
    /// A writer under test: its file name and a closure writing the new contents to a URL.
    struct Writer {
        let name: String
        let write: (URL) throws -> Void
        /// Whether the bytes at a URL are the complete new contents.
        let check: (URL) throws -> Bool
    }

    /// All writers, each writing more than 4 KiB so that a 1 KiB limit cuts them short.
    var writers: [Writer] {
        let rows = (0..<100).map { i in (0..<5).map { g in [1 + (i + g) % 26, 2, 3, 4, 5] } }
        let labels = (0..<500).map { i in [1 + i % 26, 26, 1, 2, 3] }
        let checkpoint = Checkpoint(inputShape: [784], layers: [], metadata: ["note": "atomic"],
                                    tensors: [("w", [40, 50], (0..<2000).map(Float.init))])
        let npy = NpyArray((0..<3000).map { Float($0) }, shape: [3, 1000])
        let strips = try! StripSet(name: "s", count: 2, height: 30, width: 40, pixels: (0..<2400).map { Float($0 % 256) })
        let letters = ["x": NpyArray([UInt8](repeating: 7, count: 10 * 784), shape: [10, 28, 28]),
                       "y": NpyArray(Array(1...10), shape: [10])]
        let history = (1...3).map { EpochRecord(epoch: $0, trainLoss: 1, trainAccuracy: 0.5, validationLoss: 1,
                                                validationAccuracy: 0.5, learningRate: 1e-3, imagesPerSecond: 100, seconds: 1) }
        let report = TrainingReport(options: TrainingOptions(), history: history, device: "cpu", parameters: 10,
                                    data: ["letters.npz"], trainImages: 9, validationImages: 1)
        return [
            Writer(name: "prediction.csv", write: { try writePrediction(rows, to: $0) },
                   check: { try PredictionCSV.read(url: $0) == rows }),
            Writer(name: "labels.csv", write: { try LabelsFile.write(labels, to: $0) },
                   check: { try LabelsFile.read(url: $0) == labels }),
            Writer(name: "model.lnet", write: { try checkpoint.write(to: $0) },
                   check: { try Checkpoint.read(from: $0).tensor(named: "w")?.values == checkpoint.tensors[0].values }),
            Writer(name: "report.html", write: { try report.write(to: $0) },
                   check: { try String(contentsOf: $0, encoding: .utf8).hasSuffix("</html>\n") }),
            Writer(name: "array.npy", write: { try NPY.write(npy, to: $0) },
                   check: { try NPY.read(url: $0).bytes == npy.bytes }),
            Writer(name: "strips.npy", write: { try strips.write(to: $0) },
                   check: { try StripSet.load(url: $0).pixels == strips.pixels }),
            Writer(name: "letters.npz", write: { try NPZ.write(letters, to: $0, compressed: false) },
                   check: { try NPZ.read(url: $0)["x"]?.bytes == letters["x"]!.bytes }),
        ]
    }

    /// Runs `body` with writes to regular files capped at `bytes` (they fail with EFBIG beyond it).
    func withFileSizeLimit<T>(_ bytes: Int, _ body: () throws -> T) rethrows -> T {
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        #else
        let resource = RLIMIT_FSIZE
        #endif
        var saved = rlimit()
        getrlimit(resource, &saved)
        var limited = saved
        limited.rlim_cur = rlim_t(bytes)
        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        setrlimit(resource, &limited)
        defer {
            setrlimit(resource, &saved)
            signal(SIGXFSZ, oldHandler)
        }
        return try body()
    }

    func contents(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    func testAWriteCutShortLeavesTheOldFileAndNoTemporaryFile() throws {
        let dir = try temporaryDirectory(self)
        for w in writers {
            let url = dir.appendingPathComponent(w.name)
            let old = Data("old \(w.name), still here\n".utf8)
            try old.write(to: url)
            let before = contents(dir)
            var failure: Error?
            withFileSizeLimit(1024) {
                do { try w.write(url) } catch { failure = error }
            }
            let error = try XCTUnwrap(failure, "\(w.name): a write past the size limit must fail")
            let message = String(describing: error)
            XCTAssertTrue(message.contains(w.name), "\(w.name): the error names the file: \(message)")
            XCTAssertTrue(message.contains("too large") || message.contains("File too large"), "\(w.name): \(message)")
            XCTAssertEqual(try Data(contentsOf: url), old, "\(w.name): the old file is intact")
            XCTAssertEqual(contents(dir), before, "\(w.name): no temporary file is left behind")

            // Without the limit the same write replaces the old file completely.
            try w.write(url)
            XCTAssertTrue(try w.check(url), "\(w.name): the new file is complete")
            XCTAssertEqual(contents(dir), before, "\(w.name): no temporary file is left behind")
        }
    }

    func testAFailedRenameLeavesNoTemporaryFile() throws {
        // The destination is a non-empty directory: the temporary file is written, the rename fails.
        let dir = try temporaryDirectory(self)
        for w in writers {
            let url = dir.appendingPathComponent(w.name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            try Data("keep".utf8).write(to: url.appendingPathComponent("inside"))
            let before = contents(dir)
            XCTAssertThrowsError(try w.write(url), w.name) { error in
                XCTAssertTrue(String(describing: error).contains(w.name), "\(w.name): \(error)")
            }
            XCTAssertEqual(contents(dir), before, "\(w.name): no temporary file is left behind")
            XCTAssertEqual(try Data(contentsOf: url.appendingPathComponent("inside")), Data("keep".utf8))
        }
    }

    func testAMissingDirectoryFailsCleanly() throws {
        let dir = try temporaryDirectory(self)
        for w in writers {
            let url = dir.appendingPathComponent("no-such-folder").appendingPathComponent(w.name)
            XCTAssertThrowsError(try w.write(url), w.name) { error in
                XCTAssertTrue(String(describing: error).contains(w.name), "\(w.name): \(error)")
            }
        }
        XCTAssertEqual(contents(dir), [])
    }

    func testAReadOnlyDirectoryFailsCleanly() throws {
        try XCTSkipIf(geteuid() == 0, "root writes into read-only directories; the size-limit test covers root")
        let dir = try temporaryDirectory(self)
        let folder = dir.appendingPathComponent("read-only")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        for w in writers {
            try Data("old".utf8).write(to: folder.appendingPathComponent(w.name))
        }
        chmod(folder.path, 0o555)
        defer { chmod(folder.path, 0o755) }
        let before = contents(folder)
        for w in writers {
            let url = folder.appendingPathComponent(w.name)
            XCTAssertThrowsError(try w.write(url), w.name) { error in
                XCTAssertTrue(String(describing: error).contains(w.name), "\(w.name): \(error)")
            }
            XCTAssertEqual(try Data(contentsOf: url), Data("old".utf8), "\(w.name): the old file is intact")
        }
        XCTAssertEqual(contents(folder), before, "no temporary file is left behind")
    }
}
