import Foundation
import LetterFormats

/// Noisy letter strips to read: `count` images of `height` (``StripGeometry/height``) × `width` pixels, row-major.
///
/// Pixel values are unbounded (above 255 is allowed, as in the course's `test-dataset.npy`)
/// but must be finite.
public struct StripSet: Sendable {
    public let name: String
    public let count: Int, height: Int, width: Int
    /// `count · height · width` floats, strip after strip, each row-major.
    public let pixels: [Float]
    /// What loading changed about the data, to tell the user (e.g. 0…1 floats scaled to 0…255).
    public internal(set) var notes: [String] = []

    /// How ``write(to:as:)`` stores pixels.
    public enum Storage: Sendable {
        /// float32, exact.
        case float32
        /// uint8: values are rounded and clamped to 0…255.
        case uint8
    }

    public init(name: String, count: Int, height: Int, width: Int, pixels: [Float]) throws {
        guard count >= 0, height > 0, width > 0, pixels.count == count * height * width else {
            throw LettersError.shapeMismatch(file: name, detail: "\(pixels.count) pixels do not make \(count) strips of \(height)×\(width)")
        }
        if let bad = pixels.firstIndex(where: { !$0.isFinite }) {
            throw LettersError.nonFinite(file: name, detail:
                "NaN or infinite pixel in strip \(bad / (height * width)) at row \(bad / width % height), column \(bad % width)")
        }
        self.name = name
        self.count = count
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// The pixels of strip `i`.
    public func strip(at i: Int) -> ArraySlice<Float> {
        pixels[(i * height * width)..<((i + 1) * height * width)]
    }

    /// The strips at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> StripSet {
        var picked = [Float](); picked.reserveCapacity(indices.count * height * width)
        for i in indices { picked += strip(at: i) }
        // The pixels are finite: they are this set's.
        var set = try! StripSet(name: name, count: indices.count, height: height, width: width, pixels: picked)
        set.notes = notes
        return set
    }

    /// Loads `test-dataset.npy`-style strips: an N×30×W array of any numeric dtype.
    public static func load(url: URL, height: Int = StripGeometry.standard.height) throws -> StripSet {
        try fromArray(NPY.read(url: url), name: displayName(url), height: height)
    }

    /// Wraps an N×`height`×W array.
    public static func fromArray(_ array: NpyArray, name: String, height: Int = StripGeometry.standard.height) throws -> StripSet {
        try checkShape(array.shape, file: name, height: height)
        let width = array.shape[2]
        let (pixels, note) = try array.pixels(file: name, unitScaleMax: unitScaleMax) { place(of: $0, height: height, width: width) }
        var set = try StripSet(name: name, count: array.shape[0], height: height, width: width, pixels: pixels)
        set.notes = note.map { [$0] } ?? []
        return set
    }

    /// Refuses an array shape that is not N×`height`×W.
    static func checkShape(_ shape: [Int], file: String, height: Int) throws {
        guard shape.count == 3, shape[1] == height, shape[2] > 0 else {
            throw LettersError.wrongRank(file: file, detail: "strips have shape \(shapeText(shape)); expected N×\(height)×W")
        }
    }

    /// The highest value of a float file read as pixels on the 0…1 scale: two letters overlapping on that scale sum to at most 2.
    static let unitScaleMax: Float = 2

    /// Where pixel `i` of strips of `height`×`width` is, for messages.
    static func place(of i: Int, height: Int, width: Int) -> String {
        "strip \(i / (height * width)) at row \(i / width % height), column \(i % width)"
    }

    /// The strips as an N×H×W array in the given storage.
    public func array(as storage: Storage = .float32) -> NpyArray {
        let shape = [count, height, width]
        switch storage {
        case .float32: return NpyArray(pixels, shape: shape)
        case .uint8: return NpyArray(pixels.map { UInt8(min(255, max(0, $0.rounded()))) }, shape: shape)
        }
    }

    /// Writes the strips as a `.npy` file, atomically.
    public func write(to url: URL, as storage: Storage = .float32) throws {
        try NPY.write(array(as: storage), to: url)
    }
}
