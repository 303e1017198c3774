import ArgumentParser
import BackendChecks
import Foundation
import Letters
import NeuralNet
import NeuralNetOpenCL

/// `letternet selftest`: every op of the OpenCL backend against the CPU backend on the user's
/// device (the op-case table of `BackendChecks`), one training step across backends, then a short
/// timing of the benchmark network. Exit 0 when every check passes, 1 when one fails.
struct SelfTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check that an OpenCL device computes every op right (the first thing to run on a new GPU).",
        discussion: """
            Runs every op of the OpenCL backend, forward and backward, on awkward shapes, and compares each \
            with the CPU backend: one line \
            per case with its normalized squared error Σ(a−b)²/Σb² and the tolerance. Then one training step \
            of a small network on both backends, then a few seconds of the benchmark network (`bench`) on \
            the device and on the CPU. Reads no files and writes none. Exit status 0 when every check passes, \
            1 when one fails (the failing ops are named at the end), 2 when there is no usable OpenCL device.

            Example:
              letternet selftest
              letternet selftest --device opencl:1 --skip-timing
            """)

    @Option(help: "The OpenCL device: opencl (the first, as --device auto would choose) or opencl:N.")
    var device: DeviceOption = DeviceOption(argument: "opencl")!
    @Flag(help: "Skip the timing of the benchmark network.") var skipTiming = false

    func validate() throws {
        if device.kind == .cpu {
            throw ValidationError("selftest checks an OpenCL device against the CPU: pass --device opencl or opencl:N")
        }
    }

    func run() throws {
        let backend = try reportingErrors(openDevice)
        let name = backend.name, cpu = CPUBackend()
        print("selftest of \(name) against the CPU backend")
        print("op cases (normalized squared error Σ(a−b)²/Σb², tolerance):")
        var results = OpParity.check(OpCases.all, on: backend, against: cpu) { print($0.line) }
        for network in TrainingStepParity.networks {
            print("one training step (\(network.description)):")
            for r in TrainingStepParity.check(network, on: backend, against: cpu) {
                print(r.line)
                results.append(r)
            }
        }
        let failed = results.filter { !$0.passed }
        if !skipTiming {
            if failed.isEmpty { time(backend, cpu) } else { print("timing: skipped, checks failed") }
        }
        guard failed.isEmpty else {
            var ops = [String]()
            for r in failed where !ops.contains(r.op) { ops.append(r.op) }
            print("selftest FAILED: \(failed.count) of \(results.count) checks on \(name):")
            for op in ops {
                let cases = results.filter { $0.op == op }, bad = failed.filter { $0.op == op }
                print("  \(op): \(bad.count) of \(cases.count) cases, e.g. \(bad[0].name)")
            }
            note("error: selftest failed on \(name): " + ops.joined(separator: ", "))
            throw ExitCode(1)
        }
        print("selftest passed: \(results.count) of \(results.count) checks on \(name)")
    }

    /// The device's backend; a clear error without a device.
    func openDevice() throws -> OpenCLBackend {
        let index: Int
        switch device.kind {
        case let .opencl(n): index = n
        case .auto, .cpu: index = 0
        }
        let devices: [OpenCLDevice]
        do { devices = try OpenCLDevice.list() } catch {
            throw CLIFailure("selftest needs an OpenCL device: \(error)")
        }
        guard !devices.isEmpty else {
            throw CLIFailure("selftest needs an OpenCL device and none was found (is an OpenCL driver, an ICD such "
                             + "as the GPU vendor's or PoCL, installed?)")
        }
        guard devices.indices.contains(index) else {
            throw CLIFailure("--device opencl:\(index): no such device (\(devices.count) found; run `letternet devices`)")
        }
        do { return try OpenCLBackend(device: devices[index]) } catch {
            throw CLIFailure("--device opencl:\(index): \(error)")
        }
    }

    /// A few seconds of the benchmark network on the device and on the CPU.
    func time(_ backend: Backend, _ cpu: CPUBackend) {
        print("timing the benchmark network (`letternet bench`; a short run, use bench for figures):")
        for b in [backend, cpu] {
            let r = Benchmark.run(backend: b, steps: 5, warmup: 1, inferBatches: 1)
            let fault = b.fault.map { " (device fault: \($0))" } ?? ""
            print(String(format: "  %@: training %.0f images/s, inference %.0f images/s%@", r.device,
                         r.trainImagesPerSecond, r.inferImagesPerSecond, fault))
        }
    }
}
