import Foundation

/// Tells upright from transposed letter images by asking a trained classifier which way it reads them
/// better: it reads a sample of the images as stored and transposed, and compares how confident it is
/// (the mean top probability) or, where labels are at hand, how often it is right.
///
/// Ink shape (`OrientationHint`) is fooled by files of many wide lowercase letters (the a–r file of
/// EMNIST's other splits looks "transposed" to it); a classifier trained on upright letters is not.
public struct ClassifierOrientation: Sendable, CustomStringConvertible {
    public enum Verdict: String, Sendable { case upright, transposed, unclear }

    public let sampled: Int
    /// Mean top probability as stored and transposed.
    public let confidence: (stored: Double, transposed: Double)
    /// Share read right as stored and transposed (nil without labels).
    public let accuracy: (stored: Double, transposed: Double)?
    public let verdict: Verdict
    /// The verdict from confidence alone (what `verdict` is without labels).
    public let confidenceVerdict: Verdict

    /// Reads up to `limit` images, evenly spread over the file. `images` hold 0…255 values, 784 each.
    public init(images: [Float], labels: [Int]? = nil, count: Int, classifier: LetterClassifier, limit: Int = 300) {
        let n = min(count, limit)
        let picks = (0..<n).map { $0 * count / max(n, 1) }
        var stored = [Float](), flipped = [Float]()
        stored.reserveCapacity(n * 784)
        for i in picks { stored += images[(i * 784)..<((i + 1) * 784)] }
        flipped = LetterDataset.transposeImages(stored)
        let c = classifier.classes
        func read(_ pixels: [Float]) -> (confidence: Double, right: Int) {
            guard n > 0 else { return (0, 0) }
            let p = classifier.probabilities(images: pixels, count: n)
            var sum = 0.0, right = 0
            for k in 0..<n {
                let row = p[(k * c)..<((k + 1) * c)]
                let top = row.indices.max(by: { row[$0] < row[$1] })!
                sum += Double(row[top])
                if let labels, labels[picks[k]] == top - row.startIndex + 1 { right += 1 }
            }
            return (sum / Double(n), right)
        }
        let a = read(stored), b = read(flipped)
        sampled = n
        confidence = (a.confidence, b.confidence)
        accuracy = labels != nil && n > 0 ? (Double(a.right) / Double(n), Double(b.right) / Double(n)) : nil
        // Measured with the shipped CNN on the shared files (2026-11-30): as stored 0.94–0.99 confident and
        // 91–98% right, transposed 0.77–0.85 and 5–24% right; a margin of 0.08 in confidence (or 15 points
        // of accuracy where labels are at hand) decides.
        func decide(_ margin: Double, _ threshold: Double) -> Verdict {
            n < 20 ? .unclear : margin > threshold ? .upright : margin < -threshold ? .transposed : .unclear
        }
        confidenceVerdict = decide(a.confidence - b.confidence, 0.08)
        verdict = accuracy.map { decide($0.stored - $0.transposed, 0.15) } ?? confidenceVerdict
    }

    public var description: String {
        let pct = { (x: Double) in "\(Int((x * 100).rounded()))%" }
        var why = "the shipped classifier is \(pct(confidence.stored)) confident as stored, \(pct(confidence.transposed)) transposed"
        if let accuracy { why += "; reads \(pct(accuracy.stored)) right as stored, \(pct(accuracy.transposed)) transposed" }
        why += ", \(sampled) images"
        switch verdict {
        case .upright: return "upright (\(why))"
        case .transposed: return "TRANSPOSED, like raw EMNIST (\(why)); transpose before training"
        case .unclear: return "unclear (\(why))"
        }
    }
}
