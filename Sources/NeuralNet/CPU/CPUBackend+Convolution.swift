import CBLAS

/// Convolution as im2col + `sgemm`, one image at a time, images split across workers.
extension CPUBackend {
    /// Unfolds image `x` (`[C, H, W]`) into `col` (`[C·k·k, OH·OW]`).
    func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry) {
        let (oh, ow, k, s, p) = (g.outHeight, g.outWidth, g.kernelSize, g.stride, g.padding)
        let (h, w) = (g.inHeight, g.inWidth)
        var row = 0
        for c in 0..<g.inChannels {
            let plane = x + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let dst = col + row * oh * ow
                    for oy in 0..<oh {
                        let iy = oy * s - p + ki
                        let line = dst + oy * ow
                        if iy < 0 || iy >= h { line.update(repeating: 0, count: ow); continue }
                        let src = plane + iy * w
                        for ox in 0..<ow {
                            let ix = ox * s - p + kj
                            line[ox] = (ix >= 0 && ix < w) ? src[ix] : 0
                        }
                    }
                    row += 1
                }
            }
        }
    }

    /// Folds `col` back, adding into image `dx` (`[C, H, W]`, which the caller zeroed).
    func col2im(_ col: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry) {
        let (oh, ow, k, s, p) = (g.outHeight, g.outWidth, g.kernelSize, g.stride, g.padding)
        let (h, w) = (g.inHeight, g.inWidth)
        var row = 0
        for c in 0..<g.inChannels {
            let plane = dx + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let src = col + row * oh * ow
                    for oy in 0..<oh {
                        let iy = oy * s - p + ki
                        if iy < 0 || iy >= h { continue }
                        let dst = plane + iy * w, line = src + oy * ow
                        for ox in 0..<ow {
                            let ix = ox * s - p + kj
                            if ix >= 0 && ix < w { dst[ix] += line[ox] }
                        }
                    }
                    row += 1
                }
            }
        }
    }

    public func conv2dForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                              geometry g: Conv2dGeometry) {
        let x = ptr(x), w = ptr(weight), b = ptr(bias), y = ptr(y)
        let k = g.patchSize, n = g.outHeight * g.outWidth, inStride = g.inChannels * g.inHeight * g.inWidth
        let cols = (0..<threads).map { scratchBuffer($0, count: k * n) }
        parallelFor(g.batch) { worker, images in
            let col = cols[worker]
            for img in images {
                let out = y + img * g.outChannels * n
                for o in 0..<g.outChannels { (out + o * n).update(repeating: b[o], count: n) }
                im2col(x + img * inStride, col, g)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(g.outChannels), Int32(n), Int32(k),
                            1, w, Int32(k), col, Int32(n), 1, out, Int32(n))
            }
        }
    }

    public func conv2dBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    geometry g: Conv2dGeometry) {
        let dy = ptr(dy), w = ptr(weight), dx = ptr(dx)
        let k = g.patchSize, n = g.outHeight * g.outWidth, inStride = g.inChannels * g.inHeight * g.inWidth
        let cols = (0..<threads).map { scratchBuffer($0, count: k * n) }
        parallelFor(g.batch) { worker, images in
            let col = cols[worker]
            for img in images {
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(n), Int32(g.outChannels),
                            1, w, Int32(k), dy + img * g.outChannels * n, Int32(n), 0, col, Int32(n))
                let out = dx + img * inStride
                out.update(repeating: 0, count: inStride)
                col2im(col, out, g)
            }
        }
    }

    public func conv2dBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     geometry g: Conv2dGeometry) {
        let x = ptr(x), dy = ptr(dy), dw = ptr(dWeight), db = ptr(dBias)
        let k = g.patchSize, n = g.outHeight * g.outWidth, inStride = g.inChannels * g.inHeight * g.inWidth
        let wc = g.weightCount
        // Slots 0..<threads hold columns; slots threads..<2·threads hold per-worker partial gradients.
        let cols = (0..<threads).map { scratchBuffer($0, count: k * n) }
        let partials = (0..<threads).map { scratchBuffer(threads + $0, count: wc + g.outChannels) }
        let workers = min(threads, max(1, g.batch))
        for p in partials.prefix(workers) { p.update(repeating: 0, count: wc + g.outChannels) }
        parallelFor(g.batch) { worker, images in
            let col = cols[worker], part = partials[worker]
            for img in images {
                let grad = dy + img * g.outChannels * n
                im2col(x + img * inStride, col, g)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(g.outChannels), Int32(k), Int32(n),
                            1, grad, Int32(n), col, Int32(n), 1, part, Int32(k))
                for o in 0..<g.outChannels {
                    var s: Float = 0
                    let row = grad + o * n
                    for i in 0..<n { s += row[i] }
                    part[wc + o] += s
                }
            }
        }
        dw.update(from: partials[0], count: wc)
        db.update(from: partials[0] + wc, count: g.outChannels)
        for p in partials.dropFirst().prefix(workers - 1) {
            for i in 0..<wc { dw[i] += p[i] }
            for o in 0..<g.outChannels { db[o] += p[wc + o] }
        }
    }
}
