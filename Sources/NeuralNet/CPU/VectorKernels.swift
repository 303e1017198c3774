/// Branch-free elementwise loops on 16-lane vectors for `CPUBackend` (the scalar forms compile to
/// one compare-and-branch per element, which mispredicts half the time on ReLU masks).

private typealias V16 = SIMD16<Float>

/// `y[i] = max(x[i], 0)` for `i` in `range`, with `Swift.max`'s semantics (`0 >= x ? 0 : x`, so NaN passes).
@inline(__always)
func reluForwardRange(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
    let xs = UnsafeRawPointer(x), ys = UnsafeMutableRawPointer(y)
    var i = range.lowerBound
    while i + 16 <= range.upperBound {
        let v = xs.loadUnaligned(fromByteOffset: i * 4, as: V16.self)
        ys.storeBytes(of: v.replacing(with: 0, where: v .<= 0), toByteOffset: i * 4, as: V16.self)
        i += 16
    }
    while i < range.upperBound { y[i] = max(x[i], 0); i += 1 }
}

/// `dx[i] = y[i] > 0 ? dy[i] : 0` for `i` in `range`.
@inline(__always)
func reluBackwardRange(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                       _ range: Range<Int>) {
    let ys = UnsafeRawPointer(y), gs = UnsafeRawPointer(dy), ds = UnsafeMutableRawPointer(dx)
    var i = range.lowerBound
    while i + 16 <= range.upperBound {
        let v = ys.loadUnaligned(fromByteOffset: i * 4, as: V16.self)
        let g = gs.loadUnaligned(fromByteOffset: i * 4, as: V16.self)
        ds.storeBytes(of: V16(repeating: 0).replacing(with: g, where: v .> 0), toByteOffset: i * 4, as: V16.self)
        i += 16
    }
    while i < range.upperBound { dx[i] = y[i] > 0 ? dy[i] : 0; i += 1 }
}

/// `dst[i] += src[i]` for `i < count`.
@inline(__always)
func addFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
    var i = 0
    while i + 16 <= count {
        let v = d.loadUnaligned(fromByteOffset: i * 4, as: V16.self) + s.loadUnaligned(fromByteOffset: i * 4, as: V16.self)
        d.storeBytes(of: v, toByteOffset: i * 4, as: V16.self)
        i += 16
    }
    while i < count { dst[i] += src[i]; i += 1 }
}

/// `dst[i] = src[i] + bias` for `i < count`.
@inline(__always)
func addBias(_ src: UnsafePointer<Float>, _ bias: Float, into dst: UnsafeMutablePointer<Float>, count: Int) {
    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src), b = V16(repeating: bias)
    var i = 0
    while i + 16 <= count {
        d.storeBytes(of: s.loadUnaligned(fromByteOffset: i * 4, as: V16.self) + b, toByteOffset: i * 4, as: V16.self)
        i += 16
    }
    while i < count { dst[i] = src[i] + bias; i += 1 }
}

/// `dst[i] = max(src[i] + bias, 0)` for `i < count` (`src` may be `dst`).
@inline(__always)
func addBiasReLU(_ src: UnsafePointer<Float>, _ bias: Float, into dst: UnsafeMutablePointer<Float>, count: Int) {
    let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src), b = V16(repeating: bias), zero = V16()
    var i = 0
    while i + 16 <= count {
        let v = s.loadUnaligned(fromByteOffset: i * 4, as: V16.self) + b
        d.storeBytes(of: v.replacing(with: zero, where: v .< zero), toByteOffset: i * 4, as: V16.self)
        i += 16
    }
    while i < count { dst[i] = max(src[i] + bias, 0); i += 1 }
}

/// `Σ p[i]` for `i < count`, in 16 interleaved partial sums.
@inline(__always)
func sumFloats(_ p: UnsafePointer<Float>, count: Int) -> Float {
    let raw = UnsafeRawPointer(p)
    var acc = V16(repeating: 0)
    var i = 0
    while i + 16 <= count { acc += raw.loadUnaligned(fromByteOffset: i * 4, as: V16.self); i += 16 }
    var s = acc.sum()
    while i < count { s += p[i]; i += 1 }
    return s
}

/// The Adam/AdamW update of `CPUBackend.adamUpdate` on `range`, 16 lanes at a time, with the same
/// operations in the same order per element as the scalar tail (so results match it bit for bit).
@inline(__always)
func adamRange(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
               _ v: UnsafeMutablePointer<Float>, _ range: Range<Int>,
               b1: Float, b2: Float, c1: Float, c2: Float, lr: Float, eps: Float, decay: Float) {
    let pr = UnsafeMutableRawPointer(p), gr = UnsafeRawPointer(g)
    let mr = UnsafeMutableRawPointer(m), vr = UnsafeMutableRawPointer(v)
    var i = range.lowerBound
    while i + 16 <= range.upperBound {
        let o = i * 4
        let gi = gr.loadUnaligned(fromByteOffset: o, as: V16.self)
        let mi = b1 * mr.loadUnaligned(fromByteOffset: o, as: V16.self) + (1 - b1) * gi
        let vi = b2 * vr.loadUnaligned(fromByteOffset: o, as: V16.self) + (1 - b2) * gi * gi
        mr.storeBytes(of: mi, toByteOffset: o, as: V16.self)
        vr.storeBytes(of: vi, toByteOffset: o, as: V16.self)
        let mHat = mi / c1, vHat = vi / c2
        let pi = pr.loadUnaligned(fromByteOffset: o, as: V16.self) * decay - lr * mHat / (vHat.squareRoot() + eps)
        pr.storeBytes(of: pi, toByteOffset: o, as: V16.self)
        i += 16
    }
    while i < range.upperBound {
        m[i] = b1 * m[i] + (1 - b1) * g[i]
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
        let mHat = m[i] / c1, vHat = v[i] / c2
        p[i] = p[i] * decay - lr * mHat / (vHat.squareRoot() + eps)
        i += 1
    }
}
