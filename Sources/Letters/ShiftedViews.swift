import Foundation

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

    /// The views `predict` reads with unless told otherwise.
    public static let defaultCount = 4

    /// The `k` best strings of one strip, from its views' `[positions, 27]` log-probabilities
    /// (`logProbs[v]` from view `v`), best first; each guess's probability is the softmax of the mean
    /// scores among the `k` returned.
    func guesses(views logProbs: [[Float]], decoder: KBestDecoder) -> [StripReader.Guess] {
        let classes = StripReader.classes
        let scores = logProbs.map { StripReader.letterScores($0, positions: $0.count / classes) }
        var proposer = decoder
        proposer.k = max(decoder.k, candidates)
        var seen = Set<[Int]>(), strings: [[Int]] = []
        for s in scores {
            for r in proposer.decode(scores: s, positions: s.count / 26, classes: 26) where seen.insert(r.classes).inserted {
                strings.append(r.classes)
            }
        }
        var ranked: [(classes: [Int], score: Float)] = strings.compactMap { string in
            var total: Float = 0
            for s in scores {
                guard let v = decoder.score(of: string, scores: s, positions: s.count / 26, classes: 26) else { return nil }
                total += v
            }
            return (string, total / Float(scores.count))
        }
        ranked.sort { a, b in
            a.score != b.score ? a.score > b.score
                : a.classes.count != b.classes.count ? a.classes.count < b.classes.count : a.classes.lexicographicallyPrecedes(b.classes)
        }
        let top = ranked.prefix(decoder.k)
        let best = top.first?.score ?? 0
        let weights = top.map { exp(Double($0.score - best)) }
        let sum = weights.reduce(0, +)
        return zip(top, weights).map { ($0.classes.map { $0 + 1 }, $1 / sum) }
    }

    /// Every strip's `k` best strings from its views, on all cores; `logProbs[v][i]` is view `v`'s reading of strip `i`.
    func decodeAll(_ logProbs: [[[Float]]], decoder: KBestDecoder) -> [[StripReader.Guess]] {
        let count = logProbs[0].count
        var out = [[StripReader.Guess]](repeating: [], count: count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 64))
        out.withUnsafeMutableBufferPointer { results in
            let base = results.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in count * w / workers..<count * (w + 1) / workers {
                    (base + i).pointee = guesses(views: logProbs.map { $0[i] }, decoder: decoder)
                }
            }
        }
        return out
    }
}

extension KBestDecoder {
    /// The score of the string `letters` (0-based classes): its best placement's sum of letter scores
    /// (positions strictly increasing, at least `minimumSpacing` apart) plus its count's log prior;
    /// nil when its count is not read or it does not fit. Agrees with ``decode(scores:positions:classes:)``
    /// on every string that returns.
    public func score(of letters: [Int], scores: [Float], positions: Int, classes: Int) -> Float? {
        let n = letters.count
        guard counts.contains(n), n > 0, n <= maxLetters(positions: positions) else { return nil }
        // best[p]: the best score of the first i + 1 letters with letter i at position p.
        var best = (0..<positions).map { scores[$0 * classes + letters[0]] }
        for i in 1..<n {
            var upTo = -Float.infinity
            var next = [Float](repeating: -.infinity, count: positions)
            for p in 0..<positions {
                if p - minimumSpacing >= 0 { upTo = max(upTo, best[p - minimumSpacing]) }
                if upTo > -.infinity { next[p] = upTo + scores[p * classes + letters[i]] }
            }
            best = next
        }
        return best.max()! + prior.logPrior(letters: n)
    }
}
