import Foundation
import LetterFormats
import NeuralNet
import XCTest
@testable import Letters

/// `StripPrediction`: rows in input order, equal to reading the strips directly, batches sized to the
/// memory, the time measured, each reader's network folded once.
final class StripPredictionTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    /// `count` strips 30×`width` of seeded noise with a bright bar per letter place, so readings differ.
    func strips(_ count: Int, width: Int, seed: UInt64) throws -> StripSet {
        var rng = SeededGenerator(seed: seed)
        let pixels = (0..<(count * 30 * width)).map { i -> Float in
            let x = i % width, y = i / width % 30
            return (x / 7 + i / (30 * width)) % 3 == 0 && (4...25).contains(y) ? 255 : Float.random(in: 0...60, using: &rng)
        }
        return try StripSet(name: "s\(width)", count: count, height: 30, width: width, pixels: pixels)
    }

    func readers() -> StripReaderEnsemble {
        StripReaderEnsemble(members: [StripReader(width: 150, backend: cpu, seed: 4), StripReader(width: 150, backend: cpu, seed: 5)])
    }

    func testOneSetGivesTheRowsOfReadingItDirectly() throws {
        let set = try strips(7, width: 150, seed: 1)
        for views in [1, 3] {
            let readers = readers()
            let prediction = try StripPrediction(input: .whole(set), readers: readers, counts: [.fixed(5)], views: ShiftedViews(count: views))
            var seen = [Int]()
            let (rows, timing) = try prediction.read(keepAll: true, source: "s", letters: "5") { seen.append($0) }
            XCTAssertEqual(readers.views.shifts.count, views)
            let direct = readers.read(set, letters: 5).map { $0.map(\.labels) }
            XCTAssertEqual(rows.rows, direct)
            XCTAssertEqual(rows.text, try PredictionCSV.encode(direct))
            XCTAssertEqual(seen.last, 7, "progress reaches every strip")
            XCTAssertGreaterThanOrEqual(timing.network, 0)
            XCTAssertGreaterThanOrEqual(timing.decode, 0)
            XCTAssertGreaterThan(timing.network + timing.decode, 0)
        }
    }

    /// Images of two widths are read width by width; the rows come back in input order.
    func testGroupsOfWidthsComeBackInInputOrder() throws {
        let narrow = try strips(3, width: 140, seed: 2), wide = try strips(2, width: 168, seed: 3)
        let images = ImageStrips(name: "images", groups: [.init(set: narrow, order: [4, 0, 2]), .init(set: wide, order: [1, 3])],
                                 files: (0..<5).map { "strip-\($0).png" })
        let readers = readers()
        let prediction = try StripPrediction(input: .images(images), readers: readers, counts: [.fixed(4), .fixed(5)], views: .single)
        let (rows, _) = try prediction.read(keepAll: true, source: "images", letters: "4 or 5")
        let n = readers.read(narrow, letters: 4).map { $0.map(\.labels) }, w = readers.read(wide, letters: 5).map { $0.map(\.labels) }
        XCTAssertEqual(rows.rows, [n[1], w[0], n[2], w[1], n[0]])
        XCTAssertEqual(rows.firstGuessLengths, [4: 3, 5: 2])
        XCTAssertEqual(InputStrips.images(images).firstFile(ofGroup: 1), "strip-1.png")
    }

    /// A file read in chunks gives the rows of reading it whole.
    func testChunksGiveTheRowsOfTheWholeFile() throws {
        let set = try strips(7, width: 150, seed: 4)
        let url = try temporaryDirectory(self).appendingPathComponent("s.npy")
        try set.write(to: url)
        let chunked = try XCTUnwrap(try ChunkedStrips.open(url: url, chunkSize: 3))
        let whole = try StripPrediction(input: .whole(set), readers: readers(), counts: [.fixed(5)], views: ShiftedViews(count: 2))
        let inChunks = try StripPrediction(input: .chunked(chunked), readers: readers(), counts: [.fixed(5)], views: ShiftedViews(count: 2))
        XCTAssertEqual(try inChunks.read(keepAll: false, source: "s", letters: "5").rows.text,
                       try whole.read(keepAll: false, source: "s", letters: "5").rows.text)
    }

    /// On the host, a forward pass of all the readers together stays within `hostReadingBytes` by the
    /// folded networks' estimate, and takes as many strips as fit, up to `maxBatchSize`.
    func testBatchesAreSizedToTheMemory() throws {
        let readers = readers()
        for m in readers.members { m.batchSize = 5 }
        let prediction = try StripPrediction(input: .whole(try strips(2, width: 150, seed: 5)), readers: readers, counts: [.fixed(5)], views: .single)
        let folded = readers.members.map(\.inference.network.specs)
        XCTAssertEqual(prediction.batchSize, try StripPrediction.batchSize(layers: folded, width: 150))
        XCTAssertEqual(readers.members.map(\.batchSize), [prediction.batchSize, prediction.batchSize])
        let budget = StripPrediction.hostReadingBytes
        func planned(_ layers: [[LayerSpec]], _ width: Int, _ batch: Int) -> Double {
            layers.map { NetworkMemory.inferenceBytes(layers: $0, inputShape: StripReader.geometry.inputShape(width: width), batch: batch) }
                .reduce(0, +)
        }
        // The shipped pair (folded): within the budget, one strip more would not be, at 140 to 184 px.
        let pair = [StripReader.Variant.context, .residual].map {
            StripReader(width: 168, variant: $0, backend: cpu, seed: 1).inference.network.specs
        }
        for width in [140, 150, 168, 184] {
            let b = try StripPrediction.batchSize(layers: pair, width: width)
            XCTAssertLessThan(b, StripPrediction.maxBatchSize, "width \(width)")
            XCTAssertGreaterThanOrEqual(b, 16, "width \(width)")
            XCTAssertLessThanOrEqual(planned(pair, width, b), budget, "width \(width)")
            XCTAssertGreaterThan(planned(pair, width, b + 1), budget, "width \(width)")
            // Alone, each takes more: both networks' buffers are held at once, so they count together.
            XCTAssertGreaterThan(try StripPrediction.batchSize(layers: [pair[0]], width: width), b)
            XCTAssertGreaterThan(try StripPrediction.batchSize(layers: [pair[1]], width: width), b)
        }
        XCTAssertEqual(try StripPrediction.batchSize(layers: pair, width: 168), 32, "the cohort's strips: 354 MB at most on 10,000")
        XCTAssertEqual(try StripPrediction.batchSize(layers: [pair[0]], width: 112), StripPrediction.maxBatchSize, "capped")
        XCTAssertEqual(try StripPrediction.batchSize(layers: pair, width: 20_000), 1, "wide strips: one at a time")
        XCTAssertThrowsError(try StripPrediction.batchSize(layers: pair, width: 400_000_000)) { error in
            XCTAssertTrue("\(error)".contains("reading strips 400000000 px wide needs about"), "\(error)")
        }
    }

    /// On a device, batches are sized from its memory and largest buffer, up to the batch it is worth.
    func testBatchesAreSizedToTheDevice() throws {
        let layers = [StripReader.Variant.context.layers], shape = StripReader.geometry.inputShape(width: 168)
        let perStrip = NetworkMemory.trainingBytes(layers: layers[0], inputShape: shape, batch: 1)
        let largest = 4 * NetworkMemory.largestBufferFloats(layers: layers[0], inputShape: shape)
        XCTAssertGreaterThanOrEqual(largest, 4 * 32 * 28 * Double(shape[2]), "at least the first convolution's output")
        let gpu = DeviceMemory(bytes: 4096 * perStrip, largestBuffer: 4096 * largest, usefulBatch: 1024)
        XCTAssertEqual(try StripPrediction.batchSize(layers: layers, width: 168, device: gpu), 1024)
        let processor = DeviceMemory(bytes: 4096 * perStrip, largestBuffer: 4096 * largest, usefulBatch: 64)
        XCTAssertEqual(try StripPrediction.batchSize(layers: layers, width: 168, device: processor), 64)
        let small = DeviceMemory(bytes: 100 * perStrip, largestBuffer: 4096 * largest, usefulBatch: 1024)
        XCTAssertEqual(try StripPrediction.batchSize(layers: layers, width: 168, device: small), 25, "a quarter of the memory")
        let narrowBuffers = DeviceMemory(bytes: 4096 * perStrip, largestBuffer: 10 * largest, usefulBatch: 1024)
        XCTAssertEqual(try StripPrediction.batchSize(layers: layers, width: 168, device: narrowBuffers), 10, "each buffer within the largest")
        let tiny = DeviceMemory(bytes: perStrip / 2, largestBuffer: 4096 * largest, usefulBatch: 1024)
        XCTAssertThrowsError(try StripPrediction.batchSize(layers: layers, width: 168, device: tiny)) { error in
            XCTAssertTrue("\(error)".contains("more than the device has"), "\(error)")
        }
        XCTAssertNil(CPUBackend(threads: 1).deviceMemory, "the CPU backend reads in the host's memory")
    }

    /// Several chunks, views and members fold each reader's network once; new weights fold it again.
    func testEachReaderFoldsItsNetworkOnce() throws {
        let readers = readers()
        let set = try strips(5, width: 150, seed: 6)
        let folded = readers.members.map(\.inference.network)
        _ = try StripPrediction(input: .whole(set), readers: readers, counts: [.fixed(5)], views: ShiftedViews(count: 3))
            .read(keepAll: false, source: "s", letters: "5")
        for (m, f) in zip(readers.members, folded) { XCTAssertTrue(m.inference.network === f) }
        let before = readers.members[0].logProbabilities(set)
        try readers.members[1].checkpoint().load(into: readers.members[0].model)
        XCTAssertFalse(readers.members[0].inference.network === folded[0], "loaded weights are folded again")
        XCTAssertEqual(readers.members[0].logProbabilities(set), readers.members[1].logProbabilities(set), "the new weights are read")
        XCTAssertNotEqual(readers.members[0].logProbabilities(set), before)
    }

    /// The sanity check reads the rows of the strips it knows, whatever order they came in.
    func testSanityCheckFindsRowsAddedOutOfOrder() throws {
        let n = AssignmentSanityCheck.stripCount
        var rows = PredictionRows(count: n, keepAll: false, source: "s", letters: "5")
        let codes = Dictionary(uniqueKeysWithValues: AssignmentSanityCheck.known.map { ($0.strip, LetterLabel.parseDigits($0.code)!) })
        let other = [1, 1, 1, 1, 1]
        for start in stride(from: n - 1000, through: 0, by: -1000) {  // the last thousand first
            let places = Array(start..<(start + 1000))
            try rows.add(places.map { i in [other, codes[i] ?? other, other, other, other].map { (labels: $0, probability: 0.2) } }, at: places)
        }
        try rows.check()
        XCTAssertEqual(rows.sanityCheck(letters: 5)?.map(\.rank), [2, 2, 2, 2])
        XCTAssertNil(rows.sanityCheck(letters: 4))
        XCTAssertEqual(rows.text.split(separator: "\n").count, n)
    }
}
