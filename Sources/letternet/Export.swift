import ArgumentParser
import Foundation
import FileIO
import Letters
import NeuralNet
import ONNXExport

/// `letternet export --model M.lnet --out M.onnx`: a model as a standard ONNX graph.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a letternet model as an ONNX graph (opset 17), for onnxruntime, PyTorch and other engines.",
        discussion: """
            Reads a letter classifier or a strip reader (--model) and writes it to --out as ONNX: the input \
            normalization is part of the graph, so the input is raw pixels 0…255 (float32); the outputs are \
            'logits' and their softmax 'probabilities'. Letter classifiers take 'pixels' [N, 1, 28, 28] and \
            give [N, 26] (A…Z). Strip readers take 'strip' [N, 1, \(StripReader.rows.count), W]: the \
            \(StripReader.geometry.inputDescription); they give [N, \(StripReader.classes), 1, P] (A…Z, \
            background) for the \(StripReader.geometry.positionsDescription). Dropout is \
            left out (the identity at inference); batch norm is kept with its running statistics. The \
            model's metadata (kind, classes, training files, normalization, …) becomes the ONNX metadata_props.

            Example:
              letternet export --model letters.lnet --out letters.onnx
            """)

    @Option(help: "The model to export (.lnet): a letter classifier or a strip reader.") var model: PathArgument
    @Option(help: "Output ONNX file.") var out: PathArgument

    func run() throws {
        try reportingErrors {
            try OutputGuard.check(outputs: [.init("--out", out.path)], inputs: [.init("--model", model.path)])
            let checkpoint = try Checkpoint.read(from: model.url)
            let exported = try ExportedModel(checkpoint, source: model.path, file: model.url.lastPathComponent)
            let bytes: Data
            do { bytes = try ONNXExporter.model(checkpoint, signature: exported.signature) } catch let e as ONNXExportError {
                throw CLIFailure("\(model): cannot export: \(e.message)")
            }
            try AtomicFile.write(bytes, to: out.url)
            print("wrote \(out): \(exported.summary), ONNX opset \(ONNXExporter.opsetVersion), "
                  + String(format: "%.1f MB", Double(bytes.count) / 1e6))
        }
    }
}
