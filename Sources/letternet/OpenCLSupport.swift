import NeuralNet
import NeuralNetOpenCL

/// Creates the OpenCL backend for `--device opencl[:N]`; with `auto`, falls back to the CPU with a
/// warning when no OpenCL device can be used.
func makeOpenCLBackend(_ option: DeviceOption) throws -> Backend {
    switch option.kind {
    case .cpu:
        return CPUBackend()
    case let .opencl(n):
        do { return try OpenCLBackend(deviceIndex: n) } catch {
            throw CLIFailure("--device \(option): \(error) (run `letternet devices` to list devices)")
        }
    case .auto:
        do { return try OpenCLBackend(deviceIndex: 0) } catch {
            note("warning: no usable OpenCL device (\(error)); computing on the CPU")
            return CPUBackend()
        }
    }
}
