import CJPEG

/// JPEG decoding through the system's libjpeg (libjpeg-turbo on Debian), to 8-bit grayscale. libjpeg's
/// fatal errors come back from the C shim (`lnet_jpeg_decode_gray`) as a message, never as an exit.
enum JPEGDecoder {
    static let signature: [UInt8] = [0xFF, 0xD8, 0xFF]

    static func decode(_ bytes: [UInt8], file: String) throws -> GrayImage {
        var width: Int32 = 0, height: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        func call(_ out: UnsafeMutablePointer<UInt8>?) -> Int32 {
            bytes.withUnsafeBufferPointer { data in
                message.withUnsafeMutableBufferPointer { m in
                    lnet_jpeg_decode_gray(data.baseAddress, UInt(data.count), &width, &height, out, m.baseAddress, Int32(m.count))
                }
            }
        }
        guard call(nil) == 0 else { throw failure(message, file) }  // the header: the size, before allocating it
        try GrayImage.checkSize(width: Int(width), height: Int(height), format: .jpeg, file: file)
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height))
        let status = pixels.withUnsafeMutableBufferPointer { call($0.baseAddress) }
        guard status == 0 else { throw failure(message, file) }
        return GrayImage(width: Int(width), height: Int(height), pixels: pixels)
    }

    static func failure(_ message: [CChar], _ file: String) -> LettersError {
        let text = String(decoding: message.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return LettersError.malformed(file: file, detail: "JPEG: " + (text.isEmpty ? "libjpeg could not decode it" : text))
    }
}
