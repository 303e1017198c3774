@testable import NeuralNet
import Foundation
import XCTest

/// `CPUBackend.parallelChunks`: every index runs exactly once, in whole chunks, on as many workers as
/// there are; and `chunkSize` keeps chunks within the width a GEMM wants while giving each worker a few.
final class ParallelChunksTests: XCTestCase {
    func testEveryIndexRunsOnceInWholeChunks() {
        for threads in [1, 2, 3] {
            let cpu = CPUBackend(threads: threads)
            for (count, chunk) in [(0, 4), (1, 4), (7, 1), (32, 6), (33, 6), (32, 40), (100, 7)] {
                let lock = NSLock()
                var seen = [Int](repeating: 0, count: count), ranges: [Range<Int>] = [], workers = Set<Int>()
                cpu.parallelChunks(count, chunk: chunk) { worker, range in
                    lock.lock()
                    defer { lock.unlock() }
                    for i in range { seen[i] += 1 }
                    ranges.append(range)
                    workers.insert(worker)
                }
                XCTAssertEqual(seen, [Int](repeating: 1, count: count), "\(threads) threads, \(count) by \(chunk)")
                for r in ranges {
                    XCTAssertEqual(r.lowerBound % chunk, 0, "chunks start on multiples of the chunk")
                    XCTAssertTrue(r.count == chunk || r.upperBound == count, "only the last chunk is short: \(r)")
                }
                XCTAssertTrue(workers.allSatisfy { (0..<threads).contains($0) }, "worker indices \(workers)")
            }
        }
    }

    func testChunkSize() {
        // The reader's batches: 32 images, 2 workers, 3 chunks each → 6 images a chunk (6 chunks).
        XCTAssertEqual(CPUBackend.chunkSize(batch: 32, widest: 10, threads: 2, perWorker: 3), 6)
        // The width a GEMM wants bounds it.
        XCTAssertEqual(CPUBackend.chunkSize(batch: 32, widest: 4, threads: 2, perWorker: 3), 4)
        XCTAssertEqual(CPUBackend.chunkSize(batch: 1000, widest: 7, threads: 1, perWorker: 3), 7)
        // Never below one image, whatever the sizes.
        XCTAssertEqual(CPUBackend.chunkSize(batch: 1, widest: 0, threads: 4, perWorker: 3), 1)
        XCTAssertEqual(CPUBackend.chunkSize(batch: 5, widest: 10, threads: 8, perWorker: 3), 1)
    }
}
