import Foundation
import NeuralNet

/// Makes noisy letter strips like the course's `test-dataset.npy`: `letters` handwritten letters side by
/// side in a 30×`width` image, 28 px tall at rows 1…28, with random spacing (gaps, touching and
/// overlapping letters; overlaps are summed, so values can exceed 255) and pepper noise.
///
/// Three layouts, mixed per strip:
/// - *cohort* (`cohortShare` of the strips): the real course files' layout, `CohortLayout`;
/// - *packed*: each letter is cropped to its ink columns and placed after the previous one with a gap
///   drawn from `gaps` (negative gaps overlap); the group sits at a random offset in the strip;
/// - *tiled*: whole 28-px letter tiles at equal slots of `width / letters`, each jittered by up to
///   `tileJitter` px, so neighbouring tiles touch or overlap.
public struct StripSynthesizer: Sendable {
    public var letters = StripGeometry.standard.defaultLetters
    public var width = StripGeometry.standard.classicWidth(letters: StripGeometry.standard.defaultLetters)
    public var height = StripGeometry.standard.height
    /// Gap between the ink of neighbouring letters in the packed layout (negative: overlap).
    public var gaps: ClosedRange<Int> = -3...6
    public var tileJitter = 4
    /// Share of packed strips among those not in the cohort layout (the rest are tiled).
    public var packedShare: Double = 0.5
    /// Share of strips in the real files' layout.
    public var cohortShare: Double = 0
    public var cohort = CohortLayout()
    /// Share of pixels replaced by pepper noise (uniform in this range per strip).
    public var noise: ClosedRange<Double> = 0.01...0.04
    /// Share of strips that get the real files' salt-heavy `replacement` noise instead of pepper noise.
    public var replacementShare: Double = 0
    public var replacement = ReplacementNoise()
    /// Distortion applied to each letter before it is placed (`.none` keeps letters as they are).
    public var augmentation: AffineAugmentation = .none

    public init(letters: Int = StripGeometry.standard.defaultLetters, width: Int? = nil) {
        self.letters = letters
        self.width = width ?? StripGeometry.standard.classicWidth(letters: letters)
    }

    /// One strip with its labels (1…26) and the horizontal centre of each letter's ink (in pixels).
    public struct Strip: Sendable {
        public var pixels: [Float]
        public var labels: [Int]
        public var centers: [Float]
        /// The index of each letter in the set it was drawn from (``make(from:rng:)``), in strip order;
        /// empty for strips of given images.
        public var sources: [Int] = []
    }

    /// Draws one strip from random letters of `source`.
    public func make<G: RandomNumberGenerator>(from source: LetterDataset, rng: inout G) -> Strip {
        precondition(source.count > 0, "cannot draw strips from an empty letter set (callers check the data first)")
        let picks = (0..<letters).map { _ in Int.random(in: 0..<source.count, using: &rng) }
        return make(picks: picks, of: source, rng: &rng)
    }

    /// Draws one strip with letters from `sampler` (class-balanced when it is).
    public func make<G: RandomNumberGenerator>(from sampler: LetterSampler, rng: inout G) -> Strip {
        let picks = (0..<letters).map { _ in sampler.draw(rng: &rng) }
        return make(picks: picks, of: sampler.dataset, rng: &rng)
    }

    /// Lays out the letters `picks` of `source`, recording them as the strip's ``Strip/sources``.
    private func make<G: RandomNumberGenerator>(picks: [Int], of source: LetterDataset, rng: inout G) -> Strip {
        var strip = make(images: picks.map { Array(source.image(at: $0)) }, labels: picks.map { source.labels[$0] }, rng: &rng)
        strip.sources = picks
        return strip
    }

