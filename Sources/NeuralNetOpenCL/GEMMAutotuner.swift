import Foundation
import NeuralNet

/// Picks the dense layers' GEMM tile for a device: on first use, every `GEMMTile` candidate the device
/// fits runs `linearForward` on a representative size; a candidate whose result differs from
/// `CPUBackend`'s by more than the dense op tolerance (normalized squared error) is refused, and the
/// fastest of the others wins. The winner is kept per device name and driver version in
/// `gemm-tile.json` of the kernel cache folder (`LETTERNET_KERNEL_CACHE`; written atomically, a
/// corrupt file is ignored and written again; when every candidate is refused nothing is kept). With
/// the cache off no tuning runs: the standard tile.
/// `LETTERNET_GEMM_TILE=<tile>` (a candidate's name, e.g. `32x64x16/4x8`) picks a tile without tuning.
public enum GEMMAutotuner {
    public static let fileName = "gemm-tile.json"
    public static let environmentVariable = "LETTERNET_GEMM_TILE"
    /// The timed problem: a batch of 256 through a 1,568 → 128 layer (the classifier's first dense layer).
    public static let batch = 256, inFeatures = 1568, outFeatures = 128
    /// The largest normalized squared error accepted (the dense op cases' tolerance).
    public static let tolerance: Float = 1e-8

    /// One candidate's run: its best time of a few, its error against the CPU, or why it was refused.
    public struct Trial: Codable, Sendable {
        public var tile: GEMMTile
        public var seconds: Double
        public var error: Float
        public var problem: String?
        public var accepted: Bool { problem == nil && error <= GEMMAutotuner.tolerance }
    }

    /// What `gemm-tile.json` holds for one device and driver.
    struct Record: Codable {
        var tile: GEMMTile
        var trials: [Trial]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var chosen: [String: GEMMTile] = [:]

    /// The key of a device in the file: its name and driver version.
    static func key(_ device: OpenCLDevice) -> String { "\(device.name) | driver \(device.driverVersion)" }

    /// The tile for `device`: named by the environment, else cached, else tuned now (and cached).
    public static func tile(for device: OpenCLDevice,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GEMMTile {
        if let name = environment[environmentVariable], !name.isEmpty {
            guard let tile = GEMMTile.named(name) else {
                throw OpenCLError.invalidTile(name, candidates: GEMMTile.candidates.map(\.description))
            }
            return tile
        }
        guard let folder = OpenCLBinaryCache.folder(environment: environment) else { return .standard }
        lock.lock(); defer { lock.unlock() }
        let url = folder.appendingPathComponent(fileName), key = key(device), memo = url.path + "\n" + key
        if let tile = chosen[memo] { return tile }
        var records = (try? JSONDecoder().decode([String: Record].self, from: Data(contentsOf: url))) ?? [:]
        if let record = records[key], GEMMTile.candidates.contains(record.tile) {
            chosen[memo] = record.tile
            return record.tile
        }
        let trials = tune(on: device)
        // Nothing accepted (kernels that do not build, a device that fails): the standard tile for
        // this process, nothing kept, so a later run tunes again.
        guard let tile = choose(trials) else { return .standard }
        records[key] = Record(tile: tile, trials: trials)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(records) {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? data.write(to: url, options: .atomic)
        }
        chosen[memo] = tile
        return tile
    }

    /// The fastest accepted trial's tile, or nil when every candidate was refused.
    public static func choose(_ trials: [Trial]) -> GEMMTile? {
        trials.filter(\.accepted).min { $0.seconds < $1.seconds }?.tile
    }

    /// Runs every candidate that `device` fits; `corrupt` may alter a candidate's result before it is
    /// checked (tests plant a wrong one with it).
    public static func tune(on device: OpenCLDevice, candidates: [GEMMTile] = GEMMTile.candidates,
                            corrupt: (GEMMTile, inout [Float]) -> Void = { _, _ in }) -> [Trial] {
        var rng = SeededGenerator(seed: 29)
        let x = (0..<batch * inFeatures).map { _ in Float.random(in: -1..<1, using: &rng) }
        let w = (0..<outFeatures * inFeatures).map { _ in Float.random(in: -0.05..<0.05, using: &rng) }
        let b = (0..<outFeatures).map { _ in Float.random(in: -1..<1, using: &rng) }
        let expected = forward(on: CPUBackend(), x, w, b, repeats: 1).y
        return candidates.filter { $0.fits(maxWorkGroupSize: device.maxWorkGroupSize, localMemory: device.localMemory) }
            .map { tile in
                do {
                    let backend = try OpenCLBackend(device: device, denseTile: tile)
                    backend.injection = nil     // a fault planted for the run is not the candidate's
                    var (y, seconds) = forward(on: backend, x, w, b, repeats: 3)
                    if let fault = backend.fault { return Trial(tile: tile, seconds: .infinity, error: .infinity, problem: "\(fault)") }
                    corrupt(tile, &y)
                    return Trial(tile: tile, seconds: seconds, error: normalizedError(y, expected), problem: nil)
                } catch {
                    return Trial(tile: tile, seconds: .infinity, error: .infinity, problem: "\(error)")
                }
            }
    }

    /// The layer's output on `backend` and the best time of `repeats` runs after a first one.
    static func forward(on backend: Backend, _ x: [Float], _ w: [Float], _ b: [Float],
                        repeats: Int) -> (y: [Float], seconds: Double) {
        let bx = backend.makeBuffer(count: x.count), bw = backend.makeBuffer(count: w.count)
        let bb = backend.makeBuffer(count: b.count), by = backend.makeBuffer(count: batch * outFeatures)
        x.withUnsafeBufferPointer { backend.upload($0, to: bx) }
        w.withUnsafeBufferPointer { backend.upload($0, to: bw) }
        b.withUnsafeBufferPointer { backend.upload($0, to: bb) }
        let run = {
            backend.linearForward(x: bx, weight: bw, bias: bb, y: by, batch: batch, inFeatures: inFeatures,
                                  outFeatures: outFeatures)
            backend.synchronize()
        }
        run()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            run()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (backend.download(by), best)
    }

    /// Σ(a−b)²/Σb² (infinite when a value is not finite).
    static func normalizedError(_ a: [Float], _ b: [Float]) -> Float {
        var num: Double = 0, den: Double = 0
        for (u, v) in zip(a, b) { num += Double(u - v) * Double(u - v); den += Double(v) * Double(v) }
        let e = Float(num / max(den, .leastNormalMagnitude))
        return e.isFinite ? e : .infinity
    }
}
