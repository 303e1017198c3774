import CPNG

/// PNG decoding through the system's libpng (its simplified `png_image` API), to 8-bit grayscale.
enum PNGDecoder {
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
        // With no background colour given, libpng composites transparency onto the buffer: white paper.
        var pixels = [UInt8](repeating: 255, count: width * height)
        let done = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width), nil) }
        guard done != 0 else {
            defer { png_image_free(&image) }
            throw failure(image, file)
        }
        return GrayImage(width: width, height: height, pixels: pixels)
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
