import ArgumentParser
import Foundation
import LetterFormats
import Letters
import NeuralNet

/// `letternet inspect FILE`: what a data file holds, before anything else is run on it.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a data file holds: arrays, shapes, dtypes, value ranges, label histogram, orientation.",
        discussion: """
            Reads .npy, .npz, EMNIST idx files (plain or .gz), models (.lnet, .ckpt), PNG and JPEG images, prediction.csv \
            and labels files (by their first bytes, else their name; pipes too); writes \
            nothing, it prints what it found. Bad input prints one line, 'error: <file>: <problem>', and \
            exits with status 2.

            Example:
              letternet inspect training-dataset.npz
              letternet inspect Models/letters-cnn.lnet --json
            """)

    @Argument(help: "The file to inspect.")
    var file: String
    @Flag(help: "Print one JSON object (the file's kind, arrays, model, image, rows or lines) instead of the lines.")
    var json = false

    func run() throws {
        try reportingErrors {
            // Read once (a pipe or FIFO cannot be read twice); the registry tells the kind.
            let data = try DataFile.read(URL(fileURLWithPath: file))
            if json { return try printJSON(data) }
            switch data.kind {
            case .npy:
                let array = try data.array()
                out("\(file): npy")
                try describe("", array)
            case .npz:
                try inspectArchive(data)
            case .model:
                try inspectModel(data.bytes)
            case .idx:
                let array = try data.array()
                out("\(file): EMNIST idx\(data.isGzip ? " (gzip)" : "")")
                try describe("", array, storedTransposed: true)
                if URL(fileURLWithPath: file).lastPathComponent.contains("idx3-ubyte") {
                    out("  loads as a letters dataset with its labels file; images are transposed upright on load")
                }
            case .image:
                let image = try data.image()
                out("\(file): \(GrayImage.format(of: data.bytes)?.rawValue ?? "") image, \(image.width)×\(image.height) pixels")
            case .predictionCSV:
                let rows = try PredictionCSV.parse(data.text(), file: file)
                out("\(file): prediction.csv, \(rows.count) rows × \(PredictionCSV.guessesPerRow) guesses")
                if let first = rows.first { out("  first row: " + first.map(LetterLabel.letters).joined(separator: ", ")) }
            case .labels:
                let labels = try LabelsFile.parse(data.text(), file: file)
                out("\(file): labels file, \(labels.count) lines")
                let lengths = Dictionary(grouping: labels, by: \.count).mapValues(\.count)
                out("  letters per line: " + lengths.keys.sorted().map { "\($0)×\(lengths[$0]!)" }.joined(separator: " "))
                histogram(labels.flatMap { $0 })
            case nil:
                throw CLIFailure("\(file): not a file inspect knows (.npy, .npz, EMNIST idx, a model, a PNG or JPEG image, "
                                 + "or UTF-8 text: prediction.csv or a labels file)")
            }
        }
    }

    private func inspectArchive(_ archive: DataFile) throws {
        let members = try archive.members()
        out("\(file): npz, \(members.count) array(s)")
        let decodable = members.filter { $0.header?.dtype != nil }.map(\.name)
        let arrays = try archive.arrays(decodable)
        for m in members {
            let storage = m.compressed ? "deflated" : "stored"
            if let array = arrays[m.name] {
                try describe(m.name, array, note: storage)
            } else if let h = m.header {
                out("  \(m.name): shape \(shape(h.shape)), dtype \(h.descr) (\(storage)) — not a numeric dtype; listed, not decoded")
            } else {
                out("  \(m.name): unreadable — \(m.headerError?.problem ?? "unknown problem")")
            }
        }
        // A broken member makes the whole archive bad input (exit 2), after the listing is shown.
        if let failure = members.compactMap(\.headerError).first { throw failure }
        // Course files hold both x and y; one without the other is reported as a missing array.
        if (arrays["x"] == nil) != (arrays["y"] == nil) { _ = try archive.arrays(["x", "y"]) }
        if let x = arrays["x"], let y = arrays["y"] {
            let data = try LetterDataset.fromArrays(x: x, y: y, name: file)
            out("  → letters dataset: \(data.count) images, labels 1…26 valid")
            for n in data.notes { out("  note: \(n)") }
            if let read = classifierOrientation(data.images, count: data.count, labels: data.labels) {
                out("  → orientation read by the classifier with the labels: \(read)")
            }
        }
    }

    /// Prints one array: shape, dtype, value range; a histogram for label-like arrays; an orientation
    /// hint for image stacks; the strip reading for N×30×W arrays.
    private func describe(_ label: String, _ a: NpyArray, note: String? = nil, storedTransposed: Bool = false) throws {
        try MemoryBudget.check(Double(a.count) * 16, for: "describing \(a.count) values", lower: "the file's size")
        let values = a.doubles()
        let finite = values.filter(\.isFinite)
        var line = "  \(label.isEmpty ? "array" : label): shape \(shape(a.shape)), dtype \(a.sourceDescr)"
        if let note { line += " (\(note))" }
        if let lo = finite.min(), let hi = finite.max() {
            let mean = finite.reduce(0, +) / Double(finite.count)
            line += ", values \(fmt(lo))…\(fmt(hi)), mean \(fmt(mean))"
        }
        if finite.count < values.count { line += ", \(values.count - finite.count) NaN/inf" }
        out(line)
        let isLabels = a.shape.count == 1 && a.dtype.kind != .float && !values.isEmpty
            && (label.isEmpty || label == "y" || values.allSatisfy { (1...26).contains($0) })
        if isLabels, let ints = a.ints() { histogram(ints) }
        let isImages = (a.shape.count == 3 && a.shape[1] == 28 && a.shape[2] == 28) || (a.shape.count == 2 && a.shape[1] == 784)
        if isImages, finite.count == values.count {
            let hint = OrientationHint(images: a.floats(), count: a.shape[0])
            out("    orientation by ink shape alone: \(hint)")
            if storedTransposed && hint.verdict == .transposed { out("    (expected for EMNIST idx: the loader transposes it)") }
            if let read = classifierOrientation(a.floats(), count: a.shape[0]) {
                out("    orientation read by the classifier: \(read)")
            }
        }
        if a.shape.count == 3 && a.shape[1] == StripGeometry.standard.height {
            out("    reads as \(a.shape[0]) strip(s) of 30×\(a.shape[2]) pixels")
        }
    }

    /// The shipped CNN's reading of the orientation (nil where no shipped model is found).
    private func classifierOrientation(_ images: [Float], count: Int, labels: [Int]? = nil) -> ClassifierOrientation? {
        guard let url = try? Resources.model("letters-cnn.lnet"),
              let classifier = try? LetterClassifier(contentsOf: url, backend: CPUBackend(threads: 2)) else { return nil }
        return ClassifierOrientation(images: images, labels: labels, count: count, classifier: classifier)
    }

    private func histogram(_ labels: [Int]) {
        var counts = [Int: Int]()
        for l in labels { counts[l, default: 0] += 1 }
        let outside = counts.filter { !(1...26).contains($0.key) }.map(\.value).reduce(0, +)
        let cells = (1...26).map { "\(LetterLabel.letters([$0]))=\(counts[$0] ?? 0)" }
        out("    label histogram (1=A … 26=Z): " + cells.joined(separator: " "))
        if outside > 0 {
            out("    \(outside) label(s) outside 1…26: values " + counts.keys.filter { !(1...26).contains($0) }.sorted().prefix(10).map(String.init).joined(separator: ", "))
        }
    }

    /// Prints `line` with control characters from the file escaped.
    func out(_ line: String) { print(Terminal.escaped(line)) }

    private func shape(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ", ") + (s.count == 1 ? ",)" : ")") }

    private func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.4g", x)
    }
}
