import Foundation
import XCTest

/// `train --log` and `train-reader --log`: a CSV with a header and one row per epoch or validation,
/// which pandas reads (where pandas is installed), kept up to the resumed point by `--resume`.
final class MetricsLogCLITests: CLITestCase {
    func trainArguments(epochs: Int) throws -> [String] {
        ["train", "--data", try lettersFile(count: 104), "--arch", "mlp", "--epochs", "\(epochs)", "--batch-size", "16",
         "--patience", "0", "--out", path("m.lnet"), "--log", path("metrics.csv")]
    }

    func testTrainLogHasOneRowPerEpochAndResumes() throws {
        let first = try run(try trainArguments(epochs: 2))
        XCTAssertEqual(first.status, 0, first.stderr)
        var lines = try String(contentsOfFile: path("metrics.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,images_per_second,seconds")
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",")[0] }, ["1", "2"])
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 8 && $0.split(separator: ",").allSatisfy { Double($0) != nil } })
        // Resumed (the run is complete, so no epoch runs): rows up to the checkpoint's epoch stay, later ones go.
        try Data((lines.joined(separator: "\n") + "\n9,1,1,1,1,1,1,1\n").utf8).write(to: URL(fileURLWithPath: path("metrics.csv")))
        let resumed = try run(try trainArguments(epochs: 2) + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        lines = try String(contentsOfFile: path("metrics.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",")[0] }, ["1", "2"])

        guard let probe = try python(["-c", "import pandas"]), probe.status == 0 else {
            throw XCTSkip("python3 with pandas not found (pip install pandas); the pandas check is skipped")
        }
        let read = try XCTUnwrap(try python(["-c", """
            import pandas as pd, sys
            m = pd.read_csv(sys.argv[1])
            print(len(m), list(m.epoch), m.val_accuracy.dtype, m.val_accuracy.between(0, 1).all())
            """, path("metrics.csv")]))
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(read.stdout, "2 [1, 2] float64 True\n")
    }

    func testTrainReaderLogHasOneRowPerValidation() throws {
        let r = try run(["train-reader", "--data", try lettersFile(count: 104), "--steps", "4", "--eval-every", "2",
                         "--batch-size", "2", "--validation-strips", "4", "--variant", "fast", "--out", path("r.lnet"),
                         "--log", path("reader.csv")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = try String(contentsOfFile: path("reader.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "step,train_loss,val_top1,val_top5,val_letters,learning_rate,strips_per_second,seconds")
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",")[0] }, ["2", "4"])
    }

    func testLogMayNotBeAnInput() throws {
        let letters = try lettersFile(count: 52)
        assertRefused(try run(["train", "--data", letters, "--arch", "mlp", "--epochs", "1", "--out", path("m.lnet"),
                               "--log", letters]), "--log")
    }
}
