import NeuralNet

/// Creates the OpenCL backend for `--device opencl[:N]`; with `auto`, falls back to the CPU.
func makeOpenCLBackend(_ option: DeviceOption) throws -> Backend {
    if option.kind == .auto { return CPUBackend() }
    throw CLIFailure("--device \(option): the OpenCL backend is not available in this build")
}
