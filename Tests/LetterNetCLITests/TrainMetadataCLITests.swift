import Foundation
import XCTest
import NeuralNet

/// What `train` records in the model it writes: the training files by file name with their `@N`
/// weights, whether epochs were class-balanced, the label smoothing, and the schedule.
final class TrainMetadataCLITests: CLITestCase {
    func testTrainRecordsFilesWeightsAndBalancing() throws {
        let demo = try run(["demo-letters", "--count", "260", "--seed", "4", "--out", path("letters.npz")])
        XCTAssertEqual(demo.status, 0, demo.stderr)
        for balanced in [true, false] {
            let out = path(balanced ? "balanced.lnet" : "plain.lnet")
            let r = try run(["train", "--data", path("letters.npz") + "@2", "--arch", "mlp", "--optimizer", "sgd", "--epochs", "1",
                             "--batch-size", "16", "--lr", "0.01", "--seed", "3", "--out", out] + (balanced ? ["--balance", "--label-smoothing", "0.1"] : []))
            XCTAssertEqual(r.status, 0, r.stderr)
            let meta = try Checkpoint.read(from: URL(fileURLWithPath: out)).metadata
            XCTAssertEqual(meta["trained_on"], "letters.npz@2")
            XCTAssertEqual(meta["balanced"], "\(balanced)")
            XCTAssertEqual(meta["epochs"], "1")
            XCTAssertEqual(meta["learning_rate"], "0.01")
            XCTAssertEqual(meta["label_smoothing"], balanced ? "0.1" : nil)
        }
    }
}
