/// Accuracy figures of a classifier on labelled letters.
public struct Evaluation: Codable, Sendable {
    public let count: Int
    public let top1: Double
    public let top5: Double
    /// Per class (index 0 = A): accuracy, or nil when the class has no images.
    public let perClass: [Double?]
    /// `confusion[true][predicted]` counts.
    public let confusion: [[Int]]

    /// Scores `probabilities` (`[N, C]`) against 0-based `classes`.
    public init(probabilities: [Float], classes: [Int], classCount: Int = 26) {
        let n = classes.count
        precondition(probabilities.count == n * classCount, "probabilities do not match the labels")
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        var top5Hits = 0
        for i in 0..<n {
            let row = probabilities[(i * classCount)..<((i + 1) * classCount)]
            let ranked = row.indices.sorted { row[$0] > row[$1] }.map { $0 - i * classCount }
            confusion[classes[i]][ranked[0]] += 1
            if ranked.prefix(5).contains(classes[i]) { top5Hits += 1 }
        }
        let correct = (0..<classCount).reduce(0) { $0 + confusion[$1][$1] }
        count = n
        top1 = n > 0 ? Double(correct) / Double(n) : 0
        top5 = n > 0 ? Double(top5Hits) / Double(n) : 0
        perClass = confusion.enumerated().map { c, row in
            let total = row.reduce(0, +)
            return total > 0 ? Double(row[c]) / Double(total) : nil
        }
        self.confusion = confusion
    }

    /// The `limit` most frequent mistakes, largest first (``ConfusedPair/ranked(_:)``).
    public func confusedPairs(limit: Int = 10) -> [ConfusedPair] {
        Array(ConfusedPair.ranked(confusion).prefix(limit))
    }
}
