import Foundation

/// Every problem the letters library reports about a file, as one line: `<file>: <problem>`.
///
/// An error carries its ``Kind`` (what sort of problem), the file's name (the path as the caller gave
/// it, or `archive.npz[x.npy]` for a member of an archive) and a human-readable detail. The CLI prints
/// `error: <description>` and exits with status 2. Throw sites use the factories named after the kinds
/// (`LettersError.truncated(file:detail:)`); code that tells problems apart compares ``kind``.
public struct LettersError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// What sort of problem it is; each kind prefixes the detail with its own words.
    public enum Kind: String, CaseIterable, Sendable {
        /// The file could not be opened or read at all (missing, a directory, no permission).
        case unreadable = "cannot read file"
        /// The file ends before its header or data does.
        case truncated = "truncated file"
        /// The first bytes are not what the format requires.
        case badMagic = "wrong magic"
        /// The header's shape disagrees with the amount of data, or two arrays disagree in length.
        case shapeMismatch = "shape disagrees with data"
        /// The element type is not one the library decodes.
        case unsupportedDType = "unsupported dtype"
        /// An array has the wrong number of dimensions (or wrong fixed dimensions) for its role.
        case wrongRank = "wrong rank"
        /// A label is outside 1…26.
        case labelOutOfRange = "label out of range"
        /// A pixel is NaN or infinite.
        case nonFinite = "non-finite pixels"
        /// A value is finite in the file but beyond what letternet computes with (float32).
        case outOfRange = "value out of range"
        /// A declared or actual size is beyond the library's cap (``LettersLimits/maxBytes``).
        case tooLarge = "size too large"
        /// A required array (`x`, `y`, …) or sibling file is not there.
        case missingArray = "missing array"
        /// Any other structural problem (bad header syntax, corrupt compressed data, bad CSV row).
        case malformed = "malformed"
        /// Writing the file failed.
        case writeFailed = "cannot write file"
    }

    public let kind: Kind
    /// The file the error is about.
    public let file: String
    /// What is wrong in particular, without the kind's words or the file name.
    public let detail: String

    public init(_ kind: Kind, file: String, detail: String) {
        self.kind = kind; self.file = file; self.detail = detail
    }

    /// What is wrong, without the file name.
    public var problem: String { "\(kind.rawValue): \(detail)" }

    /// One line: `<file>: <problem>` (newlines in details are flattened).
    public var description: String {
        "\(file): \(problem)".replacingOccurrences(of: "\n", with: " ")
    }

    public var errorDescription: String? { description }

    /// The same error, about another file name (used to prefix archive members).
    public func renamed(_ newFile: String) -> LettersError { LettersError(kind, file: newFile, detail: detail) }
}

/// One factory per kind, so that a throw site reads `throw LettersError.truncated(file: name, detail: …)`.
extension LettersError {
    public static func unreadable(file: String, detail: String) -> LettersError { .init(.unreadable, file: file, detail: detail) }
    public static func truncated(file: String, detail: String) -> LettersError { .init(.truncated, file: file, detail: detail) }
    public static func badMagic(file: String, detail: String) -> LettersError { .init(.badMagic, file: file, detail: detail) }
    public static func shapeMismatch(file: String, detail: String) -> LettersError { .init(.shapeMismatch, file: file, detail: detail) }
    public static func unsupportedDType(file: String, detail: String) -> LettersError { .init(.unsupportedDType, file: file, detail: detail) }
    public static func wrongRank(file: String, detail: String) -> LettersError { .init(.wrongRank, file: file, detail: detail) }
    public static func labelOutOfRange(file: String, detail: String) -> LettersError { .init(.labelOutOfRange, file: file, detail: detail) }
    public static func nonFinite(file: String, detail: String) -> LettersError { .init(.nonFinite, file: file, detail: detail) }
    public static func outOfRange(file: String, detail: String) -> LettersError { .init(.outOfRange, file: file, detail: detail) }
    public static func tooLarge(file: String, detail: String) -> LettersError { .init(.tooLarge, file: file, detail: detail) }
    public static func missingArray(file: String, detail: String) -> LettersError { .init(.missingArray, file: file, detail: detail) }
    public static func malformed(file: String, detail: String) -> LettersError { .init(.malformed, file: file, detail: detail) }
    public static func writeFailed(file: String, detail: String) -> LettersError { .init(.writeFailed, file: file, detail: detail) }
}
