import NeuralNet
import NeuralNetOpenCL

/// Creates the OpenCL backend for `--device opencl[:N]`; with `auto`, falls back to the CPU with a
/// warning when no OpenCL device can be used (none found, or a kernel file missing or failing to build).
func makeOpenCLBackend(_ option: DeviceOption) throws -> Backend {
    switch option.kind {
    case .cpu:
        return CPUBackend()
    case let .opencl(n):
        do { return try OpenCLBackend(deviceIndex: n) } catch {
            throw CLIFailure("--device \(option): \(error)\(devicesHint(error))")
        }
    case .auto:
        do { return try OpenCLBackend(deviceIndex: 0) } catch {
            note("warning: no usable OpenCL device (\(error)); computing on the CPU")
            return CPUBackend()
        }
    }
}

/// A pointer to `letternet devices` for errors about finding a device (not for kernel files and
/// builds, nor where the message already says it).
private func devicesHint(_ error: Error) -> String {
    switch error as? OpenCLError {
    case .buildFailed?, .kernelFileNotFound?, .noSuchDevice?: return ""
    default: return " (run `letternet devices` to list devices)"
    }
}
