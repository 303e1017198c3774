import NeuralNet
import NeuralNetOpenCL
import XCTest

/// Element-wise ops, softmax, loss and optimizers: OpenCL against CPUBackend.
final class ElementwiseParityTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)
    /// Sizes around and off the work-group size (256).
    let counts = [1, 7, 255, 256, 257, 1000, 4099]

    func testFillAndCopy() throws {
        let cl = try TestDevice.backend()
        for (i, n) in counts.enumerated() {
            let partial = max(1, n - 3)
            let a = Pair(randomValues(n, seed: UInt64(i)), cpu: cpu, cl: cl)
            cpu.fill(a.cpu, value: 2.5, count: partial); cl.fill(a.cl, value: 2.5, count: partial)
            assertParity("fill", a.clValues, a.cpuValues, tolerance: 0, "n=\(n)")
            let b = Pair(randomValues(n, seed: UInt64(100 + i)), cpu: cpu, cl: cl)
            let c = Pair(randomValues(n, seed: UInt64(200 + i)), cpu: cpu, cl: cl)
            cpu.copy(b.cpu, to: c.cpu, count: partial); cl.copy(b.cl, to: c.cl, count: partial)
            assertParity("copy", c.clValues, c.cpuValues, tolerance: 0, "n=\(n)")
        }
    }

    func testReluAndMultiply() throws {
        let cl = try TestDevice.backend()
        for (i, n) in counts.enumerated() {
            let x = Pair(randomValues(n, seed: UInt64(i)), cpu: cpu, cl: cl)
            let y = Pair(randomValues(n, seed: 7), cpu: cpu, cl: cl)
            cpu.reluForward(x: x.cpu, y: y.cpu, count: n); cl.reluForward(x: x.cl, y: y.cl, count: n)
            assertParity("relu_forward", y.clValues, y.cpuValues, tolerance: 1e-10, "n=\(n)")
            let dy = Pair(randomValues(n, seed: UInt64(50 + i)), cpu: cpu, cl: cl)
            let dx = Pair(randomValues(n, seed: 8), cpu: cpu, cl: cl)
            cpu.reluBackward(y: y.cpu, dy: dy.cpu, dx: dx.cpu, count: n)
            cl.reluBackward(y: y.cl, dy: dy.cl, dx: dx.cl, count: n)
            assertParity("relu_backward", dx.clValues, dx.cpuValues, tolerance: 1e-10, "n=\(n)")
            cpu.multiply(x.cpu, dy.cpu, out: dx.cpu, count: n); cl.multiply(x.cl, dy.cl, out: dx.cl, count: n)
            assertParity("multiply", dx.clValues, dx.cpuValues, tolerance: 1e-10, "n=\(n)")
        }
    }

    func testDropoutMatchesSharedHash() throws {
        let cl = try TestDevice.backend()
        for (i, n) in counts.enumerated() {
            for (p, seed) in [(Float(0.25), UInt32(1)), (0.5, 0xDEAD_BEEF), (0, 77), (0.9, UInt32(i))] {
                let x = Pair(randomValues(n, seed: UInt64(i)), cpu: cpu, cl: cl)
                let m = Pair(randomValues(n, seed: 3), cpu: cpu, cl: cl)
                let y = Pair(randomValues(n, seed: 4), cpu: cpu, cl: cl)
                cpu.dropoutForward(x: x.cpu, mask: m.cpu, y: y.cpu, probability: p, seed: seed, count: n)
                cl.dropoutForward(x: x.cl, mask: m.cl, y: y.cl, probability: p, seed: seed, count: n)
                XCTAssertEqual(m.clValues, m.cpuValues, "dropout mask p=\(p) seed=\(seed) n=\(n)")
                assertParity("dropout_forward", y.clValues, y.cpuValues, tolerance: 0, "p=\(p) n=\(n)")
            }
        }
    }

    func testSoftmaxAndCrossEntropy() throws {
        let cl = try TestDevice.backend()
        for (batch, classes) in [(1, 1), (5, 26), (130, 10), (3, 1000), (257, 62)] {
            let z = Pair(randomValues(batch * classes, seed: UInt64(batch), in: -8..<8), cpu: cpu, cl: cl)
            let p = Pair(randomValues(batch * classes, seed: 2), cpu: cpu, cl: cl)
            cpu.softmax(logits: z.cpu, probabilities: p.cpu, batch: batch, classes: classes)
            cl.softmax(logits: z.cl, probabilities: p.cl, batch: batch, classes: classes)
            assertParity("softmax_forward", p.clValues, p.cpuValues, tolerance: 1e-10, "\(batch)x\(classes)")
            let labels = (0..<batch).map { Float(($0 * 7 + 3) % classes) }
            let t = Pair(labels, cpu: cpu, cl: cl)
            let l = Pair(randomValues(batch, seed: 5), cpu: cpu, cl: cl)
            cpu.softmaxCrossEntropy(logits: z.cpu, labels: t.cpu, losses: l.cpu, dLogits: p.cpu,
                                    batch: batch, classes: classes)
            cl.softmaxCrossEntropy(logits: z.cl, labels: t.cl, losses: l.cl, dLogits: p.cl,
                                   batch: batch, classes: classes)
            assertParity("softmax_cross_entropy (losses)", l.clValues, l.cpuValues, tolerance: 1e-10,
                         "\(batch)x\(classes)")
            assertParity("softmax_cross_entropy (dLogits)", p.clValues, p.cpuValues, tolerance: 1e-10,
                         "\(batch)x\(classes)")
        }
    }

    func testOptimizers() throws {
        let cl = try TestDevice.backend()
        for (i, n) in counts.enumerated() {
            let param = Pair(randomValues(n, seed: UInt64(i)), cpu: cpu, cl: cl)
            let m = Pair(zeros: n, cpu: cpu, cl: cl), v = Pair(zeros: n, cpu: cpu, cl: cl)
            for step in 1...3 {
                let g = Pair(randomValues(n, seed: UInt64(10 * step + i), in: -0.1..<0.1), cpu: cpu, cl: cl)
                let s = AdamStep(learningRate: 1e-2, weightDecay: step == 2 ? 0 : 0.05, step: step)
                cpu.adamUpdate(param: param.cpu, grad: g.cpu, m: m.cpu, v: v.cpu, count: n, step: s)
                cl.adamUpdate(param: param.cl, grad: g.cl, m: m.cl, v: v.cl, count: n, step: s)
            }
            assertParity("adam_update (param)", param.clValues, param.cpuValues, tolerance: 1e-10, "n=\(n)")
            assertParity("adam_update (m)", m.clValues, m.cpuValues, tolerance: 1e-10, "n=\(n)")
            assertParity("adam_update (v)", v.clValues, v.cpuValues, tolerance: 1e-10, "n=\(n)")

            let vel = Pair(zeros: n, cpu: cpu, cl: cl)
            for step in 1...3 {
                let g = Pair(randomValues(n, seed: UInt64(20 * step + i)), cpu: cpu, cl: cl)
                cpu.sgdUpdate(param: param.cpu, grad: g.cpu, velocity: vel.cpu, count: n,
                              learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3)
                cl.sgdUpdate(param: param.cl, grad: g.cl, velocity: vel.cl, count: n,
                             learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3)
            }
            assertParity("sgd_update (param)", param.clValues, param.cpuValues, tolerance: 1e-10, "n=\(n)")
            assertParity("sgd_update (velocity)", vel.clValues, vel.cpuValues, tolerance: 1e-10, "n=\(n)")
        }
    }
}
