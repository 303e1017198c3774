import Foundation
import Letters

/// `FILE` or `FILE@N`: a data file and how many times per epoch its training images are seen.
struct WeightedPath {
    /// The weights `FILE@N` accepts.
    static let weights = 1...1000

    let path: String, weight: Int
    var url: URL { URL(fileURLWithPath: path) }

    /// Splits off `@N` when the text after the last `@` is a whole number (one too large to
    /// represent reads as `Int.max`, so the range check refuses it instead of it naming a file).
    init(_ argument: String) {
        if let at = argument.lastIndex(of: "@") {
            let suffix = argument[argument.index(after: at)...]
            let digits = suffix.hasPrefix("-") ? suffix.dropFirst() : suffix[...]
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) {
                path = String(argument[..<at])
                weight = Int(suffix) ?? (suffix.hasPrefix("-") ? Int.min : Int.max)
                return
            }
        }
        path = argument; weight = 1
    }

    /// The range check of every `FILE@N` weight among `arguments`.
    static func ranges(_ arguments: [String]) -> [OptionRange] {
        arguments.map(WeightedPath.init).map { w in
            OptionRange(name: "--data \(w.path)@\(w.weight)", problem: weights.contains(w.weight) ? nil
                        : "the weight after @ must be between \(weights.lowerBound) and \(weights.upperBound)")
        }
    }
}

/// Loads a letters file, printing what loading changed about it (`note: …` on stderr).
func loadLetters(_ url: URL) throws -> LetterDataset {
    let set = try LetterDataset.load(url: url)
    for n in set.notes { note("note: " + Terminal.escaped(n)) }
    return set
}
