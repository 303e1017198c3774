/// Max pooling, planes split across workers.
extension CPUBackend {
    public func maxPool2dForward(x: DeviceBuffer, y: DeviceBuffer, indices: DeviceBuffer, geometry g: Pool2dGeometry) {
        let x = ptr(x), y = ptr(y), idx = ptr(indices)
        let (h, w, oh, ow, k, s) = (g.inHeight, g.inWidth, g.outHeight, g.outWidth, g.kernelSize, g.stride)
        parallelFor(g.batch * g.channels, minimumChunk: 16) { _, planes in
            for plane in planes {
                let src = x + plane * h * w, dst = y + plane * oh * ow, arg = idx + plane * oh * ow
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
                        arg[oy * ow + ox] = Float(bestIndex)
                    }
                }
            }
        }
    }

    public func maxPool2dBackward(dy: DeviceBuffer, indices: DeviceBuffer, dx: DeviceBuffer, geometry g: Pool2dGeometry) {
        let dy = ptr(dy), idx = ptr(indices), dx = ptr(dx)
        let (h, w, oh, ow) = (g.inHeight, g.inWidth, g.outHeight, g.outWidth)
        parallelFor(g.batch * g.channels, minimumChunk: 16) { _, planes in
            for plane in planes {
                let out = dx + plane * h * w, grad = dy + plane * oh * ow, arg = idx + plane * oh * ow
                out.update(repeating: 0, count: h * w)
                for i in 0..<(oh * ow) { out[Int(arg[i])] += grad[i] }
            }
        }
    }
}
