import Foundation
import LetterFormats
import Letters
import NeuralNet
import ONNXExport

/// What a letternet model's ONNX graph takes and gives, in the letters domain's terms: a letter
/// classifier or a strip reader, checked by loading it as such (architecture, tensor values,
/// normalization), with its input scaling and metadata.
struct ExportedModel {
    let signature: ONNXSignature
    /// E.g. "letter classifier (cnn-deep), input pixels [N, 1, 28, 28]".
    let summary: String

    init(_ c: Checkpoint, source: String, file: String) throws {
        let cpu = CPUBackend(threads: 1)
        typealias D = ONNXSignature.Dimension
        let letters = (0..<26).map { LetterLabel.letters([$0 + 1]) }
        let normalization: PixelNormalization
        var meta = c.metadata
        let what: String, input: ONNXSignature.Value, outputShape: [D], outputDoc: String
        if let variant = StripReader.Variant(recognising: c) {
            normalization = try StripReader(checkpoint: c, backend: cpu, source: source).normalization
            what = "strip reader (\(variant.rawValue))"
            meta["kind"] = StripReader.Variant.kind
            meta["variant"] = variant.rawValue
            meta["classes"] = (letters + ["background"]).joined(separator: ",")
            let g = variant.geometry
            input = .init(name: "strip", shape: [.named("N"), .fixed(1), .fixed(g.rows.count), .named("W")], doc: """
                N strips \(StripGeometry.standard.height) rows tall as raw pixels 0…255, overlapping letters summed up to \
                \(Int(normalization.effectiveCeiling)) (light ink on dark, as in the course's files): the (0-based) \(g.inputDescription).
                """)
            outputShape = [.named("N"), .fixed(StripReader.classes), .fixed(1), .named("P")]
            outputDoc = "at each of the \(g.positionsDescription), "
                + "\(StripReader.classes) classes: A…Z, then background (\(StripReader.background))"
        } else {
            let classifier = try LetterClassifier(checkpoint: c, backend: cpu, source: source)
            normalization = classifier.normalization
            let arch = Architecture.allCases.first { $0.layers == c.layers }?.rawValue ?? c.metadata["architecture"] ?? "custom"
            what = "letter classifier (\(arch))"
            meta["kind"] = "letter-classifier"
            meta["classes"] = letters.joined(separator: ",")
            input = .init(name: "pixels", shape: [.named("N"), .fixed(1), .fixed(28), .fixed(28)], doc: """
                N upright 28×28 letter images as raw pixels 0…255 (light ink on dark, as in the course's \
                files and EMNIST read upright)
                """)
            outputShape = [.named("N"), .fixed(Architecture.classes)]
            outputDoc = "26 classes A…Z (label k is index k − 1)"
        }
        meta["letternet_model"] = what
        meta["exported_from"] = file
        let ceiling = normalization.effectiveCeiling
        meta["input_normalization"] = "(min(max(p, 0), \(ceiling == 255 ? "255" : "\(ceiling)")) / 255 - \(normalization.mean)) / \(normalization.std), in the graph"
        meta["outputs"] = "logits and probabilities (softmax over axis 1)"
        signature = ONNXSignature(
            input: input,
            scaling: .init(lower: 0, upper: ceiling, divisor: 255, mean: normalization.mean, std: normalization.std),
            logits: .init(name: "logits", shape: outputShape, doc: "scores before the softmax: " + outputDoc),
            probabilities: .init(name: "probabilities", shape: outputShape, doc: "softmax of the logits: " + outputDoc),
            name: "letternet " + what,
            doc: "letternet \(what) from \(file); input normalization in the graph; outputs logits and probabilities",
            metadata: meta)
        summary = what + ", input \(input.name) [" + input.shape.map { d in
            switch d { case let .fixed(n): return "\(n)"; case let .named(s): return s }
        }.joined(separator: ", ") + "]"
    }
}