    /// Lays out the given 28×28 letter images (0…255, upright).
    public func make<G: RandomNumberGenerator>(images: [[Float]], labels: [Int], rng: inout G) -> Strip {
        var pixels = [Float](repeating: 0, count: height * width)
        var glyphs = images.map { img -> [Float] in
            guard augmentation != .none else { return img }
            var out = [Float](repeating: 0, count: Self.box * Self.box)
            let scaled = img.map { min(max($0, 0), 255) }
            scaled.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { d in
                augmentation.apply(s.baseAddress!, into: d.baseAddress!, rng: &rng) } }
            return out
        }
        glyphs = glyphs.map { $0.map { max($0, 0) } }
        let inks = glyphs.map(Self.inkColumns)
        var lefts: [Int]  // strip column of each glyph's column 0
        if cohortShare > 0 && Double.random(in: 0..<1, using: &rng) < cohortShare {
            lefts = cohort.lefts(count: letters, width: width, rng: &rng)
        } else if Double.random(in: 0..<1, using: &rng) < packedShare {
            var gapList = (1..<max(letters, 1)).map { _ in Int.random(in: gaps, using: &rng) }
            let widths = inks.map { $0.upperBound - $0.lowerBound }
            while widths.reduce(0, +) + gapList.reduce(0, +) > width, let i = gapList.indices.max(by: { gapList[$0] < gapList[$1] }),
                  gapList[i] > -8 { gapList[i] -= 1 }
            let total = widths.reduce(0, +) + gapList.reduce(0, +)
            var x = Int.random(in: 0...max(0, width - total), using: &rng)
            lefts = []
            for (i, ink) in inks.enumerated() {
                lefts.append(x - ink.lowerBound)
                x += widths[i] + (i < gapList.count ? gapList[i] : 0)
            }
        } else {
            let slot = Double(width) / Double(letters)
            lefts = (0..<letters).map { i in
                Int((Double(i) * slot + (slot - Double(Self.box)) / 2).rounded()) + Int.random(in: -tileJitter...tileJitter, using: &rng)
            }
        }
        var centers: [Float] = []
        for (i, glyph) in glyphs.enumerated() {
            let left = lefts[i]
            for y in 0..<Self.box {
                for x in 0..<Self.box where glyph[y * Self.box + x] > 0 {
                    let col = left + x
                    if col >= 0 && col < width { pixels[(y + Self.top) * width + col] += glyph[y * Self.box + x] }
                }
            }
            centers.append(Float(left) + Float(inks[i].lowerBound + inks[i].upperBound - 1) / 2)
        }
        if replacementShare > 0 && Double.random(in: 0..<1, using: &rng) < replacementShare {
            replacement.apply(to: &pixels, rng: &rng)
        } else {
            let share = Double.random(in: noise, using: &rng)
            let flips = Int((share * Double(pixels.count)).rounded())
            for _ in 0..<flips {
                pixels[Int.random(in: 0..<pixels.count, using: &rng)] = Float(Int.random(in: 0...255, using: &rng))
            }
        }
        return Strip(pixels: pixels, labels: labels, centers: centers)
    }

    /// Columns holding ink (any pixel above 20), as a half-open range; the middle column if none.
    static func inkColumns(_ glyph: [Float]) -> Range<Int> {
        var lo = box, hi = 0
        for x in 0..<box where (0..<box).contains(where: { glyph[$0 * box + x] > 20 }) { lo = min(lo, x); hi = max(hi, x + 1) }
        return lo < hi ? lo..<hi : (box / 2 - 1)..<(box / 2 + 1)
    }

    /// A letter image's side, its box in the strip, and the strip row of its top (``StripGeometry``).
    static let box = StripGeometry.standard.boxSize, top = StripGeometry.standard.boxRows.lowerBound

    /// `count` strips from `source`, reproducible from `seed`.
    public func makeSet(from source: LetterDataset, count: Int, seed: UInt64, name: String = "synthetic strips")
        -> (strips: StripSet, labels: [[Int]], centers: [[Float]]) {
        var rng = SeededGenerator(seed: seed)
        var pixels = [Float](); pixels.reserveCapacity(count * height * width)
        var labels: [[Int]] = [], centers: [[Float]] = []
        for _ in 0..<count {
            let s = make(from: source, rng: &rng)
            pixels += s.pixels; labels.append(s.labels); centers.append(s.centers)
        }
        // The pixels are finite by construction.
        let set = try! StripSet(name: name, count: count, height: height, width: width, pixels: pixels)
        return (set, labels, centers)
    }
}
