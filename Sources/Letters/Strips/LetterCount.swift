import Foundation

/// How many letters each strip is read as: a fixed count (`--letters 5`), or any count in a range with
/// a length prior (`--letters auto`), where each strip's guesses may differ in length.
public enum LetterCount: Sendable, Equatable {
    case fixed(Int)
    case any(ClosedRange<Int>, prior: LetterCountPrior)

    /// The fewest and the most letters a reading may have.
    public var range: ClosedRange<Int> {
        switch self {
        case .fixed(let n): return n...n
        case .any(let r, _): return r
        }
    }

    /// The same, with the range cut to the counts that fit strips `width` px wide (nil when none does).
    public func fitting(width: Int) -> LetterCount? {
        let most = StripReader.maxLetters(width: width)
        switch self {
        case .fixed(let n): return n <= most ? self : nil
        case .any(let r, let prior):
            return r.lowerBound <= min(r.upperBound, most) ? .any(r.lowerBound...min(r.upperBound, most), prior: prior) : nil
        }
    }

    /// The decoder of these counts for a reader trained with `targets` (how close its letters may sit).
    public func decoder(k: Int, targets: StripTargets = .tolerant) -> KBestDecoder {
        let same = targets.closestPositions(sameLetter: true), different = targets.closestPositions(sameLetter: false)
        switch self {
        case .fixed(let n): return KBestDecoder(letters: n, k: k, minimumSpacing: same, differentLetterSpacing: different)
        case .any(let r, let prior):
            return KBestDecoder(counts: r, prior: prior, k: k, minimumSpacing: same, differentLetterSpacing: different)
        }
    }
}
