import Foundation
@testable import LetterFormats
import XCTest
@testable import Letters
import NeuralNet

/// The real course files' layout and noise (`CohortLayout`, `ReplacementNoise`), class-balanced
/// sampling, what `predict` reports about a file (`StripSurvey`), and the assignment's sanity check.
final class CohortStripTests: XCTestCase {
    lazy var letters = DrawnLetters.dataset(count: 78, classes: 26, seed: 11)

    // MARK: Layout

    func testCohortBoxesKeepOrderStayInsideAndJitterWidely() {
        for (n, width) in [(5, 168), (5, 150), (4, 140), (5, 130), (4, 180)] {
            let layout = CohortLayout()
            var rng = SeededGenerator(seed: UInt64(width))
            var spacings: [Int] = []
            for _ in 0..<2000 {
                let lefts = layout.lefts(count: n, width: width, rng: &rng)
                XCTAssertEqual(lefts.count, n)
                XCTAssertTrue(lefts.allSatisfy { $0 >= -layout.overhang && $0 <= width - 28 + layout.overhang }, "\(lefts) in \(width)")
                for (a, b) in zip(lefts, lefts.dropFirst()) {
                    XCTAssertGreaterThanOrEqual(b - a, layout.minimumSpacing)
                    spacings.append(b - a)
                }
            }
            let mean = Double(spacings.reduce(0, +)) / Double(spacings.count)
            if 28 * n <= width {  // the 28-px pitch fits: it is the mean spacing
                XCTAssertEqual(mean, 28, accuracy: 1, "\(n) in \(width)")
            } else {  // squeezed
                XCTAssertLessThan(mean, 28, "\(n) in \(width)")
            }
            // Deep overlaps (boxes less than 14 px apart: cores on top of each other) and wide gaps both occur.
            XCTAssertGreaterThan(spacings.filter { $0 < 14 }.count, spacings.count / 50, "\(n) in \(width)")
            if width >= 140 { XCTAssertGreaterThan(spacings.filter { $0 > 42 }.count, spacings.count / 50) }
        }
    }

    func testCohortStripsAreWholeBoxesSummedAtRows1To28() {
        var synth = StripSynthesizer.realCohort(letters: 5, width: 168)
        synth.replacementShare = 0; synth.noise = 0...0
        var rng = SeededGenerator(seed: 4)
        let glyphs = (0..<5).map { DrawnLetters.glyph($0 * 5, dx: 0) }
        let s = synth.make(images: glyphs, labels: [1, 6, 11, 16, 21], rng: &rng)
        XCTAssertEqual(s.pixels[0..<168].max(), 0, "row 0 holds no ink")
        XCTAssertEqual(s.pixels[(29 * 168)...].max(), 0, "row 29 holds no ink")
        let inkTotal = glyphs.map { $0.reduce(0, +) }.reduce(0, +)
        XCTAssertEqual(s.pixels.reduce(0, +), inkTotal, accuracy: 1, "boxes summed, nothing clipped")
        XCTAssertEqual(s.centers, s.centers.sorted())
    }

