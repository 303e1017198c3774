import NeuralNet
import NeuralNetOpenCL

/// The OpenCL backends that together cover every kernel a device can run: one per kernel family
/// (`OpenCLBackend.KernelPath`), the device's default family first.
public enum OpenCLKernelFamilies {
    public static func backends(on device: OpenCLDevice) throws -> [(name: String, backend: Backend)] {
        let preferred = OpenCLBackend.KernelPath.preferred(for: device)
        let other: OpenCLBackend.KernelPath = preferred == .tiled ? .cpu : .tiled
        return try [preferred, other].map { path in
            ("\(path.rawValue) kernels", try OpenCLBackend(device: device, kernelPath: path))
        }
    }
}
