import Foundation
import LetterFormats
import Letters
import NeuralNet

extension Inspect {
    /// `--json`: what the file holds as one object: {"file", "kind", …} with, by kind, "arrays" (name, shape,
    /// dtype, min, max, mean, and "letters" for a letters dataset), "model" (kind, input shape, layers,
    /// parameters, metadata), "image" (format, width, height), "rows" and "first_row" (prediction.csv) or
    /// "lines" and "letters_per_line" (labels). The file is checked as the text output checks it.
    func printJSON(_ data: DataFile) throws {
        var object: [String: Any] = ["file": file]
        switch data.kind {
        case .npy, .idx:
            object["kind"] = data.kind == .npy ? "npy" : "idx"
            object["arrays"] = [summary("", try data.array())]
        case .npz:
            object["kind"] = "npz"
            let members = try data.members()
            if let failure = members.compactMap(\.headerError).first { throw failure }
            let arrays = try data.arrays(members.filter { $0.header?.dtype != nil }.map(\.name))
            object["arrays"] = members.compactMap { m in arrays[m.name].map { summary(m.name, $0, compressed: m.compressed) } }
            if let x = arrays["x"], let y = arrays["y"] { object["letters"] = try LetterDataset.fromArrays(x: x, y: y, name: file).count }
        case .model:
            object["kind"] = "model"
            let c = try Checkpoint.decode(Data(data.bytes), source: file)
            _ = try PixelNormalization(metadata: c.metadata, source: file)
            _ = try c.makeModel(on: CPUBackend(threads: 1), source: file)
            object["model"] = [
                "kind": StripReader.Variant(recognising: c).map { "strip reader (\($0.rawValue))" }
                    ?? Architecture.allCases.first { $0.layers == c.layers }.map { "letter classifier (\($0.rawValue))" } ?? "network",
                "input_shape": c.inputShape, "layers": c.layers.map(\.shortName), "metadata": c.metadata,
                "parameters": c.tensors.filter { $0.name.first?.isNumber == true }.reduce(0) { $0 + $1.values.count },
            ] as [String: Any]
        case .image:
            let image = try data.image()
            object["kind"] = "image"
            object["image"] = ["format": GrayImage.format(of: data.bytes)?.rawValue ?? "", "width": image.width, "height": image.height]
        case .predictionCSV:
            let rows = try PredictionCSV.parse(data.text(), file: file)
            object["kind"] = "prediction_csv"
            object["rows"] = rows.count
            object["first_row"] = rows.first.map { $0.map(LetterLabel.letters) } ?? []
        case .labels:
            let labels = try LabelsFile.parse(data.text(), file: file)
            object["kind"] = "labels"
            object["lines"] = labels.count
            object["letters_per_line"] = Dictionary(grouping: labels, by: \.count).reduce(into: [String: Int]()) { $0["\($1.key)"] = $1.value.count }
        case nil:
            throw CLIFailure("\(file): not a file inspect knows")
        }
        try JSONOutput.print(object)
    }

    /// One array: its name, shape, dtype and the range and mean of its finite values.
    private func summary(_ name: String, _ a: NpyArray, compressed: Bool? = nil) -> [String: Any] {
        let finite = a.doubles().filter(\.isFinite)
        var out: [String: Any] = ["name": name, "shape": a.shape, "dtype": a.sourceDescr, "non_finite": a.count - finite.count,
                                  "min": JSONOutput.number(finite.min()), "max": JSONOutput.number(finite.max()),
                                  "mean": JSONOutput.number(finite.isEmpty ? nil : finite.reduce(0, +) / Double(finite.count))]
        if let compressed { out["compressed"] = compressed }
        return out
    }
}
