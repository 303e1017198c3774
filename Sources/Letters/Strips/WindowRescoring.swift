import Foundation
import NeuralNet

/// The strip reader's second pass: re-scores its best readings letter by letter with a classifier
/// trained on letters as they appear in strips (``LetterWindowSet``: neighbours' strokes summed in,
/// holes and salt noise, shifted boxes).
///
/// For every strip the reader's `candidates` best strings are placed (their best placement, averaged
/// over the views), each letter's ``LetterWindow`` is classified (each window once per strip, however
/// many strings share it), and a string's score becomes
///
///     reader score + weight · Σ over its letters (log p(letter | window) + log 26)
///
/// (the classifier's log-odds against a uniform guess, so that a reading of any length gains from
/// letters the classifier is sure of). The `k` best by this score are returned. The weight is fitted on
/// held-out strips (``WindowRescoring/defaultWeight``).
public final class WindowRescoring {
    public let classifier: LetterEnsemble
    /// How much the classifier's letter scores count against the reader's string score.
    public var weight: Float
    /// Strings per strip re-scored (the reader's best, by its own score).
    public var candidates: Int

    /// The weight `predict --window-model` uses unless told (docs/RESULTS.md, "The second pass": the held-out
    /// strips the reader trained on prefer 0, the dev strips 0.25–0.5; the pass is opt-in).
    public static let defaultWeight: Float = 0.25
    public static let defaultCandidates = 10

    public init(classifier: LetterEnsemble, weight: Float = defaultWeight, candidates: Int = defaultCandidates) {
        self.classifier = classifier; self.weight = weight; self.candidates = candidates
    }

    /// One strip's re-scoring work: its candidates, each letter's window (an index into the strip's
    /// windows), and the windows' first columns.
    struct Plan {
        var candidates: [ShiftedViews.Candidate] = []
        var windowOf: [[Int]] = []
        var lefts: [Int] = []
    }

    /// The `k` best readings of every strip of `strips`, from the views' log-probabilities
    /// (`logProbs[v][i]`: view `v`'s `[positions, 27]` reading of strip `i`), re-scored.
    func guesses(_ strips: StripSet, views: ShiftedViews, logProbs: [[[Float]]], decoder: KBestDecoder) -> [[StripReader.Guess]] {
        let plans = StripReader.eachStrip(strips.count) { i in
            plan(views: views, scores: logProbs.map { StripReader.letterScores($0[i], positions: $0[i].count / StripReader.classes) },
                 decoder: decoder)
        }
        // Every strip's windows, classified in one go.
        let offsets = plans.reduce(into: [0]) { $0.append($0.last! + $1.lefts.count) }
        let total = offsets.last!, per = LetterDataset.pixelsPerImage
        var images = [Float](repeating: 0, count: total * per)
        images.withUnsafeMutableBufferPointer { buf in
            for (i, plan) in plans.enumerated() {
                let strip = strips.strip(at: i)
                for (w, left) in plan.lefts.enumerated() {
                    LetterWindow.cut(strip, width: strips.width, height: strips.height, left: left,
                                     into: buf.baseAddress! + (offsets[i] + w) * per)
                }
            }
        }
        let probs = total > 0 ? classifier.probabilities(images: images, count: total) : []
        let classes = classifier.classes, chance = logf(Float(classes))
        return StripReader.eachStrip(strips.count) { i in
            let plan = plans[i]
            var rescored = plan.candidates.enumerated().map { c, candidate in
                var letters: Float = 0
                for (j, letter) in candidate.classes.enumerated() {
                    let w = offsets[i] + plan.windowOf[c][j]
                    letters += logf(max(probs[w * classes + letter], 1e-12)) + chance
                }
                return ShiftedViews.Candidate(classes: candidate.classes, score: candidate.score + weight * letters)
            }
            rescored.sort(by: ShiftedViews.Candidate.ranksBefore)
            return ShiftedViews.softmax(Array(rescored.prefix(decoder.k)))
        }
    }

    /// One strip's candidates and the windows their letters need (`scores[v]`: view `v`'s letter scores).
    func plan(views: ShiftedViews, scores: [[Float]], decoder: KBestDecoder) -> Plan {
        var plan = Plan(), index: [Int: Int] = [:]
        for candidate in views.ranked(scores: scores, decoder: decoder, count: max(candidates, decoder.k)) {
            guard let centres = views.centres(of: candidate.classes, scores: scores, decoder: decoder) else { continue }
            plan.candidates.append(candidate)
            plan.windowOf.append(centres.map { centre in
                let left = LetterWindow.left(centre: centre)
                if let w = index[left] { return w }
                index[left] = plan.lefts.count
                plan.lefts.append(left)
                return plan.lefts.count - 1
            })
        }
        return plan
    }
}
