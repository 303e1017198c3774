import BackendChecks
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// `Adam` moves a model's parameters into flat buffers (`BufferViews`) and steps them in one call:
/// the views, the move and the step, on the CPU and on the OpenCL device.
final class FlatAdamTests: XCTestCase {
    func testLayoutAlignsEveryViewAndKeepsThemApart() {
        let counts = [5, 0, 16, 17, 1, 0]
        let (offsets, total) = BufferViews.layout(counts: counts, alignment: 16)
        XCTAssertEqual(offsets, [0, 16, 32, 48, 80, 96])
        XCTAssertEqual(total, 97)
        for i in counts.indices {
            XCTAssertEqual(offsets[i] % 16, 0)
            if i + 1 < counts.count { XCTAssertLessThanOrEqual(offsets[i] + max(counts[i], 1), offsets[i + 1]) }
        }
        XCTAssertEqual(BufferViews.layout(counts: [], alignment: 32).total, 0)
        XCTAssertEqual(BufferViews.layout(counts: [3, 3], alignment: 1).offsets, [0, 3])
    }

    func testCPUViewsWriteIntoTheirPlaceInTheWhole() {
        let backend = CPUBackend(threads: 1)
        let views = backend.makeBufferViews(counts: [3, 0, 2])
        [Float]([1, 2, 3]).withUnsafeBufferPointer { backend.upload($0, to: views.views[0]) }
        [Float]([7, 8]).withUnsafeBufferPointer { backend.upload($0, to: views.views[2]) }
        var expected = [Float](repeating: 0, count: views.whole.count)
        expected[0...2] = [1, 2, 3]
        expected[views.offsets[2]...views.offsets[2] + 1] = [7, 8]
        XCTAssertEqual(backend.download(views.whole), expected)
        XCTAssertEqual(views.views.map(\.count), [3, 0, 2])
    }

    func testAdamMovesTheParametersWithTheirValuesAndKeepsTheStateNames() {
        let backend = CPUBackend(threads: 2)
        let net = Sequential(specs: TrainingStepParity.residual.specs, inputShape: [1, 12, 12], backend: backend, seed: 3)
        let before = net.parameters.map { $0.value.toArray() }, buffers = net.parameters.map { $0.value.buffer }
        let adam = Adam(weightDecay: 0.1)
        let state = adam.stateTensors(for: net.parameters)
        XCTAssertEqual(state.map(\.name), net.parameters.indices.flatMap { ["m.\($0)", "v.\($0)"] })
        XCTAssertEqual(net.parameters.map { $0.value.toArray() }, before)
        XCTAssertTrue(zip(net.parameters, buffers).allSatisfy { $0.value.buffer !== $1 }, "moved into the flat buffer")
        // Asked again for the same parameters, the same buffers: a second move would drop the moments.
        let moved = net.parameters.map { $0.value.buffer }
        _ = adam.stateTensors(for: net.parameters)
        XCTAssertTrue(zip(net.parameters, moved).allSatisfy { $0.value.buffer === $1 })
        XCTAssertTrue(zip(adam.stateTensors(for: net.parameters), state).allSatisfy { $0.tensor === $1.tensor })
    }

    func testOneFlatAdamStepEqualsOneStepPerTensorBitForBit() {
        let results = FlatAdamCheck.check(on: CPUBackend(threads: 2))
        XCTAssertGreaterThan(results.count, 10)
        for r in results { XCTAssertTrue(r.passed, r.line) }
    }

    /// The check can fail: a step with another decay on the biases is caught.
    func testTheCheckSeesADifferentDecay() {
        let backend = CPUBackend(threads: 1)
        let n = 40, grad = Tensor(seededUniform(n, seed: 1), shape: [n], on: backend)
        let a = Tensor(seededUniform(n, seed: 2), shape: [n], on: backend)
        let b = Tensor(a.toArray(), shape: [n], on: backend)
        let (m1, v1, m2, v2) = (Tensor(zeros: [n], on: backend), Tensor(zeros: [n], on: backend),
                                Tensor(zeros: [n], on: backend), Tensor(zeros: [n], on: backend))
        let step = AdamStep(learningRate: 1e-2, weightDecay: 0.05, step: 1)
        backend.adamUpdate(param: a.buffer, grad: grad.buffer, m: m1.buffer, v: v1.buffer, count: n, decaying: 20, step: step)
        backend.adamUpdate(param: b.buffer, grad: grad.buffer, m: m2.buffer, v: v2.buffer, count: n, step: step)
        XCTAssertEqual(Array(a.toArray()[..<20]), Array(b.toArray()[..<20]))
        XCTAssertTrue(zip(a.toArray()[20...], b.toArray()[20...]).allSatisfy { $0 != $1 }, "no decay past `decaying`")
    }

    func testOpenCLSubBuffersStartOnTheDeviceAlignmentAndWriteIntoTheWhole() throws {
        let backend = try TestDevice.backend()
        let align = backend.device.baseAddressAlignment / 4
        let views = backend.makeBufferViews(counts: [3, 0, 1000, 2])
        XCTAssertTrue(views.offsets.allSatisfy { $0 % align == 0 }, "\(views.offsets) on \(align) floats")
        [Float]([1, 2, 3]).withUnsafeBufferPointer { backend.upload($0, to: views.views[0]) }
        backend.fill(views.views[2], value: 5, count: 1000)
        [Float]([7, 8]).withUnsafeBufferPointer { backend.upload($0, to: views.views[3]) }
        var expected = [Float](repeating: 0, count: views.whole.count)
        expected[0...2] = [1, 2, 3]
        for i in 0..<1000 { expected[views.offsets[2] + i] = 5 }
        expected[views.offsets[3]...views.offsets[3] + 1] = [7, 8]
        XCTAssertEqual(backend.download(views.whole), expected)
        XCTAssertEqual(backend.download(views.views[3]), [7, 8])
        XCTAssertNil(backend.fault)
    }

    func testOneFlatAdamStepEqualsOneStepPerTensorOnOpenCL() throws {
        let results = FlatAdamCheck.check(on: try TestDevice.backend())
        for r in results { XCTAssertTrue(r.passed, r.line) }
    }

    /// After the first step (which makes the flat buffers), a step is one launch, without allocation
    /// or wait, whatever the number of tensors.
    func testAStepIsOneLaunchOnOpenCL() throws {
        let backend = try TestDevice.backend()
        let net = Sequential(specs: TrainingStepParity.residual.specs, inputShape: [1, 12, 12], backend: backend, seed: 5)
        let adam = Adam(weightDecay: 0.01)
        adam.update(net.parameters)
        let before = backend.counts
        adam.update(net.parameters)
        let step = backend.counts - before
        XCTAssertGreaterThan(net.parameters.count, 8)
        XCTAssertEqual(step.launches, 1, "\(step)")
        XCTAssertEqual(step.allocations, 0, "\(step)")
        XCTAssertEqual(step.blockingReads, 0, "\(step)")
    }
}
