import LetterFormats

/// Which letters the best readings get wrong, and as what: each letter of a strip's first guess against
/// its label, position by position (rows whose first guess has another length than the label are left
/// out: their letters do not line up). With the course's merged cases some pairs are hardly told apart
/// even alone (I and l are one vertical stroke), so the most common confusions say how much of a score
/// is lost to them.
public struct LetterConfusions: Sendable, Equatable {
    /// A letter read as another (labels 1…26) and how often.
    public struct Pair: Sendable, Equatable {
        public let truth: Int
        public let read: Int
        public let count: Int
    }

    /// Letters compared (in rows whose first guess has the label's length).
    public let letters: Int
    /// Letters whose first guess is another letter.
    public let errors: Int
    /// Every confusion that occurred, the most common first (ties: by true letter, then letter read).
    public let pairs: [Pair]

    /// `guesses[i]` are strip `i`'s guesses, best first; `truth[i]` its labels (1…26).
    public init(guesses: [[[Int]]], truth: [[Int]]) {
        precondition(guesses.count == truth.count, "\(guesses.count) predictions for \(truth.count) labels")
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: 26), count: 26), compared = 0, wrong = 0
        for (g, t) in zip(guesses, truth) {
            guard let first = g.first, first.count == t.count else { continue }
            for (label, read) in zip(t, first) where (1...26).contains(label) && (1...26).contains(read) {
                compared += 1
                if label != read { wrong += 1; confusion[label - 1][read - 1] += 1 }
            }
        }
        letters = compared
        errors = wrong
        pairs = ConfusedPair.ranked(confusion).map { Pair(truth: $0.truth + 1, read: $0.predicted + 1, count: $0.count) }
    }

    /// Share of the letter errors that `pair` makes.
    public func share(of pair: Pair) -> Double { errors > 0 ? Double(pair.count) / Double(errors) : 0 }

    /// Share of the letter errors made by the `n` most common confusions.
    public func shareOfMostCommon(_ n: Int) -> Double {
        errors > 0 ? Double(pairs.prefix(n).reduce(0) { $0 + $1.count }) / Double(errors) : 0
    }

    /// `"I→L 987 (22.8%)"`: the pair, its count and its share of the letter errors.
    public func describe(_ pair: Pair) -> String {
        let share = (1000 * self.share(of: pair)).rounded() / 10
        return "\(LetterLabel.letters([pair.truth]))→\(LetterLabel.letters([pair.read])) \(pair.count) (\(share)%)"
    }
}
