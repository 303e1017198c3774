import Foundation
import ZIPFoundation

/// Raw-deflate and gzip decoding with hard limits, on top of ZIPFoundation's `Data.decompress`.
///
/// Why not ZIPFoundation's own inflate (its `Archive` extraction and the plain `Data.decompress` with a
/// file-backed provider): on Linux its `Data.decode` loops forever at 100% CPU when the provider runs out of
/// input before the deflate stream ends, i.e. on any truncated or hostile `.npz` member or `.gz` file
/// (weichsel/ZIPFoundation pull request #389, "Fix infinite loop in Linux decode path when provider signals
/// EOF early", open in 2026-09; tuist/Rosalind#535 ran into it in production). So the archive's directory is
/// read here (`ZipDirectory`), and the decoder is driven as below, where a request for more input throws.
///
/// ZIPFoundation's decoder keeps asking its provider for input until the deflate stream ends and
/// tells zlib that every chunk is `bufferSize` bytes long. So the provider here always hands over
/// one full, zero-padded chunk holding the whole input, and throws if asked for more: a truncated
/// stream becomes an error instead of an endless loop. The output is capped while it is produced,
/// so a "zip bomb" stops at the cap instead of exhausting memory.
enum Inflate {
    private struct StopEarly: Error {}

    /// Inflates the raw deflate stream `input`.
    /// - Parameters:
    ///   - limit: the most bytes accepted; exceeding it throws `tooLarge`.
    ///   - prefixOnly: when set, stop quietly once that many bytes are out (for reading headers).
    /// - Returns: the output and its CRC-32 (the CRC covers the whole output only when not stopped early).
    static func raw(_ input: ArraySlice<UInt8>, limit: Int, prefixOnly: Int? = nil, file: String) throws -> (bytes: [UInt8], crc: UInt32) {
        let bufferSize = max(input.count + 64, 64 * 1024)
        var chunk = Data(input)
        chunk.append(Data(count: bufferSize - input.count))
        var output = [UInt8]()
        do {
            let crc = try Data.decompress(size: Int64(input.count), bufferSize: bufferSize, skipCRC32: prefixOnly != nil,
                                          provider: { position, _ in
                guard position == 0 else {
                    throw LettersError.truncated(file: file, detail: "compressed data ends before the deflate stream does")
                }
                return chunk
            }, consumer: { data in
                guard output.count + data.count <= limit else {
                    throw LettersError.tooLarge(file: file, detail: "inflates to more than \(limit) bytes")
                }
                output.append(contentsOf: data)
                if let prefixOnly, output.count >= prefixOnly { throw StopEarly() }
            })
            return (output, crc)
        } catch is StopEarly {
            return (output, 0)
        } catch let error as LettersError {
            throw error
        } catch {
            throw LettersError.malformed(file: file, detail: "corrupt deflate data (\(error))")
        }
    }

    /// The first bytes of gzip data.
    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    /// Whether `bytes` start with the gzip magic `1f 8b`.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.starts(with: gzipMagic) }

    /// Decodes a single-member gzip file, checking its CRC-32 and length trailer.
    static func gunzip(_ bytes: [UInt8], file: String) throws -> [UInt8] {
        let r = ByteReader(bytes: bytes, file: file)
        try r.require(0, 18, "a gzip header and trailer")
        guard isGzip(bytes) else { throw LettersError.badMagic(file: file, detail: "not a gzip file (no 1f 8b)") }
        guard bytes[2] == 8 else { throw LettersError.malformed(file: file, detail: "gzip compression method \(bytes[2]) is not deflate") }
        let flags = bytes[3]
        var offset = 10
        if flags & 0x04 != 0 { offset += 2 + (try r.u16le(offset, "the gzip extra field")) }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // file name, comment: zero-terminated
            while true {
                try r.require(offset, 1, "the gzip header")
                offset += 1
                if bytes[offset - 1] == 0 { break }
            }
        }
        if flags & 0x02 != 0 { offset += 2 }
        guard offset <= bytes.count - 8 else {
            throw LettersError.truncated(file: file, detail: "gzip header runs past the end of the file")
        }
        let expectedCRC = UInt32(try r.u32le(bytes.count - 8, "the gzip trailer"))
        let expectedSize = try r.u32le(bytes.count - 4, "the gzip trailer")
        let (out, crc) = try raw(bytes[offset..<(bytes.count - 8)], limit: LettersLimits.maxBytes, file: file)
        guard out.count & 0xFFFF_FFFF == expectedSize, crc == expectedCRC else {
            throw LettersError.malformed(file: file, detail:
                "gzip data is corrupt or truncated (\(out.count) bytes, CRC \(String(crc, radix: 16)); trailer says \(expectedSize) bytes, CRC \(String(expectedCRC, radix: 16)))")
        }
        return out
    }
}
