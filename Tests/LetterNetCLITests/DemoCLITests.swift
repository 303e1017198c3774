import Foundation
import XCTest
import Letters

/// `predict` without `--strips`: the shipped real-handwriting demo (`Demo/real-strips.npz`) read by the
/// shipped reader, and the font demo behind `--font-demo`.
final class DemoCLITests: CLITestCase {
    func testPredictReadsTheRealDemo() throws {
        let r = try run(["predict", "--out", path("p.csv"), "--views", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("500 demo strips of real handwriting"), r.stderr)
        let rows = try String(contentsOfFile: path("p.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 500)
        // The README shows 94.20% top-5 for the shipped reader in one view, as here (94.20% with the defaults too): a reader
        // that no longer reads real strips fails here.
        let figures = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("top-1 ") }, r.stdout)
        let top5 = try XCTUnwrap(Double(figures.split(separator: " ")[3].dropLast(2)), String(figures))
        XCTAssertGreaterThan(top5, 85, String(figures))
        XCTAssertTrue(figures.hasSuffix("(500 strips)"), String(figures))
    }

    /// The page the README's screenshot shows: the shipped demo and models, named without any folder of this machine.
    func testTheDemoReportHoldsNoAbsolutePath() throws {
        let r = try run(["predict", "--out", path("p.csv"), "--views", "1", "--report", path("predict.html")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = try String(contentsOfFile: path("predict.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("strip-reader.lnet"), "the page names the model")
        let absolute = try NSRegularExpression(pattern: #"(^|[^A-Za-z0-9_.])/(tmp|home|root|work|Users|var|usr|opt)/"#)
        XCTAssertNil(absolute.firstMatch(in: html, range: NSRange(html.startIndex..., in: html)), "an absolute path in the page")
        XCTAssertFalse(html.contains(dir.path), "the test's folder in the page")
    }

    func testTheDemoFileHoldsLabelledRealLayoutStrips() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (strips, labels) = try RealDemoStrips.load(url: repo.appendingPathComponent("Demo/\(RealDemoStrips.fileName)"))
        XCTAssertEqual([strips.count, strips.height, strips.width], [500, 30, 168])
        XCTAssertEqual(labels.count, 500)
        XCTAssertTrue(labels.allSatisfy { $0.count == 5 })
        XCTAssertEqual(strips.pixels.max(), 510)  // overlapping letters summed, as in the real files
    }

    func testFontDemoAndLetterCountsTheDemoCannotRead() throws {
        let model = try modelFile("reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178])
        let font = try run(["predict", "--font-demo", "--model", model, "--out", path("p.csv"), "--views", "1"])
        XCTAssertEqual(font.status, 0, font.stderr)
        XCTAssertTrue(font.stderr.contains("Hershey-font letters"), font.stderr)
        XCTAssertTrue(font.stdout.contains("(\(DemoStrips.defaultCount) strips)"), font.stdout)
        assertRefused(try run(["predict", "--letters", "4", "--model", model, "--out", path("q.csv")]),
                      "the demo strips hold 5 letters each", "--font-demo")
    }
}
