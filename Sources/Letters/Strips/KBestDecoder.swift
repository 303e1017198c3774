/// Exact k-best decoding of a fixed number of letters — or of any number in a range — from
/// per-position scores.
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
///
/// Different neighbours closer (``differentLetterSpacing`` below ``minimumSpacing``, for readers trained
/// with `StripTargets.exclusive`): two different neighbouring letters may sit that close, the same letter
/// twice keeps `minimumSpacing`. Decoding then runs the programme above with every neighbour at the closer
/// spacing (a relaxation: each string's relaxed score is at least its own), rescoring exactly the few
/// strings with a letter twice in a row; the result is certified exact when the `k`-th exact score is at
/// least the best relaxed score left out, and the relaxed lists grow until it is.
///
/// Any count (`counts` wider than one count): step `n` of the same programme holds the exact top `k`
/// strings of `n` letters, so one pass up to the largest count gives every count's top `k`; each
/// reading's score gets the count's log prior (``LetterCountPrior``) and the `k` best over all counts
/// are returned. Strings of different lengths are different strings, so the merge is exact too.
public struct KBestDecoder: Sendable {
    /// The letter counts a reading may have (one count: a fixed-count read).
    public var counts: ClosedRange<Int>
    /// Added to the score of every reading of `n` letters (`.none` for a fixed count).
    public var prior: LetterCountPrior
    public var k: Int
    public var minimumSpacing: Int
    /// Positions between two different neighbouring letters, at least (1…`minimumSpacing`; by default
    /// `minimumSpacing`, the same for every neighbour).
    public var differentLetterSpacing: Int

    /// Reads exactly `letters` letters.
    public init(letters: Int, k: Int = 5, minimumSpacing: Int = 1, differentLetterSpacing: Int? = nil) {
        self.init(counts: letters...letters, prior: .none, k: k, minimumSpacing: minimumSpacing,
                  differentLetterSpacing: differentLetterSpacing)
    }

    /// Reads any count in `counts`; a reading's score is its best placement's plus `prior`'s log prior of its count.
    public init(counts: ClosedRange<Int>, prior: LetterCountPrior, k: Int = 5, minimumSpacing: Int = 1,
                differentLetterSpacing: Int? = nil) {
        self.counts = counts; self.prior = prior; self.k = k; self.minimumSpacing = max(1, minimumSpacing)
        self.differentLetterSpacing = min(self.minimumSpacing, max(1, differentLetterSpacing ?? minimumSpacing))
    }

    /// Positions the letter `b` keeps from the letter `a` before it.
    @inline(__always) func spacing(between a: Int, and b: Int) -> Int { a == b ? minimumSpacing : differentLetterSpacing }

    /// The largest count read.
    public var letters: Int { counts.upperBound }

    public struct Reading: Equatable, Sendable {
        /// 0-based class indices, left to right.
        public var classes: [Int]
        public var score: Float
    }

    /// A partial reading: its score and its letters packed 5 bits each (the first letter highest),
    /// which identifies the string exactly for up to 12 letters of up to 32 classes.
    struct Partial { var score: Float; var code: UInt64 }

    /// The most letters that fit in `positions` positions (different neighbours, at their closest).
    public func maxLetters(positions: Int) -> Int { positions > 0 ? (positions - 1) / differentLetterSpacing + 1 : 0 }

    /// `scores` is row-major `[positions, classes]`. The `k` best readings, best first (ties: fewer
    /// letters first, then the smaller class codes); empty when no count in `counts` fits.
    public func decode(scores: [Float], positions: Int, classes: Int) -> [Reading] {
        precondition(scores.count == positions * classes, "scores do not match \(positions)×\(classes)")
        precondition(classes <= 32 && letters <= 12, "the decoder packs up to 12 letters of up to 32 classes")
        let lo = max(1, counts.lowerBound), hi = min(counts.upperBound, maxLetters(positions: positions))
        guard lo <= hi, k > 0 else { return [] }
        if differentLetterSpacing < minimumSpacing {
            return decodeRelaxed(scores: scores, positions: positions, classes: classes, counts: lo...hi)
        }
        let perCount = bestByCount(scores: scores, positions: positions, classes: classes, upTo: hi)
        var merged: [(count: Int, item: Partial)] = []
        for n in lo...hi {
            let logPrior = prior.logPrior(letters: n)
            merged += perCount[n - 1].map { (n, Partial(score: $0.score + logPrior, code: $0.code)) }
        }
        return Self.ranked(merged, k: k)
    }

