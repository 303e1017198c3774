import CBLAS

/// Dense layers as `sgemm`, rows split across workers.
extension CPUBackend {
    public func linearForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                              batch: Int, inFeatures: Int, outFeatures: Int) {
        let x = ptr(x), w = ptr(weight), b = ptr(bias), y = ptr(y)
        parallelFor(batch, minimumChunk: 8) { _, rows in
            for r in rows { (y + r * outFeatures).update(from: b, count: outFeatures) }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(outFeatures),
                        Int32(inFeatures), 1, x + rows.lowerBound * inFeatures, Int32(inFeatures),
                        w, Int32(inFeatures), 1, y + rows.lowerBound * outFeatures, Int32(outFeatures))
        }
    }

    public func linearBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    batch: Int, inFeatures: Int, outFeatures: Int) {
        let dy = ptr(dy), w = ptr(weight), dx = ptr(dx)
        parallelFor(batch, minimumChunk: 8) { _, rows in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows.count), Int32(inFeatures),
                        Int32(outFeatures), 1, dy + rows.lowerBound * outFeatures, Int32(outFeatures),
                        w, Int32(inFeatures), 0, dx + rows.lowerBound * inFeatures, Int32(inFeatures))
        }
    }

    public func linearBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     batch: Int, inFeatures: Int, outFeatures: Int) {
        let x = ptr(x), dy = ptr(dy), dw = ptr(dWeight), db = ptr(dBias)
        parallelFor(outFeatures, minimumChunk: 8) { _, outs in
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outs.count), Int32(inFeatures),
                        Int32(batch), 1, dy + outs.lowerBound, Int32(outFeatures),
                        x, Int32(inFeatures), 0, dw + outs.lowerBound * inFeatures, Int32(inFeatures))
            for o in outs {
                var s: Float = 0
                for b in 0..<batch { s += dy[b * outFeatures + o] }
                db[o] = s
            }
        }
    }
}
