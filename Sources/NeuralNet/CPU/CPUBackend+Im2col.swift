/// Unfolding one image into patch rows (`im2col`, `[C·k·k, OH·OW]`) and folding such rows back
/// (`col2im`). "Same" stride-1 convolutions (`OW == W`, the benchmark's 3×3 with padding 1) take a
/// block path: each patch row is one shifted contiguous copy of its input plane (plus zeroed edge
/// columns), so the work is a few large `memcpy`s and vector adds instead of an element loop.
extension CPUBackend {
    /// Unfolds image `x` (`[C, H, W]`) into `col` (`[C·k·k, OH·OW]`, rows `rowStride` apart: a
    /// stride above `OH·OW` leaves room for other images' columns beside this one's).
    func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry, rowStride: Int? = nil) {
        let (oh, ow, k, p) = (g.outHeight, g.outWidth, g.kernelSize, g.padding)
        let rowStride = rowStride ?? oh * ow
        let (h, w) = (g.inHeight, g.inWidth)
        let block = g.stride == 1 && ow == w && p < w
        var row = 0
        for c in 0..<g.inChannels {
            let plane = x + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let dst = col + row * rowStride
                    if block {
                        im2colRowBlock(plane, dst, dy: ki - p, dx: kj - p, oh: oh, w: w, h: h)
                    } else {
                        im2colRowGeneral(plane, dst, ki: ki, kj: kj, g)
                    }
                    row += 1
                }
            }
        }
    }

    /// Patch row for offset `(dy, dx)` of a stride-1 "same" convolution: `dst[oy·W + ox] = plane[(oy+dy)·W + ox+dx]`.
    @inline(__always)
    private func im2colRowBlock(_ plane: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                dy: Int, dx: Int, oh: Int, w: Int, h: Int) {
        let oyLo = max(0, -dy), oyHi = min(oh, h - dy)
        guard oyLo < oyHi else { dst.update(repeating: 0, count: oh * w); return }
        let left = max(0, -dx), right = max(0, dx)
        dst.update(repeating: 0, count: oyLo * w)
        (dst + oyHi * w).update(repeating: 0, count: (oh - oyHi) * w)
        let t0 = oyLo * w + left, t1 = oyHi * w - right
        (dst + t0).update(from: plane + t0 + dy * w + dx, count: t1 - t0)
        if left > 0 || right > 0 {
            for oy in oyLo..<oyHi {
                let line = dst + oy * w
                for ox in 0..<left { line[ox] = 0 }
                for ox in (w - right)..<w { line[ox] = 0 }
            }
        }
    }

    /// Patch row for kernel offset `(ki, kj)`, any stride and padding.
    private func im2colRowGeneral(_ plane: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                  ki: Int, kj: Int, _ g: Conv2dGeometry) {
        let (oh, ow, s, p, h, w) = (g.outHeight, g.outWidth, g.stride, g.padding, g.inHeight, g.inWidth)
        for oy in 0..<oh {
            let iy = oy * s - p + ki
            let line = dst + oy * ow
            if iy < 0 || iy >= h { line.update(repeating: 0, count: ow); continue }
            let src = plane + iy * w
            if s == 1 {  // one contiguous run of input pixels, zeros either side
                let lo = min(ow, max(0, p - kj)), hi = max(lo, min(ow, w + p - kj))
                line.update(repeating: 0, count: lo)
                (line + lo).update(from: src + lo - p + kj, count: hi - lo)
                (line + hi).update(repeating: 0, count: ow - hi)
                continue
            }
            for ox in 0..<ow {
                let ix = ox * s - p + kj
                line[ox] = (ix >= 0 && ix < w) ? src[ix] : 0
            }
        }
    }

    /// Folds `col` back, adding into image `dx` (`[C, H, W]`, which the caller zeroed).
    /// The block path zeroes the out-of-image entries of `col` (scratch) before adding.
    func col2im(_ col: UnsafeMutablePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry) {
        let (oh, ow, k, p) = (g.outHeight, g.outWidth, g.kernelSize, g.padding)
        let (h, w) = (g.inHeight, g.inWidth)
        let block = g.stride == 1 && ow == w && p < w
        var row = 0
        for c in 0..<g.inChannels {
            let plane = dx + c * h * w
            for ki in 0..<k {
                for kj in 0..<k {
                    let src = col + row * oh * ow
                    if block {
                        col2imRowBlock(src, plane, dy: ki - p, dx: kj - p, oh: oh, w: w, h: h)
                    } else {
                        col2imRowGeneral(src, plane, ki: ki, kj: kj, g)
                    }
                    row += 1
                }
            }
        }
    }

    @inline(__always)
    private func col2imRowBlock(_ src: UnsafeMutablePointer<Float>, _ plane: UnsafeMutablePointer<Float>,
                                dy: Int, dx: Int, oh: Int, w: Int, h: Int) {
        let oyLo = max(0, -dy), oyHi = min(oh, h - dy)
        guard oyLo < oyHi else { return }
        let left = max(0, -dx), right = max(0, dx)
        if left > 0 || right > 0 {
            // Interior rows' edge entries would land on the neighbouring row: make them add nothing.
            for oy in oyLo..<oyHi {
                let line = src + oy * w
                for ox in 0..<left { line[ox] = 0 }
                for ox in (w - right)..<w { line[ox] = 0 }
            }
        }
        let t0 = oyLo * w + left, t1 = oyHi * w - right
        addFloats(plane + t0 + dy * w + dx, src + t0, count: t1 - t0)
    }

    private func col2imRowGeneral(_ src: UnsafePointer<Float>, _ plane: UnsafeMutablePointer<Float>,
                                  ki: Int, kj: Int, _ g: Conv2dGeometry) {
        let (oh, ow, s, p, h, w) = (g.outHeight, g.outWidth, g.stride, g.padding, g.inHeight, g.inWidth)
        for oy in 0..<oh {
            let iy = oy * s - p + ki
            if iy < 0 || iy >= h { continue }
            let dst = plane + iy * w, line = src + oy * ow
            for ox in 0..<ow {
                let ix = ox * s - p + kj
                if ix >= 0 && ix < w { dst[ix] += line[ox] }
            }
        }
    }
}
