import Foundation
import XCTest
import LetterFormats
@testable import Letters

/// Scoring by the distance between neighbouring letters (`score --centres`) and the centres file.
final class StripGapScoreTests: XCTestCase {
    /// Five strips worked out by hand with bands 0–10 and 10+.
    func testBandsCountLettersByNearestNeighbourAndStripsByClosestPair() {
        let truth = [[1, 2], [3, 4], [5, 6, 7], [9], [1, 1]]
        let centres: [[Float]] = [[10, 14], [10, 30], [10, 18, 40], [50], [20, 17]]
        let guesses: [[[Int]]] = [[[1, 2]], [[3, 5], [3, 4]], [[5, 6, 8], [5, 6, 9]], [[9]], [[1, 1]]]
        let s = StripGapScore(guesses: guesses, truth: truth, centres: centres, edges: [0, 10])
        XCTAssertEqual(s.bands.map(\.from), [0, 10])
        XCTAssertEqual(s.bands.map(\.to), [10, nil])
        let close = s.bands[0], apart = s.bands[1]
        // Close (< 10 px): both letters of strips 1 and 5 (gaps 4 and 3: the centres need not increase),
        // the first two of strip 3 (gap 8); all right. Strips 1, 3 and 5 have their closest pair here.
        XCTAssertEqual(close.letters, 6)
        XCTAssertEqual(close.lettersRight, 1)
        XCTAssertEqual(close.shareOfErrors, 0)
        XCTAssertEqual(close.strips, 3)
        XCTAssertEqual(close.top1, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(close.top5, 2.0 / 3, accuracy: 1e-12)
        // Apart: strip 2's letters (gap 20, one wrong) and strip 3's last (22 px, wrong): both errors.
        XCTAssertEqual(apart.letters, 3)
        XCTAssertEqual(apart.lettersRight, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(apart.shareOfErrors, 1)
        XCTAssertEqual(apart.strips, 1)
        XCTAssertEqual(apart.top1, 0)
        XCTAssertEqual(apart.top5, 1, "strip 2's second guess is right")
        XCTAssertEqual(StripGapScore.defaultEdges.first, 0)
    }

    func testCentresFileRoundTripsAndRefusesWhatIsNotColumns() throws {
        let centres: [[Float]] = [[16.5, 47, 92, 121, 134.5], [3, 2.5]]
        let data = try CentresFile.encode(centres, file: "c.csv")
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "16.5,47.0,92.0,121.0,134.5\n3.0,2.5\n")
        XCTAssertEqual(try CentresFile.parse(String(decoding: data, as: UTF8.self), file: "c.csv"), centres)
        for bad in ["1.0,x\n", "1.0,,2.0\n", "nan,2\n", "1,inf\n", "\n1,2\n"] {
            XCTAssertThrowsError(try CentresFile.parse(bad, file: "c.csv"), bad.debugDescription)
        }
        XCTAssertThrowsError(try CentresFile.encode([[1, .nan]], file: "c.csv"))
        XCTAssertThrowsError(try CentresFile.encode([[]], file: "c.csv"))
    }
}
