/// An n-dimensional numpy array held as little-endian, C-order (row-major) bytes.
///
/// Readers normalise big-endian and Fortran-order files into this layout, so `bytes` can be
/// written back out as-is. Values are read out with ``floats()``, ``doubles()`` or ``ints()``.
public struct NpyArray: Equatable, Sendable {
    /// Dimensions, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// Element type (always little-endian here; see ``sourceDescr`` for what the file said).
    public let dtype: NpyDType
    /// Raw element bytes: little-endian, C order, `count * dtype.size` of them.
    public let bytes: [UInt8]
    /// The descriptor as the source file spelled it (e.g. `>f8`); for display.
    public let sourceDescr: String

    /// Number of elements (product of `shape`; 1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// Wraps little-endian C-order `bytes`; the byte count must match `shape` and `dtype`.
    public init(shape: [Int], dtype: NpyDType, bytes: [UInt8], sourceDescr: String? = nil) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(bytes.count == shape.reduce(1, *) * dtype.size, "\(bytes.count) bytes do not fill \(shape) of \(dtype)")
        self.shape = shape
        self.dtype = dtype.littleEndian
        self.bytes = bytes
        self.sourceDescr = sourceDescr ?? dtype.littleEndian.descr
    }

    /// A float32 array.
    public init(_ values: [Float], shape: [Int]) {
        self.init(shape: shape, dtype: .float32, bytes: Self.pack(values.map(\.bitPattern)))
    }

    /// A float64 array.
    public init(_ values: [Double], shape: [Int]) {
        self.init(shape: shape, dtype: .float64, bytes: Self.pack(values.map(\.bitPattern)))
    }

    /// A uint8 array.
    public init(_ values: [UInt8], shape: [Int]) {
        self.init(shape: shape, dtype: .uint8, bytes: values)
    }

    /// An int64 array.
    public init(_ values: [Int], shape: [Int]) {
        self.init(shape: shape, dtype: .int64, bytes: Self.pack(values.map { UInt64(bitPattern: Int64($0)) }))
    }

    /// The values as `Double` (exact for every supported type except integers beyond 2^53).
    public func doubles() -> [Double] {
        switch (dtype.kind, dtype.size) {
        case (.bool, _), (.unsigned, 1): return bytes.map { Double($0) }
        case (.signed, 1): return bytes.map { Double(Int8(bitPattern: $0)) }
        case (.unsigned, 2): return load(UInt16.self) { Double($0) }
        case (.unsigned, 4): return load(UInt32.self) { Double($0) }
        case (.unsigned, _): return load(UInt64.self) { Double($0) }
        case (.signed, 2): return load(UInt16.self) { Double(Int16(bitPattern: $0)) }
        case (.signed, 4): return load(UInt32.self) { Double(Int32(bitPattern: $0)) }
        case (.signed, _): return load(UInt64.self) { Double(Int64(bitPattern: $0)) }
        case (.float, 4): return load(UInt32.self) { Double(Float(bitPattern: $0)) }
        case (.float, _): return load(UInt64.self) { Double(bitPattern: $0) }
        }
    }

    /// The values as `Float` (float64 and wide integers are rounded to the nearest float).
    public func floats() -> [Float] {
        switch (dtype.kind, dtype.size) {
        case (.bool, _), (.unsigned, 1): return bytes.map { Float($0) }
        case (.float, 4): return load(UInt32.self) { Float(bitPattern: $0) }
        default: return doubles().map { Float($0) }
        }
    }

    /// The values as `Int`, or `nil` when one is not a representable integer
    /// (a fractional, NaN or infinite float, or a uint64 above `Int.max`).
    public func ints() -> [Int]? {
        switch dtype.kind {
        case .bool, .signed:
            if dtype.size < 8 { return doubles().map { Int($0) } }
            return load(UInt64.self) { Int(Int64(bitPattern: $0)) }
        case .unsigned:
            if dtype.size < 8 { return doubles().map { Int($0) } }
            let wide = load(UInt64.self) { $0 }
            guard wide.allSatisfy({ $0 <= UInt64(Int.max) }) else { return nil }
            return wide.map { Int($0) }
        case .float:
            var out = [Int]()
            out.reserveCapacity(count)
            for v in doubles() {
                guard v.isFinite, v.rounded() == v, abs(v) < 9.2e18 else { return nil }
                out.append(Int(v))
            }
            return out
        }
    }

    private func load<T: FixedWidthInteger, R>(_: T.Type, _ convert: (T) -> R) -> [R] {
        let n = count
        return bytes.withUnsafeBytes { raw in
            (0..<n).map { convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))) }
        }
    }

    static func pack<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * MemoryLayout<T>.size)
        out.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
            }
        }
        return out
    }
}
