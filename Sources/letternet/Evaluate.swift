import ArgumentParser
import Foundation
import Letters
import NeuralNet

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a letter classifier on labelled letters.",
        discussion: """
        Reads labelled letters (--data: an npz with x and y, or EMNIST idx files) and a model (--model, \
        default the shipped CNN). Prints top-1 and top-5 accuracy, per-class accuracy and the most confused \
        pairs; --json prints one JSON object instead ("accuracy", "top5", "count", "per_class", "confused"). \
        --report also writes an HTML page: the confusion heat map, per-class accuracy and the misclassified \
        letters as images.

        Example:
          letternet evaluate --data emnist-letters-test.npz --json
          letternet evaluate --data test.npz --model letters.lnet --report eval.html
        """)

    @OptionGroup var data: LetterFiles
    @Option(name: .long, parsing: .singleValue,
            help: "Model file; repeat to average several (an ensemble). Default: the shipped CNNs (Models/letters-cnn*.lnet).")
    var model: [PathArgument] = []
    @OptionGroup var device: DeviceChoice
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Test-time augmentation: average over the image and four copies shifted by one pixel (5× slower).")
    var tta = false
    @OptionGroup var report: ReportFile

    func run() throws {
        try reportingErrors {
            let modelURLs = model.isEmpty ? try Resources.models(prefix: "letters-cnn") : model.map(\.url)
            try OutputGuard.check(outputs: report.outputs, inputs: data.inputs + modelURLs.map { .init("--model", $0.path) })
            let set = try data.load(for: "evaluate")
            // The paths given, or the shipped models' names (no folder of this machine in the report).
            let modelNames = (model.isEmpty ? modelURLs.map(\.lastPathComponent) : model.map(\.path)).joined(separator: " + ")
            let probs = try device.run { backend, fallback in
                let classifier = try LetterEnsemble(contentsOf: modelURLs, backend: backend)
                let bar = json ? nil : ProgressBar(total: set.count, label: fallback ? "evaluating on the CPU" : "evaluating")
                let probs = classifier.probabilities(images: set.images, count: set.count, shifts: tta) { bar?.update($0) }
                bar?.finish()
                try backend.checkHealthy()
                return probs
            }
            let e = Evaluation(probabilities: probs, classes: set.classIndices)
            let letter = { (c: Int) in String(UnicodeScalar(UInt8(65 + c))) }
            if let report = report.path {
                try EvaluationReport(evaluation: e, probabilities: probs, set: set, model: modelNames)
                    .write(to: report.url)
                if !json { print("wrote \(report)") }
            }
            if json {
                var perClass: [String: Double] = [:]
                for (c, a) in e.perClass.enumerated() { if let a { perClass[letter(c)] = a } }
                let object: [String: Any] = [
                    "accuracy": e.top1, "top5": e.top5, "count": e.count, "model": modelNames,
                    "per_class": perClass,
                    "confused": e.confusedPairs().map { ["true": letter($0.truth), "predicted": letter($0.predicted), "count": $0.count] },
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("model: \(modelNames)")
            print(String(format: "%d images: top-1 %.2f%%, top-5 %.2f%%", e.count, 100 * e.top1, 100 * e.top5))
            print("per class: " + e.perClass.enumerated().compactMap { c, a in
                a.map { String(format: "%@ %.1f", letter(c), 100 * $0) } }.joined(separator: "  "))
            print("most confused (true → predicted): " + e.confusedPairs(limit: 8).map {
                "\(letter($0.truth))→\(letter($0.predicted)) \($0.count)" }.joined(separator: ", "))
        }
    }
}
