import Foundation
import NeuralNet

/// Test-time augmentation for the strip reader at the level of whole strings.
///
/// The reader pools by 4 px, so a strip moved right by 1–3 px inside its padding is read on a grid
/// the original reading never samples: a different, equally valid view of the same strip. Views
/// cannot be averaged position by position (their grids do not line up), so they are combined per
/// string: every view proposes its `candidates` best strings, every proposed string is scored in
/// every view (its best placement there, ``KBestDecoder/score(of:scores:positions:classes:)``), and
/// the strings are ranked by their mean score over the views.
public struct ShiftedViews: Sendable, Equatable {
    /// Columns each view moves the strips right (0: the strip as it is).
    public var shifts: [Int]
    /// Strings each view proposes.
    public var candidates: Int
    /// Share of strips read in the views after the first: the least sure after the first view (its best
    /// reading's probability among the `k` best) of those read together (a chunk of a file), at least
    /// one. 1: every strip in every view.
    public var rereadShare: Double = 1

    public init(shifts: [Int], candidates: Int = 10) {
        precondition(!shifts.isEmpty, "at least one view")
        self.shifts = shifts; self.candidates = candidates
    }

    /// One view: the strip as it is.
    public static let single = ShiftedViews(shifts: [0])

    /// `count` views (1 … the reader's stride) spread evenly over one stride: 2 → shifts 0, 2; 4 → 0, 1, 2, 3.
    public init(count: Int) {
        precondition((1...StripReader.stride).contains(count), "1 to \(StripReader.stride) views")
        self.init(shifts: (0..<count).map { $0 * StripReader.stride / count })
    }

    /// The most views `predict` reads with unless told otherwise.
    public static let defaultCount = 4

    /// The work `predict` spends on a strip unless told otherwise, in views of the context reader
    /// (132 M multiply-adds a strip at 168 px): 2.2, which the shipped residual reader (239 M a view at 168 px)
    /// spends on one view of every strip and a second of the least sure fifth. That read 10,000 strips of
    /// 30×168 in 46 s on two cores without AVX-512 (one view: 41 s; docs/RESULTS.md).
    public static let budgetInContextViews = 2.2

    /// The smallest share of strips worth rereading in further views (below it, one view fewer).
    public static let smallestRereadShare = 0.1

    /// The views `predict` reads with unless told otherwise: the work of `budgetInContextViews` views of
    /// the context reader (multiply-adds at `width`), `r` of the readers' own views, spent as one view
    /// of every strip and the rest on the least sure strips: ⌈r⌉ views (1 to `defaultCount`), the views
    /// after the first for the share (r − 1) / (⌈r⌉ − 1) of the strips (at most all; below
    /// `smallestRereadShare`, one view fewer). The residual reader (the shipped default): 2 views, the
    /// second for about a fifth of the strips; the context reader alone: 3 views, the second and third for 60%;
    /// two readers averaged: one view, or two for a tenth. Reading time stays about the budget's whatever
    /// the readers.
    public static func fitting(_ readers: [[LayerSpec]], width: Int) -> ShiftedViews {
        let shape = StripReader.geometry.inputShape(width: width)
        let cost = readers.map { Benchmark.multiplyAdds($0, inputShape: shape) }.reduce(0, +)
        let budget = budgetInContextViews * Double(Benchmark.multiplyAdds(StripReader.Variant.context.layers, inputShape: shape))
        let ratio = budget / Double(max(cost, 1))
        var count = max(1, min(defaultCount, Int(ratio.rounded(.up))))
        var share = count > 1 ? min(1, (ratio - 1) / Double(count - 1)) : 1
        if share < smallestRereadShare { count -= 1; share = 1 }
        var views = ShiftedViews(count: count)
        views.rereadShare = share
        return views
    }

    /// A proposed string (0-based classes) and its mean score over the views.
    public struct Candidate: Sendable {
        public var classes: [Int]
        public var score: Float

        /// The ranking order: higher score first; ties: fewer letters, then the smaller classes.
        static func ranksBefore(_ a: Candidate, _ b: Candidate) -> Bool {
            a.score != b.score ? a.score > b.score
                : a.classes.count != b.classes.count ? a.classes.count < b.classes.count : a.classes.lexicographicallyPrecedes(b.classes)
        }
    }

