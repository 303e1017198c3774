import Foundation

/// A minimal PNG encoder for 8-bit grayscale images: no compression (deflate "stored" blocks), with the
/// CRC-32 of every chunk and the Adler-32 of the zlib stream, so any browser or image tool decodes it.
public enum PNGEncoder {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Encodes `pixels` (`width`×`height`, row-major, one byte per pixel, 0 = black).
    public static func encode(gray pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "pixels do not make \(width)×\(height)")
        var raw = [UInt8](); raw.reserveCapacity((width + 1) * height)
        for y in 0..<height {
            raw.append(0)  // filter type: none
            raw += pixels[(y * width)..<((y + 1) * width)]
        }
        var header = [UInt8]()
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 0, 0, 0, 0]  // 8-bit depth, grayscale, deflate, adaptive filtering, no interlace
        return signature + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    /// Float pixels (0…`maximum`, clamped) as a PNG; brighter is whiter.
    public static func encode<C: Collection>(_ pixels: C, width: Int, height: Int, maximum: Float = 255) -> [UInt8]
        where C.Element == Float {
        let bytes = pixels.map { UInt8(min(max($0 / maximum * 255, 0), 255).rounded()) }
        return encode(gray: bytes, width: width, height: height)
    }

    /// A `data:image/png;base64,…` URI of the image, for an `<img src>`.
    public static func dataURI<C: Collection>(_ pixels: C, width: Int, height: Int, maximum: Float = 255) -> String
        where C.Element == Float {
        "data:image/png;base64," + Data(encode(pixels, width: width, height: height, maximum: maximum)).base64EncodedString()
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks of at most 65 535 bytes.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let n = min(65_535, data.count - start)
            let last: UInt8 = start + n == data.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[start..<(start + n)]
            start += n
        } while start < data.count
        return out + bigEndian(adler32(data))
    }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (ISO 3309, as PNG and zip use it).
    public static func crc32<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// Adler-32 (RFC 1950).
    public static func adler32<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes { a = (a + UInt32(x)) % 65_521; b = (b + a) % 65_521 }
        return b << 16 | a
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}
