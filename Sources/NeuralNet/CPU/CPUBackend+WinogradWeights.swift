import CGemm

/// The weight gradient of a 3×3 stride-1 convolution by Winograd F(2×2, 3×3), the transpose of the
/// forward pass in CPUBackend+Winograd.swift. The forward's products `M[ξ] = U[ξ] · V[ξ]` give
///
///     dU[ξ] (O × C) = Σ over the batch's tile groups  dM[ξ] (O × P) · V[ξ]ᵀ (P × C)
///
/// with `dM = A dY Aᵀ` for each 2×2 tile of the output gradient (a 4×4 tile) and `V = Bᵀ d B` as
/// in the forward pass; then `dW = Gᵀ dU G` back to 3×3 per channel pair. 16 multiplies per tile
/// and channel pair instead of 36. The bias gradient (the sum of `dY`) comes out of the same pass.
extension CPUBackend {
    /// Tiles one group of images aims for: each GEMM's depth, and what V and dM hold per worker. The
    /// products only accumulate into `[O, C]`, so depth buys little; 98 to 512 measured within a few
    /// percent of each other (`letternet bench --convolutions`), the smaller groups a little ahead on
    /// 14×14 maps (V and dM stay in a 1 MB L2).
    static let winogradWeightTiles = 128

    func winogradBackwardWeight(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
                                dBias: UnsafeMutablePointer<Float>, geometry g: Conv2dGeometry) {
        let plan = WinogradPlan(g)
        let (c, o, tiles) = (plan.inChannels, plan.outChannels, plan.tilesHigh * plan.tilesWide)
        let group = max(1, min(Self.winogradWeightTiles / tiles, (plan.batch + threads - 1) / threads))
        let p = group * tiles
        let inPlane = plan.inHeight * plan.inWidth, outPlane = plan.outHeight * plan.outWidth
        let small = lnet_winograd_input_scratch(Int32(plan.tilesHigh), Int32(plan.tilesWide))
        let vs = scratchBuffer(3, count: threads * 16 * c * p)
        let ms = scratchBuffer(4, count: threads * 16 * o * p)
        let ss = scratchBuffer(5, count: threads * small)
        // Each worker's partial dU (`[16][O][C]`), then its partial bias gradient.
        let du = 16 * o * c, partStride = du + o
        let partials = scratchBuffer(1, count: threads * partStride)
        let (th, tw) = (Int32(plan.tilesHigh), Int32(plan.tilesWide))
        let (h, w, pad) = (Int32(plan.inHeight), Int32(plan.inWidth), Int32(plan.padding))
        let (oh, ow) = (Int32(plan.outHeight), Int32(plan.outWidth))
        let workers = min(threads, max(1, plan.batch))
        parallelFor(plan.batch) { worker, images in
            let v = vs + worker * 16 * c * p, m = ms + worker * 16 * o * p, s = ss + worker * small
            let part = partials + worker * partStride, biasPart = part + du
            biasPart.update(repeating: 0, count: o)
            for first in stride(from: images.lowerBound, to: images.upperBound, by: group) {
                let count = min(group, images.upperBound - first), n = count * tiles
                for j in 0..<count {
                    let image = x + (first + j) * c * inPlane, grad = dy + (first + j) * o * outPlane
                    for ch in 0..<c {
                        lnet_winograd_input(image + ch * inPlane, h, w, pad, th, tw, v + ch * n + j * tiles, c * n, s)
                    }
                    for oc in 0..<o {
                        biasPart[oc] += lnet_winograd_output_gradient(grad + oc * outPlane, oh, ow, th, tw,
                                                                      m + oc * n + j * tiles, o * n, s)
                    }
                }
                let beta: Float = first == images.lowerBound ? 0 : 1
                for xi in 0..<16 {
                    GEMM.sgemm(transB: true, m: o, n: c, k: n, a: m + xi * o * n, lda: n, b: v + xi * c * n, ldb: n,
                               beta: beta, c: part + xi * o * c, ldc: c)
                }
            }
        }
        for worker in 1..<workers { addFloats(partials, partials + worker * partStride, count: partStride) }
        lnet_winograd_kernel_gradient(partials, Int32(o), Int32(c), dWeight)
        dBias.update(from: partials + du, count: o)
    }
}
