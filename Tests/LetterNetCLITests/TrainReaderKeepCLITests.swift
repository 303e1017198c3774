import Foundation
import NeuralNet
import XCTest

/// `train-reader --keep last`: OUT holds the last validated reader (the end of the schedule), whatever
/// the earlier validations scored; `--keep` is not a training option, so a run resumes with another. A
/// finished run resumed writes nothing and says so.
final class TrainReaderKeepCLITests: CLITestCase {
    func testKeepLastWritesTheLastValidatedReaderAndResumesUnderEitherChoice() throws {
        try lettersFile(count: 78)
        let common = ["train-reader", "--data", path("letters.npz"), "--variant", "fast", "--batch-size", "2",
                      "--eval-every", "2", "--validation-strips", "4", "--seed", "5", "--out", path("r.lnet")]
        let first = try run(common + ["--steps", "6", "--keep", "last"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("wrote \(path("r.lnet")) (last validation top-5"), first.stdout)
        let model = try Checkpoint.read(from: URL(fileURLWithPath: path("r.lnet")))
        XCTAssertEqual(model.metadata["step"], "6", "the last validation's reader, not the best one's")
        // The model is the run's last weights: the resumable checkpoint holds the same network.
        let ckpt = try Checkpoint.read(from: URL(fileURLWithPath: path("r.lnet.ckpt")))
        for (name, _, values) in model.tensors {
            XCTAssertEqual(ckpt.tensor(named: name)?.values, values, name)
        }

        let again = try run(common + ["--steps", "6", "--keep", "best", "--resume"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("resuming at step 6 of 6"), again.stderr)
        XCTAssertTrue(again.stdout.contains("the run had already ended at step 6: \(path("r.lnet")) is unchanged"), again.stdout)
        XCTAssertFalse(again.stdout.contains("wrote"), again.stdout)
        XCTAssertEqual(try Checkpoint.read(from: URL(fileURLWithPath: path("r.lnet"))).metadata["step"], "6")
        // Resumed with --keep last, the note points at the last step's reader.
        let last = try run(common + ["--steps", "6", "--keep", "last", "--resume"])
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertTrue(last.stdout.contains("its last step's reader is in \(path("r.lnet.ckpt"))"), last.stdout)
        assertRefused(try run(common + ["--steps", "6", "--keep", "first"]), "--keep")
    }
}
