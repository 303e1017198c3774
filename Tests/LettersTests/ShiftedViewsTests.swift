import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// Reading a strip in several shifted views: the shift's geometry, scoring one string, and combining views.
final class ShiftedViewsTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func randomScores(_ positions: Int, _ classes: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<(positions * classes)).map { _ in Float.random(in: -4...4, using: &rng) }
    }

    /// A string's score is its best placement's: the brute-force search agrees on every string,
    /// including those the decoder does not return.
    func testStringScoreIsTheBestPlacement() {
        for seed in UInt64(0)..<12 {
            let positions = 6 + Int(seed % 3), classes = 3, letters = 2 + Int(seed % 2), spacing = 1 + Int(seed % 3)
            let scores = randomScores(positions, classes, seed: seed)
            let decoder = KBestDecoder(letters: letters, k: 5, minimumSpacing: spacing)
            let all = bruteForce(scores, positions: positions, classes: classes, letters: letters, spacing: spacing)
            XCTAssertFalse(all.isEmpty)
            for r in all {
                let s = decoder.score(of: r.classes, scores: scores, positions: positions, classes: classes)
                XCTAssertEqual(s ?? .nan, r.score, accuracy: 1e-5, "seed \(seed) \(r.classes)")
            }
            // Wrong counts and strings that do not fit are not scored.
            XCTAssertNil(decoder.score(of: [0], scores: scores, positions: positions, classes: classes))
            let tooMany = [Int](repeating: 0, count: letters)
            XCTAssertNil(decoder.score(of: tooMany, scores: scores, positions: spacing * (letters - 1), classes: classes))
        }
    }

    /// With a letter-count prior the score adds the count's log prior, as `decode` does.
    func testStringScoreAgreesWithDecodeUnderAPrior() {
        let scores = randomScores(14, 4, seed: 5)
        var counts = Set<Int>()
        for perLetter: Float in [-1.5, 0, 1.5, 3, 4.5] {
            let decoder = KBestDecoder(counts: 2...5, prior: LetterCountPrior(perLetter: perLetter), k: 8, minimumSpacing: 2)
            for r in decoder.decode(scores: scores, positions: 14, classes: 4) {
                counts.insert(r.classes.count)
                XCTAssertEqual(decoder.score(of: r.classes, scores: scores, positions: 14, classes: 4) ?? .nan, r.score,
                               accuracy: 1e-5, "prior \(perLetter): \(r.classes)")
            }
        }
        XCTAssertGreaterThan(counts.count, 1, "the cases should mix counts")
    }

    /// Evenly spread shifts over one stride.
    func testViewCountsSpreadOverOneStride() {
        XCTAssertEqual(StripReader.stride, 4)
        XCTAssertEqual(ShiftedViews(count: 1).shifts, [0])
        XCTAssertEqual(ShiftedViews(count: 2).shifts, [0, 2])
        XCTAssertEqual(ShiftedViews(count: 3).shifts, [0, 1, 2])
        XCTAssertEqual(ShiftedViews(count: 4).shifts, [0, 1, 2, 3])
    }

    /// Moving a strip one whole stride right moves every interior output one position right: the
    /// shift moves the strip, not its reading (away from the ends, where the padding differs).
    func testAShiftOfOneStrideMovesTheReadingOnePosition() throws {
        let width = 120
        let reader = StripReader(width: width, variant: .context, backend: cpu, seed: 3)
        var rng = SeededGenerator(seed: 9)
        let pixels = (0..<(2 * 30 * width)).map { _ in Float(Int.random(in: 0...255, using: &rng)) }
        let set = try StripSet(name: "random", count: 2, height: 30, width: width, pixels: pixels)
        let plain = reader.logProbabilities(set), moved = reader.logProbabilities(set, shift: StripReader.stride)
        let p = StripReader.positions(width: width), c = StripReader.classes
        let interior = 8..<(p - 8)
        for i in 0..<2 {
            for j in interior {
                for k in 0..<c {
                    XCTAssertEqual(moved[i][(j + 1) * c + k], plain[i][j * c + k], accuracy: 1e-4, "strip \(i) position \(j)")
                }
            }
            // A shift of half a stride reads other windows: the outputs differ.
            let half = reader.logProbabilities(set, shift: 2)
            XCTAssertGreaterThan(zip(half[i], plain[i]).map { abs($0 - $1) }.max()!, 1e-3)
        }
    }

    /// One view reads exactly as the plain decoder; two identical views read the same as one.
    func testOneViewAndRepeatedViewsReadAsThePlainDecoder() {
        let positions = 20, c = StripReader.classes
        for seed in UInt64(0)..<6 {
            var rng = SeededGenerator(seed: 100 + seed)
            // Log-probabilities: log-softmax of random logits per position.
            let logits = (0..<(positions * c)).map { _ in Float.random(in: -5...5, using: &rng) }
            let lp = (0..<positions).flatMap { j -> [Float] in
                let row = logits[(j * c)..<((j + 1) * c)]
                let lse = logf(row.map { expf($0) }.reduce(0, +))
                return row.map { $0 - lse }
            }
            let decoder = KBestDecoder(letters: 4, k: 5, minimumSpacing: StripReader.minimumSpacing)
            let plain = StripReader.guesses(lp, decoder: decoder)
            for views in [[lp], [lp, lp]] {
                let combined = ShiftedViews(shifts: Array(repeating: 0, count: views.count)).guesses(views: views, decoder: decoder)
                XCTAssertEqual(combined.map(\.labels), plain.map(\.labels), "seed \(seed), \(views.count) views")
                for (a, b) in zip(combined, plain) { XCTAssertEqual(a.probability, b.probability, accuracy: 1e-6) }
            }
        }
    }

    /// Two views that disagree: the string ranked first is the one with the best mean score, which
    /// neither view ranks first on its own.
    func testViewsAreCombinedByTheMeanScore() {
        let c = StripReader.classes, positions = 3
        // Letters 0/1/2 at position 0 only (one-letter strings); background elsewhere.
        func view(_ a: Float, _ b: Float, _ d: Float) -> [Float] {
            var lp = [Float](repeating: -30, count: positions * c)
            for j in 0..<positions { lp[j * c + StripReader.background] = 0 }
            lp[0] = a; lp[1] = b; lp[2] = d
            return lp
        }
        let v1 = view(-1, -5, -2), v2 = view(-5, -1, -2)  // means: -3, -3, -2
        let decoder = KBestDecoder(letters: 1, k: 3, minimumSpacing: 2)
        XCTAssertEqual(StripReader.guesses(v1, decoder: decoder).first?.labels, [1])
        XCTAssertEqual(StripReader.guesses(v2, decoder: decoder).first?.labels, [2])
        let both = ShiftedViews(shifts: [0, 2]).guesses(views: [v1, v2], decoder: decoder)
        XCTAssertEqual(both.first?.labels, [3])
        XCTAssertEqual(Set(both.dropFirst().map(\.labels)), [[1], [2]])
    }

    /// The strips reread are the least sure by their best reading's probability: the share rounded up,
    /// at least one, ties to the earlier strip, in ascending order.
    func testLeastSureStripsAreChosenByTheBestReadingsProbability() {
        func strip(_ p: Double) -> [StripReader.Guess] { [([1, 2], p), ([2, 1], 1 - p)] }
        let guesses = [0.9, 0.4, 0.7, 0.4, 0.95].map(strip)
        var views = ShiftedViews(count: 2)
        views.rereadShare = 0.5
        XCTAssertEqual(views.leastSure(guesses), [1, 2, 3])
        views.rereadShare = 0.3
        XCTAssertEqual(views.leastSure(guesses), [1, 3])
        views.rereadShare = 0.01
        XCTAssertEqual(views.leastSure(guesses), [1], "at least one; of a tie, the earlier strip")
        views.rereadShare = 1
        XCTAssertEqual(views.leastSure(guesses), [0, 1, 2, 3, 4])
        XCTAssertEqual(views.leastSure([]), [])
        views.rereadShare = 0.5
        XCTAssertEqual(views.leastSure([[], strip(0.6)]), [1], "a strip without guesses counts as sure")
    }

    /// By default the work of 2.2 views of the context reader: one view of every strip, the rest spent on
    /// further views of the least sure; never none, never more than four.
    func testDefaultViewsFitTheBudget() {
        func views(_ variants: [StripReader.Variant], width: Int = 168) -> ShiftedViews {
            ShiftedViews.fitting(variants.map(\.layers), width: width)
        }
        func ratio(_ variants: [StripReader.Variant], width: Int = 168) -> Double {
            let shape = StripReader.geometry.inputShape(width: width)
            return ShiftedViews.budgetInContextViews * Double(Benchmark.multiplyAdds(StripReader.Variant.context.layers, inputShape: shape))
                / Double(variants.map { Benchmark.multiplyAdds($0.layers, inputShape: shape) }.reduce(0, +))
        }
        // The shipped reader: 239 M a view against 2.2 × 132 M at 168 px, so a second view for a fifth.
        for width in [168, 150, 140] {
            let residual = views([.residual], width: width)
            XCTAssertEqual(residual.shifts, [0, 2], "width \(width)")
            XCTAssertEqual(residual.rereadShare, ratio([.residual], width: width) - 1, accuracy: 1e-12)
            XCTAssertTrue((0.15...0.35).contains(residual.rereadShare), "width \(width): \(residual.rereadShare)")
        }
        let context = views([.context])
        XCTAssertEqual(context.shifts, [0, 1, 2], "2.2 views: a third view for 60% of the strips")
        XCTAssertEqual(context.rereadShare, 0.6, accuracy: 1e-9)
        XCTAssertEqual(views([.fast]), ShiftedViews(count: 4), "a much cheaper reader is not given more than four")
        XCTAssertEqual(views([.context, .residual]), .single)
        XCTAssertEqual(views([.residual, .residual, .residual, .context]), .single, "never fewer than one")
        for variants in [[StripReader.Variant.context], [.residual], [.standard], [.fast], [.context, .residual], [.residual, .residual]] {
            let v = views(variants), r = ratio(variants)
            XCTAssertTrue(v.shifts.count == 1 ? v.rereadShare == 1 : v.rereadShare >= ShiftedViews.smallestRereadShare, "\(variants)")
            // The work spent, in the readers' views: one, plus the share times the further views.
            let spent = 1 + v.rereadShare * Double(v.shifts.count - 1)
            XCTAssertLessThanOrEqual(spent, max(1, r) + 1e-9, "\(variants): within the budget (or one view)")
            if r <= Double(ShiftedViews.defaultCount) && v.shifts.count > 1 { XCTAssertEqual(spent, r, accuracy: 1e-9, "\(variants): all of it") }
        }
    }
}
