import Foundation
import LetterFormats

extension LetterDataset {
    /// Loads a dataset, choosing the reader by the file's kind (``DataFileKind``: its first bytes, else its name):
    /// - `.npz` with `x` (N×28×28 or N×784, any numeric dtype) and `y` (N labels 1…26): as stored,
    ///   assumed upright (run `letternet inspect` to check the orientation hint);
    /// - `…-images-idx3-ubyte[.gz]`: EMNIST images, transposed upright on load, with labels from the
    ///   sibling `…-labels-idx1-ubyte[.gz]`.
    public static func load(url: URL) throws -> LetterDataset {
        let file = try DataFile.read(url)
        let base = url.lastPathComponent
        switch file.kind {
        case .npz:
            let arrays = try file.arrays(["x", "y"])
            return try fromArrays(x: arrays["x"]!, y: arrays["y"]!, name: file.name)
        case .idx where base.contains("idx3-ubyte"):
            guard let labelsURL = siblingLabels(of: url) else {
                throw LettersError.missingArray(file: file.name, detail:
                    "no labels file beside it (expected \(base.replacingOccurrences(of: "images-idx3", with: "labels-idx1")) or with/without .gz)")
            }
            let x = try file.array(), y = try IDX.read(url: labelsURL)
            let data = try fromArrays(x: x, y: y, name: file.name, labelsFile: displayName(labelsURL))
            return data.transposed()  // EMNIST stores each image transposed.
        case .idx where base.contains("idx1-ubyte"):
            throw LettersError.wrongRank(file: file.name, detail: "this is an idx1 labels file; load the matching images-idx3-ubyte file")
        default:
            throw LettersError.malformed(file: file.name, detail: "not a dataset file (expected .npz with x and y, or an EMNIST images-idx3-ubyte[.gz])")
        }
    }

    /// Builds a dataset from an image array `x` (N×28×28 or N×784) and labels `y` (N or N×1, 1…26).
    public static func fromArrays(x: NpyArray, y: NpyArray, name: String, labelsFile: String? = nil) throws -> LetterDataset {
        let xName = labelsFile == nil ? "\(name)[x]" : name
        let yName = labelsFile ?? "\(name)[y]"
        let n = x.shape.first ?? 0
        guard (x.shape.count == 3 && x.shape[1] == side && x.shape[2] == side)
                || (x.shape.count == 2 && x.shape[1] == pixelsPerImage) else {
            throw LettersError.wrongRank(file: xName, detail: "images have shape \(shapeText(x.shape)); expected N×28×28 or N×784")
        }
        guard y.shape.count == 1 || (y.shape.count == 2 && y.shape[1] == 1) else {
            throw LettersError.wrongRank(file: yName, detail: "labels have shape \(shapeText(y.shape)); expected (N,)")
        }
        guard y.shape[0] == n else {
            throw LettersError.shapeMismatch(file: name, detail: "\(n) images but \(y.shape[0]) labels")
        }
        guard let labels = y.ints() else {
            throw LettersError.labelOutOfRange(file: yName, detail: "labels are not all whole numbers")
        }
        try checkLabels(labels, file: yName)
        let (pixels, note) = try x.pixels(file: xName, unitScaleMax: 1) {
            "image \($0 / pixelsPerImage) at pixel \($0 % pixelsPerImage)"
        }
        do {
            var set = try LetterDataset(name: name, images: pixels, labels: labels)
            set.notes = note.map { [$0] } ?? []
            return set
        } catch let e as LettersError {
            throw e.renamed(xName)
        }
    }

    /// Every file ``load(url:)`` reads for `url`: the file, and for EMNIST images their labels file.
    public static func sourceFiles(of url: URL) -> [URL] {
        url.lastPathComponent.contains("idx3-ubyte") ? [url] + (siblingLabels(of: url).map { [$0] } ?? []) : [url]
    }

    /// `…-images-idx3-ubyte[.gz]` → the existing `…-labels-idx1-ubyte[.gz]` beside it.
    static func siblingLabels(of url: URL) -> URL? {
        let dir = url.deletingLastPathComponent()
        var stem = url.lastPathComponent.replacingOccurrences(of: "images-idx3-ubyte", with: "labels-idx1-ubyte")
        if stem.hasSuffix(".gz") { stem.removeLast(3) }
        return [stem, stem + ".gz"].map { dir.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) && $0.lastPathComponent != url.lastPathComponent }
    }
}
