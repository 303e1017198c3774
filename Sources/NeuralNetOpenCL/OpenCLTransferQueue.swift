import COpenCL
import Foundation
import NeuralNet

/// An OpenCL event that stands for a point in a backend's queued work (`Backend.queueMark`).
final class OpenCLMark: QueueMark {
    let event: cl_event
    /// Takes over one reference to `event`.
    init(_ event: cl_event) { self.event = event }
    deinit { clReleaseEvent(event) }
}

/// Copies on a second in-order queue, so that a device with copy engines moves the next batch while
/// the compute queue runs the step before (`AlternatingInputs`). The queues are ordered by events
/// only: a marker on the compute queue that a copy waits for, and a barrier on the compute queue that
/// waits for the copies. No call here makes the host wait.
extension OpenCLBackend {
    /// The environment variable that turns the transfer queue on or off on every device.
    public static let transferQueueVariable = "LETTERNET_TRANSFER_QUEUE"

    /// On for a device with its own memory; `LETTERNET_TRANSFER_QUEUE` (`on`/`off`, `1`/`0`) overrides.
    public static func copiesAheadByDefault(on device: OpenCLDevice,
                                            environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch environment[transferQueueVariable]?.lowercased() {
        case "on", "1", "true": return true
        case "off", "0", "false": return false
        default: return !device.isCPU && !device.unifiedMemory
        }
    }

    /// A marker on the compute queue after everything queued so far (nil without `copiesAhead`: the
    /// copies then go on the compute queue, in order).
    public func queueMark() -> QueueMark? {
        guard fault == nil, copiesAhead else { return nil }
        var event: cl_event?
        let status = clEnqueueMarkerWithWaitList(queue, 0, nil, &event)
        counts.queueMarks += 1
        guard status == CL_SUCCESS, let event else {
            record(OpenCLError.call("clEnqueueMarkerWithWaitList", status: status))
            return nil
        }
        clFlush(queue)  // a queue waiting on this event must not wait on work never submitted
        return OpenCLMark(event)
    }

    /// Queues the copy on the transfer queue after `after`'s work; where the device gives no second
    /// queue, on the compute queue (in order there, so the marks are not needed).
    public func uploadAhead(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer, after: QueueMark?) -> QueueMark? {
        precondition(values.count <= buffer.count, "upload of \(values.count) floats into \(buffer.count)")
        guard values.baseAddress != nil, values.count > 0, fault == nil else { return nil }
        guard copiesAhead, let transfer = transferQueueMade() else {
            upload(values, to: buffer)
            return nil
        }
        counts.transferWrites += 1
        let waits: [cl_event?] = (after as? OpenCLMark).map { [$0.event] } ?? []
        guard let event = queueWrite(values, to: buffer, on: transfer, after: waits,
                                     call: "clEnqueueWriteBuffer (transfer queue)") else { return nil }
        clFlush(transfer)
        clRetainEvent(event)  // the staging block keeps its reference; this one is the mark's
        return OpenCLMark(event)
    }

    /// A barrier on the compute queue that waits for the copies of `marks`.
    public func awaitUploads(_ marks: [QueueMark]) {
        var events: [cl_event?] = marks.compactMap { ($0 as? OpenCLMark)?.event }
        guard !events.isEmpty, fault == nil else { return }
        let status = clEnqueueBarrierWithWaitList(queue, cl_uint(events.count), &events, nil)
        counts.queueMarks += 1
        if status != CL_SUCCESS { record(OpenCLError.call("clEnqueueBarrierWithWaitList", status: status)) }
    }

    /// The transfer queue, made on first use with the compute queue's properties; nil where the device
    /// refuses a second queue (the copies then go on the compute queue).
    func transferQueueMade() -> cl_command_queue? {
        if let transferQueue { return transferQueue }
        guard !transferQueueRefused else { return nil }
        var status: cl_int = CL_SUCCESS
        let properties = cl_command_queue_properties(profiler == nil ? 0 : CL_QUEUE_PROFILING_ENABLE)
        guard let q = clCreateCommandQueue(context.context, device.id, properties, &status), status == CL_SUCCESS else {
            transferQueueRefused = true
            return nil
        }
        transferQueue = q
        return q
    }
}
