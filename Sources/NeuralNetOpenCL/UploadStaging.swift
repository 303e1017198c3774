import COpenCL

/// Host copies of uploads on their way to the device. `OpenCLBackend.upload` copies the caller's values
/// into a staging block and queues a write that does not wait, so the caller may change its array at
/// once and the host goes on building the next batch while the device works; a block is freed once
/// its write has finished (looked at before each upload, and after each wait).
final class UploadStaging {
    private var pending: [(event: cl_event, block: UnsafeMutableRawPointer)] = []

    /// A block holding a copy of `values`, for a write that does not wait; hand it to `track` with the
    /// write's event, or `deallocate` it when the write was not queued.
    func copy(_ values: UnsafeBufferPointer<Float>) -> UnsafeMutableRawPointer {
        let bytes = values.count * MemoryLayout<Float>.size
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        if let base = values.baseAddress { block.copyMemory(from: base, byteCount: bytes) }
        return block
    }

    /// Keeps `block` until the write of `event` has finished.
    func track(_ event: cl_event, _ block: UnsafeMutableRawPointer) { pending.append((event, block)) }

    /// Frees the blocks whose writes have finished or failed; every block when `all` (after `clFinish`).
    func releaseFinished(all: Bool = false) {
        pending.removeAll { p in
            if !all {
                var status: cl_int = CL_QUEUED
                let r = clGetEventInfo(p.event, cl_event_info(CL_EVENT_COMMAND_EXECUTION_STATUS),
                                       MemoryLayout<cl_int>.size, &status, nil)
                guard r == CL_SUCCESS, status == CL_COMPLETE || status < 0 else { return false }
            }
            clReleaseEvent(p.event)
            p.block.deallocate()
            return true
        }
    }

    /// Writes still on their way.
    var count: Int { pending.count }

    /// Only after the queue has finished (the backend's `deinit` calls `clFinish` first).
    deinit { releaseFinished(all: true) }
}
