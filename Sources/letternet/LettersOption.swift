import ArgumentParser
import Letters

/// `--letters N` (every strip holds N letters) or `--letters auto` (each strip's count is read too).
enum LettersOption: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case count(Int)
    case auto

    init?(argument: String) {
        if argument == "auto" { self = .auto } else if let n = Int(argument) { self = .count(n) } else { return nil }
    }

    var description: String {
        switch self {
        case .count(let n): return "\(n)"
        case .auto: return "auto"
        }
    }

    /// The fixed count, nil for auto.
    var fixed: Int? { if case .count(let n) = self { return n } else { return nil } }
}

/// `--letters-range A-B`: the counts `--letters auto` chooses among.
struct LetterRangeOption: ExpressibleByArgument, Equatable {
    var range: ClosedRange<Int>

    init(_ range: ClosedRange<Int>) { self.range = range }

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let lo = Int(parts[0]), let hi = Int(parts[1]), lo <= hi else { return nil }
        range = lo...hi
    }
}
