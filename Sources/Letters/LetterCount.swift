import Foundation

/// How many letters each strip is read as: a fixed count (`--letters 5`), or any count in a range with
/// a length prior (`--letters auto`), where each strip's guesses may differ in length.
public enum LetterCount: Sendable, Equatable {
    case fixed(Int)
    case any(ClosedRange<Int>, prior: LetterCountPrior)

    /// The fewest and the most letters a reading may have.
    public var range: ClosedRange<Int> {
        switch self {
        case .fixed(let n): return n...n
        case .any(let r, _): return r
        }
    }

    /// The same, with the range cut to the counts that fit strips `width` px wide (nil when none does).
    public func fitting(width: Int) -> LetterCount? {
        let most = StripReader.maxLetters(width: width)
        switch self {
        case .fixed(let n): return n <= most ? self : nil
        case .any(let r, let prior):
            return r.lowerBound <= min(r.upperBound, most) ? .any(r.lowerBound...min(r.upperBound, most), prior: prior) : nil
        }
    }

    public func decoder(k: Int) -> KBestDecoder {
        switch self {
        case .fixed(let n): return KBestDecoder(letters: n, k: k, minimumSpacing: StripReader.minimumSpacing)
        case .any(let r, let prior): return KBestDecoder(counts: r, prior: prior, k: k, minimumSpacing: StripReader.minimumSpacing)
        }
    }
}

extension StripReaderEnsemble {
    /// The `k` best readings of every strip, best first, of `count` letters.
    public func read(_ strips: StripSet, count: LetterCount, k: Int = 5, timing: UnsafeMutablePointer<StripReader.Timing>? = nil,
                     progress: ((Int) -> Void)? = nil) -> [[StripReader.Guess]] {
        if case .fixed(let n) = count { return read(strips, letters: n, k: k, timing: timing, progress: progress) }
        let t0 = Date()
        // The members' mean probability, as `read(_:letters:)` decodes it.
        var logProbs: [[Float]] = []
        for (m, reader) in members.enumerated() {
            let own = reader.logProbabilities(strips) { done in progress?((m * strips.count + done) / self.members.count) }
            logProbs = m == 0 ? own : zip(logProbs, own).map { Self.logAddExp($0, $1) }
        }
        if members.count > 1 {
            let shift = logf(Float(members.count))
            logProbs = logProbs.map { $0.map { $0 - shift } }
        }
        let t1 = Date()
        let out = StripReader.decodeAll(logProbs, decoder: count.decoder(k: k))
        timing?.pointee.network = t1.timeIntervalSince(t0)
        timing?.pointee.decode = Date().timeIntervalSince(t1)
        return out
    }
}

extension StripReader {
    /// Decodes every strip's `[positions, 27]` log-probabilities with `decoder`, on all cores.
    static func decodeAll(_ logProbs: [[Float]], decoder: KBestDecoder) -> [[Guess]] {
        var out = [[Guess]](repeating: [], count: logProbs.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, logProbs.count / 64))
        out.withUnsafeMutableBufferPointer { results in
            let base = results.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = logProbs.count * w / workers, hi = logProbs.count * (w + 1) / workers
                for i in lo..<hi { (base + i).pointee = Self.guesses(logProbs[i], decoder: decoder) }
            }
        }
        return out
    }
}