    /// The `k` best of `merged`, best first (ties: fewer letters first, then the smaller class codes).
    static func ranked(_ merged: [(count: Int, item: Partial)], k: Int) -> [Reading] {
        merged.sorted { a, b in
            a.item.score != b.item.score ? a.item.score > b.item.score : a.count != b.count ? a.count < b.count : a.item.code < b.item.code
        }.prefix(k).map { n, r in Reading(classes: Self.classes(of: r.code, count: n), score: r.score) }
    }

    /// The classes packed in `code`, left to right.
    static func classes(of code: UInt64, count n: Int) -> [Int] {
        (0..<n).reversed().map { Int((code >> (5 * UInt64($0))) & 31) }
    }

    /// `decode` when different neighbours may sit closer than the same letter twice: the relaxed
    /// programme (every neighbour at `differentLetterSpacing`) proposes `kk` strings of each count, those
    /// with a letter twice in a row are rescored exactly, and `kk` doubles until the `k`-th exact score
    /// is at least every relaxed score left out (an upper bound of those strings' exact scores).
    func decodeRelaxed(scores: [Float], positions: Int, classes: Int, counts: ClosedRange<Int>) -> [Reading] {
        var kk = k + 4
        while true {
            var relaxed = self
            relaxed.minimumSpacing = differentLetterSpacing; relaxed.k = kk
            let perCount = relaxed.bestByCount(scores: scores, positions: positions, classes: classes, upTo: counts.upperBound)
            var merged: [(count: Int, item: Partial)] = [], leftOut = -Float.infinity
            for n in counts {
                let logPrior = prior.logPrior(letters: n), list = perCount[n - 1]
                if list.count == kk { leftOut = max(leftOut, list[kk - 1].score + logPrior) }
                for r in list {
                    let letters = Self.classes(of: r.code, count: n)
                    if zip(letters, letters.dropFirst()).contains(where: { $0 == $1 }) {
                        if let exact = score(of: letters, scores: scores, positions: positions, classes: classes) {
                            merged.append((n, Partial(score: exact, code: r.code)))
                        }
                    } else {
                        merged.append((n, Partial(score: r.score + logPrior, code: r.code)))
                    }
                }
            }
            let best = Self.ranked(merged, k: k)
            // Exact when nothing was left out, or the k-th is at least all that was (a string left out
            // at exactly the k-th score may then lose its tie); the cap only guards the pathological (the
            // best strings all a letter twice in a row, in too few positions), where the best found is returned.
            if leftOut == -.infinity || (best.count == k && best[k - 1].score >= leftOut) || kk >= 16 * k { return best }
            kk *= 2
        }
    }

    /// The score of the string `letters` (0-based classes): its best placement's sum of letter scores
    /// (positions strictly increasing, at least `minimumSpacing` apart) plus its count's log prior;
    /// nil when its count is not read or it does not fit. Agrees with ``decode(scores:positions:classes:)``
    /// on every string that returns.
    public func score(of letters: [Int], scores: [Float], positions: Int, classes: Int) -> Float? {
        let n = letters.count
        guard counts.contains(n), n > 0, n <= maxLetters(positions: positions) else { return nil }
        // best[p]: the best score of the first i + 1 letters with letter i at position p.
        var best = (0..<positions).map { scores[$0 * classes + letters[0]] }
        var next = best  // two rows, swapped letter by letter
        for i in 1..<n {
            var upTo = -Float.infinity
            let spacing = spacing(between: letters[i - 1], and: letters[i])
            for p in 0..<positions {
                if p - spacing >= 0 { upTo = max(upTo, best[p - spacing]) }
                next[p] = upTo > -.infinity ? upTo + scores[p * classes + letters[i]] : -.infinity
            }
            swap(&best, &next)
        }
        let top = best.max()!
        return top > -.infinity ? top + prior.logPrior(letters: n) : nil
    }

