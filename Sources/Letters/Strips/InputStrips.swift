import Foundation
import LetterFormats

/// The strips `predict` reads, from a `.npy` of N×30×W strips, one PNG or JPEG image of one strip, or
/// a folder of such images (read in file-name order, one strip per image). Images are made into strips
/// by ``PhotoStrip``; strips of different widths are kept in one ``StripSet`` per width, and
/// ``order`` says where each strip of each group sits in the input. A `.npy` may instead be read in
/// chunks (``chunked``, and no groups), so that its length does not count in memory.
public struct InputStrips: Sendable {
    /// Strips of one width, and each one's place in the input (0-based).
    public struct Group: Sendable {
        public var set: StripSet
        public var order: [Int]
    }

    public var name: String
    public var groups: [Group]
    /// The image file of each strip, in input order (empty for a `.npy`).
    public var files: [String] = []
    public var notes: [String] = []
    /// A `.npy` read chunk by chunk, instead of ``groups``.
    public var chunked: ChunkedStrips?

    public var count: Int { chunked?.count ?? groups.reduce(0) { $0 + $1.set.count } }
    /// The strips' widths, one per group (narrowest first), or the chunked file's.
    public var widths: [Int] { chunked.map { [$0.width] } ?? groups.map(\.set.width) }

    /// One set of strips, in input order.
    public init(_ set: StripSet) {
        name = set.name; groups = [Group(set: set, order: Array(0..<set.count))]; notes = set.notes
    }

    /// A `.npy` read in chunks.
    public init(_ chunked: ChunkedStrips) {
        name = chunked.name; groups = []; notes = chunked.notes; self.chunked = chunked
    }

    /// Reads a folder of images, an image file, or else (anything else, as before) a `.npy`: with
    /// `chunkSize`, that many strips at a time where the file allows (see ``ChunkedStrips``), else whole.
    /// What a file is, the file-kind registry says (``DataFileKind``: its first bytes, else its name).
    public static func load(url: URL, chunkSize: Int? = nil) throws -> InputStrips {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            return try images(imageFiles(in: url), name: displayName(url))
        }
        if kind(of: url) == .image { return try images([url], name: displayName(url)) }
        if let chunkSize, let chunked = try ChunkedStrips.open(url: url, chunkSize: chunkSize) { return InputStrips(chunked) }
        return InputStrips(try StripSet.load(url: url))
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

    /// Every strip, a run of strips of one width at a time: each group, or each chunk of a chunked file.
    /// `body` gets the run's group (its index in ``widths``), its strips, and each one's place in the input.
    public func forEachRun(_ body: (_ group: Int, _ strips: StripSet, _ places: [Int]) throws -> Void) throws {
        if let chunked {
            for c in 0..<chunked.chunkCount { try body(0, try chunked.chunk(c), Array(chunked.range(ofChunk: c))) }
        } else {
            for (g, group) in groups.enumerated() { try body(g, group.set, group.order) }
        }
    }

    /// The strips to describe when all have one width: all of them, or a chunked file's first chunk (nil for several widths).
    public func sample() throws -> StripSet? {
        if let chunked { return try chunked.chunkCount > 0 ? chunked.chunk(0) : nil }
        return groups.count == 1 ? groups[0].set : nil
    }

    /// The image files directly in `folder`, as the registry names them (`.png`, `.jpg`, `.jpeg`, any
    /// case; hidden files skipped).
    public static func imageFiles(in folder: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw LettersError.unreadable(file: displayName(folder), detail: "cannot list the folder")
        }
        let picked = names.filter { !$0.hasPrefix(".") && DataFileKind.named($0) == .image }
        guard !picked.isEmpty else {
            throw LettersError.unreadable(file: displayName(folder), detail: "a folder holding no .png, .jpg or .jpeg files")
        }
        return picked.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { folder.appendingPathComponent($0) }
    }

    /// One strip per image, grouped by width.
    static func images(_ urls: [URL], name: String) throws -> InputStrips {
        var byWidth: [Int: (pixels: [Float], order: [Int])] = [:]
        var inverted = 0, rescaled = 0
        for (i, url) in urls.enumerated() {
            let strip = PhotoStrip.strip(from: try GrayImage.read(url: url))
            if strip.inverted { inverted += 1 }
            if strip.scale != nil { rescaled += 1 }
            byWidth[strip.width, default: ([], [])].pixels += strip.pixels
            byWidth[strip.width, default: ([], [])].order.append(i)
        }
        var input = InputStrips(name: name, groups: try byWidth.keys.sorted().map { w in
            let g = byWidth[w]!
            return Group(set: try StripSet(name: "\(name) (\(w) px wide)", count: g.order.count, height: PhotoStrip.height,
                                           width: w, pixels: g.pixels), order: g.order)
        }, files: urls.map(displayName))
        let n = urls.count
        if inverted > 0 { input.notes.append("\(inverted) of \(n) images: dark ink on light paper, inverted") }
        if rescaled > 0 {
            input.notes.append("\(rescaled) of \(n) images: not 30 px tall, so their ink was found, contrast stretched and scaled to the strips' 24-px letter height")
        }
        if input.groups.count > 1 {
            input.notes.append("strips of \(input.groups.count) widths (\(input.groups.map { "\($0.set.width)" }.joined(separator: ", ")) px), read width by width")
        }
        return input
    }

    init(name: String, groups: [Group], files: [String]) {
        self.name = name; self.groups = groups; self.files = files
    }

    /// Per-strip results of each group, put back in input order.
    public func inInputOrder<T>(_ perGroup: [[T]]) -> [T] {
        precondition(perGroup.count == groups.count && zip(perGroup, groups).allSatisfy { $0.count == $1.set.count }, "one result per strip")
        var out = [T?](repeating: nil, count: count)
        for (results, g) in zip(perGroup, groups) { for (r, i) in zip(results, g.order) { out[i] = r } }
        return out.map { $0! }
    }

    /// All strips as one set in input order, narrower ones padded with black on the right (for showing them).
    /// A chunked file is read whole for it.
    public func padded() throws -> StripSet {
        if let chunked { return try chunked.all() }
        if groups.count == 1 && groups[0].order == Array(0..<groups[0].set.count) { return groups[0].set }
        let width = groups.map(\.set.width).max() ?? 1, height = groups.first?.set.height ?? PhotoStrip.height
        let strips = inInputOrder(groups.map { g in (0..<g.set.count).map { (g.set.strip(at: $0), g.set.width) } })
        var pixels = [Float](); pixels.reserveCapacity(count * height * width)
        for (s, w) in strips {
            for r in 0..<height {
                pixels += s[(s.startIndex + r * w)..<(s.startIndex + (r + 1) * w)]
                pixels += [Float](repeating: 0, count: width - w)
            }
        }
        return try! StripSet(name: name, count: count, height: height, width: width, pixels: pixels)  // finite, sized by construction
    }
}
