/// Normalized squared error Σ(a−b)²/Σb², with `b` the reference (plain Σ(a−b)² when `b` is all zero);
/// infinite when the lengths differ or a NaN appears on one side only or in the difference.
public func normalizedSquaredError(_ a: [Float], _ b: [Float]) -> Double {
    guard a.count == b.count else { return .infinity }
    var num = 0.0, den = 0.0
    for (x, y) in zip(a, b) {
        let d = Double(x) - Double(y)
        if d.isNaN || (x.isNaN != y.isNaN) { return .infinity }
        num += d * d; den += Double(y) * Double(y)
    }
    return den > 0 ? num / den : num
}
