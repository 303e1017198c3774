import NeuralNet

/// Convolution on CPU devices (conv2d_cpu.cl, `KernelPath.cpu`): the batch is processed in chunks
/// of images; per chunk one kernel writes an explicit im2col matrix into a scratch buffer of at
/// most `im2colBudget` floats and one register-blocked GEMM consumes it. The chunk bounds the
/// scratch memory and keeps the matrix near the caches.
extension OpenCLBackend {
    /// Output rows and columns per work-item of the conv2d_cpu.cl GEMMs (`CPU_MR`, and NR = 32).
    static let cpuBlockRows = 8, cpuBlockColumns = 32
    /// Largest im2col chunk, in floats (4 MiB): small enough to stay in the caches between the
    /// im2col kernel and the GEMM. On PoCL (2-core EPYC) 16 MiB made both kernels memory-bound
    /// (conv GEMMs 1.5–2.5× slower); 1 MiB and 256 KiB chunks were no faster than 4 MiB.
    static let im2colBudget = 1 << 20

    /// Images per chunk when each image contributes `perImage` floats to the scratch matrix.
    func imagesPerChunk(_ batch: Int, perImage: Int) -> Int {
        max(1, min(batch, Self.im2colBudget / max(perImage, 1)))
    }

    /// A row length padded to whole GEMM blocks, so that full blocks may read past the last column.
    func paddedRow(_ n: Int) -> Int { (n + Self.cpuBlockColumns - 1) / Self.cpuBlockColumns * Self.cpuBlockColumns }

    /// Launches a conv2d_cpu.cl GEMM over an `m`×`n` output; each work-group covers every row
    /// block of a few column blocks, leaving at least 8 work-groups per compute unit.
    func launchCPUGemm(_ kernel: String, rows m: Int, columns n: Int, _ args: [Arg]) {
        let mBlocks = (m + Self.cpuBlockRows - 1) / Self.cpuBlockRows
        let nBlocks = (n + Self.cpuBlockColumns - 1) / Self.cpuBlockColumns
        let groupsWanted = 8 * max(device.computeUnits, 1)
        let rowGroup = mBlocks <= 64 ? mBlocks : 1
        let perGroup = max(1, min(16, nBlocks / groupsWanted, 256 / rowGroup))
        launch(kernel, global: [mBlocks, nBlocks], local: [rowGroup, perGroup], args)
    }

    func conv2dForwardCPU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                          geometry g: Conv2dGeometry) {
        let q = g.outHeight * g.outWidth, k = g.patchSize
        let chunk = imagesPerChunk(g.batch, perImage: k * q)
        let ld = paddedRow(chunk * q)
        let col = scratch("conv2d_cpu.col", count: k * ld)
        for img0 in stride(from: 0, to: g.batch, by: chunk) {
            let nb = min(chunk, g.batch - img0)
            launch("conv2d_forward_im2col", global: [k, nb], local: [min(k, 16), 1],
                   [.buffer(x), .buffer(col), .int(img0), .int(nb), .int(g.inChannels), .int(g.inHeight),
                    .int(g.inWidth), .int(g.kernelSize), .int(g.stride), .int(g.padding), .int(g.outHeight),
                    .int(g.outWidth), .int(ld)])
            launchCPUGemm("conv2d_forward_gemm", rows: g.outChannels, columns: nb * q,
                          [.buffer(col), .buffer(weight), .buffer(bias), .buffer(y), .int(img0), .int(nb),
                           .int(g.outChannels), .int(k), .int(q), .int(ld)])
        }
    }

    /// `wt` is the weight transposed per input channel (conv2d_backward_input_prepare).
    func conv2dBackwardInputCPU(dy: DeviceBuffer, wt: DeviceBuffer, dx: DeviceBuffer, geometry g: Conv2dGeometry) {
        let hw = g.inHeight * g.inWidth, k = g.outChannels * g.kernelSize * g.kernelSize
        let chunk = imagesPerChunk(g.batch, perImage: k * hw)
        let ld = paddedRow(chunk * hw)
        let dcol = scratch("conv2d_cpu.col", count: k * ld)
        for img0 in stride(from: 0, to: g.batch, by: chunk) {
            let nb = min(chunk, g.batch - img0)
            launch("conv2d_backward_input_im2col", global: [k, nb], local: [min(k, 16), 1],
                   [.buffer(dy), .buffer(dcol), .int(img0), .int(nb), .int(g.inChannels), .int(g.inHeight),
                    .int(g.inWidth), .int(g.outChannels), .int(g.kernelSize), .int(g.stride), .int(g.padding),
                    .int(g.outHeight), .int(g.outWidth), .int(ld)])
            launchCPUGemm("conv2d_backward_input_gemm", rows: g.inChannels, columns: nb * hw,
                          [.buffer(dcol), .buffer(wt), .buffer(dx), .int(img0), .int(nb), .int(g.inChannels),
                           .int(k), .int(hw), .int(ld)])
        }
    }

    func conv2dBackwardWeightCPU(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                 geometry g: Conv2dGeometry) {
        let q = g.outHeight * g.outWidth, k = g.patchSize
        if k > 0 {
            if g.batch == 0 || q == 0 {
                fill(dWeight, value: 0, count: g.weightCount)
            } else {
                let ld = paddedRow(k)
                let chunk = imagesPerChunk(g.batch, perImage: q * ld)
                let colT = scratch("conv2d_cpu.col", count: chunk * q * ld)
                for img0 in stride(from: 0, to: g.batch, by: chunk) {
                    let nb = min(chunk, g.batch - img0)
                    launch1D("conv2d_backward_weight_im2col", count: nb * q,
                             [.buffer(x), .buffer(colT), .int(img0), .int(nb), .int(g.inChannels), .int(g.inHeight),
                              .int(g.inWidth), .int(g.kernelSize), .int(g.stride), .int(g.padding),
                              .int(g.outHeight), .int(g.outWidth), .int(ld)])
                    launchCPUGemm("conv2d_backward_weight_gemm", rows: g.outChannels, columns: k,
                                  [.buffer(dy), .buffer(colT), .buffer(dWeight), .int(img0), .int(nb),
                                   .int(g.outChannels), .int(k), .int(q), .int(ld), .int(img0 > 0 ? 1 : 0)])
                }
            }
        }
        launch("conv2d_backward_bias_rows", global: [g.outChannels], local: [1],
               [.buffer(dy), .buffer(dBias), .int(g.batch), .int(g.outChannels), .int(q)])
    }
}
