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
        if let variant = StripReader.Variant.allCases.first(where: { $0.layers == c.layers }) {
            normalization = try StripReader(checkpoint: c, backend: cpu, source: source).normalization
            what = "strip reader (\(variant.rawValue))"
            meta["kind"] = "strip-reader"
            meta["variant"] = variant.rawValue
            meta["classes"] = (letters + ["background"]).joined(separator: ",")
            input = .init(name: "strip", shape: [.named("N"), .fixed(1), .fixed(28), .named("W")], doc: """
                Rows 1…28 (0-based) of N strips 30 rows tall and W − 28 columns wide, as raw pixels 0…255 \
                (light ink on dark, as in the course's files), with 14 columns of zeros added on each side: \
                W = strip width + 28.
                """)
            outputShape = [.named("N"), .fixed(StripReader.classes), .fixed(1), .named("P")]
            outputDoc = "per window position j < P = floor(W/4) − 6 (centred on strip column 4j − 0.5), "
                + "27 classes: A…Z, then background (26)"
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
        meta["input_normalization"] = "(min(max(p, 0), 255) / 255 - \(normalization.mean)) / \(normalization.std), in the graph"
        meta["outputs"] = "logits and probabilities (softmax over axis 1)"
        signature = ONNXSignature(
            input: input,
            scaling: .init(lower: 0, upper: 255, divisor: 255, mean: normalization.mean, std: normalization.std),
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
