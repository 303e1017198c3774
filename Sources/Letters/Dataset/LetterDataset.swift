import LetterFormats
import NeuralNet
/// Labelled 28×28 letter images.
///
/// - `images`: `count × 784` floats, row-major, **upright**, on the 0…255 scale of the source
///   (values are kept as the file gives them; they are only required to be finite).
/// - `labels`: **1…26** (A/a = 1 … Z/z = 26), the convention of EMNIST Letters and the course files.
///   ``classIndices`` gives the 0-based class indices (0…25) a classifier's outputs use.
public struct LetterDataset: Sendable {
    public static let side = 28
    public static let pixelsPerImage = 784

    /// Where the data came from (a file name, or a description after `subset`/`concatenated`).
    public var name: String
    public private(set) var images: [Float]
    public private(set) var labels: [Int]
    /// What loading changed about the data, to tell the user (e.g. 0…1 floats scaled to 0…255).
    public internal(set) var notes: [String] = []

    public var count: Int { labels.count }

    /// Labels as 0-based class indices (label − 1), 0…25.
    public var classIndices: [Int] { labels.map { $0 - 1 } }

    /// Validates and wraps the arrays: `images.count == 784 · labels.count`, finite pixels, labels 1…26.
    public init(name: String, images: [Float], labels: [Int]) throws {
        guard images.count == labels.count * Self.pixelsPerImage else {
            throw LettersError.shapeMismatch(file: name, detail:
                "\(images.count) pixels do not make \(labels.count) images of 28×28")
        }
        if let bad = images.firstIndex(where: { !$0.isFinite }) {
            let n = images.lazy.filter { !$0.isFinite }.count
            throw LettersError.nonFinite(file: name, detail:
                "\(n) NaN or infinite pixel(s), the first in image \(bad / Self.pixelsPerImage) at pixel \(bad % Self.pixelsPerImage)")
        }
        try Self.checkLabels(labels, file: name)
        self.name = name
        self.images = images
        self.labels = labels
    }

    init(unchecked name: String, images: [Float], labels: [Int]) {
        self.name = name
        self.images = images
        self.labels = labels
    }

    static func checkLabels(_ labels: [Int], file: String) throws {
        if let i = labels.firstIndex(where: { !(1...26).contains($0) }) {
            let hint = labels.contains(0) && labels.allSatisfy({ (0...25).contains($0) }) ? " (0-based labels? these must be 1…26, A=1)" : ""
            throw LettersError.labelOutOfRange(file: file, detail:
                "label \(labels[i]) at index \(i) is outside 1…26\(hint)")
        }
    }

    /// The 784 pixels of image `i`.
    public func image(at i: Int) -> ArraySlice<Float> {
        images[(i * Self.pixelsPerImage)..<((i + 1) * Self.pixelsPerImage)]
    }

    /// The images at `indices` (in that order, repeats allowed).
    public func subset(_ indices: [Int], name: String? = nil) -> LetterDataset {
        var px = [Float]()
        px.reserveCapacity(indices.count * Self.pixelsPerImage)
        for i in indices { px.append(contentsOf: image(at: i)) }
        return LetterDataset(unchecked: name ?? "\(self.name) (subset of \(indices.count))",
                             images: px, labels: indices.map { labels[$0] })
    }

    /// All of `parts`, one after another (a single part is returned as it is, sharing its pixels).
    public static func concatenated(_ parts: [LetterDataset], name: String? = nil) -> LetterDataset {
        if parts.count == 1, name == nil { return parts[0] }
        var images = [Float]()
        images.reserveCapacity(parts.reduce(0) { $0 + $1.images.count })
        for p in parts { images += p.images }
        var all = LetterDataset(unchecked: name ?? parts.map(\.name).joined(separator: " + "),
                                images: images, labels: parts.flatMap(\.labels))
        all.notes = parts.flatMap(\.notes)
        return all
    }

    /// A deterministic shuffle-and-split: `validationFraction` of the images (rounded) go to `validation`.
    /// The same seed always gives the same split.
    public func split(validationFraction: Double, seed: UInt64) -> (train: LetterDataset, validation: LetterDataset) {
        var order = Array(0..<count)
        var rng = SeededGenerator(seed: seed)
        order.shuffle(using: &rng)
        let nVal = min(count, max(0, Int((Double(count) * validationFraction).rounded())))
        return (subset(Array(order[nVal...]), name: "\(name) (train split)"),
                subset(Array(order[..<nVal]), name: "\(name) (validation split)"))
    }

    /// Every image transposed (rows ↔ columns): turns raw EMNIST orientation upright, and back.
    public func transposed() -> LetterDataset {
        LetterDataset(unchecked: name, images: Self.transposeImages(images), labels: labels)
    }

    static func transposeImages(_ images: [Float]) -> [Float] {
        let s = side, n = images.count / (s * s)
        var out = [Float](repeating: 0, count: images.count)
        images.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for k in 0..<n {
                    let base = k * s * s
                    for r in 0..<s { for c in 0..<s { dst[base + c * s + r] = src[base + r * s + c] } }
                }
            }
        }
        return out
    }
}
