import Foundation
@testable import LetterFormats
import XCTest
@testable import Letters

/// The report's PNG encoder: signature, IHDR, chunk CRCs and the zlib stream all check out, and the
/// pixels decode (with the package's own inflater) back to what went in.
final class PNGEncoderTests: XCTestCase {
    /// Bitwise CRC-32, independent of the encoder's table.
    func referenceCRC(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~c
    }

    func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3]) }

    /// Decodes an 8-bit grayscale PNG: (width, height, pixels), checking every chunk's CRC.
    func decode(_ png: [UInt8], line: UInt = #line) throws -> (Int, Int, [UInt8]) {
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "signature", line: line)
        var pos = 8, chunks: [(String, [UInt8])] = []
        while pos < png.count {
            let n = Int(u32(png, pos)), type = Array(png[(pos + 4)..<(pos + 8)])
            let body = Array(png[(pos + 8)..<(pos + 8 + n)])
            XCTAssertEqual(u32(png, pos + 8 + n), referenceCRC(type + body), "CRC of \(String(decoding: type, as: UTF8.self))", line: line)
            chunks.append((String(decoding: type, as: UTF8.self), body))
            pos += 12 + n
        }
        XCTAssertEqual(pos, png.count, "chunks fill the file", line: line)
        XCTAssertEqual(chunks.map(\.0), ["IHDR", "IDAT", "IEND"], line: line)
        let ihdr = chunks[0].1
        XCTAssertEqual(ihdr.count, 13, line: line)
        XCTAssertEqual(Array(ihdr[8...]), [8, 0, 0, 0, 0], "8-bit grayscale, deflate, no interlace", line: line)
        let width = Int(u32(ihdr, 0)), height = Int(u32(ihdr, 4))
        let zlib = chunks[1].1
        XCTAssertEqual((Int(zlib[0]) << 8 | Int(zlib[1])) % 31, 0, "zlib header check bits", line: line)
        XCTAssertEqual(zlib[0] & 0x0F, 8, "deflate", line: line)
        let raw = try Inflate.raw(zlib[2..<(zlib.count - 4)], limit: 1 << 26, file: "test.png").bytes
        XCTAssertEqual(u32(zlib, zlib.count - 4), PNGEncoder.adler32(raw), "Adler-32", line: line)
        XCTAssertEqual(raw.count, (width + 1) * height, line: line)
        var pixels: [UInt8] = []
        for y in 0..<height {
            XCTAssertEqual(raw[y * (width + 1)], 0, "filter none", line: line)
            pixels += raw[(y * (width + 1) + 1)..<((y + 1) * (width + 1))]
        }
        return (width, height, pixels)
    }

    func testChecksumsMatchKnownValues() {
        XCTAssertEqual(PNGEncoder.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(PNGEncoder.crc32(Array("IEND".utf8)), 0xAE42_6082)
        XCTAssertEqual(PNGEncoder.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(PNGEncoder.adler32([UInt8]()), 1)
    }

    func testSmallImageRoundTrips() throws {
        let pixels: [UInt8] = [0, 64, 128, 255, 1, 2]
        let (w, h, back) = try decode(PNGEncoder.encode(gray: pixels, width: 3, height: 2))
        XCTAssertEqual(w, 3); XCTAssertEqual(h, 2); XCTAssertEqual(back, pixels)
    }

    func testLargeImageSpansSeveralStoredBlocks() throws {
        let w = 301, h = 300  // 90 600 bytes of scanlines: two stored blocks
        let pixels = (0..<(w * h)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        let (dw, dh, back) = try decode(PNGEncoder.encode(gray: pixels, width: w, height: h))
        XCTAssertEqual([dw, dh], [w, h]); XCTAssertEqual(back, pixels)
    }

    func testFloatPixelsAreClampedAndScaled() throws {
        let (_, _, back) = try decode(PNGEncoder.encode([-5, 0, 127.6, 255, 900] as [Float], width: 5, height: 1))
        XCTAssertEqual(back, [0, 0, 128, 255, 255])
        let (_, _, scaled) = try decode(PNGEncoder.encode([0, 255, 510] as [Float], width: 3, height: 1, maximum: 510))
        XCTAssertEqual(scaled, [0, 128, 255])
        XCTAssertTrue(PNGEncoder.dataURI([0, 1] as [Float], width: 2, height: 1).hasPrefix("data:image/png;base64,iVBORw0KGgo"))
    }
}
