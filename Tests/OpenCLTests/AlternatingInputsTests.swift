import BackendChecks
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// `AlternatingInputs`: batches copied on the OpenCL transfer queue into two sets in turn, ordered
/// against the compute queue by events only; on the CPU backend, plain uploads. PoCL keeps its copies
/// on the compute queue by default (`copiesAhead`), so these tests turn the transfer queue on.
final class AlternatingInputsTests: XCTestCase {
    /// The test device with its copies on the transfer queue, as on a GPU.
    func deviceCopyingAhead() throws -> OpenCLBackend {
        let device = try TestDevice.backend()
        device.copiesAhead = true
        return device
    }

    /// The transfer queue is the default on a device with its own memory only; the variable decides for all.
    func testTheTransferQueueIsForDevicesWithTheirOwnMemory() throws {
        let device = try TestDevice.backend().device
        let key = OpenCLBackend.transferQueueVariable
        XCTAssertTrue(OpenCLBackend.copiesAheadByDefault(on: device, environment: [key: "on"]))
        XCTAssertFalse(OpenCLBackend.copiesAheadByDefault(on: device, environment: [key: "OFF"]))
        let byDefault = OpenCLBackend.copiesAheadByDefault(on: device, environment: [:])
        if device.isCPU || device.unifiedMemory { XCTAssertFalse(byDefault, device.name) } else { XCTAssertTrue(byDefault, device.name) }
    }

    func testTheCheckPassesOnTheCPUAndTheDevice() throws {
        let cpu = AlternatingInputsCheck.check(on: CPUBackend(threads: 2), batches: 6)
        XCTAssertTrue(cpu.passed, cpu.line)
        let device = try deviceCopyingAhead()
        let ahead = AlternatingInputsCheck.check(on: device)
        XCTAssertTrue(ahead.passed, ahead.line)
        device.copiesAhead = false
        defer { device.copiesAhead = true }
        let inOrder = AlternatingInputsCheck.check(on: device)
        XCTAssertTrue(inOrder.passed, inOrder.line)
    }

    /// Copies that do not wait for the step before last (each set overwritten while a step may still
    /// read it) are caught by the check's sum. A race: three tries, of which one must catch it (each step's
    /// product takes milliseconds, the host queues the next two batches in microseconds).
    func testCopiesThatDoNotWaitForTheirSetAreCaught() throws {
        let device = try deviceCopyingAhead()
        let sets = (0..<2).map { _ in device.makeBuffer(count: 4096) }
        var lines: [String] = []
        for _ in 0..<3 {
            let r = AlternatingInputsCheck.check(on: device, batches: 8, productRows: 256) { batch, index in
                let set = sets[index % 2]
                let copy = batch.withUnsafeBufferPointer { device.uploadAhead($0, to: set, after: nil) }
                device.awaitUploads(copy.map { [$0] } ?? [])
                return set
            }
            lines.append(r.line)
            if !r.passed { return }
        }
        XCTFail("the sums came out right although each copy went ahead of the step before last: \(lines)")
    }

    /// After the first batch each upload queues one marker (the end of the reads of the set just used)
    /// and one barrier (the next ops wait for the copies): no host wait, no allocation, no launch.
    func testAnUploadQueuesCopiesAndMarksOnly() throws {
        let device = try deviceCopyingAhead()
        let inputs = AlternatingInputs(counts: [64, 8], backend: device)
        inputs.upload([[Float](repeating: 1, count: 64), [Float](repeating: 2, count: 8)])
        let before = device.counts
        let set = inputs.upload([[Float](repeating: 3, count: 64), [Float](repeating: 4, count: 5)])
        let c = device.counts - before
        XCTAssertEqual(c.transferWrites, 2, "\(c)")
        XCTAssertEqual(c.queueMarks, 2, "\(c)")
        XCTAssertEqual(c.waits + c.allocations + c.launches + c.queuedWrites, 0, "\(c)")
        XCTAssertEqual(device.download(set[0]), [Float](repeating: 3, count: 64))
        XCTAssertEqual(device.download(set[1]), [4, 4, 4, 4, 4, 0, 0, 0])
        XCTAssertEqual(inputs.current, 1)
    }
}

extension AlternatingInputsTests {
    /// A new set's buffers are zero-filled on the compute queue: its first copies wait for the fills, or
    /// a fill that runs late wipes the first batch (as it did in a training run's first step).
    func testTheFirstBatchesLandAfterTheBuffersZeroFill() throws {
        let device = try deviceCopyingAhead()
        var wiped = 0
        for round in 0..<12 {
            let inputs = AlternatingInputs(counts: [1 << 20, 8], backend: device)
            let first = inputs.upload([[Float](repeating: Float(round + 1), count: 1 << 20), [Float](repeating: 7, count: 8)])
            let second = inputs.upload([[Float](repeating: 2, count: 1 << 20), [Float](repeating: 3, count: 8)])
            if device.download(first[0]).contains(where: { $0 != Float(round + 1) }) || device.download(first[1]) != [Float](repeating: 7, count: 8)
                || device.download(second[1]) != [Float](repeating: 3, count: 8) { wiped += 1 }
        }
        XCTAssertEqual(wiped, 0, "a zero fill overwrote the first batches in \(wiped) of 12 rounds")
    }
}
