import Foundation

/// Reading the idx files MNIST and EMNIST use (`*-idx3-ubyte`, `*-idx1-ubyte`, plain or gzipped).
///
/// Layout: two zero bytes, a type code, the number of dimensions, then each dimension as a
/// big-endian UInt32, then the elements, big-endian. `IDX.read` returns the array exactly as stored;
/// EMNIST images are stored transposed, and ``LetterDataset/load(url:)`` turns them upright.
public enum IDX {
    /// Reads the idx file at `url`, gunzipping it first when it is gzip data.
    public static func read(url: URL) throws -> NpyArray {
        try read(stored: FileBytes.read(url), name: displayName(url), gzipNamed: url.pathExtension == "gz")
    }

    /// Decodes an idx file's bytes as stored, gunzipping them first when they are gzip data; a file
    /// whose name ends in `.gz` (`gzipNamed`) must be.
    static func read(stored: [UInt8], name: String, gzipNamed: Bool) throws -> NpyArray {
        if Inflate.isGzip(stored) {
            return try read(bytes: Inflate.gunzip(stored, file: name), name: name)
        }
        guard !gzipNamed else { throw LettersError.badMagic(file: name, detail: "named .gz but not gzip data (no 1f 8b)") }
        return try read(bytes: stored, name: name)
    }

    /// Decodes uncompressed idx bytes.
    public static func read(bytes: [UInt8], name: String) throws -> NpyArray {
        let r = ByteReader(bytes: bytes, file: name)
        guard bytes.count >= 4 else { throw LettersError.truncated(file: name, detail: "only \(bytes.count) bytes, too short for an idx header") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw LettersError.badMagic(file: name, detail: "not an idx file (it must start with two zero bytes)")
        }
        let dtype: NpyDType
        switch bytes[2] {
        case 0x08: dtype = .uint8
        case 0x09: dtype = NpyDType(kind: .signed, size: 1)
        case 0x0B: dtype = NpyDType(kind: .signed, size: 2, bigEndian: true)
        case 0x0C: dtype = NpyDType(kind: .signed, size: 4, bigEndian: true)
        case 0x0D: dtype = NpyDType(kind: .float, size: 4, bigEndian: true)
        case 0x0E: dtype = NpyDType(kind: .float, size: 8, bigEndian: true)
        default:
            throw LettersError.unsupportedDType(file: name, detail: "idx type code 0x\(String(bytes[2], radix: 16))")
        }
        let rank = Int(bytes[3])
        guard (1...4).contains(rank) else {
            throw LettersError.wrongRank(file: name, detail: "idx header says \(rank) dimensions (expected 1 to 4)")
        }
        let shape = try (0..<rank).map { try r.u32be(4 + 4 * $0, "the idx dimensions") }
        let start = 4 + 4 * rank
        var nbytes = dtype.size
        for d in shape {
            let (m, overflow) = nbytes.multipliedReportingOverflow(by: d)
            guard !overflow, m <= LettersLimits.maxBytes else {
                throw LettersError.tooLarge(file: name, detail: "idx shape \(shapeText(shape)) exceeds \(LettersLimits.maxBytes) bytes")
            }
            nbytes = m
        }
        let available = bytes.count - start
        let what = "idx header shape \(shapeText(shape)) needs \(nbytes) data bytes"
        if available < nbytes { throw LettersError.truncated(file: name, detail: "\(what) but only \(available) follow") }
        if available > nbytes { throw LettersError.shapeMismatch(file: name, detail: "\(what) but \(available) follow") }
        var data = Array(bytes[start...])
        NPY.swapBytes(&data, size: dtype.bigEndian ? dtype.size : 1)
        return NpyArray(shape: shape, dtype: dtype, bytes: data, sourceDescr: dtype.descr)
    }
}
