import XCTest
@testable import Letters

final class LetterConfusionsTests: XCTestCase {
    func testCountsFirstGuessErrorsMostCommonFirst() {
        // I=9, L=12, G=7, Q=17.
        let truth = [[9, 12, 7], [9, 9, 1], [12, 7, 2], [1, 2]]
        let guesses: [[[Int]]] = [
            [[12, 12, 17], [9, 12, 7]],   // I→L, G→Q (the right reading second: only the first guess counts)
            [[12, 12, 1]],                // I→L twice
            [[9, 7, 2]],                  // L→I
            [[1, 2, 3]],                  // another length: left out
        ]
        let c = LetterConfusions(guesses: guesses, truth: truth)
        XCTAssertEqual(c.letters, 9)
        XCTAssertEqual(c.errors, 5)
        XCTAssertEqual(c.pairs, [.init(truth: 9, read: 12, count: 3), .init(truth: 7, read: 17, count: 1),
                                 .init(truth: 12, read: 9, count: 1)])
        XCTAssertEqual(c.share(of: c.pairs[0]), 0.6, accuracy: 1e-12)
        XCTAssertEqual(c.shareOfMostCommon(2), 0.8, accuracy: 1e-12)
        XCTAssertEqual(c.describe(c.pairs[0]), "I→L 3 (60.0%)")
    }

    func testNoErrorsNoPairs() {
        let c = LetterConfusions(guesses: [[[1, 2]]], truth: [[1, 2]])
        XCTAssertEqual(c.errors, 0)
        XCTAssertTrue(c.pairs.isEmpty)
        XCTAssertEqual(c.shareOfMostCommon(5), 0)
    }
}
