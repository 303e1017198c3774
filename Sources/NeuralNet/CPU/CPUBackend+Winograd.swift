import CGemm

/// 3×3 stride-1 convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016): each
/// 2×2 output tile costs 16 multiplies per (input, output) channel pair instead of 36, so the
/// products shrink 2.25×, at the price of transforms (Sources/CGemm/lnet_winograd.c) that cost
/// O(channels · tiles) each. The products run as 16 GEMMs, one per transform element ξ:
///
///     M[ξ] (O × P) = U[ξ] (O × C) · V[ξ] (C × P)      P = tiles of a group of images
///
/// where U = G g Gᵀ (weights), V = Bᵀ d B (input tiles) and each output tile is Aᵀ M A. Images go
/// `group` at a time so that P stays wide (see `winogradTiles`). The input gradient is the same
/// convolution of `dy` (padding 2 − p) with the kernels turned 180° and their channels swapped.
/// `CPUBackend.convolutionAlgorithm` picks the path (`ConvolutionAlgorithm.prefersWinograd`).
extension CPUBackend {
    /// Tiles one group of images aims for: wide enough that the 16 GEMMs are not dominated by
    /// packing, small enough that a worker's V and M stay within a few MB.
    static let winogradTiles = 512

    func winogradForward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                         y: UnsafeMutablePointer<Float>, geometry g: Conv2dGeometry, relu: Bool) {
        let u = scratchBuffer(2, count: 16 * g.outChannels * g.inChannels)
        lnet_winograd_kernel(weight, Int32(g.outChannels), Int32(g.inChannels), 0, u)
        winograd(input: x, u: u, bias: bias, relu: relu, output: y, plan: WinogradPlan(g))
    }

    func winogradBackwardInput(dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               dx: UnsafeMutablePointer<Float>, geometry g: Conv2dGeometry) {
        let u = scratchBuffer(2, count: 16 * g.outChannels * g.inChannels)
        lnet_winograd_kernel(weight, Int32(g.outChannels), Int32(g.inChannels), 1, u)
        winograd(input: dy, u: u, bias: nil, relu: false, output: dx, plan: WinogradPlan(inputGradientOf: g))
    }

    /// The Winograd convolution of `plan`: kernels already transformed into `u` (`[16][O][C]`).
    private func winograd(input x: UnsafePointer<Float>, u: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                          relu: Bool, output y: UnsafeMutablePointer<Float>, plan: WinogradPlan) {
        let (c, o, tiles) = (plan.inChannels, plan.outChannels, plan.tilesHigh * plan.tilesWide)
        let group = Self.chunkSize(batch: plan.batch, widest: Self.winogradTiles / tiles, threads: threads)
        let p = group * tiles
        let inPlane = plan.inHeight * plan.inWidth, outPlane = plan.outHeight * plan.outWidth
        let padScratch = lnet_winograd_input_scratch(Int32(plan.tilesHigh), Int32(plan.tilesWide))
        let small = max(padScratch, 4 * plan.tilesWide)
        let vs = scratchBuffer(3, count: threads * 16 * c * p)
        let ms = scratchBuffer(4, count: threads * 16 * o * p)
        let ss = scratchBuffer(5, count: threads * small)
        let (th, tw) = (Int32(plan.tilesHigh), Int32(plan.tilesWide))
        parallelChunks(plan.batch, chunk: group) { worker, images in
            let v = vs + worker * 16 * c * p, m = ms + worker * 16 * o * p, s = ss + worker * small
            // One claimed chunk: at most `group` images, side by side through the 16 GEMMs.
            let (first, count) = (images.lowerBound, images.count), n = count * tiles
            for j in 0..<count {
                let image = x + (first + j) * c * inPlane
                for ch in 0..<c {
                    lnet_winograd_input(image + ch * inPlane, Int32(plan.inHeight), Int32(plan.inWidth),
                                        Int32(plan.padding), th, tw, v + ch * n + j * tiles, c * n, s)
                }
            }
            for xi in 0..<16 {
                GEMM.sgemm(m: o, n: n, k: c, a: u + xi * o * c, lda: c, b: v + xi * c * n, ldb: n,
                           beta: 0, c: m + xi * o * n, ldc: n)
            }
            for j in 0..<count {
                let image = y + (first + j) * o * outPlane
                for oc in 0..<o {
                    lnet_winograd_output(m + oc * n + j * tiles, o * n, th, tw, image + oc * outPlane,
                                         Int32(plan.outHeight), Int32(plan.outWidth), bias?[oc] ?? 0,
                                         relu ? 1 : 0, s)
                }
            }
        }
    }
}

/// The shapes of one Winograd convolution: the forward one of a geometry, or its input gradient's.
struct WinogradPlan {
    var batch, inChannels, inHeight, inWidth, padding, outChannels, outHeight, outWidth: Int
    var tilesHigh: Int { (outHeight + 1) / 2 }
    var tilesWide: Int { (outWidth + 1) / 2 }

    init(_ g: Conv2dGeometry) {
        (batch, inChannels, inHeight, inWidth, padding) = (g.batch, g.inChannels, g.inHeight, g.inWidth, g.padding)
        (outChannels, outHeight, outWidth) = (g.outChannels, g.outHeight, g.outWidth)
    }

    /// `dx = dy ⋆ rot180(w)ᵀ` with padding `2 − p`, which maps `[O, OH, OW]` back to `[C, H, W]`.
    init(inputGradientOf g: Conv2dGeometry) {
        (batch, inChannels, inHeight, inWidth, padding) = (g.batch, g.outChannels, g.outHeight, g.outWidth, 2 - g.padding)
        (outChannels, outHeight, outWidth) = (g.inChannels, g.inHeight, g.inWidth)
    }
}
