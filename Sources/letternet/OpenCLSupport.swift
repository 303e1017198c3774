import Foundation
import NeuralNet
import NeuralNetOpenCL

/// `LETTERNET_AUTO_OPENCL=any` lets `--device auto` take an OpenCL device of type CPU (to test the
/// fallback to the CPU backend on a machine whose only OpenCL device is PoCL).
let autoOpenCLVariable = "LETTERNET_AUTO_OPENCL"

/// Creates the OpenCL backend for `--device opencl[:N]`. With `auto`: the best available OpenCL device
/// that is not a CPU (`DeviceRanking`: discrete GPUs, then integrated ones, then accelerators), named
/// on stderr; the CPU backend when the only available OpenCL devices are CPUs (it is faster there), and
/// with a warning when no OpenCL device can be used (none found, or a kernel file missing or failing
/// to build).
func makeOpenCLBackend(_ option: DeviceOption) throws -> Backend {
    switch option.kind {
    case .cpu:
        return CPUBackend()
    case let .opencl(n):
        do { return try OpenCLBackend(deviceIndex: n) } catch {
            throw CLIFailure("--device \(option): \(error)\(devicesHint(error))")
        }
    case .auto:
        do {
            let devices = try OpenCLDevice.list()
            let anyType = ProcessInfo.processInfo.environment[autoOpenCLVariable]?.lowercased() == "any"
            guard let device = DeviceRanking.ranked(devices).first(where: { (d: OpenCLDevice) in anyType || !d.isCPU }) else {
                if devices.isEmpty { throw OpenCLError.noSuchDevice("opencl:0", available: 0) }
                note("device auto: cpu (no available OpenCL device but CPUs, where the CPU backend is faster)")
                return CPUBackend()
            }
            let backend = try OpenCLBackend(device: device)
            note("device auto: \(backend.name), \(device.deviceClass)")
            return backend
        } catch {
            note("warning: no usable OpenCL device (\(error)); computing on the CPU")
            return CPUBackend()
        }
    }
}

/// A pointer to `letternet devices` for errors about finding a device (not for kernel files and
/// builds, nor where the message already says it).
private func devicesHint(_ error: Error) -> String {
    switch error as? OpenCLError {
    case .buildFailed?, .kernelFileNotFound?, .kernelNotFound?, .noSuchDevice?: return ""
    default: return " (run `letternet devices` to list devices)"
    }
}
