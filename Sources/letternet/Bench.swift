import ArgumentParser
import Foundation
import Letters
import NeuralNet

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time training and inference of the fixed benchmark network.",
        discussion: """
        Trains conv3×3(1→32) ReLU, conv3×3(32→32) ReLU, maxpool 2, conv3×3(32→64) ReLU, conv3×3(64→64) ReLU, \
        maxpool 2, linear(3136→256) ReLU, linear(256→26) with Adam on random data (batch 128) after a warm-up, \
        then times inference at batch 1000. Reads no files and writes none: it prints images/s (--json: one \
        JSON object). Build with -c release. Scripts/bench.sh runs it beside PyTorch.

        --reader MODEL times a strip reader instead: its network and log-softmax over --strips random strips \
        (30 rows, --strip-width columns, one view), in strips/s. --convolutions times each convolution of the \
        benchmark network and of the strip reader on the CPU both ways, im2col + GEMM and Winograd, forward, \
        input gradient and weight gradient, says which one the CPU backend picks for each pass (W or D), which \
        forward kernel it runs and its time (LETTERNET_CONV=direct or winograd overrides the pick), then times \
        the strip reader's folded network layer by layer.

        Example:
          letternet bench --device cpu --json
        """)

    @OptionGroup var device: DeviceChoice
    @Option(parsing: .unconditional, help: "Timed training steps.") var steps = 30
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Time this strip reader (.lnet) instead of the benchmark network.") var reader: String?
    @Option(parsing: .unconditional, help: "Strips the reader reads (with --reader).") var strips = 2000
    @Option(parsing: .unconditional, help: "Strip width in pixels (with --reader).") var stripWidth = 168
    @Flag(help: "Time every convolution of the benchmark network and the strip reader both ways (CPU).")
    var convolutions = false

    /// Every numeric option and the values it accepts.
    var optionRanges: [OptionRange] {
        [.int("--steps", steps, 1...100_000), .int("--strips", strips, 1...1_000_000),
         .int("--strip-width", stripWidth, 1...4096)]
    }

    func validate() throws { try optionRanges.check() }

    func run() throws {
        try reportingErrors {
            if convolutions { return printConvolutionTimings() }
            if let reader { return try benchReader(URL(fileURLWithPath: reader)) }
            let r = try device.run { backend, _ in
                let r = Benchmark.run(backend: backend, steps: steps)
                try backend.checkHealthy()
                return r
            }
            if json {
                let macs = Benchmark.multiplyAdds(Benchmark.layers, inputShape: Architecture.inputShape)
                try printJSON(["device": r.device, "train_images_per_s": r.trainImagesPerSecond,
                               "infer_images_per_s": r.inferImagesPerSecond, "train_steps": r.trainSteps,
                               "multiply_adds_per_image": macs])
            } else {
                print(String(format: "%@: training %.0f images/s, inference %.0f images/s (%d steps, final loss %.3f)",
                             r.device, r.trainImagesPerSecond, r.inferImagesPerSecond, r.trainSteps, r.finalLoss))
            }
        }
    }

    func printJSON(_ object: [String: Any]) throws {
        print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    }

    func benchReader(_ url: URL) throws {
        let checkpoint = try Checkpoint.read(from: url)
        let (name, rate, layers) = try device.run { backend, _ in
            let reader = try StripReader(checkpoint: checkpoint, backend: backend, source: url.path)
            let rate = try Benchmark.readStrips(reader, count: strips, width: stripWidth)
            try backend.checkHealthy()
            return (backend.name, rate, checkpoint.layers)
        }
        let macs = Benchmark.multiplyAdds(layers, inputShape: StripReader.geometry.inputShape(width: stripWidth))
        if json {
            try printJSON(["device": name, "reader_strips_per_s": rate, "strips": strips, "strip_width": stripWidth,
                           "multiply_adds_per_strip": macs])
        } else {
            print(String(format: "%@: %@ reads %.0f strips/s (%d strips of %d×%d, one view)", name, url.path, rate,
                         strips, StripGeometry.standard.height, stripWidth))
        }
    }

    /// Per convolution and pass (forward, input gradient, weight gradient): milliseconds im2col + GEMM
    /// against Winograd (where it applies), their ratio and the pick; the forward kernel the CPU backend
    /// runs and its time; then the strip reader layer by layer.
    func printConvolutionTimings() {
        let cpu = CPUBackend()
        let shapes = Benchmark.convolutions(Benchmark.layers, inputShape: Architecture.inputShape, batch: 128)
            + Benchmark.convolutions(StripReader.Variant.context.layers, inputShape: StripReader.geometry.inputShape(width: stripWidth), batch: 64)
        let pick = ConvolutionAlgorithm.environment
        print("convolution (N C HxW O k p)       ms: direct winograd ratio pick, for forward | input grad | weight grad"
              + " | forward kernel, ms")
        for g in shapes {
            let d = cpu.timeConvolution(g, algorithm: .direct)
            let winograd = ConvolutionAlgorithm.winogradApplies(g)
            let w = winograd ? cpu.timeConvolution(g, algorithm: .winograd) : d
            let kernel = pick.forwardKernel(g)
            let picked: Double = switch kernel {
            case .im2col: d.forward
            case .winograd: w.forward
            case .oneRow, .oneChannel, .rowWinograd: cpu.timeConvolution(g, algorithm: pick).forward
            }
            let text = String(format: "N%-4d C%-4d %3dx%-4d O%-4d k%d p%d", g.batch, g.inChannels, g.inHeight, g.inWidth,
                              g.outChannels, g.kernelSize, g.padding)
            let columns = ConvolutionPass.allCases.map { pass in
                winograd
                    ? String(format: "%8.2f %8.2f %5.2f %@", d[pass] * 1e3, w[pass] * 1e3, d[pass] / w[pass],
                             (pick.usesWinograd(g, pass: pass) ? "W" : "D") as NSString)
                    : String(format: "%8.2f        -     - D", d[pass] * 1e3)
            }
            print(text.padding(toLength: 34, withPad: " ", startingAt: 0) + columns.joined(separator: " |")
                + " | " + kernel.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: "%8.2f", picked * 1e3))
        }
        print("\nstrip reader (context, folded, batch 64, \(stripWidth) px), forward ms per layer:")
        let rows = Benchmark.readerLayerTimes(.context, backend: cpu, width: stripWidth)
        for row in rows { print(row.layer.padding(toLength: 54, withPad: " ", startingAt: 0) + String(format: "%8.2f", row.milliseconds)) }
        print(String(repeating: " ", count: 48) + String(format: "total %8.2f", rows.map(\.milliseconds).reduce(0, +)))
    }
}
