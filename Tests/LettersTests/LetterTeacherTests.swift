import Foundation
import NeuralNet
import XCTest
@testable import Letters

/// `train-reader --letter-teacher`: a letter classifier's reading of each clean letter as a teacher of
/// the strip reader (`LetterTeacher`): its rows follow the window targets, it joins the reader teachers'
/// geometric mean, and a student taught by it alone moves towards what it says.
final class LetterTeacherTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)
    let letters = DrawnLetters.dataset(count: 52, classes: 26, seed: 3)

    /// Log-probabilities of `count` letters, each sure of `favourite(i)` (0.7), the rest spread evenly.
    func sureOf(_ count: Int, favourite: (Int) -> Int) -> [Float] {
        (0..<count).flatMap { i in (0..<26).map { logf($0 == favourite(i) ? 0.7 : 0.3 / 25) } }
    }

    func testRowsFollowTheWindowTargets() {
        let teacher = LetterTeacher(logProbabilities: sureOf(3) { $0 * 5 })
        let centers = [StripReader.center(ofPosition: 3), StripReader.center(ofPosition: 12) + 3]
        let (sources, positions) = ([2, 0], 18)
        let targets = StripTargets.tolerant.targets(centers: centers, labels: [9, 12], positions: positions)
        let rows = teacher.scores(sources: sources, centers: centers, targets: targets)
        XCTAssertEqual(rows.count, positions * StripReader.classes)
        var seen = [0, 0, 0]  // letter, background, no target
        for (j, t) in targets.enumerated() {
            let row = Array(rows[(j * 27)..<(j * 27 + 27)])
            let c = StripReader.center(ofPosition: j)
            let source = abs(centers[0] - c) <= abs(centers[1] - c) ? sources[0] : sources[1]
            let own = Array(teacher.logProbs[(source * 26)..<(source * 26 + 26)])
            switch t {
            case StripReader.background:
                seen[1] += 1
                XCTAssertEqual(row[26], 0, "window \(j): background is sure")
                XCTAssertTrue(row[..<26].allSatisfy { $0 == LetterTeacher.ruledOut }, "window \(j)")
            case ..<0:
                seen[2] += 1
                XCTAssertEqual(row[26], logf(0.5), accuracy: 1e-6, "window \(j): half background")
                for l in 0..<26 { XCTAssertEqual(row[l], own[l] + logf(0.5), accuracy: 1e-6, "window \(j), class \(l)") }
            default:
                seen[0] += 1
                XCTAssertEqual(Array(row[..<26]), own, "window \(j): the nearest letter's reading, not its label \(t)")
                XCTAssertEqual(row[26], LetterTeacher.ruledOut)
            }
        }
        XCTAssertTrue(seen.allSatisfy { $0 > 0 }, "every kind of window occurs: \(seen)")
        // The first letter (label I) is read as the set's letter 2, sure of class 10 (K): the teacher says K.
        let first = targets.firstIndex(of: 8)!
        XCTAssertEqual(rows[(first * 27)..<(first * 27 + 26)].enumerated().max { $0.element < $1.element }?.offset, 10)
    }

    func testItJoinsTheReaderTeachersInTheirSum() throws {
        let student = StripReader(width: 150, variant: .fast, backend: cpu, seed: 1)
        let reader = StripReader(width: 150, variant: .fast, backend: cpu, seed: 5)
        let letterTeacher = LetterTeacher(logProbabilities: sureOf(letters.count) { $0 % 26 })
        let strips = StripTrainer.Validation(from: letters, count: 2, seed: 1).strips
        let shape = StripReader.geometry.inputShape(width: strips.width), per = shape.reduce(1, *)
        var host = [Float](repeating: 0, count: 2 * per)
        host.withUnsafeMutableBufferPointer { b in
            for i in 0..<2 { reader.fillInput(strips.strip(at: i), width: strips.width, into: b.baseAddress! + i * per) }
        }
        let input = Tensor(zeros: [2] + shape, on: cpu)
        input.copy(from: host)
        let own = reader.logProbabilities(strips).flatMap { $0 }
        let letterScores = (0..<own.count).map { Float($0 % 7) * -0.5 }

        let both = try StripTeachers(readers: [reader], letterTeacher: letterTeacher, share: 0.5, student: student)
        XCTAssertEqual(both.count, 2)
        let sum = both.scores(input, letterScores: letterScores).toArray()
        for i in own.indices { XCTAssertEqual(sum[i], own[i] + letterScores[i], accuracy: 1e-4, "value \(i)") }

        let alone = try StripTeachers(readers: [], letterTeacher: letterTeacher, share: 0.5, student: student)
        XCTAssertEqual(alone.count, 1)
        XCTAssertEqual(alone.scores(input, letterScores: letterScores).toArray(), letterScores)
        XCTAssertThrowsError(try StripTeachers(readers: [], share: 0.5, student: student)) {
            XCTAssertTrue("\($0)".contains("no teacher given"), "\($0)")
        }
    }

    func options(steps: Int) -> StripTrainer.Options {
        var o = StripTrainer.Options()
        o.steps = steps; o.batchSize = 2; o.variant = .fast; o.seed = 11; o.learningRate = 2e-3
        o.letterTeacher = "classifier.lnet"; o.teacherShare = 1
        return o
    }

    /// The share of targeted letter windows of a few strips that `reader` reads as class `c`.
    func share(of c: Int, _ reader: StripReader, strips: StripSet, targets: [[Int]]) -> Double {
        var hits = 0, n = 0
        for (lp, t) in zip(reader.logProbabilities(strips), targets) {
            for (j, target) in t.enumerated() where (0..<26).contains(target) {
                let row = lp[(j * 27)..<(j * 27 + 26)]
                hits += row.indices.max { row[$0] < row[$1] }! - j * 27 == c ? 1 : 0
                n += 1
            }
        }
        return Double(hits) / Double(max(n, 1))
    }

    func testAStudentTaughtByItAloneReadsWhatItSays() throws {
        // A teacher that reads every letter as Z (class 25), whatever its label.
        let zed = LetterTeacher(logProbabilities: sureOf(letters.count) { _ in 25 })
        let trainer = StripTrainer(options: options(steps: 40), letters: letters, backend: cpu)
        try trainer.distil(from: [], letterTeacher: zed)
        let check = StripTrainer.Validation(from: letters, count: 2, seed: 9)
        let (strips, labels, centers) = StripSynthesizer.realCohort(letters: 5, width: 168).makeSet(from: letters, count: 6, seed: 9)
        let targets = (0..<strips.count).map { i in
            StripTrainer.targets(centers: centers[i], labels: labels[i], positions: StripReader.positions(width: strips.width))
        }
        let before = share(of: 25, trainer.reader, strips: strips, targets: targets)
        var best = -1.0
        try trainer.train(every: 40, validation: check, provenance: Provenance(trainedOn: []), best: &best, checkpoint: nil,
                          shouldStop: { false }, progress: { _, _, _ in }, validated: { _, _ in }, save: { _ in })
        let after = share(of: 25, trainer.reader, strips: strips, targets: targets)
        XCTAssertGreaterThan(after, max(0.5, before + 0.3), "letter windows read as Z: \(before) → \(after)")
    }

    func testTeachersThatDoNotFitTheRunAreRefused() throws {
        let trainer = StripTrainer(options: options(steps: 2), letters: letters, backend: cpu)
        XCTAssertThrowsError(try trainer.distil(from: [])) { XCTAssertTrue("\($0)".contains("name a letter teacher; none given"), "\($0)") }
        XCTAssertThrowsError(try trainer.distil(from: [], letterTeacher: LetterTeacher(logProbabilities: sureOf(3) { $0 }))) {
            XCTAssertTrue("\($0)".contains("read 3 letters; the run trains on \(letters.count)"), "\($0)")
        }
        XCTAssertThrowsError(try StripTrainer(options: StripTrainer.Options(), letters: letters, backend: cpu)
            .distil(from: [], letterTeacher: LetterTeacher(logProbabilities: sureOf(letters.count) { $0 % 26 }))) {
            XCTAssertTrue("\($0)".contains("a letter teacher the options do not name"), "\($0)")
        }
    }
}
