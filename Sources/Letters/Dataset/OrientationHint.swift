/// Guesses whether 28×28 letter images are upright or transposed (raw EMNIST order).
///
/// Heuristic: handwritten letters are mostly taller than wide. For each image we take the bounding
/// box of its ink (pixels above 30 % of that image's maximum) and count images whose box is taller
/// than wide versus wider than tall. Transposing swaps the two counts. Measured on the shared data:
/// upright EMNIST train 60 % tall / 30 % wide, EMNIST test-dev 66 / 26, FEMNIST 63 / 32,
/// Kaggle A–Z 44 / 28; transposed, each pair flips. So a margin of 5 points either way gives the
/// verdict; anything closer (or fewer than 20 images with ink) is "unclear".
public struct OrientationHint: Sendable, CustomStringConvertible {
    public enum Verdict: String, Sendable { case upright, transposed, unclear }

    /// Fractions of images whose ink box is taller than wide, and wider than tall.
    public let tallFraction: Double, wideFraction: Double
    public let verdict: Verdict

    /// Estimates from `count` images of 784 pixels each, row-major (looks at most at `limit` images).
    public init(images: [Float], count: Int, limit: Int = 5000) {
        var tall = 0, wide = 0, inked = 0
        let side = LetterDataset.side
        for k in 0..<min(count, limit) {
            let img = images[(k * 784)..<((k + 1) * 784)]
            guard let peak = img.max(), peak > 0 else { continue }
            let threshold = 0.3 * peak
            var top = side, bottom = -1, left = side, right = -1
            for r in 0..<side {
                for c in 0..<side where img[img.startIndex + r * side + c] > threshold {
                    top = min(top, r); bottom = max(bottom, r); left = min(left, c); right = max(right, c)
                }
            }
            inked += 1
            let h = bottom - top, w = right - left
            if h > w { tall += 1 } else if w > h { wide += 1 }
        }
        tallFraction = inked == 0 ? 0 : Double(tall) / Double(inked)
        wideFraction = inked == 0 ? 0 : Double(wide) / Double(inked)
        if inked < 20 { verdict = .unclear }
        else if tallFraction - wideFraction > 0.05 { verdict = .upright }
        else if wideFraction - tallFraction > 0.05 { verdict = .transposed }
        else { verdict = .unclear }
    }

    public var description: String {
        let pct = { (x: Double) in "\(Int((x * 100).rounded()))%" }
        let why = "ink taller than wide in \(pct(tallFraction)), wider than tall in \(pct(wideFraction)) of images"
        switch verdict {
        case .upright: return "looks upright (\(why))"
        case .transposed: return "looks TRANSPOSED, like raw EMNIST (\(why)); transpose before training"
        case .unclear: return "unclear (\(why))"
        }
    }
}
