import CGemm

/// 2×2, stride-2 max pooling at inference, where no argmax indices are kept: a C loop (Sources/CGemm/lnet_pool.c,
/// AVX-512 where the processor has it) that only reads, compares and writes. The strip reader's first pooling
/// (64×32×28×196 per batch) took about three times as long as its first convolution in the Swift loop that
/// also tracks the argmax. Without NaNs the outputs equal that loop's (`maxPool2dForward` with indices).
extension CPUBackend {
    func maxPool2x2Inference(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: Pool2dGeometry) {
        let (h, w) = (g.inHeight, g.inWidth), (oh, ow) = (g.outHeight, g.outWidth)
        parallelFor(g.batch * g.channels, minimumChunk: 16) { _, planes in
            lnet_maxpool2x2(x + planes.lowerBound * h * w, Int32(planes.count), Int32(h), Int32(w),
                            y + planes.lowerBound * oh * ow)
        }
    }
}
