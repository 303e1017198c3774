import Foundation
import NeuralNet

/// Picks the convolutions' GEMM tile for a device, as `GEMMAutotuner` does the dense layers': on first
/// use, every tile of `GEMMTile.convolutionCandidates` that the device fits runs a training step's three
/// convolution GEMMs (forward, input gradient, weight gradient) on two representative layers
/// (`problems(computeUnits:)`); a candidate whose outputs differ from `CPUBackend`'s by more than the
/// convolution op tolerance (normalized squared error, each output weighing alike) is refused, and the
/// fastest of the others wins. The winner is kept per device name and driver version in `convolution-tile.json` of
/// the kernel cache folder (`TunedChoices`). With the cache off no tuning runs: the device's default
/// tile (`GEMMTile.convolution(onCPU:)`). `LETTERNET_CONVOLUTION_TILE=<tile>` picks one without tuning.
public enum ConvolutionAutotuner {
    public static let fileName = "convolution-tile.json"
    public static let environmentVariable = "LETTERNET_CONVOLUTION_TILE"
    public static let formatVersion = 1
    /// The largest normalized squared error accepted (the convolution op cases' tolerance).
    public static let tolerance: Float = 1e-8

    /// What the file holds for one device and driver: the winner and the trials.
    struct Record: Codable {
        var tile: GEMMTile
        var trials: [GEMMAutotuner.Trial]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var chosen: [String: GEMMTile] = [:]

    /// The timed layers: 3×3 convolutions of 32 to 64 channels on the classifier's 14×14 maps and on
    /// the reader's 14×42 (a 168-px strip), each on a batch that gives the largest candidate at least two
    /// work-groups per compute unit.
    public static func problems(computeUnits: Int) -> [Conv2dGeometry] {
        [(14, 14), (14, 42)].map { h, w in
            let columns = 2 * 128 * max(computeUnits, 1)
            return Conv2dGeometry(batch: max(4, (columns + h * w - 1) / (h * w)), inChannels: 32, inHeight: h, inWidth: w,
                                  outChannels: 64, kernelSize: 3, stride: 1, padding: 1)
        }
    }

    /// The tile for `device`: named by the environment, else cached, else tuned now (and cached).
    public static func tile(for device: OpenCLDevice,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GEMMTile {
        let candidates = GEMMTile.convolutionCandidates
        if let name = environment[environmentVariable], !name.isEmpty {
            guard let tile = GEMMTile.named(name, among: candidates) else {
                throw OpenCLError.invalidTile(name, variable: environmentVariable, candidates: candidates.map(\.description))
            }
            return tile
        }
        let fallback = GEMMTile.convolution(onCPU: device.isCPU)
        guard let folder = OpenCLBinaryCache.folder(environment: environment) else { return fallback }
        lock.lock(); defer { lock.unlock() }
        var file = TunedChoices<Record>(folder: folder, name: fileName, version: formatVersion)
        let memo = file.url.path + "\n" + TunedChoices<Record>.key(device)
        if let tile = chosen[memo] { return tile }
        if let record = file[device], candidates.contains(record.tile) {
            chosen[memo] = record.tile
            return record.tile
        }
        let trials = tune(on: device)
        // Nothing accepted: the default tile for this process, nothing kept, so a later run tunes again.
        guard let tile = GEMMAutotuner.choose(trials) else { return fallback }
        file.store(Record(tile: tile, trials: trials), for: device)
        chosen[memo] = tile
        return tile
    }

    /// Runs every candidate that `device` fits on the timed layers; `corrupt` may alter a candidate's
    /// result before it is checked (tests plant a wrong one with it).
    public static func tune(on device: OpenCLDevice, candidates: [GEMMTile] = GEMMTile.convolutionCandidates,
                            corrupt: (GEMMTile, inout [Float]) -> Void = { _, _ in }) -> [GEMMAutotuner.Trial] {
        var rng = SeededGenerator(seed: 31)
        let layers = problems(computeUnits: device.computeUnits).map { g in
            Layer(geometry: g, x: rng.uniform(g.inputCount, 1), w: rng.uniform(g.weightCount, 0.1),
                  b: rng.uniform(g.outChannels, 1), dy: rng.uniform(g.outputCount, 1))
        }
        let reference = step(layers, on: CPUBackend(), repeats: 0).outputs
        // Each output scaled to unit mean square, so that an error in a small one counts as much.
        let scales = reference.map { o in
            1 / max(sqrt(o.reduce(0) { $0 + $1 * $1 } / Float(max(o.count, 1))), .leastNormalMagnitude)
        }
        let scaled = { (outputs: [[Float]]) -> [Float] in zip(outputs, scales).flatMap { o, s in o.map { $0 * s } } }
        return GEMMAutotuner.trials(candidates, on: device, expected: scaled(reference), corrupt: corrupt) { tile in
            try OpenCLBackend(device: device, denseTiles: .standard, convolutionTile: tile)
        } run: { backend in
            let (outputs, seconds) = step(layers, on: backend, repeats: 3)
            return (scaled(outputs), seconds)
        }
    }

    /// A timed layer and its operands.
    struct Layer {
        var geometry: Conv2dGeometry
        var x: [Float], w: [Float], b: [Float], dy: [Float]
    }

    /// Forward, input gradient and weight gradient of every layer on `backend`: the outputs (y, dx, dW,
    /// dBias of each layer in turn), and the best time of `repeats` runs of all of them after a first one.
    static func step(_ layers: [Layer], on backend: Backend, repeats: Int) -> (outputs: [[Float]], seconds: Double) {
        func buffer(_ values: [Float]) -> DeviceBuffer {
            let b = backend.makeBuffer(count: values.count)
            values.withUnsafeBufferPointer { backend.upload($0, to: b) }
            return b
        }
        let operands = layers.map { l in
            (x: buffer(l.x), w: buffer(l.w), b: buffer(l.b), dy: buffer(l.dy),
             y: backend.makeBuffer(count: l.geometry.outputCount), dx: backend.makeBuffer(count: l.geometry.inputCount),
             dW: backend.makeBuffer(count: l.geometry.weightCount), dB: backend.makeBuffer(count: l.geometry.outChannels))
        }
        let best = GEMMAutotuner.bestTime(repeats: repeats) {
            for (l, o) in zip(layers, operands) {
                backend.conv2dForward(x: o.x, weight: o.w, bias: o.b, y: o.y, geometry: l.geometry)
                backend.conv2dBackwardInput(dy: o.dy, weight: o.w, dx: o.dx, geometry: l.geometry)
                backend.conv2dBackwardWeight(x: o.x, dy: o.dy, dWeight: o.dW, dBias: o.dB, geometry: l.geometry)
            }
            backend.synchronize()
        }
        return (operands.flatMap { o in [o.y, o.dx, o.dW, o.dB].map { backend.download($0) } }, best)
    }
}

private extension SeededGenerator {
    /// `count` values uniform in −`bound`…`bound`.
    mutating func uniform(_ count: Int, _ bound: Float) -> [Float] {
        (0..<count).map { _ in Float.random(in: -bound..<bound, using: &self) }
    }
}
