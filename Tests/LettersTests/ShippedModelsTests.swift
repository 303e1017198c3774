import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// The models in `Models/` load as what they claim to be, and their metadata names training files by
/// file name, never by a machine's path.
final class ShippedModelsTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models")

    func testShippedModelsLoadAndRecordNoPaths() throws {
        let files = try FileManager.default.contentsOfDirectory(at: Self.folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "lnet" }
        XCTAssertGreaterThanOrEqual(files.count, 3)
        let cpu = CPUBackend(threads: 1)
        for url in files {
            let checkpoint = try Checkpoint.read(from: url)
            for (key, value) in checkpoint.metadata where key.contains("trained_on") || key.contains("from") {
                XCTAssertFalse(value.contains("/"), "\(url.lastPathComponent): \(key) = \(value) names a path")
            }
            if checkpoint.metadata["kind"] == "strip-reader" {
                XCTAssertNoThrow(try StripReader(checkpoint: checkpoint, backend: cpu, source: url.path))
            } else {
                XCTAssertEqual(try LetterClassifier(checkpoint: checkpoint, backend: cpu, source: url.path).classes, 26)
            }
        }
    }
}
