import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// The strip reader's second pass: best placements, letter windows, the window training set, and the
/// re-scored ranking.
final class WindowRescoringTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func randomScores(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: -4...4, using: &rng) }
    }

    /// The placement is the best one: its positions increase by at least the spacing, and their
    /// scores add up to the string's score, for every string of the brute-force search.
    func testPlacementIsTheBestPlacement() {
        for seed in UInt64(0)..<10 {
            let positions = 7 + Int(seed % 4), classes = 3, letters = 2 + Int(seed % 2), spacing = 1 + Int(seed % 3)
            let scores = randomScores(positions * classes, seed: seed)
            let decoder = KBestDecoder(letters: letters, k: 5, minimumSpacing: spacing)
            for r in bruteForce(scores, positions: positions, classes: classes, letters: letters, spacing: spacing) {
                guard let places = decoder.placement(of: r.classes, scores: scores, positions: positions, classes: classes) else {
                    return XCTFail("seed \(seed): \(r.classes) not placed")
                }
                XCTAssertEqual(places.count, letters)
                for i in 1..<places.count { XCTAssertGreaterThanOrEqual(places[i] - places[i - 1], spacing) }
                let sum = zip(places, r.classes).map { scores[$0 * classes + $1] }.reduce(0, +)
                XCTAssertEqual(sum, r.score, accuracy: 1e-5, "seed \(seed) \(r.classes) at \(places)")
            }
            XCTAssertNil(decoder.placement(of: [0], scores: scores, positions: positions, classes: classes))
        }
    }

    /// A letter alone in a strip: the window centred on its ink centre is its box, clamped to 0…255;
    /// columns past the strip's ends are zero.
    func testWindowOfALetterIsItsBox() {
        let width = 90, height = 30, boxLeft = 37
        var glyph = [Float](repeating: 0, count: 784)
        for y in 3..<25 { for x in 4..<24 { glyph[y * 28 + x] = Float(10 + (x * 7 + y * 3) % 500) } }  // ink columns 4..<24
        var strip = [Float](repeating: 0, count: height * width)
        for y in 0..<28 { for x in 0..<28 { strip[(y + 1) * width + boxLeft + x] = glyph[y * 28 + x] } }
        let centre = Float(boxLeft) + Float(StripSynthesizer.inkColumns(glyph).lowerBound + StripSynthesizer.inkColumns(glyph).upperBound - 1) / 2
        XCTAssertEqual(LetterWindow.left(centre: centre), boxLeft)
        var window = [Float](repeating: -1, count: 784)
        LetterWindow.cut(strip[...], width: width, height: height, left: boxLeft, into: &window)
        XCTAssertEqual(window, glyph.map { min($0, 255) })
        LetterWindow.cut(strip[...], width: width, height: height, left: -10, into: &window)
        for y in 0..<28 { for x in 0..<10 { XCTAssertEqual(window[y * 28 + x], 0) } }
        LetterWindow.cut(strip[...], width: width, height: height, left: width - 5, into: &window)
        for y in 0..<28 { for x in 5..<28 { XCTAssertEqual(window[y * 28 + x], 0) } }
    }

    func letters(perClass: Int, seed: UInt64) throws -> LetterDataset {
        var rng = SeededGenerator(seed: seed)
        var images: [Float] = [], labels: [Int] = []
        for label in 1...26 {
            for _ in 0..<perClass {
                var glyph = [Float](repeating: 0, count: 784)
                for y in 4..<24 { for x in (label % 8 + 4)..<(label % 8 + 14) { glyph[y * 28 + x] = Float(Int.random(in: 100...255, using: &rng)) } }
                images += glyph; labels.append(label)
            }
        }
        return try LetterDataset(name: "blocks", images: images, labels: labels)
    }

    /// The window set: as many windows as asked, reproducible from the seed, pixels in 0…255, every class
    /// drawn about equally often even when one class fills most of the letters.
    func testWindowSetIsBalancedReproducibleAndClamped() throws {
        let source = try letters(perClass: 3, seed: 1)
        var repeats = [Int](repeating: 1, count: source.count)
        for i in 0..<3 { repeats[i] = 40 }  // class A listed 40 times as often: still drawn like the others
        let maker = LetterWindowSet()
        let a = maker.make(from: source, repeats: repeats, count: 1300, seed: 5)
        let b = maker.make(from: source, repeats: repeats, count: 1300, seed: 5)
        let c = maker.make(from: source, repeats: repeats, count: 1300, seed: 6)
        XCTAssertEqual(a.count, 1300)
        XCTAssertEqual(a.images, b.images); XCTAssertEqual(a.labels, b.labels)
        XCTAssertNotEqual(a.images, c.images)
        XCTAssertTrue(a.images.allSatisfy { (0...255).contains($0) })
        let perClass = (1...26).map { l in a.labels.filter { $0 == l }.count }
        XCTAssertGreaterThan(perClass.min()!, 25)
        XCTAssertLessThan(perClass.max()!, 80)
        XCTAssertGreaterThan(a.images.filter { $0 == 255 }.count, 0, "salt noise or overlaps reach the windows")
    }

    func readerAndClassifier() throws -> (StripReaderEnsemble, LetterEnsemble, StripSet) {
        let width = 140
        let reader = StripReaderEnsemble(members: [StripReader(width: width, variant: .standard, backend: cpu, seed: 3)])
        let classifier = LetterEnsemble(members: [LetterClassifier(model: Sequential(specs: Architecture.mlp.layers,
                                                                                     inputShape: Architecture.inputShape, backend: cpu, seed: 4))])
        var synth = StripSynthesizer.realCohort(letters: 4, width: width)
        synth.cohortShare = 1
        let (set, _, _) = synth.makeSet(from: try letters(perClass: 2, seed: 2), count: 3, seed: 9)
        return (reader, classifier, set)
    }

    /// Weight 0 reads exactly as the reader alone, in one view and in four.
    func testWeightZeroReadsAsTheReaderAlone() throws {
        let (reader, classifier, set) = try readerAndClassifier()
        for views in [1, 4] {
            reader.views = ShiftedViews(count: views)
            reader.rescoring = nil
            let plain = reader.read(set, letters: 4)
            reader.rescoring = WindowRescoring(classifier: classifier, weight: 0, candidates: 10)
            let second = reader.read(set, letters: 4)
            XCTAssertEqual(second.map { $0.map(\.labels) }, plain.map { $0.map(\.labels) }, "\(views) views")
            for (a, b) in zip(second.joined(), plain.joined()) { XCTAssertEqual(a.probability, b.probability, accuracy: 1e-9) }
        }
    }

    /// With a weight, each candidate's score is the reader's plus the weight times its letters' log-odds
    /// against chance, each letter's window cut at its placement's centre averaged over the views.
    func testRescoredRankingFollowsTheCombinedScore() throws {
        let (reader, classifier, set) = try readerAndClassifier()
        reader.views = ShiftedViews(count: 2)
        let weight: Float = 3, decoder = KBestDecoder(letters: 4, k: 5, minimumSpacing: StripReader.minimumSpacing)
        reader.rescoring = WindowRescoring(classifier: classifier, weight: weight, candidates: 10)
        let guesses = reader.read(set, letters: 4)
        let views = reader.views.shifts.map { reader.logProbabilities(set, shift: $0) }
        var changed = false
        var cache: [[Int]: [Float]] = [:]  // [strip, left]: the window's probabilities
        for i in 0..<set.count {
            let scores = views.map { StripReader.letterScores($0[i], positions: $0[i].count / StripReader.classes) }
            let candidates = reader.views.ranked(scores: scores, decoder: decoder, count: 10)
            let expected: [(labels: [Int], score: Float)] = candidates.map { c in
                let centres = reader.views.centres(of: c.classes, scores: scores, decoder: decoder)!
                var letters: Float = 0
                for (letter, centre) in zip(c.classes, centres) {
                    let left = LetterWindow.left(centre: centre)
                    let p = cache[[i, left]] ?? {
                        var window = [Float](repeating: 0, count: 784)
                        LetterWindow.cut(set.strip(at: i), width: set.width, height: set.height, left: left, into: &window)
                        return classifier.probabilities(images: window, count: 1)
                    }()
                    cache[[i, left]] = p
                    letters += logf(p[letter]) + logf(26)
                }
                return (c.classes.map { $0 + 1 }, c.score + weight * letters)
            }.sorted { $0.score > $1.score }
            XCTAssertEqual(guesses[i].first?.labels, expected.first?.labels, "strip \(i)")
            XCTAssertEqual(Set(guesses[i].map(\.labels)), Set(expected.prefix(5).map(\.labels)), "strip \(i)")
            let p = exp(Double(expected[1].score - expected[0].score))
            XCTAssertEqual(guesses[i][1].probability / guesses[i][0].probability, p, accuracy: 1e-3 * max(p, 1e-6))
            changed = changed || guesses[i].first?.labels != candidates.first.map { $0.classes.map { $0 + 1 } }
        }
        XCTAssertTrue(changed, "the classifier should reorder at least one strip's readings")
    }
}
