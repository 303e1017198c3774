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

    /// `count` strips of 30×150 of uniform random pixels.
    func randomStrips(count: Int, seed: UInt64) throws -> StripSet {
        var rng = SeededGenerator(seed: seed)
        let pixels = (0..<(count * 30 * 150)).map { _ in Float.random(in: 0...255, using: &rng) }
        return try StripSet(name: "random", count: count, height: 30, width: 150, pixels: pixels)
    }

    /// An untrained context reader of strips 150 wide, alone, reading `batchSize` strips a batch.
    func contextReader(seed: UInt64, batchSize: Int) -> StripReaderEnsemble {
        let reader = StripReader(width: 150, variant: .context, backend: CPUBackend(threads: 2), seed: seed)
        reader.batchSize = batchSize
        return StripReaderEnsemble(members: [reader])
    }

    /// The pipelined read (batches of 3, four views) gives exactly the guesses of the whole-set read.
    func testPipelinedReadEqualsReadingEveryViewFirst() throws {
        let count = 11, strips = try randomStrips(count: count, seed: 12)
        let ensemble = contextReader(seed: 4, batchSize: 3)
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

    /// Views after the first for the least sure strips only (`rereadShare`): the chosen strips read as in
    /// every view, the others as in the first view alone; progress ends at every strip.
    func testRereadingTheLeastSureStripsReadsThemInEveryView() throws {
        let count = 11, strips = try randomStrips(count: count, seed: 31)
        let ensemble = contextReader(seed: 5, batchSize: 4)
        var views = ShiftedViews(count: 2)
        views.rereadShare = 0.5
        ensemble.views = views
        var reported: [Int] = []
        let (guesses, _) = ensemble.timedRead(strips, count: .fixed(5)) { reported.append($0) }
        let decoder = LetterCount.fixed(5).decoder(k: 5)
        let perView = views.shifts.map { ensemble.logProbabilities(strips, shift: $0) }
        let all = views.decodeAll(perView, decoder: decoder), first = ShiftedViews.single.decodeAll([perView[0]], decoder: decoder)
        let sure = first.map { $0[0].probability }
        let chosen = Set(views.leastSure(first))
        XCTAssertEqual(chosen.count, 6, "half of 11, rounded up")
        let threshold = chosen.map { sure[$0] }.max()!
        for i in 0..<count {
            let expected = chosen.contains(i) ? all[i] : first[i]
            XCTAssertEqual(guesses[i].map(\.labels), expected.map(\.labels), "strip \(i)")
            for (a, b) in zip(guesses[i], expected) { XCTAssertEqual(a.probability, b.probability, accuracy: 1e-5) }
            if !chosen.contains(i) { XCTAssertGreaterThanOrEqual(sure[i], threshold, "strip \(i) is surer than those reread") }
        }
        XCTAssertNotEqual(all.map { $0.map(\.labels) }, first.map { $0.map(\.labels) }, "the second view changes some reading")
        XCTAssertEqual(reported.last, count)
        XCTAssertEqual(reported, reported.sorted(), "progress only grows")
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
