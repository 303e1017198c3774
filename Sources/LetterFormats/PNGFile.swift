import CPNG

/// PNG files through the system's libpng (its simplified `png_image` API): decoding to 8-bit
/// grayscale, and writing 8-bit grayscale (`synth --png`, and the images embedded in the HTML reports).
public enum PNGFile {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func decode(_ bytes: [UInt8], file: String) throws -> GrayImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw failure(image, file) }
        let width = Int(image.width), height = Int(image.height)
        do {
            try GrayImage.checkSize(width: width, height: height, format: .png, file: file)
        } catch {
            png_image_free(&image)
            throw error
        }
        image.format = UInt32(PNG_FORMAT_GRAY)
        // A 16-bit file without gamma information holds values as they are, like an 8-bit one: without this
        // flag libpng takes them as linear light and gamma-encodes them (32768 would read as 186, not 128).
        image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
        // With no background colour given, libpng composites transparency onto the buffer: white paper.
        var pixels = [UInt8](repeating: 255, count: width * height)
        let done = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width), nil) }
        guard done != 0 else {
            defer { png_image_free(&image) }
            throw failure(image, file)
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// An 8-bit grayscale PNG of `image`.
    public static func encode(_ image: GrayImage) throws -> [UInt8] {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width); png.height = UInt32(image.height)
        png.format = UInt32(PNG_FORMAT_GRAY)
        var size = 0
        // First call: the size needed; second: the bytes.
        guard image.pixels.withUnsafeBytes({ png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, Int32(image.width), nil) }) != 0 else {
            throw failure(png, "PNG image")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        let ok = bytes.withUnsafeMutableBytes { out in
            image.pixels.withUnsafeBytes { png_image_write_to_memory(&png, out.baseAddress, &size, 0, $0.baseAddress, Int32(image.width), nil) }
        }
        guard ok != 0 else { throw failure(png, "PNG image") }
        return Array(bytes.prefix(size))
    }

    /// libpng's message (kept in the image), as a one-line error.
    static func failure(_ image: png_image, _ file: String) -> LettersError {
        var message = image.message
        let text = withUnsafeBytes(of: &message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return LettersError.malformed(file: file, detail: "PNG: " + (text.isEmpty ? "libpng could not decode it" : text))
    }
}
