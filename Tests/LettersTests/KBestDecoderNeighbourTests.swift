import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// `KBestDecoder` when two different neighbouring letters may sit closer than the same letter twice
/// (`differentLetterSpacing`, the readers trained with `StripTargets.exclusive`): exact against
/// exhaustive search.
final class KBestDecoderNeighbourTests: XCTestCase {
    /// Every string of every count in `counts` at its best placement (neighbours at least `different`
    /// apart, the same letter twice at least `same`), plus the prior; best first (ties: fewer letters,
    /// then lexicographic).
    func exhaustive(_ scores: [Float], positions: Int, classes: Int, counts: ClosedRange<Int>, same: Int, different: Int,
                    prior: LetterCountPrior) -> [KBestDecoder.Reading] {
        var best: [[Int]: Float] = [:]
        func search(_ string: [Int], _ at: [Int], _ score: Float) {
            if counts.contains(string.count) {
                let s = score + prior.logPrior(letters: string.count)
                if best[string].map({ s > $0 }) ?? true { best[string] = s }
            }
            guard string.count < counts.upperBound else { return }
            for c in 0..<classes {
                let start = at.last.map { $0 + (string.last == c ? same : different) } ?? 0
                for p in stride(from: start, to: positions, by: 1) { search(string + [c], at + [p], score + scores[p * classes + c]) }
            }
        }
        search([], [], 0)
        return best.map { KBestDecoder.Reading(classes: $0.key, score: $0.value) }.sorted(by: KBestDecoderCountTests.ranks)
    }

    func assertExact(_ scores: [Float], positions: Int, classes: Int, counts: ClosedRange<Int>, same: Int, different: Int,
                     prior: LetterCountPrior = .none, k: Int, _ what: String, line: UInt = #line) {
        let decoder = KBestDecoder(counts: counts, prior: prior, k: k, minimumSpacing: same, differentLetterSpacing: different)
        let decoded = decoder.decode(scores: scores, positions: positions, classes: classes)
        let all = exhaustive(scores, positions: positions, classes: classes, counts: counts, same: same, different: different, prior: prior)
        XCTAssertEqual(decoded.count, min(k, all.count), what, line: line)
        XCTAssertEqual(decoded.map(\.classes), all.prefix(k).map(\.classes), what, line: line)
        for (d, e) in zip(decoded, all) { XCTAssertEqual(d.score, e.score, accuracy: 1e-4, "\(what): \(d.classes)", line: line) }
        // The string scorer and the placement agree with the decoder on every reading.
        for r in decoded {
            let s = decoder.score(of: r.classes, scores: scores, positions: positions, classes: classes)
            XCTAssertEqual(s ?? .nan, r.score, accuracy: 1e-4, "\(what): score(of:) \(r.classes)", line: line)
            guard let at = decoder.placement(of: r.classes, scores: scores, positions: positions, classes: classes) else {
                XCTFail("\(what): no placement of \(r.classes)", line: line); continue
            }
            for i in 1..<max(1, at.count) {
                XCTAssertGreaterThanOrEqual(at[i] - at[i - 1], r.classes[i] == r.classes[i - 1] ? same : different, what, line: line)
            }
        }
    }

    func testAgreesWithExhaustiveSearchOnRandomCases() {
        for seed in UInt64(0)..<30 {
            var rng = SeededGenerator(seed: 700 + seed)
            let positions = Int.random(in: 3...8, using: &rng), classes = Int.random(in: 2...4, using: &rng)
            let same = Int.random(in: 2...3, using: &rng), different = Int.random(in: 1...(same - 1), using: &rng)
            let lo = Int.random(in: 1...3, using: &rng), counts = lo...(lo + Int.random(in: 0...1, using: &rng))
            let k = [5, 1, 10, 30][Int(seed % 4)]
            let prior = seed % 3 == 0 ? LetterCountPrior(perLetter: Float.random(in: -2...2, using: &rng)) : .none
            let scores = (0..<(positions * classes)).map { _ in Float.random(in: -4...4, using: &rng) }
            assertExact(scores, positions: positions, classes: classes, counts: counts, same: same, different: different,
                        prior: prior, k: k, "seed \(seed): P=\(positions) C=\(classes) counts=\(counts) same=\(same) different=\(different) k=\(k)")
        }
    }

    /// One class far ahead at every position: the relaxed programme's best strings all repeat it in
    /// neighbouring positions, which the rule forbids, so its lists must grow before the answer is certain.
    func testStringsOfOneRepeatedLetterAreRescored() {
        let positions = 7, classes = 3
        var scores = [Float](repeating: -3, count: positions * classes)
        for p in 0..<positions { scores[p * classes] = 6; scores[p * classes + 1] = Float(p % 3) - 2 }
        assertExact(scores, positions: positions, classes: classes, counts: 4...4, same: 2, different: 1, k: 5, "one strong class")
        let r = KBestDecoder(letters: 4, k: 5, minimumSpacing: 2, differentLetterSpacing: 1).decode(scores: scores, positions: positions, classes: classes)
        XCTAssertEqual(r.first?.classes, [0, 0, 0, 0], "four 0s fit at positions 0, 2, 4, 6")
        // Two letters in two positions: only different ones fit.
        let two = KBestDecoder(letters: 2, k: 9, minimumSpacing: 2, differentLetterSpacing: 1)
            .decode(scores: Array(scores.prefix(2 * classes)), positions: 2, classes: classes)
        XCTAssertEqual(two.count, 6)
        XCTAssertTrue(two.allSatisfy { $0.classes[0] != $0.classes[1] })
    }

    /// Every string ties (a blank strip's flat scores): the first relaxed lists already certify the answer.
    func testFlatScoresAreReadAtOnce() {
        let flat = [Float](repeating: -2, count: 42 * 26)
        let r = KBestDecoder(letters: 5, k: 10, minimumSpacing: 2, differentLetterSpacing: 1).decode(scores: flat, positions: 42, classes: 26)
        XCTAssertEqual(r.count, 10)
        XCTAssertTrue(r.allSatisfy { $0.score == -10 })
        XCTAssertEqual(Set(r.map(\.classes)).count, 10)
    }

    /// The default spacing is the same for every neighbour: the decoder reads as before.
    func testWithoutACloserSpacingNothingChanges() {
        var rng = SeededGenerator(seed: 9)
        let scores = (0..<(9 * 3)).map { _ in Float.random(in: -4...4, using: &rng) }
        let plain = KBestDecoder(letters: 3, k: 7, minimumSpacing: 2)
        XCTAssertEqual(plain.differentLetterSpacing, 2)
        XCTAssertEqual(plain.decode(scores: scores, positions: 9, classes: 3),
                       KBestDecoder(letters: 3, k: 7, minimumSpacing: 2, differentLetterSpacing: 2).decode(scores: scores, positions: 9, classes: 3))
        XCTAssertEqual(KBestDecoder(letters: 3, minimumSpacing: 2, differentLetterSpacing: 5).differentLetterSpacing, 2, "never above the same-letter spacing")
        XCTAssertEqual(KBestDecoder(letters: 3, minimumSpacing: 2, differentLetterSpacing: 0).differentLetterSpacing, 1)
    }
}
