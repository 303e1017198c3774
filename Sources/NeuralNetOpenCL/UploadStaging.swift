import COpenCL
import NeuralNet

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

extension OpenCLBackend {
    /// Copies `values` into a staging block and queues its write into `buffer` on `queue`, after
    /// `waits`, without waiting; the block is freed once the write has finished. Returns the write's
    /// event (the staging's reference: retain it to keep it), or nil when the write was not queued
    /// (the failure of `call` is then the backend's fault).
    func queueWrite(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer, on queue: cl_command_queue,
                    after waits: [cl_event?] = [], call: String) -> cl_event? {
        staging.releaseFinished()
        let block = staging.copy(values)
        var event: cl_event?
        let status = waits.withUnsafeBufferPointer { w in
            clEnqueueWriteBuffer(queue, mem(buffer), cl_bool(CL_FALSE), 0, values.count * MemoryLayout<Float>.size,
                                 block, cl_uint(w.count), w.isEmpty ? nil : w.baseAddress, &event)
        }
        guard status == CL_SUCCESS, let event else {
            if status == CL_SUCCESS { clFinish(queue) }  // queued without an event: wait before freeing the copy
            block.deallocate()
            record(OpenCLError.call(call, status: status))
            return nil
        }
        staging.track(event, block)
        return event
    }
}
