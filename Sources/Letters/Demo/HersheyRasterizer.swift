import Foundation

/// Draws Hershey glyphs as 28×28 letters in the style of EMNIST: white strokes on black (0…255),
/// the ink fitted, aspect kept, into a box about 24 px tall centred in the frame (a 2-px border),
/// with soft anti-aliased edges. A `Style` adds the variety of handwriting: slant, rotation, scale,
/// stretch, stroke width, a shift and a small wobble of every stroke point.
public enum HersheyRasterizer {
    public static let side = 28
    /// The box the ink is fitted into (EMNIST: 24 px in a 28-px frame).
    public static let box: Float = 24

    public struct Style: Sendable, Equatable {
        /// Horizontal shear: positive leans the letter to the right.
        public var slant: Float = 0
        /// Rotation in degrees.
        public var rotation: Float = 0
        /// Share of the 24-px box the letter's longer side fills.
        public var scale: Float = 1
        /// Relative horizontal stretch (0: none).
        public var stretch: Float = 0
        /// Stroke width in pixels.
        public var strokeWidth: Float = 2.2
        /// Shift of the letter's centre in pixels.
        public var dx: Float = 0, dy: Float = 0
        /// Standard deviation of each stroke point's wobble, in glyph units (a capital is ~21 units tall).
        public var wobble: Float = 0

        public init() {}

        /// A random handwriting-like style.
        public static func random<G: RandomNumberGenerator>(using rng: inout G) -> Style {
            var s = Style()
            s.slant = Float.random(in: -0.15...0.35, using: &rng)
            s.rotation = Float.random(in: -8...8, using: &rng)
            s.scale = Float.random(in: 0.82...1, using: &rng)
            s.stretch = Float.random(in: -0.15...0.15, using: &rng)
            s.strokeWidth = Float.random(in: 1.6...3.2, using: &rng)
            s.dx = Float.random(in: -1.5...1.5, using: &rng)
            s.dy = Float.random(in: -1.5...1.5, using: &rng)
            s.wobble = Float.random(in: 0...0.45, using: &rng)
            return s
        }
    }

    /// The glyph as 784 pixels, row-major, 0…255. `rng` draws the wobble (unused when `style.wobble` is 0).
    public static func render<G: RandomNumberGenerator>(_ glyph: HersheyFont.Glyph, style: Style = Style(),
                                                       rng: inout G) -> [Float] {
        let angle = style.rotation * .pi / 180, (c, s) = (cosf(angle), sinf(angle))
        let strokes = glyph.strokes.map { stroke in
            stroke.map { p -> (x: Float, y: Float) in
                var x = p.x, y = p.y
                if style.wobble > 0 {
                    x += style.wobble * Float.random(in: -1...1, using: &rng)
                    y += style.wobble * Float.random(in: -1...1, using: &rng)
                }
                x = (x - style.slant * y) * (1 + style.stretch)
                return (c * x - s * y, s * x + c * y)
            }
        }
        let points = strokes.joined()
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
              let minY = points.map(\.y).min(), let maxY = points.map(\.y).max() else {
            return [Float](repeating: 0, count: side * side)
        }
        // Fit the stroke centrelines so that the ink, strokes included, fills `scale` of the box.
        let extent = max(maxX - minX, maxY - minY, 1)
        let k = max(box * style.scale - style.strokeWidth, 4) / extent
        let cx = Float(side) / 2 + style.dx, cy = Float(side) / 2 + style.dy
        let segments: [(Float, Float, Float, Float)] = strokes.flatMap { stroke -> [(Float, Float, Float, Float)] in
            let mapped = stroke.map { (cx + ($0.x - (minX + maxX) / 2) * k, cy + ($0.y - (minY + maxY) / 2) * k) }
            if mapped.count == 1 { return [(mapped[0].0, mapped[0].1, mapped[0].0, mapped[0].1)] }
            return zip(mapped, mapped.dropFirst()).map { ($0.0, $0.1, $1.0, $1.1) }
        }
        let half = style.strokeWidth / 2
        var out = [Float](repeating: 0, count: side * side)
        for row in 0..<side {
            for col in 0..<side {
                let px = Float(col) + 0.5, py = Float(row) + 0.5
                var d = Float.infinity
                for seg in segments { d = min(d, distance(px, py, seg)) }
                out[row * side + col] = 255 * min(max(half + 0.5 - d, 0), 1)
            }
        }
        return out
    }

    /// The glyph drawn upright, unwobbled, at full size.
    public static func render(_ glyph: HersheyFont.Glyph, style: Style = Style()) -> [Float] {
        var rng = SystemRandomNumberGenerator()
        var plain = style
        plain.wobble = 0
        return render(glyph, style: plain, rng: &rng)
    }

    /// Distance from (px, py) to the segment (x0, y0)–(x1, y1).
    static func distance(_ px: Float, _ py: Float, _ seg: (Float, Float, Float, Float)) -> Float {
        let (x0, y0, x1, y1) = seg
        let vx = x1 - x0, vy = y1 - y0, len2 = vx * vx + vy * vy
        let t = len2 > 0 ? min(max(((px - x0) * vx + (py - y0) * vy) / len2, 0), 1) : 0
        let dx = px - (x0 + t * vx), dy = py - (y0 + t * vy)
        return (dx * dx + dy * dy).squareRoot()
    }
}
