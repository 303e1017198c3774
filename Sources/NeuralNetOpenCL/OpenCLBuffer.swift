import COpenCL
import NeuralNet

/// A device buffer of `count` floats backed by a `cl_mem`, released when the buffer is freed.
/// Only the `OpenCLBackend` (context) that made it may use it.
public final class OpenCLBuffer: DeviceBuffer {
    public let count: Int
    /// The OpenCL memory object (at least `max(count, 1)` floats); nil for the stand-in made after
    /// the device failed (see `OpenCLBackend.fault`).
    public let mem: cl_mem?

    init(count: Int, mem: cl_mem?) {
        self.count = count
        self.mem = mem
    }

    deinit { if let mem { clReleaseMemObject(mem) } }
}
