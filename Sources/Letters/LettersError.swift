import Foundation

/// Every problem the letters library reports about a file, as one line: `<file>: <problem>`.
///
/// Each case carries the file's name (the path as the caller gave it, or `archive.npz[x.npy]`
/// for a member of an archive) and a human-readable detail. The CLI prints `error: <description>`
/// and exits with status 2.
public enum LettersError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// The file could not be opened or read at all (missing, a directory, no permission).
    case unreadable(file: String, detail: String)
    /// The file ends before its header or data does.
    case truncated(file: String, detail: String)
    /// The first bytes are not what the format requires.
    case badMagic(file: String, detail: String)
    /// The header's shape disagrees with the amount of data, or two arrays disagree in length.
    case shapeMismatch(file: String, detail: String)
    /// The element type is not one the library decodes.
    case unsupportedDType(file: String, detail: String)
    /// An array has the wrong number of dimensions (or wrong fixed dimensions) for its role.
    case wrongRank(file: String, detail: String)
    /// A label is outside 1…26.
    case labelOutOfRange(file: String, detail: String)
    /// A pixel is NaN or infinite.
    case nonFinite(file: String, detail: String)
    /// A value is finite in the file but beyond what letternet computes with (float32).
    case outOfRange(file: String, detail: String)
    /// A declared or actual size is beyond the library's cap (``LettersLimits/maxBytes``).
    case tooLarge(file: String, detail: String)
    /// A required array (`x`, `y`, …) or sibling file is not there.
    case missingArray(file: String, detail: String)
    /// Any other structural problem (bad header syntax, corrupt compressed data, bad CSV row).
    case malformed(file: String, detail: String)
    /// Writing the file failed.
    case writeFailed(file: String, detail: String)

    /// The file the error is about.
    public var file: String {
        switch self {
        case .unreadable(let f, _), .truncated(let f, _), .badMagic(let f, _), .shapeMismatch(let f, _),
             .unsupportedDType(let f, _), .wrongRank(let f, _), .labelOutOfRange(let f, _),
             .nonFinite(let f, _), .outOfRange(let f, _), .tooLarge(let f, _), .missingArray(let f, _), .malformed(let f, _),
             .writeFailed(let f, _):
            return f
        }
    }

    /// What is wrong, without the file name.
    public var problem: String {
        switch self {
        case .unreadable(_, let d): return "cannot read file: \(d)"
        case .truncated(_, let d): return "truncated file: \(d)"
        case .badMagic(_, let d): return "wrong magic: \(d)"
        case .shapeMismatch(_, let d): return "shape disagrees with data: \(d)"
        case .unsupportedDType(_, let d): return "unsupported dtype: \(d)"
        case .wrongRank(_, let d): return "wrong rank: \(d)"
        case .labelOutOfRange(_, let d): return "label out of range: \(d)"
        case .nonFinite(_, let d): return "non-finite pixels: \(d)"
        case .outOfRange(_, let d): return "value out of range: \(d)"
        case .tooLarge(_, let d): return "size too large: \(d)"
        case .missingArray(_, let d): return "missing array: \(d)"
        case .malformed(_, let d): return "malformed: \(d)"
        case .writeFailed(_, let d): return "cannot write file: \(d)"
        }
    }

    /// One line: `<file>: <problem>` (newlines in details are flattened).
    public var description: String {
        "\(file): \(problem)".replacingOccurrences(of: "\n", with: " ")
    }

    public var errorDescription: String? { description }

    /// The same error, about another file name (used to prefix archive members).
    func renamed(_ newFile: String) -> LettersError {
        switch self {
        case .unreadable(_, let d): return .unreadable(file: newFile, detail: d)
        case .truncated(_, let d): return .truncated(file: newFile, detail: d)
        case .badMagic(_, let d): return .badMagic(file: newFile, detail: d)
        case .shapeMismatch(_, let d): return .shapeMismatch(file: newFile, detail: d)
        case .unsupportedDType(_, let d): return .unsupportedDType(file: newFile, detail: d)
        case .wrongRank(_, let d): return .wrongRank(file: newFile, detail: d)
        case .labelOutOfRange(_, let d): return .labelOutOfRange(file: newFile, detail: d)
        case .nonFinite(_, let d): return .nonFinite(file: newFile, detail: d)
        case .outOfRange(_, let d): return .outOfRange(file: newFile, detail: d)
        case .tooLarge(_, let d): return .tooLarge(file: newFile, detail: d)
        case .missingArray(_, let d): return .missingArray(file: newFile, detail: d)
        case .malformed(_, let d): return .malformed(file: newFile, detail: d)
        case .writeFailed(_, let d): return .writeFailed(file: newFile, detail: d)
        }
    }
}

/// Caps that keep a hostile or broken file from making the library allocate without bound.
public enum LettersLimits {
    /// The largest file, archive member or decoded array accepted: 2 GiB.
    public static let maxBytes = 2 << 30
}

/// How a URL is named in error messages: the path as given (relative stays relative).
func displayName(_ url: URL) -> String { url.isFileURL ? url.relativePath : url.absoluteString }

/// `"(2, 3)"`-style shape text, as numpy prints it.
func shapeText(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