    /// The real 5-letter file's brightest-pixel histogram: about 36% of strips at 484–510 (two strokes
    /// summed), 46% at 255, the rest between. Needs real EMNIST letters.
    func testRealLayoutReproducesTheBrightestPixelHistogram() throws {
        let url = SharedDataTests.dataRoot.appendingPathComponent("emnist-letters/emnist-letters-test-dev-upright.npz")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: url.path), "\(url.path) is absent")
        let dev = try LetterDataset.load(url: url)
        let (set, _, _) = StripSynthesizer.realCohort(letters: 5, width: 168).makeSet(from: dev, count: 1500, seed: 3)
        var deep = 0, flat = 0
        for i in 0..<set.count {
            let m = set.strip(at: i).max()!
            if m >= 484 { deep += 1 } else if m <= 255 { flat += 1 }
        }
        XCTAssertEqual(Double(deep) / 1500, 0.36, accuracy: 0.05)
        XCTAssertEqual(Double(flat) / 1500, 0.46, accuracy: 0.05)
    }

    // MARK: Noise

    func testReplacementNoiseShareSaltAndValueSpread() {
        let noise = ReplacementNoise(share: 0.1...0.1, salt: 0.5...0.5)
        var rng = SeededGenerator(seed: 9)
        var replaced = 0, salt = 0, total = 0
        var quarters = [Int](repeating: 0, count: 4)
        var holes = 0, inside = 0
        for _ in 0..<100 {
            var pixels = [Float](repeating: -1, count: 30 * 168)  // -1: never a noise value
            for i in 0..<(30 * 84) { pixels[i] = 200 }  // a stroke half of the strip
            noise.apply(to: &pixels, rng: &rng)
            total += pixels.count
            for (i, v) in pixels.enumerated() where v != -1 && !(i < 30 * 84 && v == 200) {
                replaced += 1
                if v == 255 { salt += 1 } else { quarters[min(Int(v) / 64, 3)] += 1 }
            }
            for i in 0..<(30 * 84) { inside += 1; if pixels[i] < 200 { holes += 1 } }
        }
        XCTAssertEqual(Double(replaced) / Double(total), 0.1, accuracy: 0.005)
        XCTAssertEqual(Double(salt) / Double(replaced), 0.5, accuracy: 0.02)
        for q in quarters { XCTAssertEqual(Double(q) / Double(replaced - salt), 0.25, accuracy: 0.03, "values spread over 0…254") }
        // Dark holes punched into strokes: replaced (10%), not salt (50%), below 200 (200/255).
        XCTAssertEqual(Double(holes) / Double(inside), 0.1 * 0.5 * 200 / 255, accuracy: 0.006)
    }

    func testSurveyEstimatesNoiseAndSaltShares() throws {
        for (share, salt) in [(0.1, 0.5), (0.075, 0.5), (0.03, 0.2)] {
            var synth = StripSynthesizer.realCohort(letters: 5, width: 168)
            synth.replacement = ReplacementNoise(share: share...share, salt: salt...salt)
            let (set, _, _) = synth.makeSet(from: letters, count: 300, seed: 5)
            let survey = StripSurvey(set)
            XCTAssertEqual(survey.noiseShare, share, accuracy: 0.006, "share \(share)")
            XCTAssertEqual(survey.saltShare, salt, accuracy: 0.04, "salt \(salt)")
            XCTAssertEqual(survey.width, 168)
        }
        // Uniform pepper noise has almost no salt.
        let classic = StripSurvey(StripSynthesizer(letters: 5).makeSet(from: letters, count: 300, seed: 5).strips)
        XCTAssertLessThan(classic.saltShare, 0.03)
    }

    func testSurveyWarnsAboutWidthsLettersAndNoiseOutsideTraining() throws {
        func survey(_ n: Int, _ w: Int, share: Double = 0.1) -> StripSurvey {
            var synth = StripSynthesizer.realCohort(letters: n, width: w)
            synth.replacement = ReplacementNoise(share: share...share)
            return StripSurvey(synth.makeSet(from: letters, count: 20, seed: 1).strips)
        }
        var range = StripTrainingRange()
        range.widths = 112...184; range.noiseShare = 0...0.17
        XCTAssertEqual(survey(5, 168).warnings(letters: 5, trainedOn: range), [])
        XCTAssertEqual(survey(4, 140).warnings(letters: 4, trainedOn: range), [])
        XCTAssertEqual(survey(5, 150).warnings(letters: 5, trainedOn: range), [])
        XCTAssertTrue(survey(4, 140).warnings(letters: 5, trainedOn: range).contains { $0.contains("--letters 4") })
        XCTAssertTrue(survey(5, 168).warnings(letters: 6, trainedOn: range).contains { $0.contains("6 letters") || $0.contains("--letters 5") })
        XCTAssertTrue(survey(5, 200).warnings(letters: 5, trainedOn: range).contains { $0.contains("112–184") })
        XCTAssertTrue(survey(5, 168, share: 0.3).warnings(letters: 5, trainedOn: range).contains { $0.contains("noise") })
    }

    func testSurveyWarnsAboutPixelsOutsideTheScale() throws {
        let (set, _, _) = StripSynthesizer.realCohort(letters: 5, width: 168).makeSet(from: letters, count: 20, seed: 3)
        func scaled(_ f: (Float) -> Float) throws -> StripSet {
            try StripSet(name: "s", count: set.count, height: set.height, width: set.width, pixels: set.pixels.map(f))
        }
        let range = StripTrainingRange(), plain = StripSurvey(set)
        XCTAssertEqual(plain.minimum, 0)
        XCTAssertLessThanOrEqual(plain.maximum, StripSurvey.summedMaximum)
        XCTAssertFalse(plain.warnings(letters: 5, trainedOn: range, inputCeiling: 510).contains { $0.contains("scale") || $0.contains("below 0") })
        // A 16-bit file (0…65535): every pixel 257 times larger.
        let wide = StripSurvey(try scaled { $0 * 257 }).warnings(letters: 5, trainedOn: range, inputCeiling: 510)
        XCTAssertTrue(wide.contains { $0.contains("another scale") && $0.contains("as 510") }, "\(wide)")
        // Centred on zero.
        let centred = StripSurvey(try scaled { $0 - 128 })
        XCTAssertEqual(centred.minimum, -128)
        XCTAssertTrue(centred.warnings(letters: 5, trainedOn: range).contains { $0.contains("down to -128") })
    }

    /// `train-reader --mix cohort` trains on strips much closer to the real files' noise than the broad
    /// mix (real files: about 10%), and its reader records that narrower range.
    func testCohortMixKeepsNoiseNearTheRealFilesAndRecordsIt() {
        func shares(_ mix: StripTrainingMix) -> [Double] {
            let (set, _, _) = mix.synthesizer(letters: 5, width: 168).makeSet(from: letters, count: 300, seed: 9)
            return (0..<set.count).map { i in
                StripSurvey(try! StripSet(name: "one", count: 1, height: set.height, width: set.width, pixels: Array(set.strip(at: i)))).noiseShare
            }
        }
        let near = { (s: [Double]) in Double(s.filter { (0.03...0.15).contains($0) }.count) / Double(s.count) }
        let cohort = shares(.cohort), broad = shares(.broad)
        XCTAssertGreaterThan(near(cohort), 0.85, "cohort mix: \(near(cohort))")
        XCTAssertLessThan(near(broad), 0.7, "broad mix: \(near(broad))")
        var o = StripTrainer.Options(); o.variant = .fast; o.mix = .cohort
        XCTAssertEqual(StripTrainer(options: o, letters: letters, backend: CPUBackend(threads: 1)).reader.trainingRange.noiseShare, 0...0.13)
        o.mix = nil
        XCTAssertEqual(StripTrainer(options: o, letters: letters, backend: CPUBackend(threads: 1)).reader.trainingRange.noiseShare, 0...0.17)
    }

    /// `train-reader --mix close` draws neighbours closer than the real files' layout: its share of
    /// neighbouring ink centres under 14 px apart (19%) is about 1.7 times theirs (11%), twice the cohort
    /// mix's (9%).
    func testCloseMixDrawsMoreOverlappingNeighbours() {
        func closeShare(_ synth: StripSynthesizer) -> Double {
            let (_, _, centres) = synth.makeSet(from: letters, count: 400, seed: 12)
            let gaps = centres.flatMap { c in zip(c.dropFirst(), c).map { $0 - $1 } }
            return Double(gaps.filter { $0 < 14 }.count) / Double(gaps.count)
        }
        let real = closeShare(.realCohort(letters: 5, width: 168))
        let cohort = closeShare(StripTrainingMix.cohort.synthesizer(letters: 5, width: 168))
        let close = closeShare(StripTrainingMix.close.synthesizer(letters: 5, width: 168))
        XCTAssertGreaterThan(close, 1.5 * real, "close mix \(close), real layout \(real)")
        XCTAssertGreaterThan(close, 1.8 * cohort, "close mix \(close), cohort mix \(cohort)")
        XCTAssertLessThan(close, 0.3, "still mostly letters apart: \(close)")
    }

    func testTrainingRangeRoundTripsThroughMetadata() {
        var range = StripTrainingRange()
        range.widths = 120...176; range.letters = 3...6; range.noiseShare = 0...0.2
        XCTAssertEqual(StripTrainingRange(metadata: range.metadata), range)
        XCTAssertEqual(StripTrainingRange(metadata: [:]).widths, 140...168, "readers without the record: the older reader's range")
    }

    // MARK: Sampling

    func testBalancedSamplerDrawsEveryClassEquallyOften() throws {
        // 300 a's, 30 b's, 3 c's.
        let labels = [Int](repeating: 1, count: 300) + [Int](repeating: 2, count: 30) + [Int](repeating: 3, count: 3)
        let data = try LetterDataset(name: "unbalanced", images: [Float](repeating: 0, count: labels.count * 784), labels: labels)
        var rng = SeededGenerator(seed: 1)
        for balanced in [true, false] {
            let sampler = LetterSampler(data, balanced: balanced)
            var counts = [0, 0, 0]
            for _ in 0..<30_000 { counts[data.labels[sampler.draw(rng: &rng)] - 1] += 1 }
            if balanced {
                for c in counts { XCTAssertEqual(Double(c) / 30_000, 1.0 / 3, accuracy: 0.02) }
            } else {
                XCTAssertEqual(Double(counts[0]) / 30_000, 300.0 / 333, accuracy: 0.02)
            }
        }
        XCTAssertEqual(LetterSampler(data, balanced: true).classCount, 3)
    }

    // MARK: Sanity check and scores

    func testAssignmentSanityCheckFindsTheQuotedReadings() {
        let codes = AssignmentSanityCheck.known.map { LetterLabel.parseDigits($0.code)! }
        let other = [1, 1, 1, 1, 1]
        var guesses = [[[Int]]](repeating: [other, other, other, other, other], count: 10_000)
        guesses[0][0] = codes[0]
        guesses[1][3] = codes[1]
        guesses[9999][1] = codes[2]  // the last two in the assignment text's order
        guesses[9998][0] = codes[3]
        let findings = AssignmentSanityCheck.check(guesses: guesses, letters: 5)!
        XCTAssertEqual(findings.map(\.rank), [1, 4, 2, 1])
        XCTAssertEqual(findings.map(\.strip), [0, 1, 9999, 9998])
        XCTAssertEqual(findings[0].reading, "DLDZY")
        XCTAssertTrue(AssignmentSanityCheck.describe(findings).contains("4 of 4 found"))
        guesses[0][0] = other
        XCTAssertNil(AssignmentSanityCheck.check(guesses: guesses, letters: 5)![0].rank)
        XCTAssertNil(AssignmentSanityCheck.check(guesses: Array(guesses.prefix(9999)), letters: 5))
        XCTAssertNil(AssignmentSanityCheck.check(guesses: guesses, letters: 4))
        let none = AssignmentSanityCheck.check(guesses: [[[Int]]](repeating: [other], count: 10_000), letters: 5)!
        XCTAssertTrue(AssignmentSanityCheck.describe(none).contains("transposed"))
    }

    func testScoreReportsLetterAccuracyPerPosition() {
        let truth = [[1, 2, 3], [4, 5, 6]]
        let guesses = [[[1, 2, 9], [1, 2, 3]], [[4, 9, 9]]]
        let s = StripScore(guesses: guesses, truth: truth)
        XCTAssertEqual(s.perPosition, [1, 0.5, 0])
        XCTAssertEqual(s.letters, 3.0 / 6)
        XCTAssertEqual(s.top5, 0.5)
    }

    // MARK: Ensemble

    func testEnsembleOfOneReadsLikeItsReaderAndAveragesProbabilities() throws {
        let cpu = CPUBackend(threads: 2)
        let a = StripReader(width: 150, variant: .fast, backend: cpu, seed: 3)
        let b = StripReader(width: 150, variant: .fast, backend: cpu, seed: 4)
        let (set, _, _) = StripSynthesizer.realCohort(letters: 5, width: 168).makeSet(from: letters, count: 6, seed: 2)
        let alone = a.read(set, letters: 5)
        let one = StripReaderEnsemble(members: [a]).read(set, letters: 5)
        XCTAssertEqual(one.map { $0.map(\.labels) }, alone.map { $0.map(\.labels) })
        XCTAssertEqual(one.map { $0.map(\.probability) }, alone.map { $0.map(\.probability) })
        // Two members: the decoder sees log of the mean probability, position by position.
        let la = a.logProbabilities(set), lb = b.logProbabilities(set)
        let mixed = zip(la, lb).map { x, y in zip(x, y).map { logf((expf($0) + expf($1)) / 2) } }
        let expected = StripReader.decodeAll(mixed, letters: 5, k: 5)
        let pair = StripReaderEnsemble(members: [a, b]).read(set, letters: 5)
        XCTAssertEqual(pair.map { $0.map(\.labels) }, expected.map { $0.map(\.labels) })
        XCTAssertNotEqual(pair.map { $0.map(\.probability) }, alone.map { $0.map(\.probability) })
    }
}
