import Foundation
import XCTest

/// The OpenCL device and kernel files, for the CLI tests that need them.
extension CLITestCase {
    /// The checkout's Kernels/ folder.
    static let kernels = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Kernels")

    /// Whether this machine has an OpenCL device (the kernel tests need one to build on).
    func hasOpenCLDevice() throws -> Bool {
        let r = try run(["devices"])
        return r.status == 0 && r.stdout.contains("opencl:0")
    }

    /// A copy of Kernels/ in the test's folder with `file` changed by `edit` (for LETTERNET_KERNELS).
    func kernelsCopy(editing file: String, _ edit: (String) -> String) throws -> URL {
        let copy = dir.appendingPathComponent("Kernels")
        try FileManager.default.copyItem(at: Self.kernels, to: copy)
        let url = copy.appendingPathComponent(file)
        let original = try String(contentsOf: url, encoding: .utf8)
        let edited = edit(original)
        XCTAssertNotEqual(edited, original, "the edit of \(file) changed nothing")
        try edited.write(to: url, atomically: true, encoding: .utf8)
        return copy
    }
}
