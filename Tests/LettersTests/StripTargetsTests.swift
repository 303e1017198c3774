import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// The window targets of `train-reader --targets`, the rule a reader records, and the decoder it gets.
final class StripTargetsTests: XCTestCase {
    let cpu = CPUBackend(threads: 1)

    func testExclusiveTargetsNameEachLetterInOneWindow() {
        // Width 80: 21 positions centred at 4j − 0.5.
        let p = StripReader.positions(width: 80), bg = StripReader.background
        var expected = [Int](repeating: bg, count: p)
        expected[5] = 2; expected[11] = 6; expected[15] = 25
        // 21.5 is 2 px from positions 5 and 6 (tie: the left one); 44.5 nearest 11; 60 nearest 15.
        XCTAssertEqual(StripTargets.exclusive.targets(centers: [21.5, 44.5, 60], labels: [3, 7, 26], positions: p), expected)
        // Two letters 4 px apart, each halfway between windows: neighbouring windows, each its own
        // letter; the tolerant rule names the left one in both windows it touches.
        let close = StripTargets.exclusive.targets(centers: [21.5, 25.5], labels: [1, 2], positions: p)
        XCTAssertEqual(Array(close[4...7]), [bg, 0, 1, bg])
        XCTAssertEqual(close.filter { $0 != bg }.count, 2)
        XCTAssertEqual(Array(StripTargets.tolerant.targets(centers: [21.5, 25.5], labels: [1, 2], positions: p)[4...8]), [bg, 0, 0, 1, bg])
        // Two letters in one window: the nearer one; no window is left without a target.
        let shared = StripTargets.exclusive.targets(centers: [19, 20.5], labels: [1, 2], positions: p)
        XCTAssertEqual(shared[5], 0, "19 is 0.5 px from window 5 (19.5), 20.5 is 1 px")
        XCTAssertEqual(StripTargets.exclusive.targets(centers: [18.5, 20], labels: [1, 2], positions: p)[5], 1)
        XCTAssertFalse(shared.contains(-1))
        // A centre outside the windows names none.
        XCTAssertEqual(StripTargets.exclusive.targets(centers: [-9, 200], labels: [1, 2], positions: p), [Int](repeating: bg, count: p))
        // The tolerant rule is the shipped one (StripTests pins its values).
        XCTAssertEqual(StripTrainer.targets(centers: [21.5], labels: [1], positions: p), StripTargets.tolerant.targets(centers: [21.5], labels: [1], positions: p))
    }

    func testTheRuleSetsHowCloseReadingsPlaceLetters() {
        XCTAssertEqual(StripTargets.tolerant.closestPositions(sameLetter: false), StripReader.minimumSpacing)
        XCTAssertEqual(StripTargets.exclusive.closestPositions(sameLetter: false), 1)
        XCTAssertEqual(StripTargets.exclusive.closestPositions(sameLetter: true), StripReader.minimumSpacing)
        let d = LetterCount.fixed(5).decoder(k: 5, targets: .exclusive)
        XCTAssertEqual(d.minimumSpacing, StripReader.minimumSpacing)
        XCTAssertEqual(d.differentLetterSpacing, 1)
        XCTAssertEqual(LetterCount.fixed(5).decoder(k: 5).differentLetterSpacing, StripReader.minimumSpacing)
    }

    func testAReaderRecordsItsRule() throws {
        let reader = StripReader(width: 60, variant: .fast, backend: cpu, seed: 1)
        XCTAssertNil(reader.checkpoint().metadata[StripTargets.metadataKey], "tolerant readers write nothing new")
        XCTAssertEqual(try StripReader(checkpoint: reader.checkpoint(), backend: cpu, source: "r.lnet").targets, .tolerant)
        reader.targets = .exclusive
        let c = reader.checkpoint()
        XCTAssertEqual(c.metadata[StripTargets.metadataKey], "exclusive")
        let back = try StripReader(checkpoint: c, backend: cpu, source: "r.lnet")
        XCTAssertEqual(back.targets, .exclusive)
        XCTAssertEqual(StripReaderEnsemble(members: [back]).targets, .exclusive)
        XCTAssertEqual(StripReaderEnsemble(members: [back, reader, StripReader(width: 60, variant: .fast, backend: cpu, seed: 2)]).targets,
                       .tolerant, "a mixed ensemble keeps letters as far apart as its most cautious member")
        var bad = c
        bad.metadata[StripTargets.metadataKey] = "sloppy"
        XCTAssertThrowsError(try StripReader(checkpoint: bad, backend: cpu, source: "r.lnet")) { e in
            XCTAssertTrue("\(e)".contains("sloppy"), "\(e)")
        }
    }
}
