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
            1 when one fails (the failing ops are named at the end), 2 when there is no usable OpenCL device. \
            --device takes opencl or auto (both the first device that `letternet devices` lists, of any type, \
            PoCL's CPU device included) or opencl:N; cpu is refused.

            Example:
              letternet selftest
              letternet selftest --device opencl:1 --skip-timing
              letternet selftest --json > selftest.json
            """)

    @Option(help: "The OpenCL device to check: opencl (or auto: the first device `letternet devices` lists, whatever its type) or opencl:N; not cpu.")
    var device: DeviceOption = DeviceOption(argument: "opencl")!
    @Flag(help: "Skip the timing of the benchmark network.") var skipTiming = false
    @Flag(help: "Print one JSON object (every check, the failed ops, the timing) instead of the lines.") var json = false

    func validate() throws {
        if device.kind == .cpu {
            throw ValidationError("selftest checks an OpenCL device against the CPU: pass --device opencl or opencl:N")
        }
    }

    /// The cases of `family` on a backend made with each of `tiles` that the device fits.
    func otherTiles(_ tiles: [GEMMTile], family: String, of backend: OpenCLBackend, say: (String) -> Void,
                    make: (GEMMTile) throws -> OpenCLBackend) throws -> [OpCheckResult] {
        var results: [OpCheckResult] = []
        for tile in tiles where tile.fits(maxWorkGroupSize: backend.device.maxWorkGroupSize,
                                          localMemory: backend.device.localMemory) {
            let other = try reportingErrors { try make(tile) }
            results += OpParity.check(OpCases.cases(of: family), on: other, variant: "tile \(tile)",
                                      against: CPUBackend()) { say($0.line) }
        }
        return results
    }

    func run() throws {
        let backend = try reportingErrors(openDevice)
        let name = backend.name, cpu = CPUBackend()
        let say: (String) -> Void = { if !json { print($0) } }
        say("selftest of \(name) against the CPU backend")
        say("op cases (normalized squared error Σ(a−b)²/Σb², tolerance):")
        var results = OpParity.check(OpCases.all, on: backend, against: cpu) { say($0.line) }
        say("the dense cases on every GEMM tile alone (this device's are \(backend.denseTiles)):")
        results += try otherTiles(GEMMTile.candidates.filter { GEMMTiles($0) != backend.denseTiles }, family: "dense",
                                  of: backend, say: say) { try OpenCLBackend(device: backend.device, denseTile: $0) }
        say("the convolution cases on every convolution tile alone (this device's is \(backend.convolutionTile)):")
        results += try otherTiles(GEMMTile.convolutionCandidates.filter { $0 != backend.convolutionTile },
                                  family: "convolution", of: backend, say: say) {
            try OpenCLBackend(device: backend.device, denseTiles: backend.denseTiles, convolutionTile: $0)
        }
        for network in TrainingStepParity.networks {
            say("one training step (\(network.description)):")
            for r in TrainingStepParity.check(network, on: backend, against: cpu) {
                say(r.line)
                results.append(r)
            }
        }
        say("Adam over one flat buffer against one update per tensor (values and moments differing):")
        for r in FlatAdamCheck.check(on: backend) {
            say(r.line)
            results.append(r)
        }
        say("batches copied ahead on the transfer queue into two sets in turn (sum elements differing):")
        let copiesAhead = backend.copiesAhead
        backend.copiesAhead = true  // the transfer queue, whether this device uses it by default or not
        let alternating = AlternatingInputsCheck.check(on: backend)
        backend.copiesAhead = copiesAhead
        say(alternating.line)
        results.append(alternating)
        let failed = results.filter { !$0.passed }
        var timings: [Benchmark.Result] = []
        if !skipTiming {
            if failed.isEmpty { timings = time(backend, cpu, say: say) } else { say("timing: skipped, checks failed") }
        }
        var ops = [String]()
        for r in failed where !ops.contains(r.op) { ops.append(r.op) }
        if json { try printJSON(device: name, results: results, failedOps: ops, timings: timings) }
        guard failed.isEmpty else {
            say("selftest FAILED: \(failed.count) of \(results.count) checks on \(name):")
            for op in ops {
                let cases = results.filter { $0.op == op }, bad = failed.filter { $0.op == op }
                say("  \(op): \(bad.count) of \(cases.count) cases, e.g. \(bad[0].name)")
            }
            note("error: selftest failed on \(name): " + ops.joined(separator: ", "))
            throw ExitCode(1)
        }
        say("selftest passed: \(results.count) of \(results.count) checks on \(name)")
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
    func time(_ backend: Backend, _ cpu: CPUBackend, say: (String) -> Void) -> [Benchmark.Result] {
        say("timing the benchmark network (`letternet bench`; a short run, use bench for figures):")
        return [backend, cpu].map { b in
            let r = Benchmark.run(backend: b, steps: 5, warmup: 1, inferBatches: 1)
            let fault = b.fault.map { " (device fault: \($0))" } ?? ""
            say(String(format: "  %@: training %.0f images/s, inference %.0f images/s%@", r.device,
                       r.trainImagesPerSecond, r.inferImagesPerSecond, fault))
            return r
        }
    }

    /// `--json`: {"device", "passed", "checks": [{op, shape, variant, measure, error, tolerance, passed, problem}],
    /// "failed_ops", "timing": [{device, train_images_per_second, inference_images_per_second}]}.
    func printJSON(device: String, results: [OpCheckResult], failedOps: [String], timings: [Benchmark.Result]) throws {
        try JSONOutput.print([
            "device": device, "passed": failedOps.isEmpty, "failed_ops": failedOps,
            "checks": results.map { r -> [String: Any] in
                ["op": r.op, "shape": r.shape, "variant": r.variant, "measure": r.measure, "error": JSONOutput.number(r.error),
                 "tolerance": r.tolerance, "passed": r.passed, "problem": r.problem ?? NSNull()]
            },
            "timing": timings.map { ["device": $0.device, "train_images_per_second": $0.trainImagesPerSecond,
                                     "inference_images_per_second": $0.inferImagesPerSecond] },
        ])
    }
}
