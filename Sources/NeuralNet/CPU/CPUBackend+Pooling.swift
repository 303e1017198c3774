/// Max pooling, planes split across workers; 2×2 at inference (no indices) in C (CPUBackend+InferencePool.swift).
extension CPUBackend {
    public func maxPool2dForward(x: DeviceBuffer, y: DeviceBuffer, indices: DeviceBuffer?, geometry g: Pool2dGeometry) {
        let x = ptr(x), y = ptr(y), idx = indices.map(ptr)
        let (h, w, oh, ow, k, s) = (g.inHeight, g.inWidth, g.outHeight, g.outWidth, g.kernelSize, g.stride)
        if idx == nil && k == 2 && s == 2 { return maxPool2x2Inference(x, y, g) }
        parallelFor(g.batch * g.channels, minimumChunk: 16) { _, planes in
            for plane in planes {
                let src = x + plane * h * w, dst = y + plane * oh * ow, arg = idx.map { $0 + plane * oh * ow }
                if k == 2 && s == 2 { maxPool2x2Plane(src, dst, arg, w: w, oh: oh, ow: ow); continue }
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var best = -Float.infinity, bestIndex = (oy * s) * w + ox * s
                        for ki in 0..<k {
                            for kj in 0..<k {
                                let i = (oy * s + ki) * w + ox * s + kj
                                if src[i] > best { best = src[i]; bestIndex = i }
                            }
                        }
                        dst[oy * ow + ox] = best
                        arg?[oy * ow + ox] = Float(bestIndex)
                    }
                }
            }
        }
    }

    /// The 2×2, stride-2 window of the benchmark, 8 outputs at a time (even/odd lanes of two input
    /// rows), with the general loop's order and tie rule: start at −∞, take strictly greater values.
    @inline(__always)
    private func maxPool2x2Plane(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                 _ arg: UnsafeMutablePointer<Float>?, w: Int, oh: Int, ow: Int) {
        let lanes = SIMD8<Float>(0, 2, 4, 6, 8, 10, 12, 14)
        for oy in 0..<oh {
            let r0 = UnsafeRawPointer(src + 2 * oy * w), r1 = UnsafeRawPointer(src + (2 * oy + 1) * w)
            var ox = 0
            while ox < ow {
                if ow - ox < 8 && ow < 8 { break }
                ox = min(ox, ow - 8)  // the last group overlaps the previous one
                let top = r0.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD16<Float>.self)
                let bottom = r1.loadUnaligned(fromByteOffset: 8 * ox, as: SIMD16<Float>.self)
                let i0 = lanes + Float(2 * oy * w + 2 * ox)
                var best = SIMD8<Float>(repeating: -.infinity), bi = i0
                @inline(__always) func take(_ v: SIMD8<Float>, _ offset: Int) {
                    let m = v .> best
                    best.replace(with: v, where: m); bi.replace(with: i0 + Float(offset), where: m)
                }
                take(top.evenHalf, 0); take(top.oddHalf, 1); take(bottom.evenHalf, w); take(bottom.oddHalf, w + 1)
                UnsafeMutableRawPointer(dst + oy * ow + ox).storeBytes(of: best, as: SIMD8<Float>.self)
                if let arg { UnsafeMutableRawPointer(arg + oy * ow + ox).storeBytes(of: bi, as: SIMD8<Float>.self) }
                ox += 8
            }
            while ox < ow {  // rows narrower than 8 outputs
                let i0 = 2 * oy * w + 2 * ox
                var best = -Float.infinity, bi = i0
                for i in 0..<4 {
                    let j = i0 + (i >> 1) * w + (i & 1)
                    if src[j] > best { best = src[j]; bi = j }
                }
                dst[oy * ow + ox] = best; arg?[oy * ow + ox] = Float(bi)
                ox += 1
            }
        }
    }

    public func maxPool2dBackward(dy: DeviceBuffer, indices: DeviceBuffer, dx: DeviceBuffer, geometry g: Pool2dGeometry) {
        let dy = ptr(dy), idx = ptr(indices), dx = ptr(dx)
        let (h, w, oh, ow) = (g.inHeight, g.inWidth, g.outHeight, g.outWidth)
        parallelFor(g.batch * g.channels, minimumChunk: 16) { _, planes in
            for plane in planes {
                let out = dx + plane * h * w, grad = dy + plane * oh * ow, arg = idx + plane * oh * ow
                if g.kernelSize == 2 && g.stride == 2 { maxUnpool2x2Plane(grad, arg, out, h: h, w: w, oh: oh, ow: ow); continue }
                out.update(repeating: 0, count: h * w)
                for i in 0..<(oh * ow) { out[Int(arg[i])] += grad[i] }
            }
        }
    }

    /// Backward of the disjoint 2×2 windows: every input element is written once (the gradient at the
    /// window's argmax, zero elsewhere, zero outside all windows), with no separate zero-fill pass.
    @inline(__always)
    private func maxUnpool2x2Plane(_ grad: UnsafePointer<Float>, _ arg: UnsafePointer<Float>,
                                   _ out: UnsafeMutablePointer<Float>, h: Int, w: Int, oh: Int, ow: Int) {
        let lanes = SIMD8<Float>(0, 2, 4, 6, 8, 10, 12, 14), zero = SIMD8<Float>(repeating: 0)
        for oy in 0..<oh {
            let r0 = out + 2 * oy * w, r1 = r0 + w
            var ox = 0
            // 8 windows at a time (the last group may overlap the previous one: same values again).
            while ow >= 8 && ox < ow {
                ox = min(ox, ow - 8)
                let gv = UnsafeRawPointer(grad + oy * ow + ox).loadUnaligned(as: SIMD8<Float>.self)
                let a = UnsafeRawPointer(arg + oy * ow + ox).loadUnaligned(as: SIMD8<Float>.self)
                    - (lanes + Float(2 * oy * w + 2 * ox))
                var top = SIMD16<Float>(), bottom = SIMD16<Float>()
                top.evenHalf = zero.replacing(with: gv, where: a .== 0)
                top.oddHalf = zero.replacing(with: gv, where: a .== 1)
                bottom.evenHalf = zero.replacing(with: gv, where: a .== Float(w))
                bottom.oddHalf = zero.replacing(with: gv, where: a .== Float(w + 1))
                UnsafeMutableRawPointer(r0 + 2 * ox).storeBytes(of: top, as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(r1 + 2 * ox).storeBytes(of: bottom, as: SIMD16<Float>.self)
                ox += 8
            }
            while ox < ow {  // rows narrower than 8 windows
                let gv = grad[oy * ow + ox], a = Int(arg[oy * ow + ox]) - 2 * oy * w - 2 * ox
                r0[2 * ox] = a == 0 ? gv : 0
                r0[2 * ox + 1] = a == 1 ? gv : 0
                r1[2 * ox] = a == w ? gv : 0
                r1[2 * ox + 1] = a == w + 1 ? gv : 0
                ox += 1
            }
            if w > 2 * ow { for x in (2 * ow)..<w { r0[x] = 0; r1[x] = 0 } }
        }
        if h > 2 * oh { (out + 2 * oh * w).update(repeating: 0, count: (h - 2 * oh) * w) }
    }
}
