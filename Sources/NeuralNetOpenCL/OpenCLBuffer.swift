import COpenCL
import NeuralNet

/// A device buffer of `count` floats backed by a `cl_mem`, released when the buffer is freed.
/// Only the `OpenCLBackend` (context) that made it may use it.
public final class OpenCLBuffer: DeviceBuffer {
    public let count: Int
    /// The OpenCL memory object (at least `max(count, 1)` floats); nil for the stand-in made after
    /// the device failed (see `OpenCLBackend.fault`).
    public let mem: cl_mem?
    /// The buffer this one is a sub-buffer of (kept alive by it), nil for a buffer of its own.
    let parent: OpenCLBuffer?

    init(count: Int, mem: cl_mem?, parent: OpenCLBuffer? = nil) {
        self.count = count
        self.mem = mem
        self.parent = parent
    }

    deinit { if let mem { clReleaseMemObject(mem) } }
}

extension OpenCLBackend {
    /// One buffer and a sub-buffer (`clCreateSubBuffer`) for each view, each starting on the device's
    /// `baseAddressAlignment`. After a fault, or when a sub-buffer cannot be made, stand-ins without
    /// device memory are returned and the failure is the backend's `fault`, as for `makeBuffer`.
    public func makeBufferViews(counts: [Int]) -> BufferViews {
        let alignment = max(device.baseAddressAlignment / MemoryLayout<Float>.size, 1)
        let (offsets, total) = BufferViews.layout(counts: counts, alignment: alignment)
        let whole = allocate(count: total)
        let views = zip(offsets, counts).map { offset, count -> OpenCLBuffer in
            guard fault == nil, let parent = whole.mem else { return OpenCLBuffer(count: count, mem: nil) }
            var region = cl_buffer_region(origin: offset * MemoryLayout<Float>.size,
                                          size: max(count, 1) * MemoryLayout<Float>.size)
            var status: cl_int = CL_SUCCESS
            let sub = clCreateSubBuffer(parent, cl_mem_flags(CL_MEM_READ_WRITE),
                                        cl_buffer_create_type(CL_BUFFER_CREATE_TYPE_REGION), &region, &status)
            guard status == CL_SUCCESS, let sub else {
                record(.call("clCreateSubBuffer(\(offset) + \(count) floats)", status: status))
                return OpenCLBuffer(count: count, mem: nil)
            }
            return OpenCLBuffer(count: count, mem: sub, parent: whole)
        }
        return BufferViews(whole: whole, offsets: offsets, views: views)
    }
}
