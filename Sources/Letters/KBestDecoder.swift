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

    /// A partial reading: its score and its letters packed 5 bits each (the first letter highest),
    /// which identifies the string exactly for up to 12 letters of up to 32 classes.
    struct Partial { var score: Float; var code: UInt64 }

    /// `scores` is row-major `[positions, classes]`.
    public func decode(scores: [Float], positions: Int, classes: Int) -> [Reading] {
        precondition(scores.count == positions * classes, "scores do not match \(positions)×\(classes)")
        precondition(classes <= 32 && letters <= 12, "the decoder packs up to 12 letters of up to 32 classes")
        guard letters > 0, k > 0, positions >= (letters - 1) * minimumSpacing + 1 else { return [] }
        // Per position, its k best classes: a state never needs more than k of them.
        var top = TopK(k)
        let ranked: [[Partial]] = (0..<positions).map { p in
            top.clear()
            for c in 0..<classes { top.insert(Partial(score: scores[p * classes + c], code: UInt64(c))) }
            return top.items
        }
        // prev[p]: the top-k readings of the first i letters whose last letter is at position p.
        var prev = ranked
        var upTo = TopK(k), next = TopK(k)
        for _ in 1..<letters {
            upTo.clear()
            var fresh = [[Partial]](repeating: [], count: positions)
            for p in 0..<positions {
                let q = p - minimumSpacing
                if q >= 0 { for r in prev[q] { upTo.insert(r) } }
                guard !upTo.items.isEmpty else { continue }
                next.clear()
                for prefix in upTo.items {
                    for c in ranked[p] {
                        next.insert(Partial(score: prefix.score + c.score, code: prefix.code << 5 | c.code))
                    }
                }
                fresh[p] = next.items
            }
            prev = fresh
        }
        var best = TopK(k)
        for list in prev { for r in list { best.insert(r) } }
        return best.items.map { r in
            Reading(classes: (0..<letters).reversed().map { Int((r.code >> (5 * UInt64($0))) & 31) }, score: r.score)
        }
    }

    /// The `k` best distinct codes seen so far, best first (ties: smaller code first), each at its best score.
    struct TopK {
        let k: Int
        var items: [Partial] = []
        init(_ k: Int) { self.k = k; items.reserveCapacity(k + 1) }
        mutating func clear() { items.removeAll(keepingCapacity: true) }

        @inline(__always) static func better(_ a: Partial, _ b: Partial) -> Bool {
            a.score != b.score ? a.score > b.score : a.code < b.code
        }

        mutating func insert(_ r: Partial) {
            if let same = items.firstIndex(where: { $0.code == r.code }) {
                guard Self.better(r, items[same]) else { return }
                items.remove(at: same)
            } else if items.count == k, let last = items.last, !Self.better(r, last) {
                return
            }
            var i = items.count
            while i > 0 && Self.better(r, items[i - 1]) { i -= 1 }
            items.insert(r, at: i)
            if items.count > k { items.removeLast() }
        }
    }
}
