/// One off-diagonal cell of a confusion matrix: a class read as another, and how often.
public struct ConfusedPair: Sendable, Equatable {
    public let truth: Int
    public let predicted: Int
    public let count: Int

    /// The cells of `confusion` (`confusion[true][predicted]`, any class numbering) off its diagonal that
    /// are not zero, the most common first (ties: by true class, then predicted class).
    public static func ranked(_ confusion: [[Int]]) -> [ConfusedPair] {
        var pairs: [ConfusedPair] = []
        for (t, row) in confusion.enumerated() {
            for (p, n) in row.enumerated() where p != t && n > 0 { pairs.append(ConfusedPair(truth: t, predicted: p, count: n)) }
        }
        return pairs.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.truth, $0.predicted) < ($1.truth, $1.predicted) }
    }
}
