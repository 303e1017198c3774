import Foundation
import NeuralNet
import XCTest

/// `train-reader` writes OUT.ckpt after every validation; `--resume` continues from it (a finished run
/// has nothing left and keeps its model), refuses other options and says when there is no checkpoint.
final class TrainReaderResumeCLITests: CLITestCase {
    func testResumeContinuesFromTheCheckpoint() throws {
        try lettersFile(count: 78)
        let common = ["train-reader", "--data", path("letters.npz"), "--variant", "fast", "--batch-size", "2",
                      "--eval-every", "2", "--validation-strips", "4", "--seed", "3", "--out", path("r.lnet")]
        let first = try run(common + ["--steps", "4"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let ckpt = try Checkpoint.read(from: URL(fileURLWithPath: path("r.lnet.ckpt")))
        XCTAssertEqual(ckpt.metadata["training_step"], "4")
        XCTAssertEqual(ckpt.metadata["validation_scores"]?.split(separator: ",").count, 2)
        let model = try Data(contentsOf: URL(fileURLWithPath: path("r.lnet")))

        let again = try run(common + ["--steps", "4", "--resume"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("resuming at step 4 of 4"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("r.lnet"))), model, "a finished run keeps its model")

        assertRefused(try run(common + ["--steps", "6", "--resume"]), "other training options")
        try FileManager.default.removeItem(atPath: path("r.lnet.ckpt"))
        assertRefused(try run(common + ["--steps", "4", "--resume"]), "no checkpoint to resume from")
    }
}
