import CJPEG
import Foundation
@testable import LetterFormats
import XCTest
@testable import Letters
import NeuralNet

/// PNG and JPEG decoding through libpng and libjpeg, and `PhotoStrip`'s preprocessing.
final class ImageStripTests: XCTestCase {
    /// A test pattern: a gradient with a bright bar.
    func pattern(width: Int = 40, height: Int = 30) -> GrayImage {
        GrayImage(width: width, height: height, pixels: (0..<(width * height)).map { i in
            let x = i % width, y = i / width
            return (10...14).contains(y) ? 250 : UInt8((x * 255 / width + y) % 256)
        })
    }

    /// A JPEG of `image` written with libjpeg (quality 95).
    func jpeg(_ image: GrayImage, quality: Int32 = 95) -> [UInt8] {
        var info = jpeg_compress_struct(), errors = jpeg_error_mgr()
        info.err = jpeg_std_error(&errors)
        jpeg_CreateCompress(&info, JPEG_LIB_VERSION, MemoryLayout<jpeg_compress_struct>.size)
        var buffer: UnsafeMutablePointer<UInt8>?, size: UInt = 0
        jpeg_mem_dest(&info, &buffer, &size)
        info.image_width = JDIMENSION(image.width); info.image_height = JDIMENSION(image.height)
        info.input_components = 1; info.in_color_space = JCS_GRAYSCALE
        jpeg_set_defaults(&info)
        jpeg_set_quality(&info, quality, 1)
        jpeg_start_compress(&info, 1)
        var rows = image.pixels
        rows.withUnsafeMutableBufferPointer { p in
            for r in 0..<image.height {
                var row: JSAMPROW? = p.baseAddress! + r * image.width
                jpeg_write_scanlines(&info, &row, 1)
            }
        }
        jpeg_finish_compress(&info)
        jpeg_destroy_compress(&info)
        defer { free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    func testPNGRoundTripsExactlyAndJPEGClosely() throws {
        let image = pattern()
        let png = try PNGFile.encode(image)
        XCTAssertEqual(GrayImage.format(of: png), .png)
        XCTAssertEqual(try GrayImage.decode(png, file: "a.png"), image)
        let j = jpeg(image)
        XCTAssertEqual(GrayImage.format(of: j), .jpeg)
        let decoded = try GrayImage.decode(j, file: "a.jpg")
        XCTAssertEqual([decoded.width, decoded.height], [40, 30])
        let worst = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.max()!
        XCTAssertLessThan(worst, 24, "JPEG at quality 95 stays near the original")
        XCTAssertGreaterThan(worst, 0, "a lossy decode, not a copy")
    }

    func testBrokenAndHostileImagesAreRefusedWithOneLineNamingTheFile() throws {
        let png = try PNGFile.encode(pattern())
        var crc = png; crc[40] ^= 0xFF  // inside IHDR or IDAT: a CRC or data error
        var huge = png  // IHDR width and height 20000 each (400 megapixels), with the chunk's CRC made right
        for o in [16, 20] { huge.replaceSubrange(o..<(o + 4), with: [0, 0, 0x4E, 0x20]) }
        let crcIHDR = crc32(huge[12..<29])
        huge.replaceSubrange(29..<33, with: (0..<4).map { UInt8(truncatingIfNeeded: crcIHDR >> (24 - 8 * $0)) })
        let j = jpeg(pattern())
        var scrambled = j
        for i in stride(from: 20, to: min(200, j.count), by: 3) { scrambled[i] = UInt8(truncatingIfNeeded: i &* 37) }
        let cases: [(String, [UInt8], String)] = [
            ("truncated.png", Array(png.prefix(60)), "PNG"),
            ("crc.png", crc, "PNG"),
            ("huge.png", huge, "PNG"),
            ("header-only.jpg", Array(j.prefix(4)), "JPEG"),
            ("scrambled.jpg", scrambled, "JPEG"),
            ("empty.png", [], "neither a PNG nor a JPEG"),
            ("strips.png", Array("\u{93}NUMPY".utf8), "neither a PNG nor a JPEG"),
        ]
        for (name, bytes, phrase) in cases {
            do {
                let image = try GrayImage.decode(bytes, file: name)
                // A scrambled JPEG may still decode (libjpeg skips what it cannot read); it must be whole.
                XCTAssertEqual(name, "scrambled.jpg", "\(name) decoded")
                XCTAssertEqual(image.pixels.count, image.width * image.height)
            } catch let e as LettersError {
                XCTAssertEqual(e.file, name)
                XCTAssertTrue(e.description.contains(phrase), e.description)
                XCTAssertFalse(e.description.contains("\n"))
            }
        }
        assertLettersError(try GrayImage.decode(huge, file: "huge.png"), file: "huge.png", contains: "megapixels")
    }

    /// A strip already 30 px tall goes through as it is; dark on light, it is inverted back exactly.
    func testAStripGoesThroughUnchangedAndIsInvertedWhenDarkOnLight() throws {
        var rng = SeededGenerator(seed: 5)
        var synth = StripSynthesizer(letters: 4, width: 120)
        synth.noise = 0.02...0.02
        let word = [1, 12, 5, 24]
        let strip = synth.make(images: word.map { DemoLetters.image(label: $0, rng: &rng) }, labels: word, rng: &rng)
        let image = GrayImage(width: 120, height: 30, values: strip.pixels)
        let values = image.pixels.map(Float.init)
        let read = PhotoStrip.strip(from: try GrayImage.decode(try PNGFile.encode(image), file: "s.png"))
        XCTAssertEqual(read.pixels, values)
        XCTAssertEqual(read.width, 120)
        XCTAssertFalse(read.inverted)
        XCTAssertNil(read.scale)
        let paper = PhotoStrip.strip(from: GrayImage(width: 120, height: 30, pixels: image.pixels.map { 255 - $0 }))
        XCTAssertTrue(paper.inverted)
        XCTAssertEqual(paper.pixels, values)
    }

    /// Dark bars on bright, unevenly lit paper, 100 px tall: the ink lands at rows 3…26, scaled by
    /// 24 / its height, light on black, with 4 px of margin each side.
    func testInkIsFoundScaledAndPlaced() {
        let w = 300, h = 100
        var pixels = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let paper = 150 + 90 * Double(x) / Double(w) + 10 * Double(y) / Double(h)  // lighter to the right
                let ink = (30..<78).contains(y) && (x % 60 >= 40 && x % 60 < 52) && x >= 60 && x < 240
                pixels[y * w + x] = UInt8(ink ? 40 : paper)
            }
        }
        let s = PhotoStrip.strip(from: GrayImage(width: w, height: h, pixels: pixels))
        XCTAssertTrue(s.inverted)
        XCTAssertEqual(s.scale!, 0.5, accuracy: 1e-9, "48 ink rows become 24")
        let rows = (0..<30).filter { r in (0..<s.width).contains { s.pixels[r * s.width + $0] > 128 } }
        XCTAssertEqual(rows.first, 3); XCTAssertEqual(rows.last, 26)
        XCTAssertEqual(s.width, Int(((220 - 100 + 12) * 0.5 + 8).rounded()), "ink columns 100..<232 at half size plus the margins")
        let background = (0..<30).filter { !(3...26).contains($0) }.flatMap { r in s.pixels[(r * s.width)..<((r + 1) * s.width)] }
        XCTAssertEqual(background.max(), 0, "uneven paper is black")
        XCTAssertEqual(s.pixels.max(), 255, "ink is stretched to white")
    }

