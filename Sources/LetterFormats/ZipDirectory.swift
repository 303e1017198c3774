import Foundation
import ZIPFoundation

/// One member of a zip archive, as its central directory describes it.
struct ZipMember {
    let name: String
    /// 0 = stored, 8 = deflated.
    let method: Int
    let crc32: UInt32
    let compressedSize: Int
    let uncompressedSize: Int
    let localHeaderOffset: Int
}

/// A minimal, bounds-checked zip central-directory reader (with ZIP64 sizes, as `np.savez` writes).
///
/// ZIPFoundation's `Archive` hides each member's data offset and its `extract` can spin forever on a
/// deflate stream that runs to the end of the file, so reading locates members here and inflates them
/// with ``Inflate``; writing uses ZIPFoundation's `Archive` (see ``NPZ/write(_:to:compressed:)``).
enum ZipDirectory {
    /// The first bytes of a zip archive: a member's local header, or for an empty archive the end record.
    static let localHeaderMagic: [UInt8] = [0x50, 0x4B, 3, 4]
    static let emptyArchiveMagic: [UInt8] = [0x50, 0x4B, 5, 6]

    static func members(_ bytes: [UInt8], file: String) throws -> [ZipMember] {
        let r = ByteReader(bytes: bytes, file: file)
        // The end-of-central-directory record sits in the last 22 + 65535 bytes.
        guard bytes.count >= 22 else {
            throw LettersError.badMagic(file: file, detail: "not a zip archive (too short: \(bytes.count) bytes)")
        }
        var eocd = -1
        var i = bytes.count - 22
        while i >= max(0, bytes.count - 22 - 65535) {
            if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 5, bytes[i + 3] == 6 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else {
            if bytes.starts(with: localHeaderMagic) {
                throw LettersError.truncated(file: file, detail: "zip archive has no end-of-central-directory record")
            }
            throw LettersError.badMagic(file: file, detail: "not a zip archive (no PK signature)")
        }
        var entryCount = try r.u16le(eocd + 10, "the zip directory")
        var cdOffset = try r.u32le(eocd + 16, "the zip directory")
        if cdOffset == 0xFFFF_FFFF || entryCount == 0xFFFF, eocd >= 20,
           try r.u32le(eocd - 20, "the zip64 locator") == 0x0706_4B50 {
            let z64 = Int(clamping: try r.u64le(eocd - 12, "the zip64 locator"))
            guard try r.u32le(z64, "the zip64 directory record") == 0x0606_4B50 else {
                throw LettersError.malformed(file: file, detail: "bad zip64 end-of-directory record")
            }
            entryCount = Int(clamping: try r.u64le(z64 + 32, "the zip64 directory record"))
            cdOffset = Int(clamping: try r.u64le(z64 + 48, "the zip64 directory record"))
        }
        // Each directory entry takes at least 46 bytes, which bounds a lying entry count.
        guard entryCount <= bytes.count / 46 else {
            throw LettersError.malformed(file: file, detail: "zip directory claims \(entryCount) members")
        }
        var members = [ZipMember]()
        var p = cdOffset
        for _ in 0..<entryCount {
            guard try r.u32le(p, "the zip directory") == 0x0201_4B50 else {
                throw LettersError.malformed(file: file, detail: "bad zip central directory entry at byte \(p)")
            }
            let method = try r.u16le(p + 10, "the zip directory")
            let crc = UInt32(try r.u32le(p + 16, "the zip directory"))
            var csize = try r.u32le(p + 20, "the zip directory")
            var usize = try r.u32le(p + 24, "the zip directory")
            let nameLength = try r.u16le(p + 28, "the zip directory")
            let extraLength = try r.u16le(p + 30, "the zip directory")
            let commentLength = try r.u16le(p + 32, "the zip directory")
            var local = try r.u32le(p + 42, "the zip directory")
            try r.require(p + 46, nameLength + extraLength, "the zip directory")
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // ZIP64 extra field (id 1): the 64-bit values of whichever fields are 0xFFFFFFFF, in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = try r.u16le(e, "the zip directory"), size = try r.u16le(e + 2, "the zip directory")
                if id == 1 {
                    var q = e + 4
                    func next() throws -> Int {
                        defer { q += 8 }
                        return Int(clamping: try r.u64le(q, "a zip64 extra field"))
                    }
                    if usize == 0xFFFF_FFFF { usize = try next() }
                    if csize == 0xFFFF_FFFF { csize = try next() }
                    if local == 0xFFFF_FFFF { local = try next() }
                }
                e += 4 + size
            }
            members.append(ZipMember(name: name, method: method, crc32: crc, compressedSize: csize,
                                     uncompressedSize: usize, localHeaderOffset: local))
            p = extraEnd + commentLength
        }
        return members
    }

    /// The uncompressed bytes of `member`, or only its first `prefix` bytes when `prefix` is set.
    static func contents(of member: ZipMember, in bytes: [UInt8], file: String, prefix: Int? = nil) throws -> [UInt8] {
        let r = ByteReader(bytes: bytes, file: file)
        let limit = LettersLimits.maxBytes
        guard member.uncompressedSize <= limit else {
            throw LettersError.tooLarge(file: file, detail: "member declares \(member.uncompressedSize) bytes (limit \(limit))")
        }
        guard try r.u32le(member.localHeaderOffset, "a zip local header") == 0x0403_4B50 else {
            throw LettersError.malformed(file: file, detail: "bad zip local header at byte \(member.localHeaderOffset)")
        }
        let start = member.localHeaderOffset + 30 + (try r.u16le(member.localHeaderOffset + 26, "a zip local header"))
            + (try r.u16le(member.localHeaderOffset + 28, "a zip local header"))
        try r.require(start, member.compressedSize, "the member's \(member.compressedSize) compressed bytes")
        let raw = bytes[start..<(start + member.compressedSize)]
        let out: [UInt8], crc: UInt32
        switch member.method {
        case 0:
            guard member.compressedSize == member.uncompressedSize else {
                throw LettersError.malformed(file: file, detail: "stored member's sizes differ (\(member.compressedSize) vs \(member.uncompressedSize))")
            }
            if let prefix { return Array(raw.prefix(prefix)) }
            out = Array(raw)
            crc = Data(raw).crc32(checksum: 0)
        case 8:
            // Deflate cannot expand data more than ~1032:1, so a larger declared size is a lie.
            guard member.uncompressedSize <= member.compressedSize * 1032 + 1024 else {
                throw LettersError.tooLarge(file: file, detail:
                    "member declares \(member.uncompressedSize) bytes from \(member.compressedSize) compressed, an impossible ratio")
            }
            (out, crc) = try Inflate.raw(raw, limit: member.uncompressedSize, prefixOnly: prefix, file: file)
            if prefix != nil { return out }
        default:
            throw LettersError.malformed(file: file, detail: "zip compression method \(member.method) is not supported (only stored and deflated)")
        }
        guard out.count == member.uncompressedSize else {
            throw LettersError.truncated(file: file, detail: "member holds \(out.count) bytes, its directory entry says \(member.uncompressedSize)")
        }
        guard crc == member.crc32 else {
            throw LettersError.malformed(file: file, detail: "member fails its CRC-32 check (corrupt data)")
        }
        return out
    }
}
