import Foundation

/// Reads whole files as bytes, with the size cap and a clear error instead of a Foundation one.
enum FileBytes {
    /// The bytes of `url`, refusing anything larger than ``LettersLimits/maxBytes``.
    static func read(_ url: URL) throws -> [UInt8] {
        let name = displayName(url)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw LettersError.unreadable(file: name, detail: "no such file")
        }
        guard !isDir.boolValue else { throw LettersError.unreadable(file: name, detail: "is a directory") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > LettersLimits.maxBytes {
            throw LettersError.tooLarge(file: name, detail: "file is \(size) bytes (limit \(LettersLimits.maxBytes))")
        }
        do {
            let data = try Data(contentsOf: url)
            return [UInt8](data)
        } catch {
            throw LettersError.unreadable(file: name, detail: error.localizedDescription)
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
