import Foundation
import FileIO

/// Reads whole files as bytes, with the size cap and a clear error instead of a Foundation one.
public enum FileBytes {
    /// The bytes of `url`, refusing anything larger than ``LettersLimits/maxBytes``. Pipes and FIFOs
    /// (process substitution, `/dev/stdin`) are read as streams; directories and devices are refused.
    public static func read(_ url: URL) throws -> [UInt8] {
        do {
            return try InputFile.read(url.path, limit: LettersLimits.maxBytes)
        } catch let failure as InputFile.Failure {
            let name = displayName(url)
            throw failure.tooLarge ? LettersError.tooLarge(file: name, detail: failure.detail)
                : LettersError.unreadable(file: name, detail: failure.detail)
        }
    }
}

/// Bounds-checked little/big-endian reads from a byte array; every overrun is a `truncated` error.
struct ByteReader {
    let bytes: [UInt8]
    let file: String

    func require(_ offset: Int, _ count: Int, _ what: String) throws {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw LettersError.truncated(
                file: file, detail: "\(what) needs bytes \(offset)..<\(offset &+ count) but the file has \(bytes.count)")
        }
    }

    func u16le(_ o: Int, _ what: String) throws -> Int {
        try require(o, 2, what)
        return Int(bytes[o]) | Int(bytes[o + 1]) << 8
    }

    func u32le(_ o: Int, _ what: String) throws -> Int {
        try require(o, 4, what)
        return (0..<4).reduce(0) { $0 | Int(bytes[o + $1]) << (8 * $1) }
    }

    func u64le(_ o: Int, _ what: String) throws -> UInt64 {
        try require(o, 8, what)
        return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[o + $1]) << (8 * UInt64($1)) }
    }

    func u32be(_ o: Int, _ what: String) throws -> Int {
        try require(o, 4, what)
        return (0..<4).reduce(0) { $0 << 8 | Int(bytes[o + $1]) }
    }
}
