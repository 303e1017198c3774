import Foundation
import NeuralNet

/// A letter classifier as a teacher of the strip reader (`train-reader --letter-teacher`), one that
/// knows more than the strip shows: it reads every training letter alone and clean, before the strip
/// sums its neighbours in and replaces pixels, and its distribution over the 26 letters becomes the
/// teacher's target at the windows on that letter. What it passes on is how ambiguous the letter itself
/// is (a bare stroke: I or l), not what the overlap hides. It is one more teacher of `StripTeachers`.
public struct LetterTeacher: Sendable {
    /// Log-probability a teacher row gives the classes it rules out (ε = 10⁻⁴).
    public static let ruledOut: Float = logf(1e-4)
    /// `[letters, 26]` log-probabilities of every letter of the training set, read once.
    let logProbs: [Float]
    /// How many letters were read (rows of ``logProbs``).
    public var count: Int { logProbs.count / Self.letterClasses }
    static let letterClasses = StripReader.background

    /// Reads every letter of `letters` with `classifier` (26 classes, 28×28 input); `progress` gets the
    /// letters read so far.
    public init(classifier: LetterClassifier, letters: LetterDataset, progress: ((Int) -> Void)? = nil) throws {
        guard classifier.classes == Self.letterClasses, classifier.model.inputShape.reduce(1, *) == LetterDataset.pixelsPerImage else {
            throw TrainingError.badTeacher("the letter teacher must be a letter classifier of 28×28 images and 26 classes "
                                           + "(this one: input \(classifier.model.inputShape), \(classifier.classes) classes)")
        }
        let p = classifier.probabilities(images: letters.images, count: letters.count, progress: progress)
        self.init(logProbabilities: p.map { logf(max($0, 1e-30)) })
    }

    /// A teacher with the given `[letters, 26]` log-probabilities.
    public init(logProbabilities: [Float]) {
        precondition(logProbabilities.count % Self.letterClasses == 0, "log-probabilities of 26 classes a letter")
        logProbs = logProbabilities
    }

    /// The teacher's `[positions, 27]` log-probabilities for one strip whose letters are `sources` (rows
    /// of the set read at ``init(classifier:letters:progress:)``) centred at `centers`, given the strip's
    /// hard `targets` (``StripTargets``): at a window whose target is a letter, the classifier's
    /// distribution of the letter centred nearest (background ruled out); at a background window,
    /// background; at a window without a target (between a letter and background), half each.
    public func scores(sources: [Int], centers: [Float], targets: [Int]) -> [Float] {
        precondition(sources.count == centers.count, "a source letter for every centre")
        let classes = StripReader.classes, bg = StripReader.background
        var out = [Float](repeating: Self.ruledOut, count: targets.count * classes)
        let half = logf(0.5)
        for (j, target) in targets.enumerated() {
            let row = j * classes
            let c = StripReader.center(ofPosition: j)
            guard target != bg, let k = StripTargets.nearestCentre(to: c, in: centers) else {
                out[row + bg] = 0
                continue
            }
            let letter = sources[k] * Self.letterClasses
            let shift: Float = target < 0 ? half : 0
            for l in 0..<Self.letterClasses { out[row + l] = logProbs[letter + l] + shift }
            out[row + bg] = target < 0 ? half : Self.ruledOut
        }
        return out
    }
}
