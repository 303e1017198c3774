import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// Strips are decoded on a worker thread, a batch at a time, while the next batch goes through the
/// network: the guesses are those of reading every strip view by view and decoding them all at once.
final class BatchDecoderTests: XCTestCase {
    /// Batches land in input order, and no more than `depth` wait at a time.
    func testGuessesLandInOrderWithBoundedBatchesInFlight() {
        let decoder = BatchDecoder(count: 10, depth: 2)
        let waiting = Waiting()
        for start in stride(from: 0, to: 10, by: 3) {
            let range = start..<min(start + 3, 10)
            waiting.change(by: 1)
            decoder.submit(range) {
                Thread.sleep(forTimeInterval: 0.02)
                waiting.change(by: -1)
                return range.map { [(labels: [$0], probability: 1)] }
            }
        }
        let guesses = decoder.finish()
        XCTAssertEqual(guesses.map { $0.first?.labels ?? [] }, (0..<10).map { [$0] })
        // Without the bound all four would wait at once.
        XCTAssertEqual(waiting.most, 3, "a third batch waits in submit while two are queued")
    }

    /// The pipelined read (batches of 3, four views) gives exactly the guesses of the whole-set read.
    func testPipelinedReadEqualsReadingEveryViewFirst() throws {
        let width = 150, count = 11
        var rng = SeededGenerator(seed: 12)
        let pixels = (0..<(count * 30 * width)).map { _ in Float.random(in: 0...255, using: &rng) }
        let strips = try StripSet(name: "random", count: count, height: 30, width: width, pixels: pixels)
        let reader = StripReader(width: width, variant: .context, backend: CPUBackend(threads: 2), seed: 4)
        reader.batchSize = 3
        let ensemble = StripReaderEnsemble(members: [reader])
        ensemble.views = ShiftedViews(count: 4)
        var reported: [Int] = []
        let (guesses, _) = ensemble.timedRead(strips, count: .fixed(5)) { reported.append($0) }
        let decoder = LetterCount.fixed(5).decoder(k: 5)
        let whole = ensemble.views.decodeAll(ensemble.views.shifts.map { ensemble.logProbabilities(strips, shift: $0) },
                                             decoder: decoder)
        XCTAssertEqual(guesses.count, count)
        for (a, b) in zip(guesses, whole) {
            XCTAssertEqual(a.map(\.labels), b.map(\.labels))
            XCTAssertEqual(a.map(\.probability), b.map(\.probability))
        }
        XCTAssertEqual(reported, [3, 6, 9, 11])
    }

    /// Views after the first for the least sure strips only (`rereadShare`): per batch, the chosen strips
    /// read as in every view, the others as in the first view alone.
    func testRereadingTheLeastSureStripsReadsThemInEveryView() throws {
        let width = 150, count = 11, batch = 4
        var rng = SeededGenerator(seed: 31)
        let pixels = (0..<(count * 30 * width)).map { _ in Float.random(in: 0...255, using: &rng) }
        let strips = try StripSet(name: "random", count: count, height: 30, width: width, pixels: pixels)
        let reader = StripReader(width: width, variant: .context, backend: CPUBackend(threads: 2), seed: 5)
        reader.batchSize = batch
        let ensemble = StripReaderEnsemble(members: [reader])
        var views = ShiftedViews(count: 2)
        views.rereadShare = 0.5
        ensemble.views = views
        let (guesses, _) = ensemble.timedRead(strips, count: .fixed(5))
        let decoder = LetterCount.fixed(5).decoder(k: 5)
        let perView = views.shifts.map { ensemble.logProbabilities(strips, shift: $0) }
        let all = views.decodeAll(perView, decoder: decoder), first = ShiftedViews.single.decodeAll([perView[0]], decoder: decoder)
        var reread = 0
        for start in stride(from: 0, to: count, by: batch) {
            let range = start..<min(start + batch, count)
            let sure = range.map { first[$0][0].probability }
            let chosen = Set(views.leastSure(Array(first[range])).map { $0 + start })
            XCTAssertEqual(chosen.count, (range.count + 1) / 2, "half of each batch, rounded up")
            let threshold = chosen.map { sure[$0 - start] }.max()!
            for i in range {
                let expected = chosen.contains(i) ? all[i] : first[i]
                XCTAssertEqual(guesses[i].map(\.labels), expected.map(\.labels), "strip \(i)")
                for (a, b) in zip(guesses[i], expected) { XCTAssertEqual(a.probability, b.probability, accuracy: 1e-5) }
                if !chosen.contains(i) { XCTAssertGreaterThanOrEqual(sure[i - start], threshold, "strip \(i) is surer than those reread") }
            }
            reread += chosen.count
        }
        XCTAssertEqual(reread, 2 + 2 + 2)
        XCTAssertNotEqual(all.map { $0.map(\.labels) }, first.map { $0.map(\.labels) }, "the second view changes some reading")
    }
}

/// Batches submitted and not yet decoded, and the most there were.
private final class Waiting: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0
    private(set) var most = 0

    func change(by delta: Int) {
        lock.lock(); defer { lock.unlock() }
        now += delta
        most = max(most, now)
    }
}
