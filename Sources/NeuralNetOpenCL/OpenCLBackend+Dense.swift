import NeuralNet

/// Dense layers: each product is one GEMM launch over the output matrix, tiled in local memory
/// (gemm.cl) or register-blocked for CPU devices (gemm_cpu.cl, `KernelPath.cpu`; the forward pass
/// first transposes the weight into a scratch buffer so that both operands are read along rows).
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
        if kernelPath == .cpu {
            let wT = scratch("linear.wT", count: inFeatures * outFeatures)
            if inFeatures > 0 {
                launch(.linearForwardTranspose, global: [(inFeatures + 15) / 16, (outFeatures + 15) / 16], local: [8, 1],
                       [.buffer(weight), .buffer(wT), .int(inFeatures), .int(outFeatures)])
            }
            launchCPUGemm(.linearForwardCPU, rows: batch, columns: outFeatures,
                          [.buffer(x), .buffer(wT), .buffer(bias), .buffer(y), .int(batch), .int(inFeatures),
                           .int(outFeatures)])
            return
        }
        launch(.linearForward, global: gemmGlobal(rows: batch, columns: outFeatures), local: gemmLocal(),
               [.buffer(x), .buffer(weight), .buffer(bias), .buffer(y),
                .int(batch), .int(inFeatures), .int(outFeatures)])
    }

    public func linearBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    batch: Int, inFeatures: Int, outFeatures: Int) {
        guard batch > 0, inFeatures > 0 else { return }
        if kernelPath == .cpu {
            launchCPUGemm(.linearBackwardInputCPU, rows: batch, columns: inFeatures,
                          [.buffer(dy), .buffer(weight), .buffer(dx), .int(batch), .int(inFeatures), .int(outFeatures)])
            return
        }
        launch(.linearBackwardInput, global: gemmGlobal(rows: batch, columns: inFeatures), local: gemmLocal(),
               [.buffer(dy), .buffer(weight), .buffer(dx), .int(batch), .int(inFeatures), .int(outFeatures)])
    }

    public func linearBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     batch: Int, inFeatures: Int, outFeatures: Int) {
        guard outFeatures > 0 else { return }
        if inFeatures > 0 && kernelPath == .cpu {
            launchCPUGemm(.linearBackwardWeightCPU, rows: outFeatures, columns: inFeatures,
                          [.buffer(x), .buffer(dy), .buffer(dWeight), .int(batch), .int(inFeatures), .int(outFeatures)])
        } else if inFeatures > 0 {
            launch(.linearBackwardWeight, global: gemmGlobal(rows: outFeatures, columns: inFeatures),
                   local: gemmLocal(),
                   [.buffer(x), .buffer(dy), .buffer(dWeight), .int(batch), .int(inFeatures), .int(outFeatures)])
        }
        columnSums(dy, into: dBias, rows: batch, columns: outFeatures)
    }
}
