import Foundation
import XCTest

/// Base class of the CLI tests: runs the built `letternet` binary in a fresh temporary folder.
class CLITestCase: XCTestCase {
    struct Result { let status: Int32; let stdout: String; let stderr: String }

    /// The `letternet` executable next to the test bundle in the build folder.
    static var binary: URL? {
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return candidates.map { $0.appendingPathComponent("letternet") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Runs `letternet arguments…` and waits for it; `environment` entries are added to the child's;
    /// `stdin` is a file whose bytes the child reads from a pipe on its standard input.
    func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Result {
        let exe = try XCTUnwrap(Self.binary, "letternet binary not found beside the test bundle")
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        if stdin != nil { process.standardInput = input }
        try process.run()
        if let stdin {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: stdin))
            DispatchQueue.global().async { input.fileHandleForWriting.write(bytes); try? input.fileHandleForWriting.close() }
        }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// A temporary folder of this test, removed afterwards.
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("letternet-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { [dir] in try? FileManager.default.removeItem(at: dir!) }
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}
