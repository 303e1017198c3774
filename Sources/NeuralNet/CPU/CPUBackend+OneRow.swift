/// One-row convolutions: a k×k kernel with padding `p < k` on a one-row input (H = 1) whose output
/// has one row too reads the input with its kernel row `p` only; the other rows fall on the zero
/// padding rows. So the forward pass runs as a 1×k convolution: k input shifts per channel in each
/// column (`C·k` rows instead of `C·k²`), k times fewer multiplies. The strip reader's `context`
/// convolutions (192→192, 3×3 padding 1 on `[N, 192, 1, P]`) are such; with im2col two thirds of
/// their multiplies were by zero padding.
///
/// Weights, checkpoints and the other backends are untouched: the kernel's middle row is gathered
/// on each call (`O·C·k` floats, against the `O·C·k·N·P` multiply-adds it saves).
extension CPUBackend {
    func oneRowForward(x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
                       bias b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
                       geometry g: Conv2dGeometry, relu: Bool) {
        let (k, p, c, o) = (g.kernelSize, g.padding, g.inChannels, g.outChannels)
        let rowWeights = scratchBuffer(6, count: o * c * k)
        for kernel in 0..<(o * c) {  // w[oc][ic][p][·] into rowWeights[oc][ic][·]
            (rowWeights + kernel * k).update(from: w + (kernel * k + p) * k, count: k)
        }
        unfoldedForward(x: x, weights: rowWeights, patch: c * k, bias: b, y: y, geometry: g, relu: relu) {
            unfoldRow($0, $1, g, rowStride: $2)
        }
    }

    /// Columns of a 1×k convolution of the one-row image `x` (`[C, 1, W]`): row `c·k + j` holds
    /// `x[c][ox·s − p + j]` for each output column `ox` (zero outside the row).
    private func unfoldRow(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, _ g: Conv2dGeometry,
                           rowStride: Int) {
        let (k, p, s, w, ow) = (g.kernelSize, g.padding, g.stride, g.inWidth, g.outWidth)
        for c in 0..<g.inChannels {
            let line = x + c * w
            for j in 0..<k {
                let dst = col + (c * k + j) * rowStride
                if s == 1 {  // one contiguous run of the row, zeros either side
                    let lo = min(ow, max(0, p - j)), hi = max(lo, min(ow, w + p - j))
                    dst.update(repeating: 0, count: lo)
                    (dst + lo).update(from: line + lo - p + j, count: hi - lo)
                    (dst + hi).update(repeating: 0, count: ow - hi)
                } else {
                    for ox in 0..<ow {
                        let ix = ox * s - p + j
                        dst[ox] = ix >= 0 && ix < w ? line[ix] : 0
                    }
                }
            }
        }
    }
}
