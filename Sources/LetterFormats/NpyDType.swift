/// A numpy element type the library decodes: bool, unsigned and signed integers of 1/2/4/8 bytes,
/// and float32/float64, in either byte order.
public struct NpyDType: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The numpy kind character.
    public enum Kind: Character, Sendable {
        case bool = "b", unsigned = "u", signed = "i", float = "f"
    }

    public let kind: Kind
    /// Bytes per element.
    public let size: Int
    /// Whether the bytes are stored most-significant first (`>` in the descriptor).
    public let bigEndian: Bool

    public init(kind: Kind, size: Int, bigEndian: Bool = false) {
        self.kind = kind
        self.size = size
        self.bigEndian = bigEndian && size > 1
    }

    /// Parses a numpy descriptor such as `<f4`, `>i8`, `|u1`, `|b1` or `=f8`;
    /// `nil` for anything else (strings, objects, structured or half-precision types).
    public init?(descr: String) {
        let chars = Array(descr)
        guard chars.count >= 2, let kind = Kind(rawValue: chars[1]),
              let size = Int(String(chars[2...])) else { return nil }
        let order = chars[0]
        guard "<>|=".contains(order) else { return nil }
        switch kind {
        case .bool: guard size == 1 else { return nil }
        case .unsigned, .signed: guard [1, 2, 4, 8].contains(size) else { return nil }
        case .float: guard size == 4 || size == 8 else { return nil }
        }
        self.init(kind: kind, size: size, bigEndian: order == ">")
    }

    /// The descriptor numpy writes: `|u1`, `<f4`, `>i8`, …
    public var descr: String {
        let order = size == 1 ? "|" : (bigEndian ? ">" : "<")
        return "\(order)\(kind.rawValue)\(size)"
    }

    public var description: String { descr }

    /// The same type in little-endian byte order.
    public var littleEndian: NpyDType { NpyDType(kind: kind, size: size, bigEndian: false) }

    public static let bool = NpyDType(kind: .bool, size: 1)
    public static let uint8 = NpyDType(kind: .unsigned, size: 1)
    public static let uint16 = NpyDType(kind: .unsigned, size: 2)
    public static let int32 = NpyDType(kind: .signed, size: 4)
    public static let int64 = NpyDType(kind: .signed, size: 8)
    public static let float32 = NpyDType(kind: .float, size: 4)
    public static let float64 = NpyDType(kind: .float, size: 8)

    /// The descriptors the library decodes, for error messages.
    public static let supportedList = "b1 u1 u2 u4 u8 i1 i2 i4 i8 f4 f8 (either byte order)"
}
