import Foundation
import NeuralNet

/// Picks the dense layers' GEMM tiles for a device, one per `GEMMSizeClass`: on first use, every
/// `GEMMTile` candidate the device fits runs `linearForward` on a representative size of each class
/// (`problem(for:computeUnits:)`); a candidate whose result differs from `CPUBackend`'s by more than
/// the dense op tolerance (normalized squared error) is refused, and the fastest of the others wins
/// its class. The winners are kept per device name and driver version in `gemm-tile.json` of the
/// kernel cache folder (`LETTERNET_KERNEL_CACHE`; written atomically; a corrupt file, or one of
/// another `formatVersion`, is ignored and written again; when every candidate of a class is refused
/// nothing is kept). With the cache off no tuning runs: the standard tile.
/// `LETTERNET_GEMM_TILE=<tile>` (a candidate's name, e.g. `32x64x16/4x8`) picks a tile for both
/// classes without tuning.
public enum GEMMAutotuner {
    public static let fileName = "gemm-tile.json"
    public static let environmentVariable = "LETTERNET_GEMM_TILE"
    /// The version of `gemm-tile.json`'s layout (1, unmarked: one tile per device; 2: one per class;
    /// 3: tiles with their column layout, and the contiguous candidates).
    public static let formatVersion = 3
    /// The largest normalized squared error accepted (the dense op cases' tolerance).
    public static let tolerance: Float = 1e-8

    /// A timed product: a batch of `batch` through an `inFeatures` → `outFeatures` layer.
    public struct Problem: Equatable, Sendable {
        public var batch: Int, inFeatures: Int, outFeatures: Int

        public init(batch: Int, inFeatures: Int, outFeatures: Int) {
            self.batch = batch; self.inFeatures = inFeatures; self.outFeatures = outFeatures
        }
    }

    /// The timed size of each class: for `large` the classifier's first dense layer (1,568 → 128) on a
    /// batch of 256, or the smallest batch that makes it large on this many units; for `small` its
    /// last (128 → 26) on half that many rows of the reference tile per unit.
    public static func problem(for sizeClass: GEMMSizeClass, computeUnits: Int) -> Problem {
        let units = max(computeUnits, 1), rows = GEMMSizeClass.reference.rows
        switch sizeClass {
        case .large:
            return Problem(batch: max(256, rows * GEMMSizeClass.groupsPerUnit * units), inFeatures: 1568, outFeatures: 128)
        case .small: return Problem(batch: rows * units, inFeatures: 128, outFeatures: 26)
        }
    }

    /// One candidate's run: its best time of a few, its error against the CPU, or why it was refused.
    public struct Trial: Codable, Sendable {
        public var tile: GEMMTile
        public var seconds: Double
        public var error: Float
        public var problem: String?
        public var accepted: Bool { problem == nil && error <= GEMMAutotuner.tolerance }
    }

    /// What `gemm-tile.json` holds for one device and driver: the winners and each class's trials.
    struct Record: Codable {
        var tiles: GEMMTiles
        var small: [Trial], large: [Trial]
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var chosen: [String: GEMMTiles] = [:]

