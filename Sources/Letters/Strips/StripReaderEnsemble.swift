import Foundation
import NeuralNet

/// Several strip readers read every strip; their per-position class probabilities are averaged and the
/// average is decoded once. One member reads exactly as that reader alone.
public final class StripReaderEnsemble {
    public let members: [StripReader]
    /// The views each strip is read in (``ShiftedViews``); one view by default.
    public var views = ShiftedViews.single
    /// The second pass that re-scores the best readings with a letter classifier (nil: none).
    public var rescoring: WindowRescoring?

    public init(members: [StripReader]) {
        precondition(!members.isEmpty, "an ensemble needs at least one reader")
        self.members = members
    }

    /// The narrowest training range of the members (what all of them were trained on).
    public var trainingRange: StripTrainingRange {
        func common(_ a: ClosedRange<Int>, _ b: ClosedRange<Int>) -> ClosedRange<Int> {
            let lo = max(a.lowerBound, b.lowerBound)
            return lo...max(lo, min(a.upperBound, b.upperBound))
        }
        var r = members[0].trainingRange
        for m in members.dropFirst() {
            r.widths = common(r.widths, m.trainingRange.widths)
            r.letters = common(r.letters, m.trainingRange.letters)
            r.noiseShare = 0...min(r.noiseShare.upperBound, m.trainingRange.noiseShare.upperBound)
        }
        return r
    }

    /// How close the ensemble's readings place letters: `exclusive` only when every member was trained so.
    public var targets: StripTargets {
        members.allSatisfy { $0.targets == .exclusive } ? .exclusive : .tolerant
    }

    /// The `k` best readings of every strip, best first, of `letters` letters.
    public func read(_ strips: StripSet, letters: Int, k: Int = 5, progress: ((Int) -> Void)? = nil) -> [[StripReader.Guess]] {
        timedRead(strips, count: .fixed(letters), k: k, progress: progress).guesses
    }

    /// The `k` best readings of every strip, best first, of `count` letters, with the seconds spent in
    /// the network and in decoding. A batch of strips goes through the network in every view, then is
    /// decoded on a worker thread while the next batch goes through (``BatchDecoder``): `network` is the
    /// time until the last batch is through, `decode` the wait for its decoding after that. The second
    /// pass (``rescoring``) reads all the strips first, then re-scores them.
    public func timedRead(_ strips: StripSet, count: LetterCount, k: Int = 5,
                          progress: ((Int) -> Void)? = nil) -> (guesses: [[StripReader.Guess]], timing: StripReader.Timing) {
        let t0 = Date(), views = self.views, decoder = count.decoder(k: k, targets: targets)
        if let rescoring {
            let perView = views.shifts.enumerated().map { v, shift in
                logProbabilities(strips, shift: shift) { done in progress?((v * strips.count + done) / views.shifts.count) }
            }
            let t1 = Date()
            let out = rescoring.guesses(strips, views: views, logProbs: perView, decoder: decoder)
            return (out, StripReader.Timing(network: t1.timeIntervalSince(t0), decode: Date().timeIntervalSince(t1)))
        }
        if views.shifts.count > 1 && views.rereadShare < 1 { return rereadingLeastSure(strips, decoder: decoder, progress: progress) }
        // The batches of every member's own reading (all of them read `batchSize` strips a pass), so
        // that a strip's scores are the same floats as when the strips are read view by view.
        let batch = max(1, members.map(\.batchSize).min() ?? 1)
        let decoding = BatchDecoder(count: strips.count)
        for start in stride(from: 0, to: strips.count, by: batch) {
            let range = start..<min(start + batch, strips.count)
            let perView = views.shifts.map { logProbabilities(strips, range: range, shift: $0) }
            decoding.submit(range) { views.decodeAll(perView, decoder: decoder) }
            progress?(range.upperBound)
        }
        let t1 = Date()
        let guesses = decoding.finish()
        return (guesses, StripReader.Timing(network: t1.timeIntervalSince(t0), decode: Date().timeIntervalSince(t1)))
    }

    /// Reads every strip in the first view, then the ``ShiftedViews/rereadShare`` of them whose best
    /// reading is least sure in the other views too (in whole batches), and ranks those by the mean over
    /// the views. `progress` counts the work done in strips read in every view's worth.
    private func rereadingLeastSure(_ strips: StripSet, decoder: KBestDecoder,
                                    progress: ((Int) -> Void)?) -> (guesses: [[StripReader.Guess]], timing: StripReader.Timing) {
        let views = self.views, n = strips.count
        let rereads = views.rereadCount(of: n), work = n + rereads * (views.shifts.count - 1)
        func report(_ done: Int) { progress?(work > 0 ? done * n / work : n) }
        var network = 0.0, t = Date()
        let first = logProbabilities(strips, shift: views.shifts[0]) { report($0) }
        network += Date().timeIntervalSince(t); t = Date()
        var guesses = ShiftedViews.single.decodeAll([first], decoder: decoder)
        let chosen = views.leastSure(guesses)
        var decode = Date().timeIntervalSince(t); t = Date()
        let subset = strips.selecting(chosen)
        let extra = views.shifts.dropFirst().enumerated().map { v, shift in
            logProbabilities(subset, shift: shift) { report(n + v * rereads + $0) }
        }
        network += Date().timeIntervalSince(t); t = Date()
        let reread = views.decodeAll([chosen.map { first[$0] }] + extra, decoder: decoder)
        for (j, i) in chosen.enumerated() { guesses[i] = reread[j] }
        decode += Date().timeIntervalSince(t)
        report(work)
        return (guesses, StripReader.Timing(network: network, decode: decode))
    }

    /// Per strip of `range` (all by default), `[positions, 27]` log of the members' mean probabilities,
    /// the strips moved `shift` columns right.
    public func logProbabilities(_ strips: StripSet, range: Range<Int>? = nil, shift: Int = 0,
                                 progress: ((Int) -> Void)? = nil) -> [[Float]] {
        var logProbs: [[Float]] = []
        let count = range?.count ?? strips.count
        for (m, reader) in members.enumerated() {
            let own = reader.logProbabilities(strips, range: range, shift: shift) { done in
                progress?((m * count + done) / self.members.count)
            }
            logProbs = m == 0 ? own : zip(logProbs, own).map { Self.logAddExp($0, $1) }
        }
        if members.count > 1 {  // log of the mean probability
            let shift = logf(Float(members.count))
            logProbs = logProbs.map { $0.map { $0 - shift } }
        }
        return logProbs
    }

    /// Element-wise log(exp(a) + exp(b)).
    static func logAddExp(_ a: [Float], _ b: [Float]) -> [Float] {
        zip(a, b).map { x, y in
            let m = max(x, y)
            return m == -.infinity ? m : m + logf(expf(x - m) + expf(y - m))
        }
    }
}
