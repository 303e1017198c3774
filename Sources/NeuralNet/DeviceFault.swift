/// A device that stopped working during a run: an OpenCL call failed after the backend was made
/// (device lost or reset, out of memory or resources).
///
/// Backend operations do not throw (they are the hot path of every step). A backend that fails
/// records its first fault, drops all later work, and answers downloads with zeros; callers ask
/// `checkHealthy()` at the boundaries where results leave the device (after a training step,
/// before writing a checkpoint, model or CSV), so nothing computed after the fault is kept.
public struct DeviceFault: Error, CustomStringConvertible, Equatable {
    /// The device's name (`Backend.name`).
    public let device: String
    /// What failed, e.g. `clEnqueueNDRangeKernel(conv2d_forward) failed with CL_DEVICE_NOT_AVAILABLE (-2)`.
    public let reason: String

    public init(device: String, reason: String) {
        self.device = device
        self.reason = reason
    }

    public var description: String { "device \(device) failed: \(reason)" }
}

extension Backend {
    /// Throws the backend's recorded `DeviceFault`, if any.
    public func checkHealthy() throws {
        if let fault { throw fault }
    }
}
