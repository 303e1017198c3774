import ArgumentParser
import Foundation

/// The values one numeric option accepts. Every command lists all of its numeric options in one
/// table (`optionRanges`) that its `validate()` checks before anything is read or allocated, so a
/// value out of range (negative, absurdly large, NaN or infinite) is refused with one line:
/// `error: --batch-size 1000000000: must be between 1 and 8192`, exit status 2. Numeric options are
/// declared with `parsing: .unconditional`, so `--epochs -3` reaches the range check as -3 instead of
/// reading as a missing value followed by an unknown option.
struct OptionRange {
    let name: String
    /// The problem with the value, or nil when it is acceptable.
    let problem: String?

    /// An integer option that must lie in `range`.
    static func int(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> OptionRange {
        OptionRange(name: "\(name) \(value)",
                    problem: range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound)")
    }

    /// An optional integer option: unset is fine, a given value must lie in `range`.
    static func int(_ name: String, _ value: Int?, _ range: ClosedRange<Int>) -> OptionRange {
        guard let value else { return OptionRange(name: name, problem: nil) }
        return int(name, value, range)
    }

    /// A real option that must be finite and lie in `range` (`lowerOpen` excludes the lower bound).
    static func real<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ name: String, _ value: F, _ range: ClosedRange<F>, lowerOpen: Bool = false) -> OptionRange {
        let label = "\(name) \(value)"
        guard value.isFinite else { return OptionRange(name: label, problem: "must be a finite number") }
        let inside = range.contains(value) && !(lowerOpen && value == range.lowerBound)
        let lower = lowerOpen ? "above \(range.lowerBound)" : "at least \(range.lowerBound)"
        return OptionRange(name: label, problem: inside ? nil : "must be \(lower) and at most \(range.upperBound)")
    }
}

extension Array where Element == OptionRange {
    /// Throws the first option's problem as a validation error (printed as `error: …`, exit 2).
    func check() throws {
        if let bad = first(where: { $0.problem != nil }) {
            throw ValidationError("\(bad.name): \(bad.problem!)")
        }
    }
}
