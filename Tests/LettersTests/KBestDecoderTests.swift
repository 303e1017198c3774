import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// Every placement (strictly increasing positions, at least `spacing` apart) and every class
/// assignment; each distinct string at its best score, best first (ties: lexicographic).
func bruteForce(_ scores: [Float], positions: Int, classes: Int, letters: Int, spacing: Int) -> [KBestDecoder.Reading] {
    var best: [[Int]: Float] = [:]
    func placements(_ prefix: [Int]) -> [[Int]] {
        if prefix.count == letters { return [prefix] }
        let start = prefix.last.map { $0 + spacing } ?? 0
        guard start < positions else { return [] }
        return (start..<positions).flatMap { placements(prefix + [$0]) }
    }
    let all = placements([])
    let assignments = (0..<Int(pow(Double(classes), Double(letters)))).map { n -> [Int] in
        var n = n
        return (0..<letters).map { _ in defer { n /= classes }; return n % classes }.reversed()
    }
    for placement in all {
        for string in assignments {
            var s: Float = 0
            for (p, c) in zip(placement, string) { s += scores[p * classes + c] }
            if best[string].map({ s > $0 }) ?? true { best[string] = s }
        }
    }
    return best.map { KBestDecoder.Reading(classes: $0.key, score: $0.value) }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.classes.lexicographicallyPrecedes($1.classes) }
}

/// `KBestDecoder` against exhaustive search on small random cases.
final class KBestDecoderTests: XCTestCase {
    func assertMatchesBruteForce(_ scores: [Float], positions: Int, classes: Int, letters: Int, spacing: Int, k: Int,
                                 _ what: String, line: UInt = #line) {
        let decoded = KBestDecoder(letters: letters, k: k, minimumSpacing: spacing)
            .decode(scores: scores, positions: positions, classes: classes)
        let exhaustive = bruteForce(scores, positions: positions, classes: classes, letters: letters, spacing: spacing)
        XCTAssertEqual(decoded.count, min(k, exhaustive.count), what, line: line)
        XCTAssertEqual(decoded.map(\.classes), exhaustive.prefix(k).map(\.classes), what, line: line)
        for (d, e) in zip(decoded, exhaustive) {
            XCTAssertEqual(d.score, e.score, accuracy: 1e-5, "\(what): \(d.classes)", line: line)
        }
        XCTAssertEqual(Set(decoded.map(\.classes)).count, decoded.count, "distinct: \(what)", line: line)
        XCTAssertEqual(decoded.map(\.score), decoded.map(\.score).sorted(by: >), "sorted: \(what)", line: line)
        XCTAssertTrue(decoded.allSatisfy { $0.classes.count == letters && $0.classes.allSatisfy((0..<classes).contains) },
                      what, line: line)
    }

    func testAgreesWithBruteForceOnRandomCases() {
        for seed in UInt64(0)..<24 {
            var rng = SeededGenerator(seed: seed)
            let positions = Int.random(in: 6...9, using: &rng)
            let classes = Int.random(in: 3...4, using: &rng)
            let letters = Int.random(in: 2...3, using: &rng)
            let spacing = Int.random(in: 1...3, using: &rng)
            let k = [5, 5, 1, 12][Int(seed % 4)]
            let scores = (0..<(positions * classes)).map { _ in Float.random(in: -4...4, using: &rng) }
            assertMatchesBruteForce(scores, positions: positions, classes: classes, letters: letters, spacing: spacing, k: k,
                                    "seed \(seed): P=\(positions) C=\(classes) L=\(letters) spacing=\(spacing) k=\(k)")
        }
    }

