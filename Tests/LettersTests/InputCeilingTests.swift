import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// Readers that see overlapping letters' sums (`train-reader --input-ceiling`): the normalization, its
/// metadata, and what the trainer and the teachers make of it.
final class InputCeilingTests: XCTestCase {
    let cpu = CPUBackend(threads: 1)

    func testTheCeilingClipsPixelsAndIsRecorded() throws {
        let plain = PixelNormalization()
        var sums = PixelNormalization()
        sums.ceiling = 510
        XCTAssertEqual(plain.apply(510), plain.apply(255), "255 clips a sum of two letters")
        XCTAssertEqual(sums.apply(255), plain.apply(255), "below 255 nothing changes")
        XCTAssertEqual(sums.apply(510), (2 - sums.mean) / sums.std, accuracy: 1e-6)
        XCTAssertEqual(sums.apply(900), sums.apply(510))
        XCTAssertEqual(sums.apply(-5), plain.apply(0))
        // Models before the ceiling record none and read as 255; 255 itself is not written.
        XCTAssertNil(plain.recorded(in: [:])["input_ceiling"])
        XCTAssertEqual(try PixelNormalization(metadata: plain.recorded(in: [:]), source: "m").effectiveCeiling, 255)
        XCTAssertEqual(try PixelNormalization(metadata: sums.recorded(in: [:]), source: "m"), sums)
        XCTAssertEqual(try PixelNormalization(metadata: ["input_ceiling": "255"], source: "m"), plain)
        for bad in ["100", "2000", "nan", "x"] {
            XCTAssertThrowsError(try PixelNormalization(metadata: ["input_ceiling": bad], source: "m.lnet")) { e in
                XCTAssertTrue("\(e)".contains("input_ceiling is '\(bad)'"), "\(e)")
            }
        }
    }

    func testTheTrainerGivesItsReaderTheCeilingAndItsTeachersAClippedCopy() throws {
        var sums = PixelNormalization()
        sums.ceiling = 510
        let letters = DrawnLetters.dataset(count: 52, classes: 26, seed: 3)
        var o = StripTrainer.Options()
        o.variant = .fast
        XCTAssertEqual(StripTrainer(options: o, letters: letters, backend: cpu).reader.normalization.effectiveCeiling, 255)
        o.inputCeiling = 510
        let trainer = StripTrainer(options: o, letters: letters, backend: cpu)
        XCTAssertEqual(trainer.reader.normalization.ceiling, 510)
        let saved = try StripReader(checkpoint: trainer.reader.checkpoint(), backend: cpu, source: "r.lnet")
        XCTAssertEqual(saved.normalization.ceiling, 510, "the model file keeps it")
        // Teachers that clip at 255 read the student's input clipped there; a teacher that sees more than
        // the student, or normalizes otherwise, cannot teach it.
        let clipping = StripReader(width: 150, variant: .fast, backend: cpu, seed: 2)
        let taught = try StripTeachers(readers: [clipping, clipping], share: 0.5, student: trainer.reader)
        let clip = try XCTUnwrap(taught.inputClip)
        XCTAssertEqual(clip, PixelNormalization().apply(255))
        let student = [sums.apply(0), sums.apply(200), sums.apply(255), sums.apply(400), sums.apply(510)]
        XCTAssertEqual(taught.teacherInput(student), [0, 200, 255, 255, 255].map { PixelNormalization().apply($0) })
        XCTAssertNil(try StripTeachers(readers: [saved], share: 0.5, student: trainer.reader).inputClip)
        XCTAssertThrowsError(try StripTeachers(readers: [saved], share: 0.5, student: clipping)) { e in
            XCTAssertTrue("\(e)".contains("not higher"), "\(e)")
        }
        XCTAssertThrowsError(try StripTeachers(readers: [clipping, saved], share: 0.5, student: trainer.reader))
        var otherMean = PixelNormalization()
        otherMean.mean = 0.2
        XCTAssertThrowsError(try StripTeachers(readers: [StripReader(width: 150, variant: .fast, backend: cpu, seed: 2, normalization: otherMean)],
                                               share: 0.5, student: clipping))
    }

    /// A strip whose two letters overlap reads differently once the sum is seen, and the input holds it.
    func testTheReaderInputKeepsTheSum() {
        var sums = PixelNormalization()
        sums.ceiling = 510
        let reader = StripReader(width: 40, variant: .fast, backend: cpu, seed: 1, normalization: sums)
        var pixels = [Float](repeating: 0, count: 30 * 40)
        pixels[5 * 40 + 20] = 480
        var input = [Float](repeating: 0, count: 28 * StripReader.geometry.paddedWidth(40))
        input.withUnsafeMutableBufferPointer { reader.fillInput(pixels[...], width: 40, into: $0.baseAddress!) }
        XCTAssertEqual(input.max()!, sums.apply(480), accuracy: 1e-6)
        XCTAssertGreaterThan(input.max()!, PixelNormalization().apply(480))
    }

    /// A file whose overlaps are clipped (no pixel above 255) is worth a word to a reader that learnt sums.
    func testTheSurveyWarnsWhenAReaderOfSumsGetsClippedStrips() throws {
        let letters = DrawnLetters.dataset(count: 52, classes: 26, seed: 4)
        let set = StripSynthesizer.realCohort(letters: 5, width: 168).makeSet(from: letters, count: 80, seed: 2).strips
        XCTAssertTrue(set.pixels.contains { $0 > 255 }, "cohort strips sum their overlaps")
        let clipped = try StripSet(name: "u8", count: set.count, height: set.height, width: set.width, pixels: set.pixels.map { min($0, 255) })
        let range = StripTrainingRange()
        func warned(_ s: StripSet, _ ceiling: Float, letters: Int? = 5) -> Bool {
            StripSurvey(s).warnings(letters: letters, trainedOn: range, inputCeiling: ceiling).contains { $0.contains("not summed") }
        }
        XCTAssertTrue(warned(clipped, 510))
        XCTAssertTrue(warned(clipped, 510, letters: nil), "--letters auto")
        XCTAssertFalse(warned(set, 510), "sums present")
        XCTAssertFalse(warned(clipped, 255), "a reader that clips itself")
        XCTAssertFalse(warned(clipped, 510, letters: 1), "one letter overlaps nothing")
        let few = try StripSet(name: "few", count: 10, height: set.height, width: set.width, pixels: Array(clipped.pixels.prefix(10 * 30 * 168)))
        XCTAssertFalse(warned(few, 510), "too few strips to tell")
    }

    /// The shipped default reads sums; the reader the warning above points to clips them.
    func testTheShippedReadersCeilings() throws {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models")
        let shipped = models.appendingPathComponent("strip-reader.lnet"), clipped = models.appendingPathComponent("clipped/strip-reader.lnet")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: shipped.path), "no shipped reader")
        XCTAssertEqual(try StripReader(checkpoint: Checkpoint.read(from: shipped), backend: cpu, source: "s").normalization.effectiveCeiling, 510)
        XCTAssertEqual(try StripReader(checkpoint: Checkpoint.read(from: clipped), backend: cpu, source: "c").normalization.effectiveCeiling, 255)
    }
}
