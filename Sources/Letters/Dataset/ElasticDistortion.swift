import Foundation

/// Elastic distortion of 28×28 letters (Simard, Steinkraus & Platt, 2003): every pixel moves by a
/// random displacement field — uniform noise in [−1, 1] smoothed by a Gaussian of width `sigma` and
/// scaled by `alpha` pixels — with bilinear sampling. It bends strokes the way different hands do,
/// which an affine map cannot. Drawn from a seeded generator, so runs repeat.
public struct ElasticDistortion: Codable, Equatable, Sendable {
    /// Scale of the displacements, in pixels (Simard et al. use 34 with `sigma` 4 on MNIST).
    public var alpha: Float
    /// Width of the Gaussian that smooths the field, in pixels.
    public var sigma: Float

    public init(alpha: Float = 34, sigma: Float = 4) {
        self.alpha = alpha
        self.sigma = sigma
    }

    /// The normalized Gaussian taps, `-r…r` with `r = ⌈3σ⌉`.
    var kernel: [Float] {
        let r = max(1, Int((3 * sigma).rounded(.up)))
        let taps = (-r...r).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        let sum = taps.reduce(0, +)
        return taps.map { $0 / sum }
    }

    /// Distorts the `side`×`side` image at `image` in place.
    public func apply<G: RandomNumberGenerator>(_ image: UnsafeMutablePointer<Float>, side: Int = 28, rng: inout G) {
        let n = side * side, taps = kernel, r = taps.count / 2
        var dx = (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
        var dy = (0..<n).map { _ in Float.random(in: -1...1, using: &rng) }
        var scratch = [Float](repeating: 0, count: n)
        // Separable smoothing (zero outside the image), rows then columns.
        func smooth(_ field: inout [Float]) {
            for y in 0..<side {
                for x in 0..<side {
                    var s: Float = 0
                    for k in max(-r, -x)...min(r, side - 1 - x) { s += taps[k + r] * field[y * side + x + k] }
                    scratch[y * side + x] = s
                }
            }
            for y in 0..<side {
                for x in 0..<side {
                    var s: Float = 0
                    for k in max(-r, -y)...min(r, side - 1 - y) { s += taps[k + r] * scratch[(y + k) * side + x] }
                    field[y * side + x] = alpha * s
                }
            }
        }
        smooth(&dx)
        smooth(&dy)
        let source = Array(UnsafeBufferPointer(start: image, count: n))
        source.withUnsafeBufferPointer { src in
            for y in 0..<side {
                for x in 0..<side {
                    let i = y * side + x
                    image[i] = bilinear(src.baseAddress!, side, Float(x) + dx[i], Float(y) + dy[i])
                }
            }
        }
    }
}
