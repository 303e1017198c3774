import Foundation
import NeuralNet

/// Picks the convolutions' GEMM tile for a device, as `GEMMAutotuner` does the dense layers': on first
/// use, every tile of `GEMMTile.convolutionCandidates` that the device fits runs `conv2dForward` on a
/// representative layer (`problem(computeUnits:)`); a candidate whose output differs from `CPUBackend`'s
/// by more than the convolution op tolerance (normalized squared error) is refused, and the fastest of
/// the others wins. The winner is kept per device name and driver version in `convolution-tile.json` of
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

    /// The timed layer: a 3×3 convolution of 32 to 64 channels on 14×42 maps (the reader's middle
    /// layers on a 168-px strip), on a batch that gives the largest candidate at least two work-groups
    /// per compute unit.
    public static func problem(computeUnits: Int) -> Conv2dGeometry {
        let maps = 14 * 42, columns = 2 * 128 * max(computeUnits, 1)
        return Conv2dGeometry(batch: max(4, (columns + maps - 1) / maps), inChannels: 32, inHeight: 14, inWidth: 42,
                              outChannels: 64, kernelSize: 3, stride: 1, padding: 1)
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

    /// Runs every candidate that `device` fits on the timed layer; `corrupt` may alter a candidate's
    /// result before it is checked (tests plant a wrong one with it).
    public static func tune(on device: OpenCLDevice, candidates: [GEMMTile] = GEMMTile.convolutionCandidates,
                            corrupt: (GEMMTile, inout [Float]) -> Void = { _, _ in }) -> [GEMMAutotuner.Trial] {
        let g = problem(computeUnits: device.computeUnits)
        var rng = SeededGenerator(seed: 31)
        let x = (0..<g.inputCount).map { _ in Float.random(in: -1..<1, using: &rng) }
        let w = (0..<g.outChannels * g.patchSize).map { _ in Float.random(in: -0.1..<0.1, using: &rng) }
        let b = (0..<g.outChannels).map { _ in Float.random(in: -1..<1, using: &rng) }
        let expected = forward(g, on: CPUBackend(), x, w, b, repeats: 0).y
        return GEMMAutotuner.trials(candidates, on: device, expected: expected, corrupt: corrupt) { tile in
            try OpenCLBackend(device: device, denseTiles: .standard, convolutionTile: tile)
        } run: { forward(g, on: $0, x, w, b, repeats: 3) }
    }

    /// The layer's output on `backend` and the best time of `repeats` runs after a first one.
    static func forward(_ g: Conv2dGeometry, on backend: Backend, _ x: [Float], _ w: [Float], _ b: [Float],
                        repeats: Int) -> (y: [Float], seconds: Double) {
        let bx = backend.makeBuffer(count: x.count), bw = backend.makeBuffer(count: w.count)
        let bb = backend.makeBuffer(count: b.count), by = backend.makeBuffer(count: g.outputCount)
        x.withUnsafeBufferPointer { backend.upload($0, to: bx) }
        w.withUnsafeBufferPointer { backend.upload($0, to: bw) }
        b.withUnsafeBufferPointer { backend.upload($0, to: bb) }
        let best = GEMMAutotuner.bestTime(repeats: repeats) {
            backend.conv2dForward(x: bx, weight: bw, bias: bb, y: by, geometry: g)
            backend.synchronize()
        }
        return (backend.download(by), best)
    }
}
