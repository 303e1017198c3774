import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// Without `--views`, `predict` spends the work of 2.2 views of the context reader
/// (``ShiftedViews/fitting(_:width:)``): the residual reader (the shipped design) reads every strip once
/// and the least sure fifth again, quietly; a cheaper reader gets more views, said in a note.
final class DefaultViewsCLITests: CLITestCase {
    func reader(_ variant: StripReader.Variant) throws -> String {
        let url = dir.appendingPathComponent("\(variant).lnet")
        try StripReader(width: 150, variant: variant, backend: CPUBackend(threads: 1), seed: 5).checkpoint().write(to: url)
        return url.path
    }

    func testTheBudgetDecidesTheViewsAndTheNoteSaysSo() throws {
        var state: UInt64 = 11
        let v = (0..<(6 * 30 * 150)).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 56)
        }
        try NPY.write(NpyArray(v, shape: [6, 30, 150]), to: dir.appendingPathComponent("s.npy"))

        let context = try run(["predict", "--strips", path("s.npy"), "--model", try reader(.context), "--out", path("c.csv")])
        XCTAssertEqual(context.status, 0, context.stderr)
        XCTAssertTrue(context.stderr.contains("reading each strip in 3 views (the views after the first for the least sure 60%)"),
                      context.stderr)

        let residual = try run(["predict", "--strips", path("s.npy"), "--model", try reader(.residual), "--out", path("r.csv")])
        XCTAssertEqual(residual.status, 0, residual.stderr)
        XCTAssertFalse(residual.stderr.contains("note: reading each strip"), residual.stderr)
        // The second view changes the readings of the rereads only: the same file read in one view
        // differs from the default in at most the ⌈21.5%⌉ of strips reread.
        let once = try run(["predict", "--strips", path("s.npy"), "--model", try reader(.residual), "--views", "1", "--out", path("r1.csv")])
        XCTAssertEqual(once.status, 0, once.stderr)
        let rows = try ["r.csv", "r1.csv"].map { try String(contentsOfFile: path($0), encoding: .utf8).split(separator: "\n") }
        XCTAssertEqual(rows[0].count, 6)
        XCTAssertLessThanOrEqual(zip(rows[0], rows[1]).filter { $0 != $1 }.count, 2)
    }
}
