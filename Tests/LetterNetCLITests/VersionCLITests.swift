import Foundation
import XCTest

/// `letternet --version`: the release number, and the commit where the binary's checkout is a git checkout.
final class VersionCLITests: CLITestCase {
    func testVersionNamesTheReleaseAndTheCommit() throws {
        let r = try run(["--version"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.stdout.trimmingCharacters(in: .newlines)
        XCTAssertTrue(line.hasPrefix("0."), line)
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: repo.appendingPathComponent(".git").path) {
            let match = line.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+ \(git [0-9a-f]{12}\)$"#, options: .regularExpression)
            XCTAssertNotNil(match, line)
        }
    }
}
