import Foundation
import XCTest
import Letters
import NeuralNet

/// A model with NaN, infinite or absurd weights, a negative variance, or normalization metadata that
/// cannot be right is refused on load by every command that loads one, naming the model — instead of
/// producing garbage with exit status 0.
final class BrokenModelCLITests: CLITestCase {
    /// (name, what is broken, a phrase of the message)
    static let defects: [(String, (inout Checkpoint) -> Void, String)] = [
        ("nan", { $0.tensors[0].values[3] = .nan }, "NaN or infinite"),
        ("inf", { $0.tensors[1].values[0] = -.infinity }, "NaN or infinite"),
        ("absurd", { $0.tensors[0].values[0] = 3e30 }, "beyond ±"),
        ("negative-variance", { c in
            if let i = c.tensors.firstIndex(where: { $0.name.hasSuffix("running_var") }) { c.tensors[i].values[0] = -1 }
            else { c.tensors[0].values[0] = .nan }  // a network without batch norm: some other defect
        }, "tensor '"),
        ("std-zero", { $0.metadata["input_std"] = "0" }, "input_std is '0'"),
        ("std-nan", { $0.metadata["input_std"] = "nan" }, "input_std is 'nan'"),
        ("mean-inf", { $0.metadata["input_mean"] = "inf" }, "input_mean is 'inf'"),
        ("mean-text", { $0.metadata["input_mean"] = "abc" }, "input_mean is 'abc'"),
        ("ceiling-low", { $0.metadata["input_ceiling"] = "100" }, "input_ceiling is '100'"),
    ]

    func testEvaluateAndPredictRefuseBrokenModels() throws {
        let letters = try lettersFile(count: 30)
        let strips = path("strips.npy")
        try StripSet(name: "s", count: 2, height: 30, width: 150, pixels: [Float](repeating: 0, count: 9000))
            .write(to: URL(fileURLWithPath: strips))
        let mlp = Architecture.mlp.layers, reader = StripReader.Variant.fast.layers
        for (name, defect, phrase) in Self.defects {
            let classifier = try modelFile("\(name)-letters.lnet", layers: mlp, edit: defect)
            assertRefused(try run(["evaluate", "--data", letters, "--model", classifier]), "\(name)-letters.lnet", phrase)
            let stripModel = try modelFile("\(name)-reader.lnet", layers: reader, inputShape: [1, 28, 178], edit: defect)
            assertRefused(try run(["predict", "--strips", strips, "--model", stripModel, "--out", path("p.csv")]),
                          "\(name)-reader.lnet", phrase)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("p.csv")))
    }

    func testFineTuningFromABrokenModelBlamesTheModel() throws {
        let letters = try lettersFile(count: 30)
        let nan = try modelFile("nan.lnet", layers: Architecture.mlp.layers) { $0.tensors[0].values[0] = .nan }
        let train = try run(["train", "--data", letters, "--arch", "mlp", "--initial", nan, "--out", path("m.lnet")])
        assertRefused(train, "nan.lnet", "NaN or infinite")
        XCTAssertFalse(train.stderr.contains("--lr"), train.stderr)
        let reader = try modelFile("nan-reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178]) {
            $0.metadata["input_std"] = "0"
        }
        assertRefused(try run(["train-reader", "--data", letters, "--variant", "fast", "--initial", reader, "--out", path("r.lnet")]),
                      "nan-reader.lnet", "input_std")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.lnet")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("r.lnet")))
    }
}
