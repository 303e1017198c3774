import ArgumentParser
import Foundation
import Letters

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time training and inference of the fixed benchmark network.",
        discussion: """
        Trains conv3×3(1→32) ReLU, conv3×3(32→32) ReLU, maxpool 2, conv3×3(32→64) ReLU, conv3×3(64→64) ReLU, \
        maxpool 2, linear(3136→256) ReLU, linear(256→26) with Adam on random data (batch 128) after a warm-up, \
        then times inference at batch 1000. Reads no files and writes none: it prints images/s (--json: one \
        JSON object). Build with -c release. Scripts/bench.sh runs it beside PyTorch.

        Example:
          swift run -c release letternet bench --device cpu --json
        """)

    @OptionGroup var device: DeviceChoice
    @Option(parsing: .unconditional, help: "Timed training steps.") var steps = 30
    @Flag(help: "Print one JSON object.") var json = false

    /// Every numeric option and the values it accepts.
    var optionRanges: [OptionRange] { [.int("--steps", steps, 1...100_000)] }

    func validate() throws { try optionRanges.check() }

    func run() throws {
        try reportingErrors {
            let r = try device.run { backend, _ in
                let r = Benchmark.run(backend: backend, steps: steps)
                try backend.checkHealthy()
                return r
            }
            if json {
                let object: [String: Any] = ["device": r.device, "train_images_per_s": r.trainImagesPerSecond,
                                             "infer_images_per_s": r.inferImagesPerSecond, "train_steps": r.trainSteps]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            } else {
                print(String(format: "%@: training %.0f images/s, inference %.0f images/s (%d steps, final loss %.3f)",
                             r.device, r.trainImagesPerSecond, r.inferImagesPerSecond, r.trainSteps, r.finalLoss))
            }
        }
    }
}
