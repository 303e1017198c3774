import Foundation
import FileIO

/// The kinds of data file letternet reads, and how each is recognised: by its first bytes, else by
/// its name, and text (no NUL, UTF-8) by its first line. The one registry that dataset loading
/// (``DataFile``, `LetterDataset.load`) and `letternet inspect` both ask.
public enum DataFileKind: String, CaseIterable, Sendable {
    /// A numpy array (`.npy`).
    case npy
    /// A numpy archive of arrays (`.npz`: a zip file of `.npy` members).
    case npz
    /// A letternet model or training checkpoint (`.lnet`, `.ckpt`); NeuralNet's `Checkpoint` decodes it.
    case model
    /// An MNIST/EMNIST idx array (`…-images-idx3-ubyte`, `…-labels-idx1-ubyte`), plain or gzipped.
    case idx
    /// A PNG or JPEG image.
    case image
    /// `prediction.csv`: rows of comma-separated guesses.
    case predictionCSV
    /// A labels file: one strip's true letters per line, no commas.
    case labels

    /// The first bytes that make a file each kind, tried in this order.
    public static let signatures: [(magic: [UInt8], kind: DataFileKind)] = [
        (NPY.magic, .npy),
        (ZipDirectory.localHeaderMagic, .npz), (ZipDirectory.emptyArchiveMagic, .npz),
        (modelMagic, .model),
        (Inflate.gzipMagic, .idx),
        (PNGFile.signature, .image), (JPEGDecoder.signature, .image),
    ]

    /// A letternet model's first bytes (`ModelSignature`, shared with NeuralNet's `Checkpoint.magic`).
    public static let modelMagic = ModelSignature.bytes

    /// The kind a file's name says, for files whose first bytes do not.
    public static func named(_ name: String) -> DataFileKind? {
        let lower = name.lowercased()
        func ends(_ suffixes: String...) -> Bool { suffixes.contains { lower.hasSuffix($0) } }
        if ends(".npy") { return .npy }
        if ends(".npz") { return .npz }
        if ends(".lnet", ".ckpt") { return .model }
        if name.contains("idx") && name.contains("-ubyte") { return .idx }
        if ends(".png", ".jpg", ".jpeg") { return .image }
        return nil
    }

    /// The kind of the file called `name` that holds `bytes`, or nil when it is none letternet reads
    /// (binary data of no known kind).
    public static func of(name: String, bytes: [UInt8]) -> DataFileKind? {
        if let signed = signatures.first(where: { bytes.starts(with: $0.magic) }) { return signed.kind }
        if let named = named(name) { return named }
        guard let text = text(bytes) else { return nil }
        let firstLine = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        return firstLine.contains(",") ? .predictionCSV : .labels
    }

    /// `bytes` as text, or nil when they hold a NUL or are not UTF-8.
    static func text(_ bytes: [UInt8]) -> String? {
        bytes.contains(0) ? nil : String(bytes: bytes, encoding: .utf8)
    }
}

/// A data file read once (a pipe or FIFO cannot be read twice) and recognised by ``DataFileKind``,
/// with a reader for each kind.
public struct DataFile: Sendable {
    /// The file's name in messages (the path as given).
    public let name: String
    public let bytes: [UInt8]
    /// What the file is, or nil when it is no kind letternet reads.
    public let kind: DataFileKind?
    /// Whether the name ends in `.gz` (an idx file so named must be gzip data).
    let gzipNamed: Bool

    /// Whether the bytes are gzip data (an idx file may be).
    public var isGzip: Bool { Inflate.isGzip(bytes) }

    /// Reads `url` whole (up to ``LettersLimits/maxBytes``) and recognises it.
    public static func read(_ url: URL) throws -> DataFile {
        try DataFile(name: displayName(url), bytes: FileBytes.read(url), gzipNamed: url.pathExtension == "gz")
    }

    /// Recognises `bytes`, the contents of the file called `name`.
    public init(name: String, bytes: [UInt8], gzipNamed: Bool = false) {
        self.name = name
        self.bytes = bytes
        self.gzipNamed = gzipNamed
        kind = DataFileKind.of(name: (name as NSString).lastPathComponent, bytes: bytes)
    }

    /// The array of a `.npy` or idx file (an idx file as stored: EMNIST images are transposed).
    public func array() throws -> NpyArray {
        switch kind {
        case .npy: return try NPY.read(bytes: bytes, name: name)
        case .idx: return try IDX.read(stored: bytes, name: name, gzipNamed: gzipNamed)
        default: throw notA("an array file (.npy or idx)")
        }
    }

    /// The members of a `.npz` archive, each described by its header alone.
    public func members() throws -> [NPZ.Member] {
        guard kind == .npz else { throw notA("an .npz archive") }
        return try NPZ.list(bytes: bytes, file: name)
    }

    /// The arrays called `names` (all when nil) of a `.npz` archive.
    public func arrays(_ names: [String]? = nil) throws -> [String: NpyArray] {
        guard kind == .npz else { throw notA("an .npz archive") }
        return try NPZ.read(bytes: bytes, file: name, names: names)
    }

    /// The image of a PNG or JPEG file, in grayscale.
    public func image() throws -> GrayImage {
        guard kind == .image else { throw notA("a PNG or JPEG image") }
        return try GrayImage.decode(bytes, file: name)
    }

    /// The text of a prediction CSV or labels file.
    public func text() throws -> String {
        guard let text = DataFileKind.text(bytes) else {
            throw LettersError.malformed(file: name, detail: "not UTF-8 text")
        }
        return text
    }

    private func notA(_ what: String) -> LettersError {
        LettersError.malformed(file: name, detail: "not \(what); it reads as \(kind.map { "\($0.rawValue)" } ?? "no known kind")")
    }
}
