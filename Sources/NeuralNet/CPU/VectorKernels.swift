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
