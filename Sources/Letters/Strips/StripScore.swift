import LetterFormats
/// How well strip guesses match the true labels.
public struct StripScore: Codable, Sendable {
    public let count: Int
    /// Share of strips whose first guess is exactly right.
    public let top1: Double
    /// Share of strips with an exactly right guess among the first five (the assignment's score).
    public let top5: Double
    /// Share of letters right in the first guess, position by position.
    public let letters: Double
    /// Share of letters right in the first guess at each position (the first letter first).
    public let perPosition: [Double]

    /// `guesses[i]` are strip `i`'s guesses, best first; `truth[i]` its labels (1…26).
    public init(guesses: [[[Int]]], truth: [[Int]]) {
        precondition(guesses.count == truth.count, "\(guesses.count) predictions for \(truth.count) labels")
        var t1 = 0, t5 = 0, right = 0, total = 0
        let width = truth.map(\.count).max() ?? 0
        var rightAt = [Int](repeating: 0, count: width), totalAt = [Int](repeating: 0, count: width)
        for (g, t) in zip(guesses, truth) {
            if g.first == t { t1 += 1 }
            if g.prefix(5).contains(t) { t5 += 1 }
            for (k, label) in t.enumerated() {
                totalAt[k] += 1
                if let first = g.first, k < first.count, first[k] == label { rightAt[k] += 1; right += 1 }
            }
            total += t.count
        }
        perPosition = zip(rightAt, totalAt).map { $1 > 0 ? Double($0) / Double($1) : 0 }
        count = truth.count
        top1 = count > 0 ? Double(t1) / Double(count) : 0
        top5 = count > 0 ? Double(t5) / Double(count) : 0
        letters = total > 0 ? Double(right) / Double(total) : 0
    }
}

extension StripScore {
    /// Refuses guesses that cannot be scored against `truth`, naming the files: no strips at all, a
    /// different number of strips, or a strip whose guesses have another number of letters than its
    /// label (scoring them would report 0% without saying why).
    public static func checkComparable(guesses: [[[Int]]], truth: [[Int]], predictions: String, labels: String) throws {
        guard !guesses.isEmpty else { throw LettersError.missingArray(file: predictions, detail: "holds no predictions") }
        guard guesses.count == truth.count else {
            throw LettersError.shapeMismatch(file: predictions, detail: "\(guesses.count) rows but \(labels) has \(truth.count) labels")
        }
        for (i, (g, t)) in zip(guesses, truth).enumerated() {
            if let first = g.first, first.count != t.count {
                throw LettersError.shapeMismatch(file: predictions, detail:
                    "line \(i + 1) guesses \(first.count) letters but line \(i + 1) of \(labels) has \(t.count)")
            }
        }
    }
}
