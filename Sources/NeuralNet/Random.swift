/// A small, fast, seedable generator (SplitMix64), so the same seed gives the same weights,
/// shuffles and augmentations on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform float in [0, 1).
    public mutating func nextUniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// A standard normal sample (Box–Muller).
    public mutating func nextNormal() -> Float {
        let u1 = max(nextUniform(), 1e-7), u2 = nextUniform()
        return (-2 * _logf(u1)).squareRoot() * _cosf(2 * .pi * u2)
    }
}

@inline(__always) func _logf(_ x: Float) -> Float { Float(log(Double(x))) }
@inline(__always) func _cosf(_ x: Float) -> Float { Float(cos(Double(x))) }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `count` values uniform in ±√(6/fanIn) (He/Kaiming initialization for ReLU networks).
func kaimingUniform<G: RandomNumberGenerator>(count: Int, fanIn: Int, rng: inout G) -> [Float] {
    let bound = (6 / Float(max(fanIn, 1))).squareRoot()
    return (0..<count).map { _ in Float.random(in: -bound..<bound, using: &rng) }
}
