import CGemm

/// One-channel images (a first layer on grey images: the strip reader's 1→32 3×3 on 28×196), stride 1:
/// a direct convolution in C (Sources/CGemm/lnet_conv1ch.c) with the bias and ReLU in the same pass,
/// instead of a 9-row im2col and a GEMM nine deep. Images are split across workers.
extension CPUBackend {
    func oneChannelForward(x: UnsafeMutablePointer<Float>, weight w: UnsafeMutablePointer<Float>,
                           bias b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
                           geometry g: Conv2dGeometry, relu: Bool) {
        let (h, wd, k, p) = (Int32(g.inHeight), Int32(g.inWidth), Int32(g.kernelSize), Int32(g.padding))
        let planeCount = lnet_conv1ch_scratch(h, wd, k, p)
        let planes = scratchBuffer(7, count: threads * planeCount)
        let inStride = g.inHeight * g.inWidth, outStride = g.outChannels * g.outHeight * g.outWidth
        parallelFor(g.batch) { worker, images in
            for image in images {
                lnet_conv1ch_forward(x + image * inStride, h, wd, w, b, Int32(g.outChannels), k, p, relu ? 1 : 0,
                                     y + image * outStride, planes + worker * planeCount)
            }
        }
    }
}
