import Foundation

/// An 8-bit grayscale image (0 = black), row-major, decoded from a PNG or JPEG file.
public struct GrayImage: Sendable, Equatable {
    public let width: Int, height: Int
    public let pixels: [UInt8]

    /// Float pixels (`width`×`height`), rounded and clamped to 0…255.
    public init(width: Int, height: Int, values: some Collection<Float>) {
        self.init(width: width, height: height, pixels: values.map { UInt8(min(255, max(0, $0.rounded()))) })
    }

    /// The largest image decoded: 64 megapixels (a phone camera's photo fits; a hostile header's
    /// 2³¹×2³¹ does not).
    public static let maxPixels = 64 << 20

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "pixels do not make \(width)×\(height)")
        self.width = width; self.height = height; self.pixels = pixels
    }

    public enum Format: String, Sendable { case png = "PNG", jpeg = "JPEG" }

    /// The format `bytes` start with (PNG or JPEG signature), or nil.
    public static func format(of bytes: some Collection<UInt8>) -> Format? {
        if bytes.starts(with: PNGFile.signature) { return .png }
        if bytes.starts(with: JPEGDecoder.signature) { return .jpeg }
        return nil
    }

    /// Decodes a PNG or JPEG file (told apart by their first bytes) to grayscale; colour is converted,
    /// transparency composited onto white (paper).
    public static func read(url: URL) throws -> GrayImage {
        try decode(FileBytes.read(url), file: displayName(url))
    }

    /// Decodes PNG or JPEG bytes; errors name `file`.
    public static func decode(_ bytes: [UInt8], file: String) throws -> GrayImage {
        switch format(of: bytes) {
        case .png: return try PNGFile.decode(bytes, file: file)
        case .jpeg: return try JPEGDecoder.decode(bytes, file: file)
        case nil: throw LettersError.badMagic(file: file, detail: "neither a PNG nor a JPEG file")
        }
    }

    /// Refuses sizes beyond ``maxPixels`` before anything that size is allocated.
    static func checkSize(width: Int, height: Int, format: Format, file: String) throws {
        guard width > 0, height > 0 else {
            throw LettersError.malformed(file: file, detail: "\(format.rawValue) image of \(width)×\(height) pixels")
        }
        guard width <= maxPixels / height else {
            throw LettersError.tooLarge(file: file, detail: "\(format.rawValue) image of \(width)×\(height) pixels, above the \(maxPixels >> 20) megapixels letternet reads")
        }
    }
}
