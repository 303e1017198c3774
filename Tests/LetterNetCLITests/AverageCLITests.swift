import Foundation
import Letters
import NeuralNet
import XCTest

/// `train --keep-epochs` keeps every epoch's model, and `average` turns such models into one: every
/// weight the members' mean, batch norm re-estimated on the letters given, the sources recorded by file
/// name; models of different architectures, or fewer than two, are refused.
final class AverageCLITests: CLITestCase {
    func testKeptEpochsAverageIntoOneModel() throws {
        try lettersFile(count: 260)
        let train = try run(["train", "--data", path("letters.npz"), "--arch", "cnn", "--epochs", "2", "--batch-size", "32",
                             "--seed", "5", "--keep-epochs", "--out", path("run.lnet")])
        XCTAssertEqual(train.status, 0, train.stderr)
        let epochs = try (1...2).map { try Checkpoint.read(from: URL(fileURLWithPath: path("run.epoch\($0).lnet"))) }
        XCTAssertEqual(epochs.map { $0.metadata["epoch"] }, ["1", "2"])
        XCTAssertEqual(epochs[0].metadata["trained_on"], "letters.npz")
        XCTAssertNotEqual(epochs[0].tensor(named: "0.weight")!.values, epochs[1].tensor(named: "0.weight")!.values)

        let r = try run(["average", "--model", path("run.epoch1.lnet"), "--model", path("run.epoch2.lnet"),
                         "--data", path("letters.npz"), "--batches", "3", "--batch-size", "16", "--out", path("avg.lnet")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("the mean of 2 models (cnn)"), r.stdout)
        let avg = try Checkpoint.read(from: URL(fileURLWithPath: path("avg.lnet")))
        XCTAssertEqual(avg.metadata["averaged_from"], "run.epoch1.lnet, run.epoch2.lnet")
        XCTAssertEqual(avg.metadata["batch_norm_from"], "3 batches of 16 from letters.npz")
        XCTAssertNil(avg.metadata["epoch"])
        let a = epochs[0].tensor(named: "0.weight")!.values, b = epochs[1].tensor(named: "0.weight")!.values
        for (i, v) in avg.tensor(named: "0.weight")!.values.enumerated() { XCTAssertEqual(v, (a[i] + b[i]) / 2, accuracy: 1e-6) }
        // The running variance is re-estimated, not the members' mean.
        let va = epochs[0].tensor(named: "1.running_var")!.values, vb = epochs[1].tensor(named: "1.running_var")!.values
        XCTAssertNotEqual(avg.tensor(named: "1.running_var")!.values, zip(va, vb).map { ($0 + $1) / 2 })
        let eval = try run(["evaluate", "--data", path("letters.npz"), "--model", path("avg.lnet"), "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        // A kept epoch's model is never written over an input.
        let again = try run(["train", "--data", path("letters.npz"), "--arch", "cnn", "--epochs", "2", "--keep-epochs",
                             "--initial", path("run.epoch2.lnet"), "--out", path("run.lnet")])
        assertRefused(again, "run.epoch2.lnet", "--keep-epochs is the same file as --initial")
    }

    func testDifferentArchitecturesAndSingleModelsAreRefused() throws {
        try lettersFile(count: 52)
        try modelFile("mlp.lnet")
        try modelFile("cnn.lnet", layers: Architecture.cnn.layers)
        let mixed = try run(["average", "--model", path("cnn.lnet"), "--model", path("mlp.lnet"),
                             "--data", path("letters.npz"), "--out", path("avg.lnet")])
        assertRefused(mixed, "mlp.lnet", "architecture differs")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("avg.lnet")))
        let one = try run(["average", "--model", path("cnn.lnet"), "--data", path("letters.npz"), "--out", path("avg.lnet")])
        XCTAssertNotEqual(one.status, 0)
        XCTAssertTrue(one.stderr.contains("at least two --model"), one.stderr)
    }
}
