import Foundation
import LetterFormats

/// An N×`height`×W `.npy` of strips read ``chunkSize`` strips at a time, so that reading a file of any
/// length holds one chunk in memory, not the file.
///
/// Opening it checks what loading the whole file (``StripSet/load(url:height:)``) checks, with the same
/// errors, before any strip is read: the header, the file's size against it, the shape, and for float
/// files NaN, infinity and float64 values beyond float32 anywhere in the file (found in a first pass over
/// it, chunk by chunk). That pass also decides the 0…1 scale for the file as a whole. Chunk 0 is kept
/// from it, so a chunk is read at most twice (once more after that pass), chunk 0 once. Unlike the whole-file
/// loader it reads files larger than ``LettersLimits/maxBytes``.
public struct ChunkedStrips: Sendable {
    public static let defaultChunkSize = 1024
    /// The header bytes read to parse it; a longer header (numpy writes one of well under 1 kB) is left to the whole-file loader.
    static let headerPrefix = 1 << 16

    public let name: String
    public let count: Int, height: Int, width: Int
    public let chunkSize: Int
    /// What loading changes about the data (the 0…1 scale note), as ``StripSet/notes``.
    public private(set) var notes: [String] = []
    let path: String
    let header: NpyHeader
    private(set) var unitScale = false
    /// Chunk 0, read when the file is opened (by the first pass over a float file) and kept, so that the
    /// survey of the strips and their reading take it from memory: every chunk is read once to read it.
    private var firstChunk: StripSet?

    /// Opens `url` for reading in chunks, or nil where that is not how to read it (not a regular file,
    /// Fortran order, a header over 64 kB): load it whole then, which reports any error as before.
    public static func open(url: URL, height: Int = StripGeometry.standard.height, chunkSize: Int = defaultChunkSize) throws -> ChunkedStrips? {
        precondition(chunkSize > 0, "chunks of at least one strip")
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.intValue,
              let prefix = try? bytes(of: url.path, name: displayName(url), at: 0, count: min(size, headerPrefix)), prefix.count == min(size, headerPrefix)
        else { return nil }
        let name = displayName(url)
        let header: NpyHeader
        do {
            header = try NPY.readHeader(bytes: prefix, name: name)
        } catch let e as LettersError where e.kind == .truncated && size > prefix.count {
            return nil  // a header longer than the prefix read
        }
        try NPY.checkData(of: header, fileSize: size, name: name, limit: Int.max)
        try StripSet.checkShape(header.shape, file: name, height: height)
        guard !header.fortranOrder else { return nil }
        var strips = ChunkedStrips(name: name, count: header.shape[0], height: height, width: header.shape[2], chunkSize: chunkSize,
                                   path: url.path, header: header)
        guard strips.chunkCount > 0 else { return strips }
        guard header.dtype?.kind == .float else {
            strips.firstChunk = try strips.chunk(0)
            return strips
        }
        var scan = PixelScan()
        var first = [Float]()
        for c in 0..<strips.chunkCount {
            let range = strips.range(ofChunk: c)
            let values = scan.floats(of: try strips.array(range), first: range.lowerBound * height * strips.width)
            if c == 0 { first = values }
        }
        try scan.check(file: name, place: strips.place)
        if let note = scan.unitScaleNote(file: name, unitScaleMax: StripSet.unitScaleMax) {
            strips.notes = [note]
            strips.unitScale = true
            PixelScan.toByteScale(&first)
        }
        strips.firstChunk = try StripSet(name: name, count: strips.range(ofChunk: 0).count, height: height, width: strips.width, pixels: first)
        return strips
    }

    public var chunkCount: Int { (count + chunkSize - 1) / chunkSize }

    /// The strips of chunk `c`.
    public func range(ofChunk c: Int) -> Range<Int> {
        (c * chunkSize)..<min(count, (c + 1) * chunkSize)
    }

    /// Strips `range` as a set, as loading the whole file would give them.
    public func strips(_ range: Range<Int>) throws -> StripSet {
        var scan = PixelScan()
        var pixels = scan.floats(of: try array(range), first: range.lowerBound * height * width)
        try scan.check(file: name, place: place)  // passed when opened, unless the file has changed since
        if unitScale { PixelScan.toByteScale(&pixels) }
        return try StripSet(name: name, count: range.count, height: height, width: width, pixels: pixels)
    }

    /// The strips of chunk `c` as a set.
    public func chunk(_ c: Int) throws -> StripSet {
        if c == 0, let firstChunk { return firstChunk }
        return try strips(range(ofChunk: c))
    }

    /// Every strip as one set (as much memory as loading the file whole).
    public func all() throws -> StripSet {
        var pixels = [Float]()
        pixels.reserveCapacity(count * height * width)
        for c in 0..<chunkCount { pixels += try chunk(c).pixels }
        var set = try StripSet(name: name, count: count, height: height, width: width, pixels: pixels)
        set.notes = notes
        return set
    }

    /// Where pixel `i` of the file is, for messages.
    func place(_ i: Int) -> String { StripSet.place(of: i, height: height, width: width) }

    /// Strips `range` as stored, little-endian.
    func array(_ range: Range<Int>) throws -> NpyArray {
        let stripBytes = height * width * header.dtype!.size  // checked when opened
        let data = try Self.bytes(of: path, name: name, at: header.dataOffset + range.lowerBound * stripBytes, count: range.count * stripBytes)
        guard data.count == range.count * stripBytes else {
            throw LettersError.truncated(file: name, detail: "strips \(range.lowerBound)..<\(range.upperBound) end early: the file was cut short while being read")
        }
        return NPY.array(data, shape: [range.count, height, width], of: header)
    }

    /// Up to `count` bytes of the file at `path` from `offset` (fewer only at its end); `name` is for messages.
    static func bytes(of path: String, name: String, at offset: Int, count: Int) throws -> [UInt8] {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw LettersError.unreadable(file: name, detail: "cannot open it")
        }
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(offset))
        var out = [UInt8]()
        out.reserveCapacity(count)
        while out.count < count, let data = try file.read(upToCount: count - out.count), !data.isEmpty { out += data }
        return out
    }
}
