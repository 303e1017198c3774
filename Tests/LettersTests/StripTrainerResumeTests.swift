import Foundation
import NeuralNet
import XCTest
@testable import Letters

/// `train-reader --resume`: a strip-reader run stopped after a validation and resumed from its
/// checkpoint ends with exactly the weights of the run that was never stopped; other options are refused.
final class StripTrainerResumeTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func options() -> StripTrainer.Options {
        var o = StripTrainer.Options()
        o.steps = 4; o.batchSize = 2; o.variant = .fast; o.seed = 11
        return o
    }

    func testResumedRunMatchesTheUninterruptedOne() throws {
        let letters = DrawnLetters.dataset(count: 52, classes: 26, seed: 3)
        let validation = StripTrainer.Validation(from: letters, count: 2, seed: 1)
        let dir = try temporaryDirectory(self), ckpt = dir.appendingPathComponent("r.lnet.ckpt")
        func train(_ t: StripTrainer, checkpoint: URL?, stopAfter: Int = .max) throws {
            var best = -1.0
            try t.train(every: 2, validation: validation, provenance: Provenance(trainedOn: []), best: &best, checkpoint: checkpoint,
                        shouldStop: { t.step > stopAfter }, progress: { _, _, _ in }, validated: { _, _ in }, save: { _ in })
        }
        let whole = StripTrainer(options: options(), letters: letters, backend: cpu)
        try train(whole, checkpoint: nil)
        XCTAssertEqual(whole.step, 4)

        let stopped = StripTrainer(options: options(), letters: letters, backend: cpu)
        XCTAssertThrowsError(try train(stopped, checkpoint: ckpt, stopAfter: 2)) { error in
            guard case TrainingError.interrupted = error else { return XCTFail("\(error)") }
        }
        let resumed = StripTrainer(options: options(), letters: letters, backend: cpu)
        try resumed.resume(fromFileAt: ckpt)
        XCTAssertEqual(resumed.step, 2)
        try train(resumed, checkpoint: ckpt)
        XCTAssertEqual(resumed.step, 4)
        XCTAssertEqual(resumed.reader.model.namedTensors.map { $0.tensor.toArray() },
                       whole.reader.model.namedTensors.map { $0.tensor.toArray() })

        var other = options(); other.learningRate = 1e-3
        XCTAssertThrowsError(try StripTrainer(options: other, letters: letters, backend: cpu).resume(fromFileAt: ckpt)) {
            XCTAssertTrue("\($0)".contains("other training options"), "\($0)")
        }
        var otherMix = options(); otherMix.mix = .cohort
        XCTAssertThrowsError(try StripTrainer(options: otherMix, letters: letters, backend: cpu).resume(fromFileAt: ckpt)) {
            XCTAssertTrue("\($0)".contains("other training options"), "\($0)")
        }
        let missing = dir.appendingPathComponent("none.ckpt")
        XCTAssertThrowsError(try resumed.resume(fromFileAt: missing)) {
            XCTAssertEqual("\($0)", "\(missing.path): no checkpoint to resume from")
        }
    }

    /// Runs saved before `--mix` existed recorded no mix: they read back as the broad mix, so that
    /// `--resume` continues them.
    func testOptionsSavedWithoutAMixReadAsTheBroadMix() throws {
        var json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(options())) as! [String: Any]
        XCTAssertNil(json["mix"], "the broad mix is not written")
        json.removeValue(forKey: "mix")
        let old = try JSONDecoder().decode(StripTrainer.Options.self, from: try JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(old, options())
        XCTAssertEqual(old.effectiveMix, .broad)
        var cohort = options(); cohort.mix = .cohort
        let back = try JSONDecoder().decode(StripTrainer.Options.self, from: try JSONEncoder().encode(cohort))
        XCTAssertEqual(back.mix, .cohort)
    }
}