    /// The positions of the string `letters`' best placement (the one ``score(of:scores:positions:classes:)``
    /// scores; ties go to the leftmost), left to right; nil when its count is not read or it does not fit.
    public func placement(of letters: [Int], scores: [Float], positions: Int, classes: Int) -> [Int]? {
        let n = letters.count
        guard counts.contains(n), n > 0, n <= maxLetters(positions: positions) else { return nil }
        // best[i][p] as in score(of:), and from[i][p]: where letter i − 1 sits in that best prefix.
        var best = [(0..<positions).map { scores[$0 * classes + letters[0]] }]
        var from = [[Int]](repeating: [Int](repeating: -1, count: positions), count: n)
        for i in 1..<n {
            var upTo = -Float.infinity, at = -1
            var next = [Float](repeating: -.infinity, count: positions)
            let spacing = spacing(between: letters[i - 1], and: letters[i])
            for p in 0..<positions {
                let q = p - spacing
                if q >= 0 && best[i - 1][q] > upTo { upTo = best[i - 1][q]; at = q }
                if upTo > -.infinity { next[p] = upTo + scores[p * classes + letters[i]]; from[i][p] = at }
            }
            best.append(next)
        }
        var p = best[n - 1].indices.max { a, b in best[n - 1][a] < best[n - 1][b] || (best[n - 1][a] == best[n - 1][b] && a > b) }!
        guard best[n - 1][p] > -.infinity else { return nil }
        var out = [Int](repeating: 0, count: n)
        for i in (0..<n).reversed() { out[i] = p; p = from[i][p] }
        return out
    }

    /// `result[n - 1]`: the exact top `k` strings of `n` letters (n = 1…`upTo`), best first.
    func bestByCount(scores: [Float], positions: Int, classes: Int, upTo letters: Int) -> [[Partial]] {
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
        var result = [Self.best(of: prev, k: k)]
        for _ in 1..<letters {
            upTo.clear()
            var fresh = [[Partial]](repeating: [], count: positions)
            for p in 0..<positions {
                let q = p - minimumSpacing
                if q >= 0 { for r in prev[q] { upTo.insert(r) } }
                guard !upTo.items.isEmpty else { continue }
                next.clear()
                // Prefixes and classes come best first and a sum is monotone in each term, so once a
                // sum falls strictly below a full list's last, so does every later one in its row (and
                // with the row's best class, every later row): they would all be turned away.
                for prefix in upTo.items {
                    if next.isFull, prefix.score + ranked[p][0].score < next.items[k - 1].score { break }
                    for c in ranked[p] {
                        let sum = prefix.score + c.score
                        if next.isFull, sum < next.items[k - 1].score { break }
                        next.insert(Partial(score: sum, code: prefix.code << 5 | c.code))
                    }
                }
                fresh[p] = next.items
            }
            prev = fresh
            result.append(Self.best(of: prev, k: k))
        }
        return result
    }

    /// The `k` best distinct readings among every position's lists.
    static func best(of lists: [[Partial]], k: Int) -> [Partial] {
        var best = TopK(k)
        for list in lists { for r in list { best.insert(r) } }
        return best.items
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

        var isFull: Bool { items.count == k }

        mutating func insert(_ r: Partial) {
            // Not better than the last of a full list: not better than any, its own code's included.
            if items.count == k, let last = items.last, !Self.better(r, last) { return }
            if let same = items.firstIndex(where: { $0.code == r.code }) {
                guard Self.better(r, items[same]) else { return }
                items.remove(at: same)
            }
            var i = items.count
            while i > 0 && Self.better(r, items[i - 1]) { i -= 1 }
            items.insert(r, at: i)
            if items.count > k { items.removeLast() }
        }
    }
}
