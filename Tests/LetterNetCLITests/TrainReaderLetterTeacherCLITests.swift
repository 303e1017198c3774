import Foundation
import NeuralNet
import XCTest

/// `train-reader --letter-teacher`: a reader taught by a letter classifier that reads each training
/// letter clean; the classifier is recorded by file name, resuming needs it again, and a model that is
/// not a letter classifier of 26 classes is refused before any training.
final class TrainReaderLetterTeacherCLITests: CLITestCase {
    func testALetterClassifierTeachesAndTheRunResumesWithIt() throws {
        try lettersFile(count: 78)
        let classifier = try run(["train", "--data", path("letters.npz"), "--arch", "mlp", "--epochs", "1", "--out", path("mlp.lnet")])
        XCTAssertEqual(classifier.status, 0, classifier.stderr)
        let common = ["train-reader", "--data", path("letters.npz"), "--variant", "fast", "--batch-size", "2",
                      "--eval-every", "2", "--validation-strips", "4", "--seed", "3"]
        let taught = common + ["--letter-teacher", path("mlp.lnet"), "--teacher-share", "0.6", "--out", path("student.lnet")]
        let first = try run(taught + ["--steps", "4"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("the letter teacher \(path("mlp.lnet")) reads the"), first.stderr)
        XCTAssertTrue(first.stderr.contains("distilling from \(path("mlp.lnet")) (teachers' share 0.6)"), first.stderr)
        let model = try Checkpoint.read(from: URL(fileURLWithPath: path("student.lnet")))
        XCTAssertEqual(model.metadata["letter_teacher"], "mlp.lnet")
        XCTAssertEqual(model.metadata["teacher_share"], "0.6")
        XCTAssertNil(model.metadata["teachers"], "no reader teachers")

        let again = try run(taught + ["--steps", "6", "--resume"])
        XCTAssertNotEqual(again.status, 0, "another --steps is another run")
        let resumed = try run(taught + ["--steps", "4", "--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming at step 4 of 4"), resumed.stderr)
        assertRefused(try run(common + ["--steps", "4", "--out", path("student.lnet"), "--resume"]), "other training options")

        // A strip reader is no letter classifier.
        assertRefused(try run(common + ["--steps", "2", "--letter-teacher", path("student.lnet"), "--out", path("x.lnet")]),
                      "not a letter classifier")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.lnet")))
    }
}