    func testBlankPaperMakesABlankStrip() {
        let s = PhotoStrip.strip(from: GrayImage(width: 200, height: 60, pixels: [UInt8](repeating: 230, count: 12000)))
        XCTAssertEqual(s.width, 100)
        XCTAssertEqual(s.pixels.max(), 0)
    }

    /// A 16-bit grayscale PNG without gamma information (as other tools write them) holds its values as they
    /// are: 257·v reads as v, not gamma-encoded as if it were linear light (which turns 128 into 186).
    func testA16BitPNGReadsItsValuesAsTheyAre() throws {
        let values: [UInt16] = [0, 257 * 64, 257 * 128, 32768, 257 * 200, 65535]
        let image = try GrayImage.decode(png16(width: values.count, height: 2, values: values + values), file: "w.png")
        XCTAssertEqual([image.width, image.height], [6, 2])
        XCTAssertEqual(Array(image.pixels.prefix(6)), [0, 64, 128, 128, 200, 255])
    }

    /// A 16-bit grayscale PNG of `values` (row-major) with only IHDR, IDAT (stored deflate blocks) and IEND.
    func png16(width: Int, height: Int, values: [UInt16]) -> [UInt8] {
        func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(UInt32(data.count)) + body + be32(crc32(body[...]))
        }
        var raw: [UInt8] = []
        for r in 0..<height {
            raw.append(0)  // filter: none
            for v in values[(r * width)..<((r + 1) * width)] { raw += [UInt8(v >> 8), UInt8(v & 0xFF)] }
        }
        var a: UInt32 = 1, b: UInt32 = 0  // Adler-32 of the raw bytes
        for x in raw { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        let n = UInt16(raw.count)  // one stored block: final, length, its complement
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + raw + be32((b << 16) | a)
        return PNGFile.signature
            + chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [16, 0, 0, 0, 0])
            + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    /// Bitwise CRC-32 (PNG's chunk checksum), to forge a chunk that libpng takes for intact.
    func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~c
    }
}
