import ArgumentParser
import NeuralNet

/// `--device cpu | opencl | opencl:N | auto`.
struct DeviceOption: ExpressibleByArgument, CustomStringConvertible {
    enum Kind: Equatable { case cpu, opencl(Int), auto }
    let kind: Kind

    init?(argument: String) {
        switch argument.lowercased() {
        case "cpu": kind = .cpu
        case "opencl": kind = .opencl(0)
        case "auto": kind = .auto
        default:
            guard argument.lowercased().hasPrefix("opencl:"), let n = Int(argument.dropFirst(7)), n >= 0 else { return nil }
            kind = .opencl(n)
        }
    }

    static var allValueStrings: [String] { ["cpu", "opencl", "opencl:N", "auto"] }

    var description: String {
        switch kind {
        case .cpu: return "cpu"
        case let .opencl(n): return "opencl:\(n)"
        case .auto: return "auto"
        }
    }

    /// The backend this option names.
    func makeBackend() throws -> Backend {
        switch kind {
        case .cpu: return CPUBackend()
        case .opencl, .auto: return try makeOpenCLBackend(self)
        }
    }

    /// Runs `body` on the backend this option names. When the device fails during the run
    /// (`DeviceFault`): with `auto`, warns and runs `body` again on the CPU (its second argument
    /// then says so); otherwise stops with the fault and `advice` (what was kept, how to go on).
    func run<T>(advice: @autoclosure () -> String
                    = "nothing was written after the failure; run again with --device cpu or --device auto",
                _ body: (_ backend: Backend, _ fallback: Bool) throws -> T) throws -> T {
        let backend = try makeBackend()
        do {
            return try body(backend, false)
        } catch let fault as DeviceFault {
            guard kind == .auto else { throw CLIFailure("\(fault)\n\(advice())") }
            note("warning: \(fault); continuing on the CPU")
            return try body(CPUBackend(), true)
        }
    }
}
