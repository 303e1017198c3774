import NeuralNet

/// Convolution on CPU devices (`KernelPath.cpu`; conv2d_cpu.cl, conv2d_cpu_weight.cl), all with
/// register-blocked kernels that read global memory directly (no local memory, no barriers):
///
/// - stride 1: the input (or, for the input gradient, the output gradient) is copied once into
///   zero-padded planes and the GEMM reads its B rows as shifted windows of them — no im2col;
///   the weight gradient is a sum of dot products of padded rows, split over image chunks;
/// - other strides: per chunk of images one kernel writes an explicit im2col matrix into a scratch
///   buffer of at most `im2colBudget` floats and one GEMM consumes it (the chunk bounds the
///   scratch memory and keeps the matrix in cache).
///
/// Launches per call (stride 1): forward 2, input gradient 3, weight gradient 4–5 (with the bias).
extension OpenCLBackend {
    /// Output rows and columns per work-item of the conv2d_cpu.cl / gemm_cpu.cl GEMMs (`MR`, `NR` there).
    static let cpuBlockRows = 8, cpuBlockColumns = 32
    /// Largest im2col chunk, in floats (4 MiB): small enough to stay in the caches between the
    /// im2col kernel and the GEMM. On PoCL (2-core EPYC) 16 MiB made both kernels memory-bound
    /// (conv GEMMs 1.5–2.5× slower); 1 MiB and 256 KiB chunks were no faster than 4 MiB.
    static let im2colBudget = 1 << 20
    /// Bytes of padded planes per image chunk of `conv2dBackwardWeightDirect` (about a core's L2).
    static let weightChunkBytes = 1 << 20

    /// Images per chunk when each image contributes `perImage` floats to the scratch matrix.
    func imagesPerChunk(_ batch: Int, perImage: Int) -> Int {
        max(1, min(batch, Self.im2colBudget / max(perImage, 1)))
    }

    /// A row length padded to whole GEMM blocks, so that full blocks may read past the last column.
    func paddedRow(_ n: Int) -> Int { (n + Self.cpuBlockColumns - 1) / Self.cpuBlockColumns * Self.cpuBlockColumns }

    /// Launches a conv2d_cpu.cl GEMM over an `m`×`n` output (`depth` of them along the third grid
    /// dimension); each work-group covers every row block of a few column blocks, leaving at least
    /// 8 work-groups per compute unit.
    func launchCPUGemm(_ kernel: OpenCLKernel, rows m: Int, columns n: Int, depth: Int = 1, _ args: [Arg]) {
        let mBlocks = (m + Self.cpuBlockRows - 1) / Self.cpuBlockRows
        let nBlocks = (n + Self.cpuBlockColumns - 1) / Self.cpuBlockColumns
        let groupsWanted = 8 * max(device.computeUnits, 1)
        let rowGroup = mBlocks <= 64 ? mBlocks : 1
        let perGroup = max(1, min(16, nBlocks * depth / groupsWanted, nBlocks, 256 / rowGroup))
        if depth > 1 {
            launch(kernel, global: [mBlocks, nBlocks, depth], local: [rowGroup, perGroup, 1], args)
        } else {
            launch(kernel, global: [mBlocks, nBlocks], local: [rowGroup, perGroup], args)
        }
    }

    /// Copies `planes` planes of `h`×`w` into `hp`×`wp` planes of scratch buffer `key` at offset
    /// (`top`, `left`), zero elsewhere, with the slack that the direct kernels read past the last plane.
    func padded(_ src: DeviceBuffer, key: String = "conv2d_cpu.pad", planes: Int, h: Int, w: Int,
                hp: Int, wp: Int, top: Int, left: Int) -> OpenCLBuffer {
        let dst = scratch(key, count: planes * hp * wp + wp + 64)
        launch(.conv2dPad, global: [hp, planes], local: planeRowsLocal(rows: hp, planes: planes),
               [.buffer(src), .buffer(dst), .int(planes), .int(h), .int(w), .int(hp), .int(wp), .int(top), .int(left)])
        return dst
    }

