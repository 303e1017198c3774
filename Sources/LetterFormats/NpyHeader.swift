/// The parsed header of an `.npy` file: format version, descriptor, memory order and shape.
///
/// Parsing the header alone is cheap, so archive listings and `letternet inspect` use it to show
/// arrays whose element type the library does not decode (strings, objects) without failing.
public struct NpyHeader: Equatable, Sendable {
    /// Format version (1, 2 or 3) and minor version.
    public let version: (major: Int, minor: Int)
    /// The `descr` entry as written (`<f4`, `<U5`, or a structured list printed as text).
    public let descr: String
    /// The decodable element type, or `nil` when `descr` is not supported.
    public var dtype: NpyDType? { NpyDType(descr: descr) }
    /// `fortran_order` from the header.
    public let fortranOrder: Bool
    public let shape: [Int]
    /// Byte offset of the array data in the file.
    public let dataOffset: Int

    public static func == (a: NpyHeader, b: NpyHeader) -> Bool {
        a.version == b.version && a.descr == b.descr && a.fortranOrder == b.fortranOrder
            && a.shape == b.shape && a.dataOffset == b.dataOffset
    }

    /// Element count, or `nil` if the shape's product overflows.
    public var count: Int? {
        var n = 1
        for d in shape {
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = m
        }
        return n
    }
}

/// A tiny parser for the Python dict literal in an `.npy` header, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
///
/// It recurses once per open bracket, so nesting is capped at ``maxDepth`` levels (numpy's own
/// structured dtypes nest a few levels; a header of tens of thousands of brackets would otherwise
/// overflow the stack).
struct PyLiteralParser {
    static let maxDepth = 64

    indirect enum Value {
        case string(String), bool(Bool), int(Int), none, tuple([Value]), list([Value]), dict([(String, Value)])
    }

    struct Failure: Error { let message: String }

    private let chars: [Character]
    private var i = 0
    private var depth = 0

    init(_ text: String) { chars = Array(text) }

    static func parse(_ text: String) throws -> Value {
        var p = PyLiteralParser(text)
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.chars.count else { throw Failure(message: "unexpected text after the header dict") }
        return v
    }

    private mutating func skipSpace() { while i < chars.count, chars[i].isWhitespace { i += 1 } }

    private mutating func value() throws -> Value {
        skipSpace()
        guard i < chars.count else { throw Failure(message: "header ends early") }
        switch chars[i] {
        case "{": return .dict(try sequence(close: "}") { p in
                guard case .string(let key) = try p.value() else { throw Failure(message: "dict key is not a string") }
                p.skipSpace()
                guard p.i < p.chars.count, p.chars[p.i] == ":" else { throw Failure(message: "missing ':' after '\(key)'") }
                p.i += 1
                return (key, try p.value())
            })
        case "(": return .tuple(try sequence(close: ")") { try $0.value() })
        case "[": return .list(try sequence(close: "]") { try $0.value() })
        case "'", "\"":
            let quote = chars[i]
            i += 1
            let start = i
            while i < chars.count, chars[i] != quote { i += 1 }
            guard i < chars.count else { throw Failure(message: "unterminated string") }
            defer { i += 1 }
            return .string(String(chars[start..<i]))
        default:
            let start = i
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "-" || chars[i] == "_" { i += 1 }
            var word = String(chars[start..<i])
            if word.hasSuffix("L"), word.count > 1, Int(word.dropLast()) != nil { word.removeLast() }  // Python 2 longs
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                guard let n = Int(word) else { throw Failure(message: "cannot read '\(word.isEmpty ? String(chars[i]) : word)'") }
                return .int(n)
            }
        }
    }

    private mutating func sequence<T>(close: Character, _ element: (inout PyLiteralParser) throws -> T) throws -> [T] {
        guard depth < Self.maxDepth else { throw Failure(message: "brackets nest deeper than \(Self.maxDepth) levels") }
        depth += 1
        defer { depth -= 1 }
        i += 1
        var items = [T]()
        while true {
            skipSpace()
            guard i < chars.count else { throw Failure(message: "missing '\(close)'") }
            if chars[i] == close { i += 1; return items }
            items.append(try element(&self))
            skipSpace()
            guard i < chars.count else { throw Failure(message: "missing '\(close)'") }
            if chars[i] == "," { i += 1 } else if chars[i] != close { throw Failure(message: "expected ',' or '\(close)'") }
        }
    }
}
