import Foundation
import NeuralNet
import XCTest

/// `train-reader --teacher`: a reader trained with a trained reader's per-position probabilities in its
/// targets; the teachers are recorded by file name, resuming needs the same ones, and a teacher that is
/// not a strip reader is refused before any training.
final class TrainReaderDistillationCLITests: CLITestCase {
    func testDistilsFromATrainedReaderAndResumesWithTheSameTeachers() throws {
        try lettersFile(count: 78)
        let common = ["train-reader", "--data", path("letters.npz"), "--variant", "fast", "--batch-size", "2",
                      "--eval-every", "2", "--validation-strips", "4", "--seed", "3"]
        let teacher = try run(common + ["--steps", "2", "--out", path("teacher.lnet")])
        XCTAssertEqual(teacher.status, 0, teacher.stderr)

        let taught = common + ["--teacher", path("teacher.lnet"), "--teacher-share", "0.7", "--out", path("student.lnet")]
        let first = try run(taught + ["--steps", "4"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("distilling from \(path("teacher.lnet")) (teachers' share 0.7)"), first.stderr)
        let ckpt = try Checkpoint.read(from: URL(fileURLWithPath: path("student.lnet.ckpt")))
        let options = try XCTUnwrap(ckpt.metadata["reader_training_options"])
        XCTAssertTrue(options.contains("\"teachers\":[\"teacher.lnet\"]"), options)
        XCTAssertFalse(options.contains(path("")), "the teacher is recorded by file name: \(options)")
        let model = try Checkpoint.read(from: URL(fileURLWithPath: path("student.lnet")))
        XCTAssertEqual(model.metadata["teachers"], "teacher.lnet")
        XCTAssertEqual(model.metadata["teacher_share"], "0.7")

        let again = try run(taught + ["--steps", "4", "--resume"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("resuming at step 4 of 4"), again.stderr)
        assertRefused(try run(common + ["--steps", "4", "--out", path("student.lnet"), "--resume"]), "other training options")

        assertRefused(try run(common + ["--steps", "2", "--teacher", path("letters.npz"), "--out", path("x.lnet")]), "letters.npz")
        assertRefused(try run(common + ["--steps", "2", "--teacher", path("none.lnet"), "--out", path("x.lnet")]), "none.lnet")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.lnet")))
    }
}
