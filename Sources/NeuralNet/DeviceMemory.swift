/// What a backend's device can hold, for sizing batches: its memory, its largest buffer, and the most
/// examples one pass is worth giving it. Nil on the CPU backend, whose limit is the process's
/// (``MemoryBudget``).
public struct DeviceMemory: Sendable, Equatable {
    /// Global memory in bytes.
    public var bytes: Double
    /// The largest single buffer in bytes.
    public var largestBuffer: Double
    /// The most examples a pass gains from: a processor (a CPU device, or memory shared with the host)
    /// is busy with a few dozen; a discrete GPU needs hundreds to fill its compute units.
    public var usefulBatch: Int

    public init(bytes: Double, largestBuffer: Double, usefulBatch: Int) {
        self.bytes = bytes; self.largestBuffer = largestBuffer; self.usefulBatch = usefulBatch
    }
}

extension Backend {
    /// Nil: the host's memory (the default for backends that compute on the host).
    public var deviceMemory: DeviceMemory? { nil }
}