    /// The `k` best strings of one strip, from its views' `[positions, 27]` log-probabilities
    /// (`logProbs[v]` from view `v`), best first; each guess's probability is the softmax of the mean
    /// scores among the `k` returned.
    func guesses(views logProbs: [[Float]], decoder: KBestDecoder) -> [StripReader.Guess] {
        if logProbs.count == 1 { return StripReader.guesses(logProbs[0], decoder: decoder) }  // nothing to combine
        let scores = logProbs.map { StripReader.letterScores($0, positions: $0.count / StripReader.classes) }
        return Self.softmax(ranked(scores: scores, decoder: decoder, count: decoder.k))
    }

    /// Up to `count` strings ranked by their mean score over the views (`scores[v]`: view `v`'s
    /// `[positions, 26]` letter scores), best first. One view: its exact `count` best strings. Several:
    /// every view proposes its `max(count, candidates)` best, and each proposal is scored in every view.
    func ranked(scores: [[Float]], decoder: KBestDecoder, count: Int) -> [Candidate] {
        let positions = scores[0].count / 26
        var proposer = decoder
        proposer.k = max(count, scores.count == 1 ? 0 : candidates)
        if scores.count == 1 {
            return proposer.decode(scores: scores[0], positions: positions, classes: 26).map { Candidate(classes: $0.classes, score: $0.score) }
        }
        var seen = Set<[Int]>(), strings: [[Int]] = []
        for s in scores {
            for r in proposer.decode(scores: s, positions: positions, classes: 26) where seen.insert(r.classes).inserted {
                strings.append(r.classes)
            }
        }
        var ranked: [Candidate] = strings.compactMap { string in
            var total: Float = 0
            for s in scores {
                guard let v = decoder.score(of: string, scores: s, positions: positions, classes: 26) else { return nil }
                total += v
            }
            return Candidate(classes: string, score: total / Float(scores.count))
        }
        ranked.sort(by: Candidate.ranksBefore)
        return Array(ranked.prefix(count))
    }

    /// Guesses (labels 1…26) from ranked candidates, each with the softmax of the scores among them.
    static func softmax(_ top: [Candidate]) -> [StripReader.Guess] {
        let best = top.first?.score ?? 0
        let weights = top.map { exp(Double($0.score - best)) }
        let sum = weights.reduce(0, +)
        return zip(top, weights).map { ($0.classes.map { $0 + 1 }, $1 / sum) }
    }

    /// Strip column of each letter of `string` in its best placement, averaged over the views (view
    /// `v`'s position `j` is centred on strip column `centre(j) − shifts[v]`); nil when it does not fit.
    func centres(of string: [Int], scores: [[Float]], decoder: KBestDecoder) -> [Float]? {
        var sum = [Float](repeating: 0, count: string.count)
        for (v, s) in scores.enumerated() {
            guard let places = decoder.placement(of: string, scores: s, positions: s.count / 26, classes: 26) else { return nil }
            for (i, p) in places.enumerated() { sum[i] += StripReader.center(ofPosition: p) - Float(shifts[v]) }
        }
        return sum.map { $0 / Float(scores.count) }
    }

    /// How many of `count` strips are read in the views after the first: the share rounded up, at least
    /// one (none of none).
    func rereadCount(of count: Int) -> Int {
        count == 0 ? 0 : min(count, max(1, Int((rereadShare * Double(count)).rounded(.up))))
    }

    /// Indices (ascending) of the `rereadShare` of strips, at least one, whose best first-view reading is
    /// least sure (lowest probability among the `k` best; ties: the earlier strip).
    func leastSure(_ firstGuesses: [[StripReader.Guess]]) -> [Int] {
        let n = rereadCount(of: firstGuesses.count)
        let sure = firstGuesses.map { $0.first?.probability ?? 1 }
        return firstGuesses.indices.sorted { sure[$0] != sure[$1] ? sure[$0] < sure[$1] : $0 < $1 }.prefix(n).sorted()
    }

    /// Every strip's `k` best strings from its views, on all cores; `logProbs[v][i]` is view `v`'s reading of strip `i`.
    func decodeAll(_ logProbs: [[[Float]]], decoder: KBestDecoder) -> [[StripReader.Guess]] {
        StripReader.eachStrip(logProbs[0].count) { i in guesses(views: logProbs.map { $0[i] }, decoder: decoder) }
    }
}