    /// The tiles for `device`: named by the environment, else cached, else tuned now (and cached).
    public static func tiles(for device: OpenCLDevice,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GEMMTiles {
        if let name = environment[environmentVariable], !name.isEmpty {
            guard let tile = GEMMTile.named(name) else {
                throw OpenCLError.invalidTile(name, variable: environmentVariable, candidates: GEMMTile.candidates.map(\.description))
            }
            return GEMMTiles(tile)
        }
        guard let folder = OpenCLBinaryCache.folder(environment: environment) else { return .standard }
        lock.lock(); defer { lock.unlock() }
        var file = TunedChoices<Record>(folder: folder, name: fileName, version: formatVersion)
        let memo = file.url.path + "\n" + TunedChoices<Record>.key(device)
        if let tiles = chosen[memo] { return tiles }
        if let record = file[device], GEMMTile.candidates.contains(record.tiles.small),
           GEMMTile.candidates.contains(record.tiles.large) {
            chosen[memo] = record.tiles
            return record.tiles
        }
        let small = tune(on: device, sizeClass: .small), large = tune(on: device, sizeClass: .large)
        // Nothing accepted in a class (kernels that do not build, a device that fails): the standard
        // tile for this process, nothing kept, so a later run tunes again.
        guard let smallTile = choose(small), let largeTile = choose(large) else {
            return GEMMTiles(small: choose(small) ?? .standard, large: choose(large) ?? .standard)
        }
        let tiles = GEMMTiles(small: smallTile, large: largeTile)
        file.store(Record(tiles: tiles, small: small, large: large), for: device)
        chosen[memo] = tiles
        return tiles
    }

    /// The fastest accepted trial's tile, or nil when every candidate was refused.
    public static func choose(_ trials: [Trial]) -> GEMMTile? {
        trials.filter(\.accepted).min { $0.seconds < $1.seconds }?.tile
    }

    /// Runs every candidate that `device` fits on the timed size of `sizeClass`; `corrupt` may alter a
    /// candidate's result before it is checked (tests plant a wrong one with it).
    public static func tune(on device: OpenCLDevice, sizeClass: GEMMSizeClass,
                            candidates: [GEMMTile] = GEMMTile.candidates,
                            corrupt: (GEMMTile, inout [Float]) -> Void = { _, _ in }) -> [Trial] {
        let p = problem(for: sizeClass, computeUnits: device.computeUnits)
        var rng = SeededGenerator(seed: 29)
        let x = (0..<p.batch * p.inFeatures).map { _ in Float.random(in: -1..<1, using: &rng) }
        let w = (0..<p.outFeatures * p.inFeatures).map { _ in Float.random(in: -0.05..<0.05, using: &rng) }
        let b = (0..<p.outFeatures).map { _ in Float.random(in: -1..<1, using: &rng) }
        let expected = forward(p, on: CPUBackend(), x, w, b, repeats: 1).y
        return trials(candidates, on: device, expected: expected, corrupt: corrupt) { tile in
            try OpenCLBackend(device: device, denseTiles: GEMMTiles(tile), convolutionTile: .convolution(onCPU: device.isCPU))
        } run: { forward(p, on: $0, x, w, b, repeats: sizeClass == .small ? 10 : 3) }
    }

    /// Each of `candidates` that `device` fits: a backend made with it (`make`), its result and best
    /// time (`run`), and the result's error against `expected`; a fault or a build error refuses it.
    static func trials(_ candidates: [GEMMTile], on device: OpenCLDevice, expected: [Float],
                       corrupt: (GEMMTile, inout [Float]) -> Void, make: (GEMMTile) throws -> OpenCLBackend,
                       run: (OpenCLBackend) -> (y: [Float], seconds: Double)) -> [Trial] {
        candidates.filter { $0.fits(maxWorkGroupSize: device.maxWorkGroupSize, localMemory: device.localMemory) }
            .map { tile in
                do {
                    let backend = try make(tile)
                    backend.injection = nil     // a fault planted for the run is not the candidate's
                    var (y, seconds) = run(backend)
                    if let fault = backend.fault { return Trial(tile: tile, seconds: .infinity, error: .infinity, problem: "\(fault)") }
                    corrupt(tile, &y)
                    return Trial(tile: tile, seconds: seconds, error: normalizedError(y, expected), problem: nil)
                } catch {
                    return Trial(tile: tile, seconds: .infinity, error: .infinity, problem: "\(error)")
                }
            }
    }

    /// The layer's output on `backend` and the best time of `repeats` runs after a first one.
    static func forward(_ p: Problem, on backend: Backend, _ x: [Float], _ w: [Float], _ b: [Float],
                        repeats: Int) -> (y: [Float], seconds: Double) {
        let bx = backend.makeBuffer(count: x.count), bw = backend.makeBuffer(count: w.count)
        let bb = backend.makeBuffer(count: b.count), by = backend.makeBuffer(count: p.batch * p.outFeatures)
        x.withUnsafeBufferPointer { backend.upload($0, to: bx) }
        w.withUnsafeBufferPointer { backend.upload($0, to: bw) }
        b.withUnsafeBufferPointer { backend.upload($0, to: bb) }
        let best = bestTime(repeats: repeats) {
            backend.linearForward(x: bx, weight: bw, bias: bb, y: by, batch: p.batch, inFeatures: p.inFeatures,
                                  outFeatures: p.outFeatures)
            backend.synchronize()
        }
        return (backend.download(by), best)
    }

    /// The best time in seconds of `repeats` runs of `run` after a first, untimed one (infinite for none).
    static func bestTime(repeats: Int, _ run: () -> Void) -> Double {
        run()
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            run()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    /// Σ(a−b)²/Σb² (infinite when a value is not finite).
    static func normalizedError(_ a: [Float], _ b: [Float]) -> Float {
        var num: Double = 0, den: Double = 0
        for (u, v) in zip(a, b) { num += Double(u - v) * Double(u - v); den += Double(v) * Double(v) }
        let e = Float(num / max(den, .leastNormalMagnitude))
        return e.isFinite ? e : .infinity
    }
}
