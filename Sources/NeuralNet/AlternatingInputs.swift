/// Two sets of device buffers that a trainer's batches take in turn, so that the copy of batch k + 1
/// runs on the backend's transfer queue while step k, which reads the other set, computes.
///
/// Each batch goes to the set the batch before last used. Its copies wait for the work queued before
/// the previous batch's upload (the step that last read that set, and everything before it; for the
/// first two batches, the sets' zero fills), never for the step in flight; the ops queued after
/// `upload` wait for the copies (`Backend.awaitUploads`). The host waits for nothing. On a backend with
/// one queue (the CPU backend) the copies are plain uploads.
public final class AlternatingInputs {
    public let backend: Backend
    /// The two sets, each a buffer of every size given.
    public let sets: [[DeviceBuffer]]
    /// The end of the work that last touched each set: at first its zero fill, then the step that read it
    /// (the mark made when the next batch was uploaded).
    private var released: [QueueMark?]
    /// The set the last batch went to.
    public private(set) var current: Int?

    /// Two sets of zero-filled buffers of `counts` floats.
    public init(counts: [Int], backend: Backend) {
        self.backend = backend
        sets = (0..<2).map { _ in counts.map { backend.makeBuffer(count: $0) } }
        // The fills are queued on the compute queue: a first copy that did not wait for them could be
        // wiped by one that runs late.
        let filled = backend.queueMark()
        released = [filled, filled]
    }

    /// How many floats each buffer of a set holds.
    public var counts: [Int] { sets[0].map(\.count) }

    /// Queues the copies of `arrays` (one per buffer, each at most as long as its buffer) into the next
    /// set and returns that set: every op queued from now on reads the new values.
    @discardableResult
    public func upload(_ arrays: [[Float]]) -> [DeviceBuffer] {
        precondition(arrays.count == sets[0].count, "\(arrays.count) arrays for sets of \(sets[0].count) buffers")
        let next = current.map { 1 - $0 } ?? 0
        // Everything queued so far ends with the reads of the set the last batch used.
        if let current { released[current] = backend.queueMark() }
        var copies: [QueueMark] = []
        for (values, buffer) in zip(arrays, sets[next]) {
            precondition(values.count <= buffer.count, "a copy of \(values.count) floats into \(buffer.count)")
            let mark = values.withUnsafeBufferPointer { backend.uploadAhead($0, to: buffer, after: released[next]) }
            if let mark { copies.append(mark) }
        }
        backend.awaitUploads(copies)
        current = next
        return sets[next]
    }
}
