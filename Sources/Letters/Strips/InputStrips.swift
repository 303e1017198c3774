import Foundation
import LetterFormats

/// The strips `predict` reads: a `.npy` of N×30×W strips read whole or a chunk at a time (so that its
/// length does not count in memory), or PNG and JPEG images of one strip each, grouped by width.
public enum InputStrips: Sendable {
    /// One set of strips in input order: a `.npy` read whole, or the demo strips.
    case whole(StripSet)
    /// A `.npy` read a chunk at a time.
    case chunked(ChunkedStrips)
    /// Images (a file, or a folder's), one strip each.
    case images(ImageStrips)

    /// Reads a folder of images, an image file, or else (anything else, as before) a `.npy`: with
    /// `chunkSize`, that many strips at a time where the file allows (see ``ChunkedStrips``), else whole.
    /// What a file is, the file-kind registry says (``DataFileKind``: its first bytes, else its name).
    public static func load(url: URL, chunkSize: Int? = nil) throws -> InputStrips {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            return .images(try ImageStrips(urls: ImageStrips.imageFiles(in: url), name: displayName(url)))
        }
        if kind(of: url) == .image { return .images(try ImageStrips(urls: [url], name: displayName(url))) }
        if let chunkSize, let chunked = try ChunkedStrips.open(url: url, chunkSize: chunkSize) { return .chunked(chunked) }
        return .whole(try StripSet.load(url: url))
    }

    /// The kind of the file at `url` as the registry tells it: by the first bytes of a regular file,
    /// else by its name; a stream (a pipe, `/dev/stdin`) by its name alone, its bytes being readable
    /// only once. Only `.image` matters here: anything else is read as a `.npy`, which explains a refusal.
    static func kind(of url: URL) -> DataFileKind? {
        let name = url.lastPathComponent
        guard (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType == .typeRegular,
              let first = try? ChunkedStrips.bytes(of: url.path, name: name, at: 0, count: signatureLength)
        else { return DataFileKind.named(name) }
        return DataFileKind.of(name: name, bytes: first)
    }

    /// Bytes enough for every signature of the registry.
    static let signatureLength = DataFileKind.signatures.map(\.magic.count).max() ?? 0

    public var name: String { about.name }
    /// What loading changed about the data, to tell the user.
    public var notes: [String] { about.notes }
    public var count: Int { about.count }

    private var about: (name: String, notes: [String], count: Int) {
        switch self {
        case .whole(let set): return (set.name, set.notes, set.count)
        case .chunked(let chunked): return (chunked.name, chunked.notes, chunked.count)
        case .images(let images): return (images.name, images.notes, images.count)
        }
    }

    /// The strips' widths, one per group of strips of one width (narrowest first).
    public var widths: [Int] {
        switch self {
        case .whole(let set): return [set.width]
        case .chunked(let chunked): return [chunked.width]
        case .images(let images): return images.groups.map(\.set.width)
        }
    }

    /// The image file of the first strip of group `group` (a width of ``widths``), nil for a `.npy`.
    public func firstFile(ofGroup group: Int) -> String? {
        guard case .images(let images) = self else { return nil }
        return images.files[images.groups[group].order[0]]
    }

    /// Every strip, a run of strips of one width at a time: the whole set, each chunk of a chunked file,
    /// or each width's images. `body` gets the run's group (its index in ``widths``), its strips, and each
    /// one's place in the input.
    public func forEachRun(_ body: (_ group: Int, _ strips: StripSet, _ places: [Int]) throws -> Void) throws {
        switch self {
        case .whole(let set): try body(0, set, Array(0..<set.count))
        case .chunked(let chunked):
            for c in 0..<chunked.chunkCount { try body(0, try chunked.chunk(c), Array(chunked.range(ofChunk: c))) }
        case .images(let images):
            for (g, group) in images.groups.enumerated() { try body(g, group.set, group.order) }
        }
    }

    /// The strips to describe when all have one width: all of them, or a chunked file's first chunk (nil for several widths).
    public func sample() throws -> StripSet? {
        switch self {
        case .whole(let set): return set
        case .chunked(let chunked): return try chunked.chunkCount > 0 ? chunked.chunk(0) : nil
        case .images(let images): return images.groups.count == 1 ? images.groups[0].set : nil
        }
    }

    /// All strips as one set in input order, narrower ones padded with black on the right (for showing
    /// them). A chunked file is read whole for it.
    public func padded() throws -> StripSet {
        switch self {
        case .whole(let set): return set
        case .chunked(let chunked): return try chunked.all()
        case .images(let images): return images.padded()
        }
    }
}
