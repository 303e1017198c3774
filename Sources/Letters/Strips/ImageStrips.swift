import Foundation
import LetterFormats

/// Strips from PNG and JPEG images, one strip per image (a file, or a folder's files in file-name order),
/// each made into a strip by ``PhotoStrip`` and kept in one ``StripSet`` per width, with each strip's
/// place in the input.
public struct ImageStrips: Sendable {
    /// Strips of one width, and each one's place in the input (0-based).
    public struct Group: Sendable {
        public var set: StripSet
        public var order: [Int]
    }

    public var name: String
    /// The groups, narrowest first.
    public var groups: [Group]
    /// The image file of each strip, in input order.
    public var files: [String]
    public var notes: [String] = []

    public var count: Int { groups.reduce(0) { $0 + $1.set.count } }

    /// One strip per image of `urls`, grouped by width; `name` names them in messages.
    public init(urls: [URL], name: String) throws {
        var byWidth: [Int: (pixels: [Float], order: [Int])] = [:]
        var inverted = 0, rescaled = 0
        for (i, url) in urls.enumerated() {
            let strip = PhotoStrip.strip(from: try GrayImage.read(url: url))
            if strip.inverted { inverted += 1 }
            if strip.scale != nil { rescaled += 1 }
            byWidth[strip.width, default: ([], [])].pixels += strip.pixels
            byWidth[strip.width, default: ([], [])].order.append(i)
        }
        self.name = name
        files = urls.map(displayName)
        groups = try byWidth.keys.sorted().map { w in
            let g = byWidth[w]!
            return Group(set: try StripSet(name: "\(name) (\(w) px wide)", count: g.order.count, height: PhotoStrip.height,
                                           width: w, pixels: g.pixels), order: g.order)
        }
        let n = urls.count
        if inverted > 0 { notes.append("\(inverted) of \(n) images: dark ink on light paper, inverted") }
        if rescaled > 0 {
            notes.append("\(rescaled) of \(n) images: not 30 px tall, so their ink was found, contrast stretched and scaled to the strips' 24-px letter height")
        }
        if groups.count > 1 {
            notes.append("strips of \(groups.count) widths (\(groups.map { "\($0.set.width)" }.joined(separator: ", ")) px), read width by width")
        }
    }

    /// Strips already grouped (for tests).
    init(name: String, groups: [Group], files: [String]) {
        self.name = name; self.groups = groups; self.files = files
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

    /// Per-strip results of each group, put back in input order.
    public func inInputOrder<T>(_ perGroup: [[T]]) -> [T] {
        precondition(perGroup.count == groups.count && zip(perGroup, groups).allSatisfy { $0.count == $1.set.count }, "one result per strip")
        var out = [T?](repeating: nil, count: count)
        for (results, g) in zip(perGroup, groups) { for (r, i) in zip(results, g.order) { out[i] = r } }
        return out.map { $0! }
    }

    /// All strips as one set in input order, narrower ones padded with black on the right (for showing them).
    public func padded() -> StripSet {
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
