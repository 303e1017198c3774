import CGemm

/// Convolutions whose k×k kernel covers the whole input height (padding 0, stride 1, one output row: the
/// strip reader's 7×7 head, 64→192 on 7×49) are 1-D convolutions of k taps over the `C·H` rows. Their taps
/// run in groups of three as Winograd's 1-D F(2, 3), the rest directly (Sources/CGemm/lnet_rowwinograd.c):
/// 10 multiplies per two outputs and row instead of 14 for k = 7, as 4 GEMMs `[O, K_e] · [K_e, tiles]`.
/// As in the im2col path, `group` images go side by side through each GEMM.
extension CPUBackend {
    /// Output columns (tiles) one row-Winograd GEMM aims for: fewer than im2col's `groupedColumns`, as the
    /// transformed input (4 × 1344 rows per reader image) must stay near the caches between its transform
    /// and the GEMMs. The reader's head (32 images, one core, CPU time, lnet_sgemm): groups of 4, 8, 12 and
    /// 23 images took 14.7, 13.9, 16.2 and 18.7 ms (im2col: 18 ms).
    static let rowWinogradColumns = 180

    func rowWinogradForward(x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
                            bias b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
                            geometry g: Conv2dGeometry, relu: Bool) {
        let (rows, k, o, ow, width) = (g.inChannels * g.inHeight, g.kernelSize, g.outChannels, g.outWidth, g.inWidth)
        let depth = lnet_rowwinograd_depth(Int32(rows), Int32(k)), middle = (k / 3) * rows
        let tiles = (ow + 1) / 2, inStride = rows * width
        let u = scratchBuffer(8, count: 4 * o * depth)
        lnet_rowwinograd_kernel(w, Int32(o), Int32(rows), Int32(k), u)
        let group = Self.chunkSize(batch: g.batch, widest: Self.rowWinogradColumns / tiles, threads: threads)
        let rowScratch = lnet_rowwinograd_scratch(Int32(width), Int32(k), Int32(tiles))
        let vs = scratchBuffer(9, count: threads * 4 * depth * tiles * group)
        let ms = scratchBuffer(10, count: threads * 4 * o * tiles * group)
        let pads = scratchBuffer(11, count: threads * rowScratch)
        parallelChunks(g.batch, chunk: group) { worker, images in
            let v = vs + worker * 4 * depth * tiles * group, m = ms + worker * 4 * o * tiles * group
            let pad = pads + worker * rowScratch
            // One claimed chunk: at most `group` images, side by side through the 4 GEMMs.
            let (first, count) = (images.lowerBound, images.count), ld = count * tiles
            for j in 0..<count {
                lnet_rowwinograd_input(x + (first + j) * inStride, Int32(rows), Int32(width), Int32(k), Int32(tiles),
                                       v + j * tiles, depth * ld, ld, pad)
            }
            for e in 0..<4 {
                GEMM.sgemm(m: o, n: ld, k: e == 0 || e == 3 ? depth : middle, a: u + e * o * depth, lda: depth,
                           b: v + e * depth * ld, ldb: ld, beta: 0, c: m + e * o * ld, ldc: ld)
            }
            for j in 0..<count {
                lnet_rowwinograd_output(m + j * tiles, o * ld, ld, Int32(o), Int32(tiles), Int32(ow), b, relu ? 1 : 0,
                                        y + (first + j) * o * ow)
            }
        }
    }
}
