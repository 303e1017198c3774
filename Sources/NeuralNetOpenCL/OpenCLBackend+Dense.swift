import NeuralNet

/// Dense layers: each product is one GEMM launch over the output matrix, tiled in local memory
/// (dense.cl); the bias gradient is `columnSums` of the output gradient.
extension OpenCLBackend {
    /// The GEMM grid for an `m`×`n` output: one work-group per TSM×TSN tile.
    func gemmGlobal(rows m: Int, columns n: Int, depth: Int = 1) -> [Int] {
        let t = tiles, local = t.gemmLocal
        let g = [(n + t.tsn - 1) / t.tsn * local[0], (m + t.tsm - 1) / t.tsm * local[1]]
        return depth > 1 ? g + [depth] : g
    }

    func gemmLocal(depth: Int = 1) -> [Int] { depth > 1 ? tiles.gemmLocal + [1] : tiles.gemmLocal }

    public func linearForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                              batch: Int, inFeatures: Int, outFeatures: Int) {
        guard batch > 0, outFeatures > 0 else { return }
        launch(.linearForward, global: gemmGlobal(rows: batch, columns: outFeatures), local: gemmLocal(),
               [.buffer(x), .buffer(weight), .buffer(bias), .buffer(y),
                .int(batch), .int(inFeatures), .int(outFeatures)])
    }

    public func linearBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    batch: Int, inFeatures: Int, outFeatures: Int) {
        guard batch > 0, inFeatures > 0 else { return }
        launch(.linearBackwardInput, global: gemmGlobal(rows: batch, columns: inFeatures), local: gemmLocal(),
               [.buffer(dy), .buffer(weight), .buffer(dx), .int(batch), .int(inFeatures), .int(outFeatures)])
    }

    public func linearBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     batch: Int, inFeatures: Int, outFeatures: Int) {
        guard outFeatures > 0 else { return }
        if inFeatures > 0 {
            launch(.linearBackwardWeight, global: gemmGlobal(rows: outFeatures, columns: inFeatures),
                   local: gemmLocal(),
                   [.buffer(x), .buffer(dy), .buffer(dWeight), .int(batch), .int(inFeatures), .int(outFeatures)])
        }
        columnSums(dy, into: dBias, rows: batch, columns: outFeatures)
    }
}
