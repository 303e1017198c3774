/// How a reader's window positions get their training targets (`train-reader --targets`), and so how
/// close two letters its readings may place (``closestPositions(sameLetter:)``).
///
/// - `tolerant` (the shipped readers until 2026-12-07): a window is the letter whose ink centre lies within
///   2 px of it, background when every centre is 5 px or more away, and no target in between. A letter
///   may fire in two neighbouring windows, so readings keep letters 8 px apart.
/// - `exclusive`: each letter is the target of its one nearest window only (when two letters share
///   a window, the nearer one), every other window background. A letter then fires in one window, so
///   two *different* letters may be read in neighbouring windows (4 px apart); the same letter twice
///   still needs 8 px, as a letter's score may spread over two windows.
public enum StripTargets: String, Codable, CaseIterable, Sendable {
    case tolerant, exclusive

    /// The model metadata key naming a reader's rule (absent: `tolerant`).
    public static let metadataKey = "targets"

    /// Targets for one strip: class per position (0-based, `StripReader.background`), or −1 for no target.
    /// `centers` are strip columns, `labels` 1-based.
    public func targets(centers: [Float], labels: [Int], positions: Int) -> [Int] {
        switch self {
        case .tolerant: Self.tolerantTargets(centers: centers, labels: labels, positions: positions)
        case .exclusive: Self.exclusiveTargets(centers: centers, labels: labels, positions: positions)
        }
    }

    /// Window positions a reading keeps between two neighbouring letters: the same letter twice, or two
    /// different letters.
    public func closestPositions(sameLetter: Bool) -> Int {
        switch self {
        case .tolerant: StripReader.minimumSpacing
        case .exclusive: sameLetter ? StripReader.minimumSpacing : 1
        }
    }

    /// The index of the centre in `centers` nearest to column `c` (the first of equally near ones), nil if none.
    static func nearestCentre(to c: Float, in centers: [Float]) -> Int? {
        centers.indices.min(by: { abs(centers[$0] - c) < abs(centers[$1] - c) })
    }

    static func tolerantTargets(centers: [Float], labels: [Int], positions: Int) -> [Int] {
        (0..<positions).map { j in
            let c = StripReader.center(ofPosition: j)
            guard let k = nearestCentre(to: c, in: centers) else {
                return StripReader.background
            }
            let d = abs(centers[k] - c)
            return d <= 2 ? labels[k] - 1 : (d >= 5 ? StripReader.background : -1)
        }
    }

    static func exclusiveTargets(centers: [Float], labels: [Int], positions: Int) -> [Int] {
        var out = [Int](repeating: StripReader.background, count: positions)
        guard positions > 0 else { return out }
        var nearest = [Float](repeating: .infinity, count: positions)
        let first = StripReader.center(ofPosition: 0), stride = Float(StripReader.stride)
        for (k, c) in centers.enumerated() {
            // The nearest window; a centre halfway between two goes to the left one.
            let j = Int(((c - first) / stride - 0.5).rounded(.up))
            guard j >= 0, j < positions else { continue }
            let d = abs(c - StripReader.center(ofPosition: j))
            // Two letters equally near one window: the first (left) one, as in the tolerant rule.
            if d <= stride / 2, d < nearest[j] { nearest[j] = d; out[j] = labels[k] - 1 }
        }
        return out
    }
}
