import Foundation
import Letters
import NeuralNet

extension Inspect {
    /// A letternet model or training checkpoint: its network, what it maps, its metadata, and whether
    /// the commands would load it (the same checks: architecture, tensor values, normalization).
    func inspectModel(_ bytes: [UInt8]) throws {
        let c = try Checkpoint.decode(Data(bytes), source: file)
        let kind = StripReader.Variant(recognising: c).map { "strip reader (\($0.rawValue))" }
            ?? Architecture.allCases.first { $0.layers == c.layers }.map { "letter classifier (\($0.rawValue))" }
            ?? "network of \(c.layers.count) layers"
        let resumable = c.metadata["training_options"] != nil ? ", resumable training checkpoint" : ""
        out("\(file): letternet model, \(kind)\(resumable)")
        out("  input \(c.inputShape), layers: " + c.layers.map(\.shortName).joined(separator: " "))
        let parameters = c.tensors.filter { $0.name.first?.isNumber == true }.reduce(0) { $0 + $1.values.count }
        out("  \(c.tensors.count) tensors, \(parameters) model values")
        for key in c.metadata.keys.sorted() {
            let value = c.metadata[key]!
            out("  \(key): " + (value.count > 80 ? value.prefix(77) + "…" : value))
        }
        _ = try PixelNormalization(metadata: c.metadata, source: file)
        let model = try c.makeModel(on: CPUBackend(threads: 1), source: file)
        out("  loads: maps \(model.inputShape) to \(Array(model.outputShape(batch: 1).dropFirst())), every value finite and in range")
    }
}
