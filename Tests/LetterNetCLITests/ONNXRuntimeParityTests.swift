import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// The first check of letternet's forward pass by an engine it did not write: every shipped model is
/// exported (`letternet export`), validated by `onnx.checker` and run in onnxruntime
/// (`Scripts/onnx_check.py`) on a few hundred letters and strips, and its probabilities are compared
/// with letternet's own. Skips when python3 with onnx and onnxruntime is missing (CI installs them).
final class ONNXRuntimeParityTests: CLITestCase {
    /// On probabilities (0…1): float32 rounding in a different order of sums, batch norm folded into
    /// the convolutions in letternet and not in the graph.
    static let tolerance = 1e-5
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = repo.deletingLastPathComponent().appendingPathComponent("shared/data")

    /// Letters: 150 demo letters, and 150 real ones (evenly spread over the EMNIST dev file) where the
    /// shared data is present (read in place, never copied into the repository), as letternet reads them.
    func letters() throws -> (images: [Float], count: Int, demo: String) {
        let demo = path("demo.npz")
        XCTAssertEqual(try run(["demo-letters", "--count", "150", "--seed", "11", "--out", demo]).status, 0)
        var sets = [try LetterDataset.load(url: URL(fileURLWithPath: demo))]
        let real = Self.shared.appendingPathComponent("emnist-letters/emnist-letters-test-dev-upright.npz")
        if FileManager.default.fileExists(atPath: real.path) {
            let all = try LetterDataset.load(url: real)
            sets.append(all.subset((0..<150).map { $0 * all.count / 150 }))
        }
        let data = LetterDataset.concatenated(sets)
        return (data.images, data.count, demo)
    }

    /// Strips of two widths (dynamic W): 5-letter classic strips 150 px and 4-letter cohort strips 140 px.
    func strips(from letters: String) throws -> [StripSet] {
        try [("five.npy", ["--letters", "5"]), ("four.npy", ["--letters", "4", "--layout", "cohort"])].map { name, options in
            let r = try run(["synth", "--data", letters, "--count", "100", "--seed", "5", "--out", path(name)] + options)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try StripSet.load(url: URL(fileURLWithPath: path(name)))
        }
    }

    /// Inputs shared by the comparisons: letters (N×28×28) and strip sets, also written as float32 .npy
    /// files (`letters.npy`, `strips0.npy`, …) for the script.
    struct Inputs { let images: [Float]; let count: Int; let strips: [StripSet] }

    func inputs(lettersLimit: Int = .max, stripsLimit: Int = .max) throws -> Inputs {
        let (images, count, demo) = try letters()
        let n = min(count, lettersLimit)
        try NPY.write(NpyArray(Array(images[0..<(n * 784)]), shape: [n, 28, 28]), to: dir.appendingPathComponent("letters.npy"))
        let sets = try strips(from: demo).map { set in
            set.count <= stripsLimit ? set
                : try StripSet(name: set.name, count: stripsLimit, height: set.height, width: set.width,
                               pixels: Array(set.pixels[0..<(stripsLimit * set.height * set.width)]))
        }
        for (k, set) in sets.enumerated() { try NPY.write(set.array(), to: dir.appendingPathComponent("strips\(k).npy")) }
        return Inputs(images: Array(images[0..<(n * 784)]), count: n, strips: sets)
    }

    /// One comparison for the script: a model's ONNX file, one input file, letternet's probabilities.
    struct Check {
        let name: String, kind: String, onnx: String, inputs: String, expected: String
        let metadata: [String: String]
    }

    /// Exports `model` with the CLI and writes letternet's probabilities on `inputs` (the letters for a
    /// classifier, every strip set for a reader) for the script.
    func prepare(_ model: URL, _ inputs: Inputs) throws -> [Check] {
        let name = model.deletingPathExtension().lastPathComponent, onnx = path(name + ".onnx")
        let export = try run(["export", "--model", model.path, "--out", onnx])
        XCTAssertEqual(export.status, 0, export.stderr)
        let checkpoint = try Checkpoint.read(from: model)
        let cpu = CPUBackend()
        var results: [(kind: String, inputs: String, expected: [Float], shape: [Int])] = []
        if StripReader.Variant(recognising: checkpoint) != nil {
            let reader = try StripReader(checkpoint: checkpoint, backend: cpu, source: model.path)
            for (k, set) in inputs.strips.enumerated() {
                let probs = reader.logProbabilities(set).flatMap { $0.map { expf($0) } }
                results.append(("reader", "strips\(k).npy", probs, [set.count, StripReader.positions(width: set.width), StripReader.classes]))
            }
        } else {
            let classifier = try LetterClassifier(checkpoint: checkpoint, backend: cpu, source: model.path)
            results.append(("classifier", "letters.npy", classifier.probabilities(images: inputs.images, count: inputs.count),
                            [inputs.count, 26]))
        }
        return try results.enumerated().map { k, r in
            let expected = path("\(name)-expected\(k).npy")
            try NPY.write(NpyArray(r.expected, shape: r.shape), to: URL(fileURLWithPath: expected))
            return Check(name: name, kind: r.kind, onnx: onnx, inputs: path(r.inputs), expected: expected, metadata: checkpoint.metadata)
        }
    }

