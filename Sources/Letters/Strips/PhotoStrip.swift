import LetterFormats
/// Turns an image of one line of letters — a photo or scan of one's own handwriting, or a course strip
/// saved as an image — into a strip as the course's are: 30 rows, light ink on black, letters 24 px
/// tall at rows 3…26 (where the ink of the median EMNIST letter lies: rows 2…25 of its 28-px box,
/// which strips place at rows 1…28).
///
/// 1. Grayscale (done by the decoder). Dark ink on light paper — a border brighter than mid-grey — is
///    inverted to light on dark.
/// 2. An image already 30 px tall is a strip: it goes through as it is (inverted or not), so a course
///    strip saved as an 8-bit PNG reads exactly as the `.npy` does.
/// 3. Otherwise the paper's uneven brightness is subtracted (``PaperBackground``), and contrast is
///    stretched: the paper's noise (Otsu's threshold splits paper from ink) goes to 0, the ink's
///    median to 255.
/// 4. The ink rows and columns are found (between 0.5% and 99.5% of the ink's mass, so specks do not
///    count), scaled by one factor so the ink is 24 px tall, with 4 px of margin each side, placed at
///    rows 3…26 of a 30-px strip; the strokes are then stretched so their brightest 3% reach 255.
public enum PhotoStrip {
    public static var height: Int { StripGeometry.standard.height }
    public static let inkTop = 3, inkHeight = 24, margin = 4
    /// The widest strip made (a longer line is cut at the right).
    public static let maxWidth = 4096

    public struct Result: Sendable {
        public var pixels: [Float]
        public var width: Int
        /// Dark ink on light paper, inverted.
        public var inverted: Bool
        /// The factor the image was scaled by; nil when it was already a 30-px strip (or blank).
        public var scale: Double?
    }

    public static func strip(from image: GrayImage) -> Result {
        let inverted = borderLevel(image) > 127.5
        let values = image.pixels.map { inverted ? 255 - Float($0) : Float($0) }
        if image.height == height { return Result(pixels: values, width: image.width, inverted: inverted, scale: nil) }
        let flat = PaperBackground(values, width: image.width, height: image.height).flattened(values)
        let ink = stretched(flat)
        guard let rows = inkSpan(ink, count: image.height, stride: image.width, along: image.width),
              let cols = inkSpan(ink, count: image.width, stride: 1, along: image.height, step: image.width) else {
            let w = min(maxWidth, max(StripGeometry.standard.boxSize, Int((Double(image.width) * Double(height) / Double(image.height)).rounded())))
            return Result(pixels: [Float](repeating: 0, count: height * w), width: w, inverted: inverted, scale: nil)
        }
        let f = Double(inkHeight) / Double(rows.count)
        let m = Double(margin) / f
        let width = min(maxWidth, max(StripGeometry.standard.boxSize, Int(((Double(cols.count) + 2 * m) * f).rounded())))
        let rowTaps = ImageResampling.taps(count: height, origin: Double(rows.lowerBound) - Double(inkTop) / f, scale: f, source: image.height)
        let colTaps = ImageResampling.taps(count: width, origin: Double(cols.lowerBound) - m, scale: f, source: image.width)
        var out = ImageResampling.apply(ink, width: image.width, rowTaps: rowTaps, colTaps: colTaps)
        brighten(&out)
        return Result(pixels: out, width: width, inverted: inverted, scale: f)
    }

    /// The median of the image's outermost pixels.
    static func borderLevel(_ image: GrayImage) -> Double {
        var histogram = [Int](repeating: 0, count: 256)
        let w = image.width, h = image.height
        for x in 0..<w { histogram[Int(image.pixels[x])] += 1; if h > 1 { histogram[Int(image.pixels[(h - 1) * w + x])] += 1 } }
        for y in 1..<max(1, h - 1) { histogram[Int(image.pixels[y * w])] += 1; if w > 1 { histogram[Int(image.pixels[y * w + w - 1])] += 1 } }
        return Double(PaperBackground.quantile(histogram, 0.5))
    }

    /// Paper (below Otsu's threshold, plus two of its standard deviations) to 0, the ink's median to 255.
    static func stretched(_ pixels: [Float]) -> [Float] {
        var histogram = [Int](repeating: 0, count: 256)
        for v in pixels { histogram[Int(min(255, max(0, v.rounded())))] += 1 }
        let t = otsu(histogram)
        let paper = histogram[0...t], inkCounts = Array(histogram[(t + 1)...])
        let n = paper.reduce(0, +)
        let mean = Double(paper.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(max(n, 1))
        let variance = paper.enumerated().reduce(0.0) { $0 + Double($1.element) * pow2(Double($1.offset) - mean) } / Double(max(n, 1))
        let lo = Float(min(Double(t), mean + 2 * variance.squareRoot()))
        let hi = max(lo + 16, Float(t + 1 + PaperBackground.quantile(inkCounts, 0.5)))
        return pixels.map { max(0, min(255, ($0 - lo) / (hi - lo) * 255)) }
    }

    /// Otsu's threshold: the level that best splits the histogram into two classes (the last level of the lower class).
    static func otsu(_ histogram: [Int]) -> Int {
        let total = Double(histogram.reduce(0, +))
        let sum = Double(histogram.enumerated().reduce(0) { $0 + $1.offset * $1.element })
        var weight = 0.0, partial = 0.0, best = 0.0, threshold = 0
        for t in 0..<255 {
            weight += Double(histogram[t]); partial += Double(t * histogram[t])
            guard weight > 0, weight < total else { continue }
            let m0 = partial / weight, m1 = (sum - partial) / (total - weight)
            let between = weight * (total - weight) * pow2(m0 - m1)
            if between > best { best = between; threshold = t }
        }
        return threshold
    }

    /// The lines (rows or columns) holding the middle 99% of the ink's mass; nil without ink.
    /// Line `i` sums `along` pixels starting at `i * stride`, `step` apart.
    static func inkSpan(_ pixels: [Float], count: Int, stride: Int, along: Int, step: Int = 1) -> Range<Int>? {
        let mass = (0..<count).map { i in (0..<along).reduce(Float(0)) { $0 + pixels[i * stride + $1 * step] } }
        let total = mass.reduce(0, +)
        guard total > 0 else { return nil }
        var seen: Float = 0, lo = 0, hi = count
        for (i, m) in mass.enumerated() {
            if seen <= 0.005 * total && seen + m > 0.005 * total { lo = i }
            if seen < 0.995 * total && seen + m >= 0.995 * total { hi = i + 1 }
            seen += m
        }
        return lo < hi ? lo..<hi : nil
    }

    /// Scales the strip so the brightest 3% of its pixels reach 255 (thin pen strokes thinned further
    /// by shrinking), by at most 4×, and keeps every pixel in 0…255 (resampling weights sum to 1 only
    /// up to rounding).
    static func brighten(_ pixels: inout [Float]) {
        let sorted = pixels.sorted()
        let q = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.97))]
        let gain = q > 0 && q < 255 ? min(4, 255 / q) : 1
        for i in pixels.indices { pixels[i] = min(255, max(0, pixels[i] * gain)) }
    }

    static func pow2(_ x: Double) -> Double { x * x }
}