    /// `padded` by `p` on every side.
    func padded(_ src: DeviceBuffer, planes: Int, h: Int, w: Int, p: Int) -> OpenCLBuffer {
        padded(src, planes: planes, h: h, w: w, hp: h + 2 * p, wp: w + 2 * p, top: p, left: p)
    }

    func conv2dForwardCPU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                          geometry g: Conv2dGeometry) {
        if g.stride == 1 {
            // No im2col: shifted windows of the padded input (conv2d_forward_direct).
            let hp = g.inHeight + 2 * g.padding, wp = g.inWidth + 2 * g.padding
            let xp = padded(x, planes: g.batch * g.inChannels, h: g.inHeight, w: g.inWidth, p: g.padding)
            launchCPUGemm(.conv2dForwardDirect, rows: g.outChannels, columns: g.outHeight * wp, depth: g.batch,
                          [.buffer(xp), .buffer(weight), .buffer(bias), .buffer(y), .int(1), .int(g.inChannels),
                           .int(hp), .int(wp), .int(g.outChannels), .int(g.kernelSize), .int(g.outHeight),
                           .int(g.outWidth)])
            return
        }
        let q = g.outHeight * g.outWidth, k = g.patchSize
        let chunk = imagesPerChunk(g.batch, perImage: k * q)
        let ld = paddedRow(chunk * q)
        let col = scratch("conv2d_cpu.col", count: k * ld)
        for img0 in stride(from: 0, to: g.batch, by: chunk) {
            let nb = min(chunk, g.batch - img0)
            launch(.conv2dForwardIm2col, global: [k, nb], local: [min(k, 16), 1],
                   [.buffer(x), .buffer(col), .int(img0), .int(nb), .int(g.inChannels), .int(g.inHeight),
                    .int(g.inWidth), .int(g.kernelSize), .int(g.stride), .int(g.padding), .int(g.outHeight),
                    .int(g.outWidth), .int(ld)])
            launchCPUGemm(.conv2dForwardGemm, rows: g.outChannels, columns: nb * q,
                          [.buffer(col), .buffer(weight), .buffer(bias), .buffer(y), .int(img0), .int(nb),
                           .int(g.outChannels), .int(k), .int(q), .int(ld)])
        }
    }

    func conv2dBackwardInputCPU(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer, geometry g: Conv2dGeometry) {
        let kk = g.kernelSize * g.kernelSize
        let wt = scratch("conv2d.wt", count: g.weightCount)
        let transposedPadding = g.kernelSize - 1 - g.padding
        if g.stride == 1 && transposedPadding >= 0 {
            // A stride-1 convolution of the gradient padded by KS − 1 − P with the flipped weight.
            launch1D(.conv2dBackwardInputFlip, count: g.weightCount,
                     [.buffer(weight), .buffer(wt), .int(g.inChannels), .int(g.outChannels), .int(kk)])
            let hp = g.outHeight + 2 * transposedPadding, wp = g.outWidth + 2 * transposedPadding
            let dyp = padded(dy, planes: g.batch * g.outChannels, h: g.outHeight, w: g.outWidth, p: transposedPadding)
            launchCPUGemm(.conv2dForwardDirect, rows: g.inChannels, columns: g.inHeight * wp, depth: g.batch,
                          [.buffer(dyp), .buffer(wt), .buffer(wt), .buffer(dx), .int(0), .int(g.outChannels),
                           .int(hp), .int(wp), .int(g.inChannels), .int(g.kernelSize), .int(g.inHeight),
                           .int(g.inWidth)])
            return
        }
        launch1D(.conv2dBackwardInputPrepare, count: g.weightCount,
                 [.buffer(weight), .buffer(wt), .int(g.inChannels), .int(g.outChannels), .int(kk)])
        let hw = g.inHeight * g.inWidth, k = g.outChannels * g.kernelSize * g.kernelSize
        let chunk = imagesPerChunk(g.batch, perImage: k * hw)
        let ld = paddedRow(chunk * hw)
        let dcol = scratch("conv2d_cpu.col", count: k * ld)
        for img0 in stride(from: 0, to: g.batch, by: chunk) {
            let nb = min(chunk, g.batch - img0)
            launch(.conv2dBackwardInputIm2col, global: [k, nb], local: [min(k, 16), 1],
                   [.buffer(dy), .buffer(dcol), .int(img0), .int(nb), .int(g.inChannels), .int(g.inHeight),
                    .int(g.inWidth), .int(g.outChannels), .int(g.kernelSize), .int(g.stride), .int(g.padding),
                    .int(g.outHeight), .int(g.outWidth), .int(ld)])
            launchCPUGemm(.conv2dBackwardInputGemm, rows: g.inChannels, columns: nb * hw,
                          [.buffer(dcol), .buffer(wt), .buffer(dx), .int(img0), .int(nb), .int(g.inChannels),
                           .int(k), .int(hw), .int(ld)])
        }
    }

    func conv2dBackwardWeightCPU(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                 geometry g: Conv2dGeometry) {
        let q = g.outHeight * g.outWidth, k = g.patchSize, wp = g.inWidth + 2 * g.padding
        if k > 0 {
            if g.batch == 0 || q == 0 {
                fill(dWeight, value: 0, count: g.weightCount)
            } else if g.stride == 1 && wp >= 16 {
                conv2dBackwardWeightDirect(x: x, dy: dy, dWeight: dWeight, geometry: g)
            } else {
                let ld = paddedRow(k)
                let chunk = imagesPerChunk(g.batch, perImage: q * ld)
                let colT = scratch("conv2d_cpu.col", count: chunk * q * ld)
                for img0 in stride(from: 0, to: g.batch, by: chunk) {
                    let nb = min(chunk, g.batch - img0)
                    launch1D(.conv2dBackwardWeightIm2col, count: nb * q,
                             [.buffer(x), .buffer(colT), .int(img0), .int(nb), .int(g.inChannels), .int(g.inHeight),
                              .int(g.inWidth), .int(g.kernelSize), .int(g.stride), .int(g.padding),
                              .int(g.outHeight), .int(g.outWidth), .int(ld)])
                    launchCPUGemm(.conv2dBackwardWeightGemm, rows: g.outChannels, columns: k,
                                  [.buffer(dy), .buffer(colT), .buffer(dWeight), .int(img0), .int(nb),
                                   .int(g.outChannels), .int(k), .int(q), .int(ld), .int(img0 > 0 ? 1 : 0)])
                }
            }
        }
        launch(.conv2dBackwardBiasRows, global: [g.outChannels], local: [1],
               [.buffer(dy), .buffer(dBias), .int(g.batch), .int(g.outChannels), .int(q)])
    }

    /// Stride 1: dot products of padded rows (conv2d_cpu_weight.cl), split over chunks of images
    /// whose planes fit in a core's L2 cache, then summed by `columnSums`.
    func conv2dBackwardWeightDirect(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, geometry g: Conv2dGeometry) {
        let hp = g.inHeight + 2 * g.padding, wp = g.inWidth + 2 * g.padding
        let xp = padded(x, planes: g.batch * g.inChannels, h: g.inHeight, w: g.inWidth, p: g.padding)
        let dyw = padded(dy, key: "conv2d_cpu.pad2", planes: g.batch * g.outChannels, h: g.outHeight, w: g.outWidth,
                         hp: g.outHeight + 1, wp: wp, top: 0, left: 0)
        let perImage = 4 * (g.outChannels * (g.outHeight + 1) + g.inChannels * hp) * wp
        var chunk = max(1, Self.weightChunkBytes / perImage)
        chunk = min(chunk, max(1, (g.batch + 4 * device.computeUnits - 1) / (4 * max(device.computeUnits, 1))))
        let splits = (g.batch + chunk - 1) / chunk
        let target: DeviceBuffer = splits == 1 ? dWeight : scratch("conv2d.partial", count: splits * g.weightCount)
        let items = (g.outChannels + 1) / 2 * g.inChannels
        launch(.conv2dBackwardWeightDirect, global: [items, splits], local: [min(items, 256), 1],
               [.buffer(dyw), .buffer(xp), .buffer(target), .int(g.batch), .int(chunk), .int(g.inChannels),
                .int(g.outChannels), .int(g.kernelSize), .int(hp), .int(wp), .int(g.outHeight)])
        if splits > 1 {
            columnSums(target, into: dWeight, rows: splits, columns: g.weightCount)
        }
    }
}
