import Foundation
import FileIO

/// Reading and writing numpy `.npy` files (format versions 1.0, 2.0 and 3.0).
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads the array in the `.npy` file at `url`.
    public static func read(url: URL) throws -> NpyArray {
        try read(bytes: FileBytes.read(url), name: displayName(url))
    }

    /// Decodes `.npy` bytes; `name` is the file name used in error messages.
    public static func read(data: Data, name: String) throws -> NpyArray {
        try read(bytes: [UInt8](data), name: name)
    }

    /// Parses only the header of `.npy` bytes (enough bytes for the header suffice).
    public static func readHeader(bytes: [UInt8], name: String) throws -> NpyHeader {
        let r = ByteReader(bytes: bytes, file: name)
        guard bytes.count >= 8 else {
            if bytes.count < magic.count || Array(bytes.prefix(magic.count)) == magic {
                throw LettersError.truncated(file: name, detail: "only \(bytes.count) bytes, too short for an .npy header")
            }
            throw LettersError.badMagic(file: name, detail: "not an .npy file (it does not start with \\x93NUMPY)")
        }
        guard Array(bytes[0..<6]) == magic else {
            throw LettersError.badMagic(file: name, detail: "not an .npy file (it does not start with \\x93NUMPY)")
        }
        let major = Int(bytes[6]), minor = Int(bytes[7])
        let headerLength: Int, start: Int
        switch major {
        case 1: headerLength = try r.u16le(8, "the header length"); start = 10
        case 2, 3: headerLength = try r.u32le(8, "the header length"); start = 12
        default:
            throw LettersError.malformed(file: name, detail: "unknown .npy format version \(major).\(minor)")
        }
        try r.require(start, headerLength, "the \(headerLength)-byte header")
        let raw = bytes[start..<(start + headerLength)]
        let text = major == 3 ? String(decoding: raw, as: UTF8.self) : String(raw.map { Character(Unicode.Scalar($0)) })
        let value: PyLiteralParser.Value
        do { value = try PyLiteralParser.parse(text) } catch let failure as PyLiteralParser.Failure {
            throw LettersError.malformed(file: name, detail: "bad header (\(failure.message))")
        }
        guard case .dict(let entries) = value else {
            throw LettersError.malformed(file: name, detail: "header is not a dict")
        }
        func entry(_ key: String) throws -> PyLiteralParser.Value {
            guard let v = entries.first(where: { $0.0 == key })?.1 else {
                throw LettersError.malformed(file: name, detail: "header has no '\(key)'")
            }
            return v
        }
        let descr: String
        switch try entry("descr") {
        case .string(let s): descr = s
        default: descr = "structured"
        }
        guard case .bool(let fortran) = try entry("fortran_order") else {
            throw LettersError.malformed(file: name, detail: "header 'fortran_order' is not True/False")
        }
        guard case .tuple(let dims) = try entry("shape") else {
            throw LettersError.malformed(file: name, detail: "header 'shape' is not a tuple")
        }
        let shape = try dims.map { d -> Int in
            guard case .int(let n) = d, n >= 0 else {
                throw LettersError.malformed(file: name, detail: "header 'shape' has a bad dimension")
            }
            return n
        }
        return NpyHeader(version: (major, minor), descr: descr, fortranOrder: fortran, shape: shape,
                         dataOffset: start + headerLength)
    }

    static func read(bytes: [UInt8], name: String) throws -> NpyArray {
        let header = try readHeader(bytes: bytes, name: name)
        try checkData(of: header, fileSize: bytes.count, name: name, limit: LettersLimits.maxBytes)
        return array(Array(bytes[header.dataOffset...]), shape: header.shape, of: header)
    }

    /// Checks that the header's element type is decoded here and that a file of `fileSize` bytes holds
    /// exactly the data the header describes, at most `limit` bytes of it; returns the element type.
    @discardableResult
    public static func checkData(of header: NpyHeader, fileSize: Int, name: String, limit: Int) throws -> NpyDType {
        guard let dtype = header.dtype else {
            throw LettersError.unsupportedDType(
                file: name, detail: "'\(header.descr)' is not supported (supported: \(NpyDType.supportedList))")
        }
        guard let count = header.count, case (let nbytes, false) = count.multipliedReportingOverflow(by: dtype.size),
              nbytes <= limit else {
            throw LettersError.tooLarge(
                file: name, detail: "header shape \(shapeText(header.shape)) of \(dtype) exceeds \(limit) bytes")
        }
        let available = fileSize - header.dataOffset
        let what = "header shape \(shapeText(header.shape)) of \(header.descr) needs \(nbytes) data bytes"
        if available < nbytes {
            throw LettersError.truncated(file: name, detail: "\(what) but only \(available) follow the header")
        }
        if available > nbytes {
            throw LettersError.shapeMismatch(file: name, detail: "\(what) but \(available) follow the header")
        }
        return dtype
    }

    /// The array of `shape` that `data`, elements stored as `header` says, holds: byte-swapped to
    /// little-endian and, if the header says Fortran order, reordered to C order. `shape` is the
    /// header's, or for a run of whole rows of a C-order file (see ``ChunkedStrips``) that run's.
    public static func array(_ data: consuming [UInt8], shape: [Int], of header: NpyHeader) -> NpyArray {
        let dtype = header.dtype!  // callers check it
        if dtype.bigEndian { swapBytes(&data, size: dtype.size) }
        if header.fortranOrder && shape.count > 1 {
            data = fortranToC(data, shape: shape, size: dtype.size)
        }
        return NpyArray(shape: shape, dtype: dtype.littleEndian, bytes: data, sourceDescr: header.descr)
    }

    /// Encodes `array` as a version 1.0 `.npy` (version 2.0 if the header would not fit), little-endian, C order.
    public static func encode(_ array: NpyArray) -> Data {
        let dict = "{'descr': '\(array.dtype.descr)', 'fortran_order': False, 'shape': \(shapeText(array.shape)), }"
        let v1 = dict.utf8.count + 11 <= 65535
        let prefix = v1 ? 10 : 12
        // Pad with spaces so the data starts on a 64-byte boundary, as numpy does; the header ends in '\n'.
        let total = (prefix + dict.utf8.count + 1 + 63) / 64 * 64
        let header = dict + String(repeating: " ", count: total - prefix - dict.utf8.count - 1) + "\n"
        var out = Data(magic)
        out.append(contentsOf: v1 ? [1, 0] : [2, 0])
        let len = header.utf8.count
        out.append(contentsOf: v1 ? [UInt8(len & 0xFF), UInt8(len >> 8)]
                   : (0..<4).map { UInt8((len >> (8 * $0)) & 0xFF) })
        out.append(contentsOf: Array(header.utf8))
        out.append(contentsOf: array.bytes)
        return out
    }

    /// Writes `array` to `url` atomically (see ``encode(_:)`` for the layout).
    public static func write(_ array: NpyArray, to url: URL) throws {
        try AtomicFile.write(encode(array), to: url)
    }

    static func swapBytes(_ data: inout [UInt8], size: Int) {
        guard size > 1 else { return }
        data.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i + size <= p.count {
                var a = i, b = i + size - 1
                while a < b { p.swapAt(a, b); a += 1; b -= 1 }
                i += size
            }
        }
    }

    /// Reorders elements stored column-major (first index fastest) into row-major order.
    static func fortranToC(_ data: [UInt8], shape: [Int], size: Int) -> [UInt8] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return data }
        var fStrides = [Int](repeating: 1, count: shape.count)
        for k in 1..<shape.count { fStrides[k] = fStrides[k - 1] * shape[k - 1] }
        var out = [UInt8](repeating: 0, count: data.count)
        var index = [Int](repeating: 0, count: shape.count)
        for c in 0..<count {
            let f = zip(index, fStrides).reduce(0) { $0 + $1.0 * $1.1 }
            for b in 0..<size { out[c * size + b] = data[f * size + b] }
            var k = shape.count - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < shape[k] { break }
                index[k] = 0
                k -= 1
            }
        }
        return out
    }
}