    /// Scores where the best string is not the per-position best: a greedy reading would fail.
    func testBestPlacementIsNotGreedy() {
        // 4 positions × 2 classes, 2 letters. Position 1 holds the strongest single score but
        // using it forces a weak partner.
        let scores: [Float] = [
            3, 0,     // p0
            0, 10,    // p1
            5, 0,     // p2
            0, 4,     // p3
        ]
        let r = KBestDecoder(letters: 2, k: 5, minimumSpacing: 2).decode(scores: scores, positions: 4, classes: 2)
        // Placements: (0,2), (0,3), (1,3). Best per string: [0,0]=8 (0,2); [1,1]=14 (1,3); [0,1]=7 (0,3); [1,0]=10 (p1,p3 class 0 = 10+0).
        XCTAssertEqual(r.map(\.classes), [[1, 1], [1, 0], [0, 0], [0, 1]])
        XCTAssertEqual(r.map(\.score), [14, 10, 8, 7])
        assertMatchesBruteForce(scores, positions: 4, classes: 2, letters: 2, spacing: 2, k: 5, "hand case")
    }

    func testCountIsAtMostTheNumberOfDistinctStrings() {
        var rng = SeededGenerator(seed: 42)
        let scores = (0..<(6 * 2)).map { _ in Float.random(in: -1...1, using: &rng) }
        XCTAssertEqual(KBestDecoder(letters: 2, k: 5).decode(scores: scores, positions: 6, classes: 2).count, 4)
        XCTAssertEqual(KBestDecoder(letters: 2, k: 3).decode(scores: scores, positions: 6, classes: 2).count, 3)
        XCTAssertEqual(KBestDecoder(letters: 1, k: 5).decode(scores: scores, positions: 6, classes: 2).count, 2)
        assertMatchesBruteForce(scores, positions: 6, classes: 2, letters: 1, spacing: 1, k: 5, "one letter")
        // A single placement still gives every class combination.
        let two = (0..<(2 * 3)).map { _ in Float.random(in: -1...1, using: &rng) }
        assertMatchesBruteForce(two, positions: 2, classes: 3, letters: 2, spacing: 1, k: 20, "one placement")
        XCTAssertEqual(KBestDecoder(letters: 2, k: 20).decode(scores: two, positions: 2, classes: 3).count, 9)
    }

    func testTiesBreakLexicographically() {
        let zeros = [Float](repeating: 0, count: 5 * 3)
        let r = KBestDecoder(letters: 2, k: 5).decode(scores: zeros, positions: 5, classes: 3)
        XCTAssertEqual(r.map(\.classes), [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1]])
        assertMatchesBruteForce(zeros, positions: 5, classes: 3, letters: 2, spacing: 1, k: 5, "all ties")
    }

    func testTooFewPositionsGiveNothing() {
        let scores = [Float](repeating: 1, count: 9 * 3)
        // 3 letters at least 2 apart need 5 positions.
        XCTAssertEqual(KBestDecoder(letters: 3, k: 5, minimumSpacing: 2).decode(scores: Array(scores.prefix(4 * 3)), positions: 4, classes: 3), [])
        XCTAssertFalse(KBestDecoder(letters: 3, k: 5, minimumSpacing: 2).decode(scores: Array(scores.prefix(5 * 3)), positions: 5, classes: 3).isEmpty)
        XCTAssertEqual(KBestDecoder(letters: 3, k: 5).decode(scores: Array(scores.prefix(2 * 3)), positions: 2, classes: 3), [])
        XCTAssertEqual(KBestDecoder(letters: 2, k: 5).decode(scores: [], positions: 0, classes: 3), [])
        XCTAssertEqual(KBestDecoder(letters: 0, k: 5).decode(scores: scores, positions: 9, classes: 3), [])
        // A spacing below 1 means 1: letters never share a position.
        XCTAssertEqual(KBestDecoder(letters: 2, k: 5, minimumSpacing: 0).minimumSpacing, 1)
        XCTAssertEqual(KBestDecoder(letters: 2, k: 5, minimumSpacing: 0).decode(scores: Array(scores.prefix(3)), positions: 1, classes: 3), [])
    }
}
