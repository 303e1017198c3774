import CBLAS
import Foundation

/// Host memory for `CPUBackend`: a 64-byte aligned, zero-filled allocation.
public final class CPUBuffer: DeviceBuffer {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>
    /// The buffer this one is a view of (kept alive by the view), nil when it owns its memory.
    let parent: CPUBuffer?

    init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        parent = nil
    }

    /// `count` floats of `parent` from `offset` on.
    init(viewOf parent: CPUBuffer, offset: Int, count: Int) {
        precondition(offset >= 0 && offset + count <= parent.count, "view \(offset)+\(count) of \(parent.count)")
        self.count = count
        self.pointer = parent.pointer + offset
        self.parent = parent
    }

    deinit { if parent == nil { UnsafeMutableRawPointer(pointer).deallocate() } }
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

    /// Images per chunk of `parallelChunks`: at most `widest` (what keeps one GEMM's operands near the
    /// caches), and few enough that each worker claims about `perWorker` chunks, so that the claims
    /// can even out a worker that falls behind.
    static func chunkSize(batch: Int, widest: Int, threads: Int, perWorker: Int = chunksPerWorker) -> Int {
        let parts = max(1, threads * perWorker)
        return max(1, min(widest, (batch + parts - 1) / parts))
    }

    /// Reading 1,000 strips of 5×168 on a 2-core EPYC without AVX-512 (2026-12-07, medians of 4
    /// paired runs): 3 chunks a worker took 0.90× the wall time of 1, where the two halves of a
    /// batch, equal work, finished up to 15% apart on this shared machine.
    static let chunksPerWorker = 3

    /// Runs `body` over `0..<count` in chunks of `chunk` items that the workers claim in turn, so a
    /// worker that falls behind (another process on its core, a slower cache) takes fewer of them.
    /// `body(worker, range)` may run several times per worker, each time with a whole chunk (the last
    /// may be shorter), so it must not assume one range per worker.
    func parallelChunks(_ count: Int, chunk: Int, _ body: (Int, Range<Int>) -> Void) {
        let chunk = max(1, chunk), chunks = (count + chunk - 1) / chunk
        let workers = min(threads, chunks)
        func range(_ c: Int) -> Range<Int> { c * chunk..<min(count, (c + 1) * chunk) }
        if workers <= 1 { for c in 0..<chunks { body(0, range(c)) }; return }
        let claims = ChunkCounter()
        pool.run(parts: workers) { w in
            while let c = claims.next(below: chunks) { body(w, range(c)) }
        }
    }

    // MARK: Memory

    public func makeBuffer(count: Int) -> DeviceBuffer { CPUBuffer(count: count) }

    /// Views start on 64-byte lines, as every buffer of this backend does.
    public func makeBufferViews(counts: [Int]) -> BufferViews {
        let (offsets, total) = BufferViews.layout(counts: counts, alignment: 16)
        let whole = CPUBuffer(count: total)
        return BufferViews(whole: whole, offsets: offsets, views: zip(offsets, counts).map {
            CPUBuffer(viewOf: whole, offset: $0, count: $1)
        })
    }

    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer) {
        precondition(values.count <= buffer.count, "upload of \(values.count) floats into \(buffer.count)")
        guard let base = values.baseAddress else { return }
        ptr(buffer).update(from: base, count: values.count)
    }

    public func download(_ buffer: DeviceBuffer) -> [Float] {
        Array(UnsafeBufferPointer(start: ptr(buffer), count: buffer.count))
    }

    public func synchronize() {}
}

/// The next unclaimed chunk of `CPUBackend.parallelChunks` (a lock: a few claims per call).
private final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = 0

    func next(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard claimed < limit else { return nil }
        claimed += 1
        return claimed - 1
    }
}
