import XCTest

/// Every numeric option of every command has a range, checked before anything is read or
/// allocated; bad options of any kind print one line `error: …` and exit with status 2.
final class OptionRangeCLITests: CLITestCase {
    /// (arguments, text the one error line must contain). The data file need not exist: options are
    /// checked first.
    static let refused: [([String], String)] = [
        (["train", "--data", "x.npz", "--batch-size", "1000000000"], "--batch-size 1000000000: must be between 1 and"),
        (["train", "--data", "x.npz", "--batch-size", "0"], "--batch-size 0: must be between 1"),
        (["train", "--data", "x.npz", "--epochs", "0"], "--epochs 0"),
        (["train", "--data", "x.npz", "--epochs", "-3"], "--epochs -3"),
        (["train", "--data", "x.npz", "--lr", "0"], "--lr 0.0: must be above 0"),
        (["train", "--data", "x.npz", "--lr", "nan"], "--lr nan: must be a finite number"),
        (["train", "--data", "x.npz", "--weight-decay", "-1"], "--weight-decay"),
        (["train", "--data", "x.npz", "--validation", "0.999"], "--validation 0.999"),
        (["train", "--data", "x.npz", "--validation", "-0.1"], "--validation"),
        (["train", "--data", "x.npz", "--patience", "-1"], "--patience"),
        (["train", "--data", "x.npz", "--elastic", "inf"], "--elastic inf: must be a finite number"),
        (["train", "--data", "x.npz", "--elastic", "1e30"], "--elastic"),
        (["train", "--data", "x.npz", "--label-smoothing", "1"], "--label-smoothing 1.0: must be at least 0.0 and at most 0.99"),
        (["train", "--data", "x.npz", "--label-smoothing", "-0.1"], "--label-smoothing"),
        (["train", "--data", "x.npz", "--max-steps", "0"], "--max-steps 0"),
        (["train", "--data", "x.npz@1000000000"], "--data x.npz@1000000000: the weight after @ must be between 1 and 1000"),
        (["train", "--data", "x.npz@99999999999999999999999"], "the weight after @"),
        (["train", "--data", "x.npz@0"], "the weight after @"),
        (["train-reader", "--data", "x.npz", "--batch-size", "100000000"], "--batch-size 100000000"),
        (["train-reader", "--data", "x.npz", "--steps", "0"], "--steps 0"),
        (["train-reader", "--data", "x.npz", "--eval-every", "-5"], "--eval-every -5"),
        (["train-reader", "--data", "x.npz", "--lr", "-inf"], "--lr -inf"),
        (["train-reader", "--data", "x.npz", "--validation-strips", "0"], "--validation-strips 0"),
        (["train-reader", "--data", "x.npz@5000"], "the weight after @"),
        (["train-reader", "--data", "x.npz", "--teacher", "t.lnet", "--teacher-share", "1.5"], "--teacher-share 1.5"),
        (["synth", "--data", "x.npz", "--count", "1000000000000"], "--count 1000000000000"),
        (["synth", "--data", "x.npz", "--count", "1e12"], "'1e12' is invalid"),
        (["synth", "--data", "x.npz", "--width", "1000000000"], "--width 1000000000"),
        (["synth", "--data", "x.npz", "--width", "27"], "--width 27"),
        (["synth", "--data", "x.npz", "--letters", "13"], "--letters 13"),
        (["synth", "--data", "x.npz", "--count", "1000000", "--width", "4096"], "above the 2 GB that letternet reads"),
        (["predict", "--letters", "0"], "--letters 0"),
        (["predict", "--views", "0"], "--views 0"),
        (["predict", "--views", "5"], "--views 5"),
        (["predict", "--views", "2", "--reread-share", "0"], "--reread-share 0.0: must be above 0.0 and at most 1.0"),
        (["predict", "--views", "2", "--reread-share", "1.5"], "--reread-share 1.5"),
        (["predict", "--reread-share", "0.5"], "--reread-share chooses the strips read in the views after the first: give --views 2"),
        (["predict", "--views", "1", "--reread-share", "0.5"], "give --views 2, 3 or 4 too"),
        (["predict", "--views", "2", "--reread-share", "0.5", "--window-model", "w.lnet"], "--reread-share does not combine with --window-model"),
        (["demo-letters", "--count", "1000000000000"], "--count 1000000000000"),
        (["demo-letters", "--count", "0"], "--count 0"),
        (["bench", "--steps=-1"], "--steps -1"),
        (["bench", "--steps", "1000000000"], "--steps 1000000000"),
        (["train", "--data", "x.npz", "--bogus"], "unknown option '--bogus'"),
        (["train", "--data", "x.npz", "--seed", "-1"], "--seed"),
        (["score", "--pred", "p.csv"], "missing expected argument '--labels"),
        (["evaluate"], "give at least one --data FILE"),
        (["frobnicate"], "frobnicate"),
    ]

    func testOutOfRangeAndBadOptionsExit2WithOneErrorLine() throws {
        for (arguments, expected) in Self.refused {
            let r = try run(arguments)
            let args = arguments.joined(separator: " ")
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("error: "), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): one line expected: \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Usage:"), args)
        }
    }

    func testHelpStillExitsZero() throws {
        let r = try run(["train", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("--batch-size"))
    }
}
