import Foundation
import NeuralNet

/// The layout of the real course files (issue "real cohort strips"): whole 28-px letter boxes, not
/// cropped to their ink, at rows 1…28, each box jittered on its own around a regular pitch, so
/// neighbours often overlap core on core (summed, up to 510) or stand far apart, with uneven margins.
///
/// Per strip a pitch, a jitter size and a shift of the whole group are drawn; box `i`'s left edge is
/// `base + i·pitch + U(−jitter, jitter)`, with the group centred in the strip plus the shift. Boxes
/// keep their order (at least `minimumSpacing` apart) and may reach `overhang` px past either end,
/// where EMNIST boxes hold no ink. The defaults reproduce the real 5-letter file's brightest-pixel
/// histogram (about 36% of strips at 484–510, 46% at 255, the rest between).
public struct CohortLayout: Sendable, Equatable {
    /// Mean distance between neighbouring boxes, drawn per strip (px).
    public var pitch: ClosedRange<Double>
    /// Largest shift of one box from its place on the pitch, drawn per strip (px).
    public var jitter: ClosedRange<Double>
    /// Largest shift of the whole group from the strip's centre (px).
    public var shift: Double
    /// Smallest distance between neighbouring boxes' left edges (px).
    public var minimumSpacing = 2
    /// How far a box may reach past either end of the strip (px).
    public var overhang: Int

    public init(pitch: ClosedRange<Double> = 27.5...28.5, jitter: ClosedRange<Double> = 12...15, shift: Double = 2, overhang: Int = 2) {
        self.pitch = pitch; self.jitter = jitter; self.shift = shift; self.overhang = overhang
    }

    /// Left edge (strip column of box column 0) of each of `count` boxes in a strip `width` px wide.
    public func lefts<G: RandomNumberGenerator>(count: Int, width: Int, rng: inout G) -> [Int] {
        guard count > 0 else { return [] }
        let box = StripGeometry.standard.boxSize
        let lo = -overhang, hi = width - box + overhang
        let widest = count > 1 ? Double(max(hi - lo, 0)) / Double(count - 1) : 0
        let pitch = min(Double.random(in: self.pitch, using: &rng), widest)
        let jitter = Double.random(in: self.jitter, using: &rng)
        let base = Double(width - box) / 2 - pitch * Double(count - 1) / 2
            + (shift > 0 ? Double.random(in: -shift...shift, using: &rng) : 0)
        var lefts = (0..<count).map { i in
            Int((base + Double(i) * pitch + Double.random(in: -jitter...jitter, using: &rng)).rounded())
        }
        for i in lefts.indices {
            lefts[i] = min(max(lefts[i], lo), hi)
            if i > 0 { lefts[i] = max(lefts[i], lefts[i - 1] + minimumSpacing) }
        }
        // Pushed past the right end: pull back, keeping the order.
        for i in lefts.indices.reversed() {
            lefts[i] = min(lefts[i], i == lefts.count - 1 ? hi : lefts[i + 1] - minimumSpacing)
        }
        return lefts
    }
}

/// Replacement noise as in the real files: each pixel is replaced with probability `share` (drawn per
/// strip); a replaced pixel becomes 255 with probability `salt` (drawn per strip), else a uniform value
/// in 0…254, so noise both speckles the background and punches dark holes into strokes.
public struct ReplacementNoise: Sendable, Equatable {
    public var share: ClosedRange<Double> = 0.085...0.115
    public var salt: ClosedRange<Double> = 0.45...0.55

    public init(share: ClosedRange<Double> = 0.085...0.115, salt: ClosedRange<Double> = 0.45...0.55) {
        self.share = share; self.salt = salt
    }

    public func apply<G: RandomNumberGenerator>(to pixels: inout [Float], rng: inout G) {
        let p = Double.random(in: share, using: &rng), s = Double.random(in: salt, using: &rng)
        guard p > 0 else { return }
        for i in pixels.indices where Double.random(in: 0..<1, using: &rng) < p {
            pixels[i] = Double.random(in: 0..<1, using: &rng) < s ? 255 : Float(Int.random(in: 0...254, using: &rng))
        }
    }
}

extension StripSynthesizer {
    /// Strips laid out and noised the way the real course files are (the evaluation setting):
    /// `CohortLayout` and `ReplacementNoise` with their default ranges (7.5% noise for 4 letters, as in
    /// that cohort's file), letters as they are.
    public static func realCohort(letters: Int, width: Int) -> StripSynthesizer {
        var s = StripSynthesizer(letters: letters, width: width)
        s.cohortShare = 1
        s.replacementShare = 1
        // The 4-letter cohort's file had about 7.5% of its pixels replaced, the 5-letter one about 10%.
        if letters <= 4 { s.replacement.share = 0.065...0.085 }
        return s
    }

    /// The training mix: mostly the real layout and noise with every range wider than the real files'
    /// (so the reader is not tuned to one guess of the real generator), the older packed and tiled
    /// layouts and pepper noise kept in the mix, letters slightly distorted.
    public static func trainingMix(letters: Int, width: Int) -> StripSynthesizer {
        var s = StripSynthesizer(letters: letters, width: width)
        s.cohortShare = 0.7
        s.cohort = CohortLayout(pitch: 22...34, jitter: 3...17, shift: 8, overhang: 3)
        s.replacementShare = 0.8
        s.replacement = ReplacementNoise(share: 0...0.17, salt: 0.25...0.75)
        s.noise = 0...0.05
        var aug = AffineAugmentation()
        aug.rotation = 8; aug.shift = 1; aug.identityProbability = 0.4
        s.augmentation = aug
        return s
    }
}
