/// Separable resampling of a float image: area averaging when shrinking (every source pixel counts,
/// so thin strokes fade instead of vanishing), bilinear when enlarging. Source pixels outside the
/// image count as 0.
enum ImageResampling {
    /// One output sample: the source indices it reads and their weights.
    typealias Taps = [(index: Int, weight: Float)]

    /// Taps of `count` output samples along an axis of `source` samples, output `o` covering source
    /// coordinates `origin + o/scale ..< origin + (o+1)/scale`.
    static func taps(count: Int, origin: Double, scale: Double, source: Int) -> [Taps] {
        (0..<count).map { o in
            var taps: Taps = []
            if scale <= 1 {  // area: the overlap of each source pixel with the output's interval
                let a = origin + Double(o) / scale, b = origin + Double(o + 1) / scale
                var i = Int(a.rounded(.down))
                while Double(i) < b {
                    let overlap = min(b, Double(i + 1)) - max(a, Double(i))
                    if overlap > 0, i >= 0, i < source { taps.append((i, Float(overlap * scale))) }
                    i += 1
                }
            } else {  // bilinear at the output's centre
                let c = origin + (Double(o) + 0.5) / scale - 0.5
                let i = Int(c.rounded(.down)), t = c - Double(i)
                if i >= 0, i < source { taps.append((i, Float(1 - t))) }
                if i + 1 >= 0, i + 1 < source, t > 0 { taps.append((i + 1, Float(t))) }
            }
            return taps
        }
    }

    /// Resamples `pixels` (`width`×`height`) to `rows`×`cols` with the given taps per axis.
    static func apply(_ pixels: [Float], width: Int, rowTaps: [Taps], colTaps: [Taps]) -> [Float] {
        let rows = rowTaps.count, cols = colTaps.count
        var out = [Float](repeating: 0, count: rows * cols)
        var line = [Float](repeating: 0, count: width)
        for r in 0..<rows {
            for x in 0..<width { line[x] = 0 }
            for (y, w) in rowTaps[r] {
                let base = y * width
                for x in 0..<width { line[x] += w * pixels[base + x] }
            }
            for c in 0..<cols {
                var s: Float = 0
                for (x, w) in colTaps[c] { s += w * line[x] }
                out[r * cols + c] = s
            }
        }
        return out
    }
}
