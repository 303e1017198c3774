import NeuralNet

/// Dense layers: each product is one GEMM launch over the output matrix, tiled in local memory
/// (dense.cl) with the backend's tile for the output's `GEMMSizeClass`; the bias gradient is
/// `columnSums` of the output gradient.
extension OpenCLBackend {
    /// Queues dense kernel `kernel` over an `rows`×`columns` output, on the tile of its size class.
    private func launchGEMM(_ kernel: OpenCLKernel, rows: Int, columns: Int, _ args: [Arg]) {
        let sizeClass = GEMMSizeClass(rows: rows, columns: columns, computeUnits: device.computeUnits)
        let tile = denseTiles[sizeClass]
        launch(kernel, global: tile.global(rows: rows, columns: columns), local: tile.local, sizeClass: sizeClass, args)
    }

    public func linearForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                              batch: Int, inFeatures: Int, outFeatures: Int) {
        linearForward(x: x, weight: weight, bias: bias, y: y, batch: batch, inFeatures: inFeatures,
                      outFeatures: outFeatures, relu: false)
    }

    /// The bias and ReLU applied as the GEMM stores its output: one launch instead of two.
    public func linearForwardReLU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                                  batch: Int, inFeatures: Int, outFeatures: Int) {
        linearForward(x: x, weight: weight, bias: bias, y: y, batch: batch, inFeatures: inFeatures,
                      outFeatures: outFeatures, relu: true)
    }

    func linearForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                       batch: Int, inFeatures: Int, outFeatures: Int, relu: Bool) {
        guard batch > 0, outFeatures > 0 else { return }
        launchGEMM(.linearForward, rows: batch, columns: outFeatures,
                   [.buffer(x), .buffer(weight), .buffer(bias), .buffer(y),
                    .int(batch), .int(inFeatures), .int(outFeatures), .int(relu ? 1 : 0)])
    }

    public func linearBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    batch: Int, inFeatures: Int, outFeatures: Int) {
        guard batch > 0, inFeatures > 0 else { return }
        launchGEMM(.linearBackwardInput, rows: batch, columns: inFeatures,
                   [.buffer(dy), .buffer(weight), .buffer(dx), .int(batch), .int(inFeatures), .int(outFeatures)])
    }

    public func linearBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     batch: Int, inFeatures: Int, outFeatures: Int) {
        guard outFeatures > 0 else { return }
        if inFeatures > 0 {
            launchGEMM(.linearBackwardWeight, rows: outFeatures, columns: inFeatures,
                       [.buffer(x), .buffer(dy), .buffer(dWeight), .int(batch), .int(inFeatures), .int(outFeatures)])
        }
        columnSums(dy, into: dBias, rows: batch, columns: outFeatures)
    }
}
