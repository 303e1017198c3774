/// Convolution as im2col + `sgemm` (see CPUBackend+Im2col.swift), one image at a time, images split across workers;
/// the forward pass by a faster kernel where one applies and pays (`ConvolutionAlgorithm.forwardKernel`): Winograd
/// (CPUBackend+Winograd.swift), one-row maps (CPUBackend+OneRow.swift), one-channel images (CPUBackend+OneChannel.swift),
/// kernels covering the input height (CPUBackend+RowWinograd.swift); the gradients of 3×3 stride-1 layers by Winograd
/// where it pays (CPUBackend+Winograd.swift, CPUBackend+WinogradWeights.swift; `usesWinograd(_:pass:)` picks per pass).
extension CPUBackend {
    public func conv2dForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                              geometry g: Conv2dGeometry) {
        convolve(x: ptr(x), weight: ptr(weight), bias: ptr(bias), y: ptr(y), geometry: g, relu: false)
    }

    /// The ReLU runs in the pass that adds the bias, while each image's output is still in cache.
    public func conv2dForwardReLU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                                  geometry g: Conv2dGeometry) {
        convolve(x: ptr(x), weight: ptr(weight), bias: ptr(bias), y: ptr(y), geometry: g, relu: true)
    }

    private func convolve(x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
                          bias b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
                          geometry g: Conv2dGeometry, relu: Bool) {
        switch convolutionAlgorithm.forwardKernel(g) {
        case .winograd: winogradForward(x: x, weight: w, bias: b, y: y, geometry: g, relu: relu)
        case .oneRow: oneRowForward(x: x, weight: w, bias: b, y: y, geometry: g, relu: relu)
        case .oneChannel: oneChannelForward(x: x, weight: w, bias: b, y: y, geometry: g, relu: relu)
        case .rowWinograd: rowWinogradForward(x: x, weight: w, bias: b, y: y, geometry: g, relu: relu)
        case .im2col:
            unfoldedForward(x: x, weights: w, patch: g.patchSize, bias: b, y: y, geometry: g, relu: relu) {
                self.im2col($0, $1, g, rowStride: $2)
            }
        }
    }

    /// Forward through unfolded patches: `unfold(image, columns, rowStride)` writes one image's
    /// `[patch, OH·OW]` columns (rows `rowStride` apart), `weights` are `[O, patch]`.
    func unfoldedForward(x: UnsafeMutablePointer<Float>, weights w: UnsafePointer<Float>, patch k: Int,
                         bias b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, geometry g: Conv2dGeometry,
                         relu: Bool, unfold: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) {
        let n = g.outHeight * g.outWidth, inStride = g.inChannels * g.inHeight * g.inWidth
        let o = g.outChannels
        // Small outputs (a strip reader's 7×7 head gives 1×38) make one GEMM per image narrow, and
        // the GEMM packs the weights anew for every call: such images go `group` at a time, side by
        // side in one column matrix, through one GEMM into `[O, group·N]`, then out to NCHW. A single
        // image's GEMM writes straight into its output. The bias (and ReLU) pass follows each GEMM.
        let group = max(1, min(Self.groupedColumns / max(n, 1), (g.batch + threads - 1) / threads))
        let cols = scratchBuffer(0, count: threads * k * n * group)
        let products = group > 1 ? scratchBuffer(1, count: threads * o * n * group) : cols
        parallelFor(g.batch) { worker, images in
            let col = cols + worker * k * n * group, product = products + worker * o * n * group
            for first in stride(from: images.lowerBound, to: images.upperBound, by: group) {
                let count = min(group, images.upperBound - first), ld = count * n
                for j in 0..<count { unfold(x + (first + j) * inStride, col + j * n, ld) }
                let target = count == 1 ? y + first * o * n : product
                GEMM.sgemm(m: o, n: ld, k: k, a: w, lda: k, b: col, ldb: ld, beta: 0, c: target, ldc: ld)
                for j in 0..<count {
                    let out = y + (first + j) * o * n
                    for c in 0..<o {
                        if relu { addBiasReLU(target + c * ld + j * n, b[c], into: out + c * n, count: n) }
                        else { addBias(target + c * ld + j * n, b[c], into: out + c * n, count: n) }
                    }
                }
            }
        }
    }

    /// Output columns one grouped GEMM aims for (see `conv2dForward`).
    static let groupedColumns = 512

    public func conv2dBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    geometry g: Conv2dGeometry) {
        let dy = ptr(dy), w = ptr(weight), dx = ptr(dx)
        if convolutionAlgorithm.usesWinograd(g, pass: .inputGradient) {
            return winogradBackwardInput(dy: dy, weight: w, dx: dx, geometry: g)
        }
        let k = g.patchSize, n = g.outHeight * g.outWidth, inStride = g.inChannels * g.inHeight * g.inWidth
        let cols = scratchBuffer(0, count: threads * k * n)
        parallelFor(g.batch) { worker, images in
            let col = cols + worker * k * n
            for img in images {
                GEMM.sgemm(transA: true, m: k, n: n, k: g.outChannels, a: w, lda: k,
                           b: dy + img * g.outChannels * n, ldb: n, beta: 0, c: col, ldc: n)
                let out = dx + img * inStride
                out.update(repeating: 0, count: inStride)
                col2im(col, out, g)
            }
        }
    }

    public func conv2dBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     geometry g: Conv2dGeometry) {
        let x = ptr(x), dy = ptr(dy), dw = ptr(dWeight), db = ptr(dBias)
        if convolutionAlgorithm.usesWinograd(g, pass: .weightGradient) {
            return winogradBackwardWeight(x: x, dy: dy, dWeight: dw, dBias: db, geometry: g)
        }
        let k = g.patchSize, n = g.outHeight * g.outWidth, inStride = g.inChannels * g.inHeight * g.inWidth
        let wc = g.weightCount
        // Slot 0 holds each worker's columns, slot 1 each worker's partial gradients: the weight gradient
        // transposed (`[patch, out]`: `col · dyᵀ` was 5–15% faster in OpenBLAS than `dy · colᵀ`; the own
        // GEMM runs both at the same speed, Scripts/gemm_bench.c), then the bias.
        let o = g.outChannels
        let cols = scratchBuffer(0, count: threads * k * n)
        let partStride = wc + o
        let partials = scratchBuffer(1, count: threads * partStride)
        let workers = min(threads, max(1, g.batch))
        partials.update(repeating: 0, count: workers * partStride)
        parallelFor(g.batch) { worker, images in
            let col = cols + worker * k * n, part = partials + worker * partStride
            for img in images {
                let grad = dy + img * o * n
                im2col(x + img * inStride, col, g)
                GEMM.sgemm(transB: true, m: k, n: o, k: n, a: col, lda: n, b: grad, ldb: n, beta: 1, c: part, ldc: o)
                for c in 0..<o { part[wc + c] += sumFloats(grad + c * n, count: n) }
            }
        }
        for r in 0..<k {
            for c in 0..<o {
                var s = partials[r * o + c]
                for worker in 1..<workers { s += partials[worker * partStride + r * o + c] }
                dw[c * k + r] = s
            }
        }
        for c in 0..<o {
            var s = partials[wc + c]
            for worker in 1..<workers { s += partials[worker * partStride + wc + c] }
            db[c] = s
        }
    }
}
