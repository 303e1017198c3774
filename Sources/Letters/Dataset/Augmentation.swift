import Foundation
import NeuralNet

/// Random affine distortion of 28×28 letters (rotation, scale, shear, shift) with bilinear sampling,
/// drawn from a seeded generator so that runs repeat.
public struct AffineAugmentation: Codable, Equatable, Sendable {
    /// Maximum rotation in degrees (uniform in ±).
    public var rotation: Float = 12
    /// Scale range (uniform, the same on both axes, times an independent ±`aspect` stretch).
    public var scale: ClosedRange<Float> = 0.88...1.12
    public var aspect: Float = 0.08
    /// Maximum horizontal shear (uniform in ±).
    public var shear: Float = 0.25
    /// Maximum shift in pixels on each axis (uniform in ±).
    public var shift: Float = 2.5
    /// Probability of returning the image untouched.
    public var identityProbability: Float = 0.1

    public init() {}

    /// No distortion at all.
    public static let none: AffineAugmentation = {
        var a = AffineAugmentation()
        a.identityProbability = 1
        return a
    }()

    /// Writes a distorted copy of the `side`×`side` image at `source` into `destination`.
    public func apply<G: RandomNumberGenerator>(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>,
                                               side: Int = 28, rng: inout G) {
        let n = side * side
        if identityProbability >= 1 || Float.random(in: 0..<1, using: &rng) < identityProbability {
            destination.update(from: source, count: n)
            return
        }
        let angle = Float.random(in: -rotation...rotation, using: &rng) * .pi / 180
        let s = Float.random(in: scale, using: &rng)
        let stretch = Float.random(in: -aspect...aspect, using: &rng)
        let sx = s * (1 + stretch), sy = s * (1 - stretch)
        let sh = Float.random(in: -shear...shear, using: &rng)
        let tx = Float.random(in: -shift...shift, using: &rng), ty = Float.random(in: -shift...shift, using: &rng)
        // Forward map (about the centre): p' = R · Sh · S · p + t. Sample with its inverse.
        let (c, sn) = (cosf(angle), sinf(angle))
        // M = R · [[1, sh], [0, 1]] · diag(sx, sy)
        let m00 = c * sx, m01 = (c * sh - sn) * sy
        let m10 = sn * sx, m11 = (sn * sh + c) * sy
        let det = m00 * m11 - m01 * m10
        let i00 = m11 / det, i01 = -m01 / det, i10 = -m10 / det, i11 = m00 / det
        let centre = Float(side - 1) / 2
        for y in 0..<side {
            for x in 0..<side {
                let dx = Float(x) - centre - tx, dy = Float(y) - centre - ty
                let u = i00 * dx + i01 * dy + centre, v = i10 * dx + i11 * dy + centre
                destination[y * side + x] = bilinear(source, side, u, v)
            }
        }
    }
}

/// Bilinear sample of a `side`×`side` image at (u, v) = (column, row), zero outside.
@inline(__always)
func bilinear(_ image: UnsafePointer<Float>, _ side: Int, _ u: Float, _ v: Float) -> Float {
    let x0 = Int(floorf(u)), y0 = Int(floorf(v))
    let fx = u - Float(x0), fy = v - Float(y0)
    @inline(__always) func at(_ x: Int, _ y: Int) -> Float {
        (x >= 0 && x < side && y >= 0 && y < side) ? image[y * side + x] : 0
    }
    let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
    let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
    return top * (1 - fy) + bottom * fy
}
