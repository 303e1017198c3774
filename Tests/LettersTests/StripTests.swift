import Foundation
@testable import LetterFormats
import XCTest
@testable import Letters
import NeuralNet

/// Strips: the synthesizer's layout and noise, the reader's training targets and window geometry,
/// scoring, and reading strips end to end into prediction.csv.
final class StripTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)
    lazy var letters = DrawnLetters.dataset(count: 78, classes: 26, seed: 11)

    /// Pixel (row, column) of strip `s`.
    func pixel(_ s: StripSynthesizer.Strip, _ width: Int, _ row: Int, _ col: Int) -> Float { s.pixels[row * width + col] }

    // MARK: Synthesizer

    func testSynthesizerIsDeterministicPerSeed() {
        let synth = StripSynthesizer(letters: 5)
        let a = synth.makeSet(from: letters, count: 6, seed: 3)
        let b = synth.makeSet(from: letters, count: 6, seed: 3)
        let c = synth.makeSet(from: letters, count: 6, seed: 4)
        XCTAssertEqual(a.strips.pixels, b.strips.pixels)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual(a.centers, b.centers)
        XCTAssertNotEqual(a.strips.pixels, c.strips.pixels)
        XCTAssertNotEqual(a.labels, c.labels)
    }

    func testStripShapesLabelsAndCenters() {
        for (n, width, expected) in [(5, nil, 150), (4, 140, 140), (4, 168, 168), (5, 150, 150)] {
            let synth = StripSynthesizer(letters: n, width: width)
            let (set, labels, centers) = synth.makeSet(from: letters, count: 12, seed: 5)
            XCTAssertEqual([set.count, set.height, set.width], [12, 30, expected])
            XCTAssertEqual(set.pixels.count, 12 * 30 * expected)
            XCTAssertEqual(labels.count, 12)
            for (l, c) in zip(labels, centers) {
                XCTAssertEqual(l.count, n)
                XCTAssertEqual(c.count, n)
                XCTAssertTrue(l.allSatisfy((1...26).contains), "\(l)")
                XCTAssertTrue(c.allSatisfy { $0 >= 0 && $0 < Float(expected) }, "centers \(c) outside 0..<\(expected)")
            }
        }
    }

    func testPackedCentersIncreaseAndMarkTheInk() {
        var synth = StripSynthesizer(letters: 5)
        synth.packedShare = 1
        synth.noise = 0...0
        synth.gaps = 2...6  // apart, so every letter's ink is its own run of columns
        for seed in UInt64(0)..<10 {
            var rng = SeededGenerator(seed: seed)
            let classes = (0..<5).map { _ in Int.random(in: 0..<26, using: &rng) }
            let s = synth.make(images: classes.map { DrawnLetters.glyph($0, dx: Int.random(in: -2...2, using: &rng)) },
                               labels: classes.map { $0 + 1 }, rng: &rng)
            XCTAssertEqual(s.labels, classes.map { $0 + 1 })
            XCTAssertEqual(s.centers, s.centers.sorted(), "seed \(seed)")
            XCTAssertEqual(Set(s.centers).count, 5)
            // Runs of inked columns and their middles.
            let inked = (0..<150).map { x in (0..<30).contains { s.pixels[$0 * 150 + x] > 20 } }
            var runs: [Float] = [], start: Int?
            for x in 0...150 {
                let on = x < 150 && inked[x]
                if on, start == nil { start = x }
                if !on, let s0 = start { runs.append(Float(s0 + x - 1) / 2); start = nil }
            }
            XCTAssertEqual(runs, s.centers, "seed \(seed)")
        }
        // With the default gaps (touching and overlapping letters too) centres still increase.
        synth.gaps = StripSynthesizer().gaps
        let (_, _, centers) = synth.makeSet(from: letters, count: 20, seed: 9)
        for c in centers { XCTAssertEqual(c, c.sorted()) }
    }

    func testLettersOccupyRows1To28AndNoiseIsTheOnlyThingElse() {
        for (n, width) in [(5, 150), (4, 140), (4, 168)] {
            var clean = StripSynthesizer(letters: n, width: width)
            clean.noise = 0...0
            var noisy = clean
            noisy.noise = 0.03...0.03
            let flips = Int((0.03 * Double(30 * width)).rounded())
            for seed in UInt64(0)..<8 {
                var pick = SeededGenerator(seed: seed &+ 100)
                let idx = (0..<n).map { _ in Int.random(in: 0..<letters.count, using: &pick) }
                let images = idx.map { Array(letters.image(at: $0)) }, labels = idx.map { letters.labels[$0] }
                var r1 = SeededGenerator(seed: seed), r2 = SeededGenerator(seed: seed)
                let a = clean.make(images: images, labels: labels, rng: &r1)
                let b = noisy.make(images: images, labels: labels, rng: &r2)
                XCTAssertEqual(a.centers, b.centers, "noise is drawn after the layout")
                // Without noise: nothing in rows 0 and 29, ink in rows 1…28.
                XCTAssertTrue((0..<width).allSatisfy { pixel(a, width, 0, $0) == 0 && pixel(a, width, 29, $0) == 0 })
                XCTAssertGreaterThan((width..<(29 * width)).reduce(Float(0)) { $0 + a.pixels[$1] }, 0)
                // With noise: at most `flips` pixels change, each to a whole value in 0…255.
                let changed = (0..<a.pixels.count).filter { a.pixels[$0] != b.pixels[$0] }
                XCTAssertLessThanOrEqual(changed.count, flips)
                XCTAssertGreaterThan(changed.count, flips / 2)
                for i in changed {
                    XCTAssertTrue((0...255).contains(b.pixels[i]) && b.pixels[i].rounded() == b.pixels[i], "\(b.pixels[i])")
                }
                let edgeRows = (0..<width).flatMap { [b.pixels[$0], b.pixels[29 * width + $0]] }
                XCTAssertTrue(edgeRows.allSatisfy { $0 >= 0 && $0 <= 255 })
            }
        }
    }

    func testOverlappingLettersSumAbove255() {
        // Forced overlap: the same glyph five times with negative gaps.
        var synth = StripSynthesizer(letters: 5)
        synth.packedShare = 1
        synth.gaps = -3...(-1)
        synth.noise = 0...0
        var rng = SeededGenerator(seed: 1)
        let s = synth.make(images: Array(repeating: DrawnLetters.glyph(0), count: 5), labels: [1, 1, 1, 1, 1], rng: &rng)
        XCTAssertEqual(s.pixels.max(), 510)
        // And with the default settings some strips overlap too; sums only ever happen in letter rows.
        let (set, _, _) = StripSynthesizer(letters: 5).makeSet(from: letters, count: 30, seed: 2)
        let above = set.pixels.indices.filter { set.pixels[$0] > 255 }
        XCTAssertFalse(above.isEmpty, "no overlap in 30 default strips")
        XCTAssertTrue(above.allSatisfy { (1...28).contains($0 / 150 % 30) })
        // Such strips survive being written and read back as float32.
        let url = try! temporaryDirectory(self).appendingPathComponent("strips.npy")
        try! set.write(to: url)
        XCTAssertEqual(try StripSet.load(url: url).pixels, set.pixels)
    }

    // MARK: Training targets

    func testTargetsLabelLettersNearAndBackgroundFar() {
        // Width 80: 21 positions centred at 4j − 0.5.
        let p = StripReader.positions(width: 80)
        XCTAssertEqual(p, 21)
        XCTAssertEqual(StripReader.center(ofPosition: 0), -0.5)
        XCTAssertEqual(StripReader.center(ofPosition: 5), 19.5)
        let centers: [Float] = [21.5, 44.5, 60]
        let t = StripTrainer.targets(centers: centers, labels: [3, 7, 26], positions: p)
        XCTAssertEqual(t.count, p)
        let bg = StripReader.background
        // j:    0   1   2   3   4  5  6   7   8   9  10  11 12 13  14 15  16 17 18  19  20
        // c:  -.5 3.5 7.5 11.5 15.5 19.5 23.5 27.5 31.5 35.5 39.5 43.5 47.5 51.5 55.5 59.5 63.5 67.5 71.5 75.5 79.5
        let expected = [bg, bg, bg, bg, bg, 2, 2, bg, bg, bg, bg, 6, -1, bg, -1, 25, -1, bg, bg, bg, bg]
        XCTAssertEqual(t, expected)
        // Exactly 2 px: letter; exactly 5 px: background.
        XCTAssertEqual(StripTrainer.targets(centers: [21.5], labels: [1], positions: p)[5], 0)
        XCTAssertEqual(StripTrainer.targets(centers: [24.5], labels: [1], positions: p)[5], bg)
        XCTAssertEqual(StripTrainer.targets(centers: [], labels: [], positions: p), [Int](repeating: bg, count: p))
    }

    // MARK: Reader geometry

    func testReaderOutputWidthAndWindowCentres() throws {
        for width in [140, 150, 168] {
            let reader = StripReader(width: width, backend: cpu, seed: 1)
            let p = StripReader.positions(width: width)
            XCTAssertEqual(reader.model.outputShape(batch: 2), [2, StripReader.classes, 1, p])
            XCTAssertEqual(StripReader.center(ofPosition: 0), -0.5)
            XCTAssertEqual(StripReader.center(ofPosition: p - 1), Float(4 * (p - 1)) - 0.5)
            // Strips: empty; one bright pixel at each of a few columns; bright pixels in rows 0 and 29 only.
            let columns = [0, 37, width / 2, width - 1]
            var pixels = [Float](repeating: 0, count: (2 + columns.count) * 30 * width)
            for (i, x) in columns.enumerated() { pixels[(i + 1) * 30 * width + 14 * width + x] = 255 }
            let edge = (columns.count + 1) * 30 * width
            for x in 0..<width { pixels[edge + x] = 255; pixels[edge + 29 * width + x] = 1000 }
            let set = try StripSet(name: "probe", count: 2 + columns.count, height: 30, width: width, pixels: pixels)
            let lp = reader.logProbabilities(set)
            XCTAssertEqual(lp.count, set.count)
            for row in lp { XCTAssertEqual(row.count, p * StripReader.classes, "width \(width)") }
            // A forward pass of the network itself gives the same width.
            let input = Tensor(zeros: [1, 1, 28, width + 2 * StripReader.padding], on: cpu)
            XCTAssertEqual(reader.model.forward(input, training: false).shape, [1, StripReader.classes, 1, p])

            // Strips that go through one GEMM side by side may differ in the last bits (OpenBLAS's edge
            // kernels sum in another order), so "the same" means within 1e-5 here.
            func differs(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Bool {
                zip(a, b).contains { abs($0 - $1) > 1e-5 }
            }
            XCTAssertFalse(differs(lp.last![...], lp[0][...]), "rows 0 and 29 are not read")
            for (i, x) in columns.enumerated() {
                let probe: [Float] = lp[i + 1], blank: [Float] = lp[0]
                let changed: [Int] = (0..<p).filter { (j: Int) -> Bool in
                    let row = (j * 27)..<(j * 27 + 27)
                    return differs(probe[row], blank[row])
                }
                // Output j sees padded columns 4j − 5 … 4j + 32 (the 28-px window plus the 3×3 convolutions'
                // context), centred on strip column center(j).
                let reach = (0..<p).filter { j in abs(StripReader.center(ofPosition: j) - Float(x)) <= 18.5 }
                // (For this seed's random weights every position in reach responds.)
                XCTAssertEqual(changed, reach, "width \(width), column \(x)")
                let nearest = (0..<p).min { abs(StripReader.center(ofPosition: $0) - Float(x)) < abs(StripReader.center(ofPosition: $1) - Float(x)) }!
                XCTAssertTrue(changed.contains(nearest), "width \(width), column \(x): \(changed), nearest \(nearest)")
            }
        }
    }

    /// The window geometry comes from the layers: stride 4, windows of 38 columns (54 for the context
    /// reader) centred 13.5 columns into the padded strip, the same for every variant.
    func testWindowGeometryIsDerivedFromTheLayers() {
        let standard = ReceptiveField(of: StripReader.Variant.standard.layers)!
        XCTAssertEqual(standard.jump, 4)
        XCTAssertEqual(standard.size, 38)
        XCTAssertEqual(standard.firstCentre, 13.5)
        XCTAssertEqual(ReceptiveField(of: StripReader.Variant.context.layers)!.size, 54)
        for v in StripReader.Variant.allCases {
            let g = ReceptiveField(of: v.layers)!
            XCTAssertEqual([g.jump, Int(g.firstCentre * 2)], [standard.jump, Int(standard.firstCentre * 2)], "\(v)")
            for width in [1, 28, 113, 140, 150, 168, 301] {
                // The shapes the specs infer, without building (and initialising) each network.
                let out = try? v.layers.reduce(StripReader.geometry.inputShape(width: width)) { shape, spec in try spec.outputShape(for: shape).get() }
                XCTAssertEqual(out?.last, StripReader.positions(width: width), "\(v), width \(width)")
                XCTAssertEqual(StripReader.positions(width: width), (width + 28) / 4 - 6, "width \(width)")
            }
        }
        XCTAssertEqual(StripReader.center(ofPosition: 10), 39.5)
        XCTAssertNil(ReceptiveField(of: Architecture.mlp.layers))
    }

    /// The context reader sees two positions (8 px) further each side than the standard one, and a
    /// standard reader grown into it reads exactly as before.
    func testContextReaderSeesFurtherAndGrowsFromTheStandardReader() throws {
        let width = 150, p = StripReader.positions(width: width)
        let context = StripReader(width: width, variant: .context, backend: cpu, seed: 2)
        XCTAssertEqual(context.model.outputShape(batch: 1), [1, StripReader.classes, 1, p])
        var pixels = [Float](repeating: 0, count: 2 * 30 * width)
        pixels[30 * width + 14 * width + 75] = 255
        let set = try StripSet(name: "probe", count: 2, height: 30, width: width, pixels: pixels)
        let lp = context.logProbabilities(set)
        let changed = (0..<p).filter { j in (0..<27).contains { abs(lp[1][j * 27 + $0] - lp[0][j * 27 + $0]) > 1e-5 } }
        let distance = changed.map { abs(StripReader.center(ofPosition: $0) - 75) }
        XCTAssertLessThanOrEqual(distance.max() ?? 0, 26.5, "no further than 8 px beyond the standard reach")
        XCTAssertGreaterThan(distance.max() ?? 0, 18.5, "further than the standard reader's reach")

        let standard = StripReader(width: width, backend: cpu, seed: 3)
        let grownCheckpoint = try XCTUnwrap(StripReader.Variant.context(growing: standard.checkpoint()))
        XCTAssertEqual(grownCheckpoint.layers, StripReader.Variant.context.layers)
        let grown = try StripReader(checkpoint: grownCheckpoint, backend: cpu, source: "grown")
        let (strips, _, _) = StripSynthesizer.realCohort(letters: 5, width: width).makeSet(from: letters, count: 4, seed: 1)
        for (a, b) in zip(grown.logProbabilities(strips), standard.logProbabilities(strips)) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        }
        XCTAssertNil(StripReader.Variant.context(growing: StripReader(width: width, variant: .fast, backend: cpu, seed: 1).checkpoint()))

        // The deep reader grown from a context reader reads exactly as it does; only a context reader grows into it.
        let deepCheckpoint = try XCTUnwrap(StripReader.Variant.deep(growing: grown.checkpoint()))
        XCTAssertEqual(deepCheckpoint.layers, StripReader.Variant.deep.layers)
        XCTAssertEqual(StripReader.Variant(recognising: deepCheckpoint), .deep)
        let deep = try StripReader(checkpoint: deepCheckpoint, backend: cpu, source: "deep")
        for (a, b) in zip(deep.logProbabilities(strips), grown.logProbabilities(strips)) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-4) }
        }
        XCTAssertNil(StripReader.Variant.deep(growing: standard.checkpoint()))

        // The variant is recorded, and a checkpoint whose layers are not its recorded variant's is refused.
        XCTAssertEqual(context.checkpoint().metadata["variant"], "context")
        XCTAssertEqual(grown.checkpoint().metadata["variant"], "context")
        var mislabelled = standard.checkpoint()
        mislabelled.metadata["variant"] = "fast"
        XCTAssertThrowsError(try StripReader(checkpoint: mislabelled, backend: cpu, source: "m.lnet")) { error in
            XCTAssertTrue("\(error)".contains("variant 'fast'"), "\(error)")
        }
        mislabelled.metadata["variant"] = nil  // older readers: recognised by their layers
        XCTAssertNoThrow(try StripReader(checkpoint: mislabelled, backend: cpu, source: "m.lnet"))
    }

    func testLetterScoresAreLetterMinusBackground() {
        var lp = [Float](repeating: -10, count: 2 * 27)
        lp[26] = -0.5; lp[3] = -2
        lp[27 + 26] = -4; lp[27 + 25] = -1
        let s = StripReader.letterScores(lp, positions: 2)
        XCTAssertEqual(s.count, 52)
        XCTAssertEqual(s[3], -1.5)
        XCTAssertEqual(s[0], -9.5)
        XCTAssertEqual(s[26 + 25], 3)
        XCTAssertEqual(s[26 + 0], -6)
    }

    // MARK: Scoring

    func testStripScoreOnAHandMadeCase() {
        let truth = [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [1, 1, 1, 1, 1]]
        let guesses: [[[Int]]] = [
            [[1, 2, 3, 4, 5], [1, 2, 3, 4, 6], [2, 2, 3, 4, 5], [3, 3, 3, 3, 3], [4, 4, 4, 4, 4]],      // top-1: 5 letters
            [[6, 7, 8, 9, 11], [6, 7, 8, 9, 12], [1, 1, 1, 1, 1], [2, 2, 2, 2, 2], [6, 7, 8, 9, 10]],   // top-5 at 5th: 4 letters
            [[15, 14, 13, 12, 11], [1, 1, 1, 1, 1], [2, 2, 2, 2, 2], [3, 3, 3, 3, 3], [4, 4, 4, 4, 4]], // miss: 1 letter
            [[2, 2, 2, 2, 2], [3, 3, 3, 3, 3], [4, 4, 4, 4, 4], [5, 5, 5, 5, 5], [6, 6, 6, 6, 6]],      // miss: 0 letters
        ]
        let s = StripScore(guesses: guesses, truth: truth)
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.top1, 0.25)
        XCTAssertEqual(s.top5, 0.5)
        XCTAssertEqual(s.letters, 10.0 / 20.0)
        // A right answer in a sixth guess does not count.
        let late = StripScore(guesses: [[[9], [9], [9], [9], [9], [1]]], truth: [[1]])
        XCTAssertEqual([late.top1, late.top5, late.letters], [0, 0, 0])
        let empty = StripScore(guesses: [], truth: [])
        XCTAssertEqual([Double(empty.count), empty.top1, empty.top5, empty.letters], [0, 0, 0, 0])
    }

    // MARK: End to end

    /// The shipped model when there is one, else an untrained reader.
    func makeReader() throws -> StripReader {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/strip-reader.lnet")
        if FileManager.default.fileExists(atPath: shipped.path) {
            return try StripReader(checkpoint: Checkpoint.read(from: shipped), backend: cpu, source: shipped.path)
        }
        return StripReader(width: 150, backend: cpu, seed: 4)
    }

    func testReadStripsIntoPredictionCSV() throws {
        let reader = try makeReader()
        let (set, labels, _) = StripSynthesizer(letters: 5).makeSet(from: letters, count: 4, seed: 21)
        let readings = reader.read(set, letters: 5)
        XCTAssertEqual(readings.count, 4)
        for r in readings {
            XCTAssertEqual(r.count, 5)
            XCTAssertEqual(r.map(\.probability).reduce(0, +), 1, accuracy: 1e-9)
            XCTAssertEqual(r.map(\.probability), r.map(\.probability).sorted(by: >))
        }
        let rows = readings.map { $0.map(\.labels) }
        let url = try temporaryDirectory(self).appendingPathComponent("prediction.csv")
        try writePrediction(rows, to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 4)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(fields.count, 5, String(line))
            XCTAssertEqual(Set(fields).count, 5, "distinct guesses: \(line)")
            for f in fields {
                XCTAssertEqual(f.count, 10, f)
                XCTAssertTrue(f.allSatisfy(\.isASCII) && f.allSatisfy(\.isNumber), f)
                let pairs = stride(from: 0, to: 10, by: 2).map { Int(f.dropFirst($0).prefix(2))! }
                XCTAssertTrue(pairs.allSatisfy((1...26).contains), f)
            }
        }
        XCTAssertEqual(try PredictionCSV.read(url: url), rows)
        XCTAssertEqual(StripScore(guesses: rows, truth: labels).count, 4)

        // Input order: the strips reversed give the rows reversed.
        let per = 30 * set.width
        let reversed = try StripSet(name: "reversed", count: 4, height: 30, width: set.width,
                                    pixels: (0..<4).reversed().flatMap { Array(set.pixels[($0 * per)..<(($0 + 1) * per)]) })
        XCTAssertEqual(reader.read(reversed, letters: 5).map { $0.map(\.labels) }, rows.reversed())
        // And batching does not change them.
        reader.batchSize = 3
        XCTAssertEqual(reader.read(set, letters: 5).map { $0.map(\.labels) }, rows)
    }
}
