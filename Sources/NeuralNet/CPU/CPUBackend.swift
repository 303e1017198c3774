import CBLAS
import Foundation

/// Host memory for `CPUBackend`: a 64-byte aligned, zero-filled allocation.
public final class CPUBuffer: DeviceBuffer {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}

/// The reference backend: plain Swift loops plus `GEMM.sgemm` (own AVX-512 kernel or OpenBLAS) for convolutions and dense layers.
/// Work is split across `threads` workers; the GEMM itself runs single-threaded inside each worker.
public final class CPUBackend: Backend {
    public let name = "cpu"
    /// Host memory does not fail the way a device does: always nil.
    public var fault: DeviceFault? { nil }
    /// Number of worker threads (defaults to the active processor count).
    public let threads: Int
    /// How convolutions are computed (`LETTERNET_CONV` unless set).
    public var convolutionAlgorithm: ConvolutionAlgorithm = .environment
    /// Per-worker scratch space (im2col columns, partial weight gradients, Winograd tiles), grown on demand.
    var scratch: [CPUBuffer] = []

    /// Helper threads for `parallelFor` (the caller is worker 0).
    let pool: WorkerPool

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.threads = max(1, threads)
        pool = WorkerPool(helpers: self.threads - 1)
        openblas_set_num_threads(1)
    }

    deinit { pool.stop() }

    @inline(__always) func ptr(_ b: DeviceBuffer) -> UnsafeMutablePointer<Float> {
        guard let cpu = b as? CPUBuffer else {
            preconditionFailure("CPUBackend was given a buffer of another backend (\(type(of: b)))")
        }
        return cpu.pointer
    }

    /// Scratch buffer `slot` holding at least `count` floats (contents undefined).
    func scratchBuffer(_ slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
        while scratch.count <= slot { scratch.append(CPUBuffer(count: 0)) }
        if scratch[slot].count < count { scratch[slot] = CPUBuffer(count: count) }
        return scratch[slot].pointer
    }

    /// Runs `body` over `0..<count` split into at most `threads` contiguous ranges, in parallel.
    func parallelFor(_ count: Int, minimumChunk: Int = 1, _ body: (Int, Range<Int>) -> Void) {
        let workers = min(threads, max(1, count / max(1, minimumChunk)))
        if workers <= 1 { if count > 0 { body(0, 0..<count) }; return }
        pool.run(parts: workers) { w in
            let lo = count * w / workers, hi = count * (w + 1) / workers
            if lo < hi { body(w, lo..<hi) }
        }
    }

    // MARK: Memory

    public func makeBuffer(count: Int) -> DeviceBuffer { CPUBuffer(count: count) }

    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer) {
        precondition(values.count <= buffer.count, "upload of \(values.count) floats into \(buffer.count)")
        guard let base = values.baseAddress else { return }
        ptr(buffer).update(from: base, count: values.count)
    }

    public func download(_ buffer: DeviceBuffer) -> [Float] {
        Array(UnsafeBufferPointer(start: ptr(buffer), count: buffer.count))
    }

    public func synchronize() {}

    // MARK: Elementwise

    public func fill(_ x: DeviceBuffer, value: Float, count: Int) {
        ptr(x).update(repeating: value, count: count)
    }

    public func copy(_ src: DeviceBuffer, to dst: DeviceBuffer, count: Int) {
        ptr(dst).update(from: ptr(src), count: count)
    }

    public func reluForward(x: DeviceBuffer, y: DeviceBuffer, count: Int) {
        let x = ptr(x), y = ptr(y)
        parallelFor(count, minimumChunk: 1 << 16) { _, r in
            reluForwardRange(x, y, r)
        }
    }

    public func reluBackward(y: DeviceBuffer, dy: DeviceBuffer, dx: DeviceBuffer, count: Int) {
        let y = ptr(y), dy = ptr(dy), dx = ptr(dx)
        parallelFor(count, minimumChunk: 1 << 16) { _, r in
            reluBackwardRange(y, dy, dx, r)
        }
    }

    public func dropoutForward(x: DeviceBuffer, mask: DeviceBuffer, y: DeviceBuffer,
                               probability: Float, seed: UInt32, count: Int) {
        let x = ptr(x), m = ptr(mask), y = ptr(y)
        let scale = probability < 1 ? 1 / (1 - probability) : 0
        for i in 0..<count {
            m[i] = dropoutKeeps(seed: seed, index: UInt32(truncatingIfNeeded: i), probability: probability) ? scale : 0
            y[i] = x[i] * m[i]
        }
    }

    public func multiply(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int) {
        let a = ptr(a), b = ptr(b), o = ptr(out)
        for i in 0..<count { o[i] = a[i] * b[i] }
    }

    public func add(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int) {
        let a = ptr(a), b = ptr(b), o = ptr(out)
        for i in 0..<count { o[i] = a[i] + b[i] }
    }

    // MARK: Softmax and loss

    public func softmax(logits: DeviceBuffer, probabilities: DeviceBuffer, batch: Int, classes: Int) {
        let z = ptr(logits), p = ptr(probabilities)
        for b in 0..<batch {
            let row = z + b * classes, out = p + b * classes
            var m = -Float.infinity
            for c in 0..<classes { m = max(m, row[c]) }
            var s: Float = 0
            for c in 0..<classes { out[c] = expf(row[c] - m); s += out[c] }
            for c in 0..<classes { out[c] /= s }
        }
    }

    public func softmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                    dLogits: DeviceBuffer, batch: Int, classes: Int, smoothing: Float) {
        let z = ptr(logits), t = ptr(labels), l = ptr(losses), d = ptr(dLogits)
        for b in 0..<batch {
            let label = Int(t[b])
            precondition(label >= 0 && label < classes, "label \(t[b]) outside 0..<\(classes)")
            l[b] = Self.crossEntropyColumn(z + b * classes, d + b * classes, stride: 1, classes: classes,
                                           label: label, scale: 1 / Float(batch), smoothing: smoothing)
        }
    }

    /// The loss of one score column `z[c·stride]` (`c < classes`) against `label`, logsumexp(z) − z[label],
    /// with its gradient `g[c·stride] = (softmax(z) − onehot(label)) · scale`: the plain cross-entropy
    /// (a row per sample) and the masked one (a column per sample and position) both. With `smoothing` ε > 0
    /// the target is (1 − ε)·onehot + ε/C: the loss logsumexp(z) − (1 − ε)·z[label] − (ε/C)·Σz and the
    /// gradient (softmax(z) − target) · scale; ε = 0 takes none of those steps (the plain loss, bit for bit).
    static func crossEntropyColumn(_ z: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, stride: Int,
                                   classes: Int, label: Int, scale: Float, smoothing: Float = 0) -> Float {
        var m = -Float.infinity
        for c in 0..<classes { m = max(m, z[c * stride]) }
        var s: Float = 0
        for c in 0..<classes { g[c * stride] = expf(z[c * stride] - m); s += g[c * stride] }
        for c in 0..<classes { g[c * stride] = g[c * stride] / s * scale }
        guard smoothing > 0 else {
            g[label * stride] -= scale
            return (logf(s) + m) - z[label * stride]
        }
        let uniform = smoothing / Float(classes)
        var sum: Float = 0
        for c in 0..<classes { sum += z[c * stride]; g[c * stride] -= uniform * scale }
        g[label * stride] -= (1 - smoothing) * scale
        return (logf(s) + m) - (1 - smoothing) * z[label * stride] - uniform * sum
    }

    // MARK: Optimizers

    public func adamUpdate(param: DeviceBuffer, grad: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer,
                           count: Int, step: AdamStep) {
        let p = ptr(param), g = ptr(grad), m = ptr(m), v = ptr(v)
        let b1 = step.beta1, b2 = step.beta2
        let c1 = 1 - powf(b1, Float(step.step)), c2 = 1 - powf(b2, Float(step.step))
        let lr = step.learningRate, eps = step.epsilon, decay = 1 - step.learningRate * step.weightDecay
        parallelFor(count, minimumChunk: 1 << 15) { _, r in
            adamRange(p, g, m, v, r, b1: b1, b2: b2, c1: c1, c2: c2, lr: lr, eps: eps, decay: decay)
        }
    }

    public func sgdUpdate(param: DeviceBuffer, grad: DeviceBuffer, velocity: DeviceBuffer, count: Int,
                          learningRate: Float, momentum: Float, weightDecay: Float) {
        let p = ptr(param), g = ptr(grad), vel = ptr(velocity)
        for i in 0..<count {
            let gi = g[i] + weightDecay * p[i]
            vel[i] = momentum * vel[i] + gi
            p[i] -= learningRate * vel[i]
        }
    }
}
