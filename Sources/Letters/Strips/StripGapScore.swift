/// How well strips are read as a function of how close their letters are: letters by the distance
/// from their ink centre to the nearest neighbour's, strips by the smallest such distance in them
/// (`score --centres`, with the centres `synth --centres` writes). Says where a reader loses letters:
/// in overlapping neighbours or in letters standing apart.
public struct StripGapScore: Codable, Sendable {
    /// One band of distances, `from` up to (not including) `to` pixels (`to` nil: no upper end).
    public struct Band: Codable, Sendable {
        public let from: Int
        public let to: Int?
        /// Letters in the band, the share of them right in the first guess, and their share of all
        /// the letters wrong.
        public let letters: Int
        public let lettersRight: Double
        public let shareOfErrors: Double
        /// Strips whose closest pair falls in the band, and their top-1 and top-5.
        public let strips: Int
        public let top1: Double
        public let top5: Double
    }

    public let bands: [Band]

    /// The band edges (px) `score --centres` uses.
    public static let defaultEdges = [0, 6, 10, 14, 18, 22, 26]

    /// `guesses[i]`, `truth[i]` and `centres[i]` (ink centre columns, one per label) of strip `i`.
    /// Strips of one letter have no neighbour and are left out.
    public init(guesses: [[[Int]]], truth: [[Int]], centres: [[Float]], edges: [Int] = defaultEdges) {
        precondition(guesses.count == truth.count && truth.count == centres.count, "one row of guesses, labels and centres per strip")
        precondition(zip(truth, centres).allSatisfy { $0.count == $1.count }, "one centre per label")
        precondition(!edges.isEmpty && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "increasing band edges")
        func band(_ d: Float) -> Int { max(0, (edges.lastIndex { Float($0) <= d }) ?? 0) }
        var letters = [Int](repeating: 0, count: edges.count), right = letters, strips = letters, t1 = letters, t5 = letters
        var wrong = 0
        for ((g, t), c) in zip(zip(guesses, truth), centres) where t.count > 1 {
            let gaps = zip(c, c.dropFirst()).map { abs($1 - $0) }
            for k in t.indices {
                let nearest = min(k > 0 ? gaps[k - 1] : .infinity, k < gaps.count ? gaps[k] : .infinity)
                let b = band(nearest), ok = g.first.map { k < $0.count && $0[k] == t[k] } ?? false
                letters[b] += 1
                if ok { right[b] += 1 } else { wrong += 1 }
            }
            let b = band(gaps.min()!)
            strips[b] += 1
            if g.first == t { t1[b] += 1 }
            if g.prefix(5).contains(t) { t5[b] += 1 }
        }
        func share(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : 0 }
        bands = edges.indices.map { b in
            Band(from: edges[b], to: b + 1 < edges.count ? edges[b + 1] : nil, letters: letters[b],
                 lettersRight: share(right[b], letters[b]), shareOfErrors: share(letters[b] - right[b], wrong),
                 strips: strips[b], top1: share(t1[b], strips[b]), top5: share(t5[b], strips[b]))
        }
    }
}