    /// Runs the script once on every check (one Python start) and asserts each within the tolerance,
    /// with the model's metadata; with `torch`, PyTorch's reading too where torch is installed.
    /// Returns the largest difference per check.
    @discardableResult
    func compare(_ checks: [Check], torch: Bool = false) throws -> [Double] {
        let r = try XCTUnwrap(try python([Self.repo.appendingPathComponent("Scripts/onnx_check.py").path,
                                          "--tolerance", "\(Self.tolerance)"] + (torch ? ["--torch"] : [])
                                         + checks.flatMap { ["--check", $0.onnx, $0.kind, $0.inputs, $0.expected] }))
        XCTAssertEqual(r.status, 0, "\(r.stdout)\n\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, checks.count, "one report per check: \(r.stdout) \(r.stderr)")
        var diffs: [Double] = []
        for (check, line) in zip(checks, lines) {
            let report = try XCTUnwrap(try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            XCTAssertEqual(report["inputs"] as? String, check.inputs)
            let diff = try XCTUnwrap(report["max_abs_diff"] as? Double, "\(report)")
            diffs.append(diff)
            let file = URL(fileURLWithPath: check.inputs).lastPathComponent
            print(String(format: "onnxruntime vs letternet: %@ on %@ (%d): max |Δp| = %.2e (tolerance %.0e), argmax agreement %.4f",
                         check.name, file, report["count"] as? Int ?? -1, diff, Self.tolerance, report["argmax_agreement"] as? Double ?? -1))
            XCTAssertLessThanOrEqual(diff, Self.tolerance, "\(check.name) on \(file)")
            // Where torch is installed: the same graph as a torch.nn.Sequential (Scripts/onnx_to_torch.py).
            if let torch = report["torch_max_abs_diff"] as? Double {
                print(String(format: "PyTorch (onnx_to_torch.py) vs letternet: %@ on %@: max |Δp| = %.2e", check.name, file, torch))
                XCTAssertLessThanOrEqual(torch, Self.tolerance, "\(check.name) on \(file) in PyTorch")
            }
            // Every key of the checkpoint's metadata travels with its value.
            let metadata = try XCTUnwrap(report["metadata"] as? [String: String])
            for (key, value) in check.metadata where key != "kind" { XCTAssertEqual(metadata[key], value, "\(check.name): \(key)") }
            XCTAssertEqual(metadata["kind"], check.kind == "reader" ? "strip-reader" : "letter-classifier")
            XCTAssertEqual(report["opset"] as? [Int], [17])
        }
        return diffs
    }

    func requireOnnxruntime() throws {
        guard let probe = try python(["-c", "import onnx, onnxruntime, numpy"]), probe.status == 0 else {
            throw XCTSkip("python3 with onnx and onnxruntime not found (pip install onnx==1.23.2 onnxruntime==1.32.0); "
                          + "the onnxruntime comparison is skipped")
        }
    }

    func testShippedModelsMatchOnnxruntime() throws {
        try requireOnnxruntime()
        let models = try FileManager.default.contentsOfDirectory(at: Self.repo.appendingPathComponent("Models"),
                                                                 includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "lnet" }.sorted { $0.path < $1.path }
        XCTAssertGreaterThanOrEqual(models.count, 2)
        let data = try inputs()
        let checks = try models.flatMap { try prepare($0, data) }
        XCTAssertEqual(Set(checks.map(\.kind)), ["classifier", "reader"], "the shipped models include both kinds")
        try compare(checks)
    }

    /// Every architecture and reader variant, shipped or not (untrained, batch-norm statistics drawn so
    /// that they matter), on a few inputs: the mapping of every layer kind and geometry, `context`'s
    /// padded 3×3 convolutions over a one-row feature map included; and, where torch is installed,
    /// the README's way into PyTorch (Scripts/onnx_to_torch.py) on the same graphs.
    func testEveryArchitectureAndReaderVariantMatchesOnnxruntime() throws {
        try requireOnnxruntime()
        let data = try inputs(lettersLimit: 40, stripsLimit: 8)
        let cpu = CPUBackend()
        var rng = SeededGenerator(seed: 9)
        func drawStatistics(_ c: inout Checkpoint) {
            for i in c.tensors.indices where c.tensors[i].name.hasSuffix("running_mean") || c.tensors[i].name.hasSuffix("running_var") {
                let variance = c.tensors[i].name.hasSuffix("running_var")
                c.tensors[i].values = c.tensors[i].values.map { _ in variance ? Float.random(in: 0.3...2, using: &rng) : Float.random(in: -0.5...0.5, using: &rng) }
            }
        }
        var models: [(String, Checkpoint)] = Architecture.allCases.map { arch in
            let model = Sequential(specs: arch.layers, inputShape: Architecture.inputShape, backend: cpu, seed: 4)
            return (arch.rawValue, Checkpoint(model: model, metadata: PixelNormalization().recorded(in: ["architecture": arch.rawValue])))
        }
        models += StripReader.Variant.allCases.map { v in
            ("reader-" + v.rawValue, StripReader(width: 140, variant: v, backend: cpu, seed: 4).checkpoint())
        }
        // A reader that sees overlapping letters' sums (the graph clips at 510, not 255; the strips hold sums).
        var sums = PixelNormalization()
        sums.ceiling = 510
        models.append(("reader-residual-510", StripReader(width: 140, variant: .residual, backend: cpu, seed: 4, normalization: sums).checkpoint()))
        XCTAssertTrue(data.strips.contains { $0.pixels.contains { $0 > 255 } }, "some strip pixel sums two letters")
        let checks = try models.flatMap { name, checkpoint in
            var c = checkpoint
            drawStatistics(&c)
            let url = dir.appendingPathComponent(name + ".lnet")
            try c.write(to: url)
            return try prepare(url, data)
        }
        try compare(checks, torch: true)
    }
}
