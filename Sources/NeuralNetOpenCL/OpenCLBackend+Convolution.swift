import NeuralNet

/// Convolution (convolution.cl) as implicit-im2col GEMMs tiled in local memory; see the kernel file
/// for the three products. Nothing is accumulated across calls: every output is overwritten.
extension OpenCLBackend {
    /// Below this many input channels, `conv2dBackwardInput` uses the direct kernel (the GEMM's
    /// rows would be mostly padding).
    static let directBackwardInputChannels = 8
    /// Largest reduction chunk of one work-group in `conv2dBackwardWeight` (split-K), which bounds
    /// the length of each float accumulation and spreads small weight tensors over the device.
    static let maxWeightChunk = 4096

    func convArgs(_ g: Conv2dGeometry) -> [Arg] {
        [.int(g.batch), .int(g.inChannels), .int(g.inHeight), .int(g.inWidth), .int(g.outChannels),
         .int(g.kernelSize), .int(g.stride), .int(g.padding), .int(g.outHeight), .int(g.outWidth)]
    }

    public func conv2dForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                              geometry g: Conv2dGeometry) {
        conv2dForward(x: x, weight: weight, bias: bias, y: y, geometry: g, relu: false)
    }

    /// The bias and ReLU applied as the GEMM stores its output: one launch instead of two.
    public func conv2dForwardReLU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                                  geometry g: Conv2dGeometry) {
        conv2dForward(x: x, weight: weight, bias: bias, y: y, geometry: g, relu: true)
    }

    func conv2dForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                       geometry g: Conv2dGeometry, relu: Bool) {
        let columns = g.batch * g.outHeight * g.outWidth
        guard columns > 0, g.outChannels > 0 else { return }
        launch(.conv2dForward, global: convolutionTile.global(rows: g.outChannels, columns: columns), local: convolutionTile.local,
               [.buffer(x), .buffer(weight), .buffer(bias), .buffer(y)] + convArgs(g) + [.int(relu ? 1 : 0)])
    }

    public func conv2dBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    geometry g: Conv2dGeometry) {
        let columns = g.batch * g.inHeight * g.inWidth
        guard columns > 0, g.inChannels > 0 else { return }
        if g.inChannels < Self.directBackwardInputChannels || g.outChannels == 0 {
            launch1D(.conv2dBackwardInputDirect, count: g.inputCount,
                     [.buffer(dy), .buffer(weight), .buffer(dx)] + convArgs(g))
            return
        }
        let kk = g.kernelSize * g.kernelSize
        let wt = scratch("conv2d.wt", count: g.weightCount)
        launch1D(.conv2dBackwardInputPrepare, count: g.weightCount,
                 [.buffer(weight), .buffer(wt), .int(g.inChannels), .int(g.outChannels), .int(kk)])
        launch(.conv2dBackwardInput, global: convolutionTile.global(rows: g.inChannels, columns: columns), local: convolutionTile.local,
               [.buffer(dy), .buffer(wt), .buffer(dx)] + convArgs(g))
    }

    /// How `conv2dBackwardWeight` splits its reduction over `batch·OH·OW` positions on this device.
    func weightSplits(_ g: Conv2dGeometry) -> (splits: Int, chunk: Int) {
        Self.weightSplits(g, tile: convolutionTile, computeUnits: device.computeUnits)
    }

    /// Work-group depths of the reduction a chunk holds at least: a chunk shorter than this many depths
    /// (256 positions for depth 16) costs more in the partial sums and their `column_sums` than it
    /// brings in parallel work.
    static let minWeightChunkDepths = 16

    /// Split-K for `conv2dBackwardWeight`, from the problem and the device: enough chunks that the
    /// output tiles × chunks give every compute unit 8 work-groups, each chunk of at least
    /// `minWeightChunkDepths` depths (so a large device does not cut a small reduction into hundreds of
    /// partial sums) and at most `maxWeightChunk` positions, a whole number of depths.
    static func weightSplits(_ g: Conv2dGeometry, tile t: GEMMTile, computeUnits: Int) -> (splits: Int, chunk: Int) {
        let total = g.batch * g.outHeight * g.outWidth
        let tileCount = ((g.outChannels + t.rows - 1) / t.rows) * ((g.patchSize + t.columns - 1) / t.columns)
        let wanted = max(1, (8 * max(computeUnits, 1) + tileCount - 1) / tileCount)
        var chunk = (total + wanted - 1) / wanted
        chunk = max(chunk, minWeightChunkDepths * t.depth)
        chunk = min(chunk, Self.maxWeightChunk)
        chunk = max(t.depth, (chunk + t.depth - 1) / t.depth * t.depth)
        return ((total + chunk - 1) / chunk, chunk)
    }

    public func conv2dBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     geometry g: Conv2dGeometry) {
        guard g.outChannels > 0 else { return }
        let total = g.batch * g.outHeight * g.outWidth
        if g.patchSize > 0 {
            if total == 0 {
                fill(dWeight, value: 0, count: g.weightCount)
            } else {
                let (splits, chunk) = weightSplits(g)
                let target: DeviceBuffer = splits == 1 ? dWeight : scratch("conv2d.partial", count: splits * g.weightCount)
                launch(.conv2dBackwardWeight, global: convolutionTile.global(rows: g.outChannels, columns: g.patchSize, depth: splits),
                       local: convolutionTile.local + [1],
                       [.buffer(x), .buffer(dy), .buffer(target)] + convArgs(g) + [.int(chunk)])
                if splits > 1 {
                    columnSums(target, into: dWeight, rows: splits, columns: g.weightCount)
                }
            }
        }
        // dBias in the two stages of include/reduction.h (one when the channels fill the device).
        let local = context.reduceLocal, q = g.outHeight * g.outWidth
        let plan = reductionPlan(batch: g.batch, channels: g.outChannels, spatial: q)
        let sums: DeviceBuffer = plan.twoStage ? scratch("conv2d.biasPartial", count: plan.groups * g.outChannels) : dBias
        launch(.conv2dBackwardBias, global: [plan.groups * local, g.outChannels], local: [local, 1],
               [.buffer(dy), .buffer(sums), .int(g.batch), .int(g.outChannels), .int(q)])
        if plan.twoStage { columnSums(sums, into: dBias, rows: plan.groups, columns: g.outChannels) }
    }
}
