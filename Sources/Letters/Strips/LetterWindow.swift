import Foundation
import NeuralNet

/// A letter as it appears inside a strip: the 28×28 window of strip pixels around the letter's centre,
/// with whatever its neighbours' strokes, overlaps and noise put there.
///
/// The window is the letter box's rows (the strip's middle 28 rows) and the 28 columns centred on
/// `centre` (a strip column; the centre of a box's ink lies near box column 13.5), pixels clamped to
/// 0…255, zeros past the strip's ends. The same cut serves training (``LetterWindowSet``) and the
/// strip reader's second pass (``WindowRescoring``), so the classifier sees at reading time exactly
/// what it was trained on.
public enum LetterWindow {
    public static let side = LetterDataset.side

    /// The strip column of the window's first column for a letter centred on strip column `centre`.
    public static func left(centre: Float) -> Int { Int((centre - Float(side - 1) / 2).rounded(.down)) }

    /// The first strip row of the window in a strip `height` rows tall (the box rows 1…28 of a 30-row strip).
    public static func top(height: Int) -> Int { max(0, (height - side) / 2) }

    /// Writes the window of `strip` (`height` × `width`, row-major) whose first column is strip column
    /// `left` into `out` (784 values).
    public static func cut(_ strip: ArraySlice<Float>, width: Int, height: Int, left: Int, into out: UnsafeMutablePointer<Float>) {
        let top = top(height: height), base = strip.startIndex
        for y in 0..<side {
            let row = top + y
            for x in 0..<side {
                let col = left + x
                let v: Float = row < height && col >= 0 && col < width ? strip[base + row * width + col] : 0
                out[y * side + x] = min(max(v, 0), 255)
            }
        }
    }
}

/// Letters cut from synthesized strips (``LetterWindow``), for training a classifier on letters as
/// they appear in strips rather than alone: each strip is drawn by the strip reader's training
/// synthesizer (``StripSynthesizer/trainingMix(letters:width:)``, the real layout with every range
/// widened, plus the older layouts) and every letter of it is cut around its ink centre moved by up to
/// `jitter` columns either way (the reader places letters on a 4-px grid).
public struct LetterWindowSet: Sendable {
    /// Layouts drawn in turn: [letters, narrowest width, widest width] (the strip reader's).
    public var layouts = StripTrainer.Options().layouts
    /// Largest shift of the window from the letter's ink centre (columns).
    public var jitter = 3

    public init() {}

    /// `count` windows of letters drawn class-balanced from `letters` (an image listed `repeats[i]`
    /// times is drawn that much more often within its class), reproducible from `seed`.
    public func make(from letters: LetterDataset, repeats: [Int]? = nil, count: Int, seed: UInt64) -> LetterDataset {
        let items = letters.labels.indices.flatMap { Array(repeating: $0, count: max(0, repeats?[$0] ?? 1)) }
        let sampler = ClassBalancedSampler(items: items) { letters.labels[$0] - 1 }
        var rng = SeededGenerator(seed: seed)
        var images = [Float](repeating: 0, count: count * LetterWindow.side * LetterWindow.side)
        var labels = [Int](); labels.reserveCapacity(count)
        var turn = 0
        images.withUnsafeMutableBufferPointer { out in
            while labels.count < count {
                let layout = layouts[turn % layouts.count]; turn += 1
                let width = Int.random(in: layout[1]...max(layout[1], layout[2]), using: &rng)
                let synth = StripSynthesizer.trainingMix(letters: layout[0], width: width)
                let picks = (0..<layout[0]).map { _ in sampler.draw(rng: &rng) ?? 0 }
                let strip = synth.make(images: picks.map { Array(letters.image(at: $0)) }, labels: picks.map { letters.labels[$0] },
                                       rng: &rng)
                for (i, centre) in strip.centers.enumerated() where labels.count < count {
                    let shift = Int.random(in: -jitter...jitter, using: &rng)
                    LetterWindow.cut(strip.pixels[...], width: width, height: synth.height,
                                     left: LetterWindow.left(centre: centre) + shift,
                                     into: out.baseAddress! + labels.count * LetterDataset.pixelsPerImage)
                    labels.append(strip.labels[i])
                }
            }
        }
        return LetterDataset(unchecked: "\(count) letters cut from strips of \(letters.name)", images: images, labels: labels)
    }
}
