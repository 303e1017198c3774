import Foundation
import NeuralNet
import XCTest
@testable import Letters

/// `train-reader --teacher`: a strip reader taught by trained readers (`StripTeachers`, `DistillationLoss`).
/// With no share for the teachers it trains as the plain run does; with all of it the student moves
/// towards its teacher; teachers that do not fit the student, or other teachers on resume, are refused.
final class StripDistillationTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)
    let letters = DrawnLetters.dataset(count: 52, classes: 26, seed: 3)

    func options(share: Float? = nil, steps: Int = 4) -> StripTrainer.Options {
        var o = StripTrainer.Options()
        o.steps = steps; o.batchSize = 2; o.variant = .fast; o.seed = 11
        if let share { o.teachers = ["teacher.lnet"]; o.teacherShare = share }
        return o
    }

    func teacher(seed: UInt64) -> StripReader {
        StripReader(width: StripGeometry.standard.classicWidth(letters: 5), variant: .fast, backend: cpu, seed: seed)
    }

    func train(_ t: StripTrainer) throws {
        var best = -1.0
        try t.train(every: t.options.steps, validation: StripTrainer.Validation(from: letters, count: 2, seed: 1),
                    provenance: Provenance(trainedOn: []), best: &best, checkpoint: nil,
                    shouldStop: { false }, progress: { _, _, _ in }, validated: { _, _ in }, save: { _ in })
    }

    func weights(_ t: StripTrainer) -> [Float] { t.reader.model.namedTensors.flatMap { $0.tensor.toArray() } }

    func testNoShareForTheTeachersTrainsAsThePlainRun() throws {
        let plain = StripTrainer(options: options(), letters: letters, backend: cpu)
        try train(plain)
        let taught = StripTrainer(options: options(share: 0), letters: letters, backend: cpu)
        try taught.distil(from: [teacher(seed: 5)])
        try train(taught)
        let (a, b) = (weights(plain), weights(taught))
        XCTAssertEqual(a.count, b.count)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-4, "α = 0 is the masked cross-entropy")
        XCTAssertNotEqual(a, weights(StripTrainer(options: options(), letters: letters, backend: cpu)), "training moved the weights")
    }

    /// Mean KL(teacher ‖ student) over the window positions of a few validation strips.
    func divergence(_ teacher: StripReader, _ student: StripReader, strips: StripSet) -> Double {
        let (t, s) = (teacher.logProbabilities(strips), student.logProbabilities(strips))
        var total = 0.0, n = 0
        for (tp, sp) in zip(t, s) {
            for j in stride(from: 0, to: tp.count, by: StripReader.classes) {
                for c in 0..<StripReader.classes { total += Double(exp(tp[j + c])) * Double(tp[j + c] - sp[j + c]) }
                n += 1
            }
        }
        return total / Double(n)
    }

    func testTheStudentMovesTowardsItsTeacher() throws {
        let master = teacher(seed: 5)
        var o = options(share: 1, steps: 30)
        o.learningRate = 2e-3
        let student = StripTrainer(options: o, letters: letters, backend: cpu)
        try student.distil(from: [master])
        let strips = StripTrainer.Validation(from: letters, count: 6, seed: 9).strips
        let before = divergence(master, student.reader, strips: strips)
        try train(student)
        let after = divergence(master, student.reader, strips: strips)
        XCTAssertLessThan(after, 0.5 * before, "KL(teacher ‖ student) \(before) → \(after)")
    }

    func testTeachersThatDoNotFitAreRefused() throws {
        let t = StripTrainer(options: options(share: 0.5), letters: letters, backend: cpu)
        XCTAssertThrowsError(try t.distil(from: [teacher(seed: 1), teacher(seed: 2)])) {
            XCTAssertTrue("\($0)".contains("2 teacher model(s) for the 1 the options name"), "\($0)")
        }
        let other = teacher(seed: 1)
        let odd = StripReader(model: other.model, variant: .fast, normalization: { var n = PixelNormalization(); n.mean = 0.5; return n }())
        XCTAssertThrowsError(try t.distil(from: [odd])) {
            XCTAssertTrue("\($0)".contains("normalizes pixels otherwise"), "\($0)")
        }
        let elsewhere = StripReader(width: 150, variant: .fast, backend: CPUBackend(threads: 1), seed: 1)
        XCTAssertThrowsError(try t.distil(from: [elsewhere])) { XCTAssertTrue("\($0)".contains("another backend"), "\($0)") }
        XCTAssertThrowsError(try StripTrainer(options: options(), letters: letters, backend: cpu).distil(from: [other])) {
            XCTAssertTrue("\($0)".contains("1 teacher model(s) for the 0"), "\($0)")
        }
    }

    func testResumingWithOtherTeachersIsRefused() throws {
        let dir = try temporaryDirectory(self), ckpt = dir.appendingPathComponent("r.lnet.ckpt")
        let t = StripTrainer(options: options(share: 0.5), letters: letters, backend: cpu)
        try t.distil(from: [teacher(seed: 5)])
        try t.resumableCheckpoint().write(to: ckpt)
        var otherShare = options(share: 0.3)
        XCTAssertThrowsError(try StripTrainer(options: otherShare, letters: letters, backend: cpu).resume(fromFileAt: ckpt)) {
            XCTAssertTrue("\($0)".contains("other training options"), "\($0)")
        }
        otherShare.teachers = ["another.lnet"]; otherShare.teacherShare = 0.5
        XCTAssertThrowsError(try StripTrainer(options: otherShare, letters: letters, backend: cpu).resume(fromFileAt: ckpt)) {
            XCTAssertTrue("\($0)".contains("other training options"), "\($0)")
        }
        XCTAssertThrowsError(try StripTrainer(options: options(), letters: letters, backend: cpu).resume(fromFileAt: ckpt))
        XCTAssertNoThrow(try StripTrainer(options: options(share: 0.5), letters: letters, backend: cpu).resume(fromFileAt: ckpt))
    }
}
