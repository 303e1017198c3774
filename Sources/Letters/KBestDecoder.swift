/// Exact k-best decoding of a fixed number of letters from per-position scores.
///
/// Input: for each of `P` positions along the strip, a score per letter class
/// (log P(letter | position) − log P(background | position)). A reading places `letters` letters at
/// strictly increasing positions at least `minimumSpacing` apart and scores the sum of their letter
/// scores. A string's score is its best placement's; the decoder returns the `k` highest-scoring
/// distinct strings, best first — exactly, not per-position guesses.
///
/// Dynamic programme: `best[i][p]` keeps the top-`k` distinct prefixes of `i + 1` letters whose last
/// letter sits at position `p`. If a string is among the global top `k`, its prefix through the
/// position of its best placement is among that state's top `k` (otherwise `k` other prefixes with
/// the same continuation would beat it), so truncating each state to `k` loses nothing.
public struct KBestDecoder: Sendable {
    public var letters: Int
    public var k: Int
    public var minimumSpacing: Int

    public init(letters: Int, k: Int = 5, minimumSpacing: Int = 1) {
        self.letters = letters; self.k = k; self.minimumSpacing = max(1, minimumSpacing)
    }

    public struct Reading: Equatable, Sendable {
        /// 0-based class indices, left to right.
        public var classes: [Int]
        public var score: Float
    }

    /// `scores` is row-major `[positions, classes]`.
    public func decode(scores: [Float], positions: Int, classes: Int) -> [Reading] {
        precondition(scores.count == positions * classes, "scores do not match \(positions)×\(classes)")
        guard letters > 0, positions >= (letters - 1) * minimumSpacing + 1 else { return [] }
        // Per position, its classes ranked by score: a state never needs more than k of them.
        let ranked: [[(Int, Float)]] = (0..<positions).map { p in
            let row = (0..<classes).map { ($0, scores[p * classes + $0]) }
            return Array(row.sorted { $0.1 > $1.1 }.prefix(k))
        }
        // prev[p]: top-k readings of the first i letters ending at position p.
        var prev: [[Reading]] = ranked.map { $0.map { Reading(classes: [$0.0], score: $0.1) } }
        for _ in 1..<letters {
            // Best k prefixes ending anywhere at or before q, merged incrementally.
            var upTo: [Reading] = []
            var next = [[Reading]](repeating: [], count: positions)
            for p in 0..<positions {
                let q = p - minimumSpacing
                if q >= 0 { upTo = Self.mergeTop(upTo, prev[q], k) }
                guard !upTo.isEmpty else { continue }
                var candidates: [Reading] = []
                for prefix in upTo { for (c, s) in ranked[p] {
                    candidates.append(Reading(classes: prefix.classes + [c], score: prefix.score + s))
                } }
                next[p] = Self.mergeTop([], candidates, k)
            }
            prev = next
        }
        return prev.reduce([]) { Self.mergeTop($0, $1, k) }
    }

    /// The top `k` distinct strings of `a ∪ b`, each at its best score.
    static func mergeTop(_ a: [Reading], _ b: [Reading], _ k: Int) -> [Reading] {
        var best: [[Int]: Float] = [:]
        for r in a + b where best[r.classes].map({ r.score > $0 }) ?? true { best[r.classes] = r.score }
        return best.map { Reading(classes: $0.key, score: $0.value) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.classes.lexicographicallyPrecedes($1.classes) }
            .prefix(k).map { $0 }
    }
}
