import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// `KBestDecoder` over a range of letter counts (`predict --letters auto`): exact against exhaustive
/// search over every count, with the length prior applied.
final class KBestDecoderCountTests: XCTestCase {
    /// Every string of every count in `counts`, each at its best placement plus the prior, best first
    /// (ties: fewer letters, then lexicographic).
    func exhaustive(_ scores: [Float], positions: Int, classes: Int, counts: ClosedRange<Int>, spacing: Int,
                    prior: LetterCountPrior) -> [KBestDecoder.Reading] {
        var all: [KBestDecoder.Reading] = []
        for n in counts {
            let logPrior = prior.logPrior(letters: n)
            for r in bruteForce(scores, positions: positions, classes: classes, letters: n, spacing: spacing) {
                all.append(KBestDecoder.Reading(classes: r.classes, score: r.score + logPrior))
            }
        }
        return all.sorted(by: Self.ranks)
    }

    /// Higher score first; ties: fewer letters, then lexicographic.
    static func ranks(_ a: KBestDecoder.Reading, _ b: KBestDecoder.Reading) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.classes.count != b.classes.count { return a.classes.count < b.classes.count }
        return a.classes.lexicographicallyPrecedes(b.classes)
    }

    func testAnyCountAgreesWithBruteForceOnRandomCases() {
        for seed in UInt64(0)..<20 {
            var rng = SeededGenerator(seed: 100 + seed)
            let positions = Int.random(in: 4...8, using: &rng), classes = Int.random(in: 2...3, using: &rng)
            let spacing = Int.random(in: 1...2, using: &rng), k = [5, 1, 12, 30][Int(seed % 4)]
            let lo = Int.random(in: 1...2, using: &rng), counts = lo...(lo + Int.random(in: 0...2, using: &rng))
            let prior = LetterCountPrior(perLetter: Float.random(in: -3...3, using: &rng))
            let scores = (0..<(positions * classes)).map { _ in Float.random(in: -4...4, using: &rng) }
            let what = "seed \(seed): P=\(positions) C=\(classes) counts=\(counts) spacing=\(spacing) k=\(k) prior=\(prior.perLetter)"
            let decoded = KBestDecoder(counts: counts, prior: prior, k: k, minimumSpacing: spacing)
                .decode(scores: scores, positions: positions, classes: classes)
            let all = exhaustive(scores, positions: positions, classes: classes, counts: counts, spacing: spacing, prior: prior)
            XCTAssertEqual(decoded.count, min(k, all.count), what)
            XCTAssertEqual(decoded.map(\.classes), all.prefix(k).map(\.classes), what)
            for (d, e) in zip(decoded, all) { XCTAssertEqual(d.score, e.score, accuracy: 1e-4, what) }
        }
    }

    /// One strong letter and one weak one: without a prior both are read; a penalty above the weak
    /// letter's score reads one; a bonus reads a third letter even on background.
    func testThePriorChoosesTheCount() {
        // 5 positions × 2 classes: class 1 strong at p0 (6), class 0 weak at p2 (1), background (−3) elsewhere.
        let scores: [Float] = [-3, 6, -3, -3, 1, -3, -3, -3, -3, -3]
        func first(_ perLetter: Float) -> [Int] {
            KBestDecoder(counts: 1...3, prior: LetterCountPrior(perLetter: perLetter), k: 5)
                .decode(scores: scores, positions: 5, classes: 2)[0].classes
        }
        XCTAssertEqual(first(0), [1, 0])
        XCTAssertEqual(first(2), [1])
        XCTAssertEqual(first(-4), [1, 0, 0])
        // The fixed-count read is the range of one count, whatever the prior: same strings, same order.
        let fixed = KBestDecoder(letters: 2, k: 5).decode(scores: scores, positions: 5, classes: 2)
        let ranged = KBestDecoder(counts: 2...2, prior: LetterCountPrior(perLetter: 3), k: 5).decode(scores: scores, positions: 5, classes: 2)
        XCTAssertEqual(ranged.map(\.classes), fixed.map(\.classes))
        XCTAssertEqual(ranged.map(\.score), fixed.map { $0.score - 6 })
        // Counts that do not fit the positions are skipped, not refused.
        XCTAssertEqual(KBestDecoder(counts: 2...9, prior: .none, k: 50, minimumSpacing: 2)
            .decode(scores: scores, positions: 5, classes: 2).map(\.classes.count).max(), 3)
        XCTAssertEqual(KBestDecoder(counts: 4...9, prior: .none, k: 5, minimumSpacing: 2).decode(scores: scores, positions: 5, classes: 2), [])
    }
}
