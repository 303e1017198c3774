import BackendChecks
import Foundation
import XCTest

/// Every op family carries one name through its four files: `Kernels/<f>.cl`,
/// `OpenCLBackend+<F>.swift`, `CPUBackend+<F>.swift` and `OpCases+<F>.swift`.
final class OpFamilyFilesTests: XCTestCase {
    /// The package root, from this file's path (`<root>/Tests/OpenCLTests/OpFamilyFilesTests.swift`).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func files(of family: String) -> [String] {
        let F = family.prefix(1).uppercased() + family.dropFirst()
        return ["Kernels/\(family).cl", "Sources/NeuralNetOpenCL/OpenCLBackend+\(F).swift",
                "Sources/NeuralNet/CPU/CPUBackend+\(F).swift", "Sources/BackendChecks/OpCases+\(F).swift"]
    }

    func testEveryFamilyHasItsFourFiles() {
        XCTAssertEqual(OpCases.families.count, 8)
        for family in OpCases.families {
            XCTAssertFalse(OpCases.cases(of: family).isEmpty, "family \(family) has no cases")
            for file in Self.files(of: family) {
                XCTAssertTrue(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(file).path),
                              "family \(family): \(file) is missing")
            }
        }
    }

    /// No kernel file, launcher file or case file outside the families.
    func testNoFileOutsideTheFamilies() throws {
        let expected = Set(OpCases.families.flatMap(Self.files(of:)))
        let folders = [("Kernels", ".cl", ""), ("Sources/NeuralNetOpenCL", ".swift", "OpenCLBackend+"),
                       ("Sources/BackendChecks", ".swift", "OpCases+")]
        for (folder, suffix, prefix) in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent(folder).path)
            for name in names where name.hasSuffix(suffix) && name.hasPrefix(prefix) {
                XCTAssertTrue(expected.contains("\(folder)/\(name)"), "\(folder)/\(name) is in no op family")
            }
        }
    }
}
