/// What an `OpenCLBackend` has asked of the device since it was made, by kind: kernel launches, the
/// calls that make the host wait for the device (blocking reads, `clFinish`), writes (uploads, which
/// never wait: see `UploadStaging`), and buffer allocations. Always counted (a few integer adds per command), so a test can
/// show that a training step neither waits for the device nor allocates, and how many kernels it launches.
public struct OpenCLCounts: Equatable, Sendable, CustomStringConvertible {
    public var launches = 0
    public var blockingReads = 0
    public var queuedWrites = 0
    /// Writes queued on the transfer queue (`uploadAhead`), which never wait either.
    public var transferWrites = 0
    /// Markers and barriers that order the two queues (`queueMark`, `awaitUploads`): no host waits.
    public var queueMarks = 0
    public var finishes = 0
    public var allocations = 0

    public init() {}

    /// The counts of `self` since `earlier`.
    public static func - (a: OpenCLCounts, b: OpenCLCounts) -> OpenCLCounts {
        var d = OpenCLCounts()
        d.launches = a.launches - b.launches
        d.blockingReads = a.blockingReads - b.blockingReads
        d.queuedWrites = a.queuedWrites - b.queuedWrites
        d.transferWrites = a.transferWrites - b.transferWrites
        d.queueMarks = a.queueMarks - b.queueMarks
        d.finishes = a.finishes - b.finishes
        d.allocations = a.allocations - b.allocations
        return d
    }

    /// Host waits of any kind: blocking reads and `clFinish`.
    public var waits: Int { blockingReads + finishes }

    public var description: String {
        "\(launches) launches, \(blockingReads) blocking reads, "
            + "\(queuedWrites) queued writes, \(transferWrites) transfer writes, \(queueMarks) queue marks, "
            + "\(finishes) finishes, \(allocations) allocations"
    }
}
