import Foundation

extension StripReader {
    /// One strip's guesses: labels 1…26 per letter, and a probability — the softmax of the readings'
    /// scores among the `k` returned.
    public typealias Guess = (labels: [Int], probability: Double)

    /// Seconds spent reading: in the network, and in the k-best decoding. Reads add up (`+`).
    public struct Timing: Sendable, Equatable {
        public var network = 0.0, decode = 0.0
        public init(network: Double = 0, decode: Double = 0) { self.network = network; self.decode = decode }

        public static func + (a: Timing, b: Timing) -> Timing { Timing(network: a.network + b.network, decode: a.decode + b.decode) }
    }

    /// The `k` best readings of every strip, best first. Decoding runs on all cores.
    public func read(_ strips: StripSet, letters: Int, k: Int = 5, progress: ((Int) -> Void)? = nil) -> [[Guess]] {
        Self.decodeAll(logProbabilities(strips, progress: progress), decoder: LetterCount.fixed(letters).decoder(k: k, targets: targets))
    }

    /// Decodes every strip's `[positions, 27]` log-probabilities into its `k` best readings of `letters`
    /// letters, on all cores.
    static func decodeAll(_ logProbs: [[Float]], letters: Int, k: Int) -> [[Guess]] {
        decodeAll(logProbs, decoder: KBestDecoder(letters: letters, k: k, minimumSpacing: Self.minimumSpacing))
    }

    /// Decodes every strip's `[positions, 27]` log-probabilities with `decoder`, on all cores.
    static func decodeAll(_ logProbs: [[Float]], decoder: KBestDecoder) -> [[Guess]] {
        eachStrip(logProbs.count) { guesses(logProbs[$0], decoder: decoder) }
    }

    /// `work(i)` for every strip `i` of `count`, on all cores (one worker per 64 strips at most).
    static func eachStrip<T>(_ count: Int, _ work: (Int) -> T) -> [T] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 64))
        return [T](unsafeUninitializedCapacity: count) { results, initialized in
            let base = results.baseAddress
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in count * w / workers..<count * (w + 1) / workers { (base! + i).initialize(to: work(i)) }
            }
            initialized = count
        }
    }

    static func guesses(_ logProbs: [Float], decoder: KBestDecoder) -> [Guess] {
        let p = logProbs.count / classes
        let readings = decoder.decode(scores: letterScores(logProbs, positions: p), positions: p, classes: 26)
        let top = readings.first?.score ?? 0
        let weights = readings.map { exp(Double($0.score - top)) }
        let sum = weights.reduce(0, +)
        return zip(readings, weights).map { ($0.classes.map { $0 + 1 }, $1 / sum) }
    }
}
