/// Dense layers as `GEMM.sgemm`, rows split across workers.
extension CPUBackend {
    public func linearForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                              batch: Int, inFeatures: Int, outFeatures: Int) {
        let x = ptr(x), w = ptr(weight), b = ptr(bias), y = ptr(y)
        parallelFor(batch, minimumChunk: 8) { _, rows in
            for r in rows { (y + r * outFeatures).update(from: b, count: outFeatures) }
            GEMM.sgemm(transB: true, m: rows.count, n: outFeatures, k: inFeatures,
                       a: x + rows.lowerBound * inFeatures, lda: inFeatures, b: w, ldb: inFeatures,
                       beta: 1, c: y + rows.lowerBound * outFeatures, ldc: outFeatures)
        }
    }

    public func linearBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                                    batch: Int, inFeatures: Int, outFeatures: Int) {
        let dy = ptr(dy), w = ptr(weight), dx = ptr(dx)
        parallelFor(batch, minimumChunk: 8) { _, rows in
            GEMM.sgemm(m: rows.count, n: inFeatures, k: outFeatures,
                       a: dy + rows.lowerBound * outFeatures, lda: outFeatures, b: w, ldb: inFeatures,
                       beta: 0, c: dx + rows.lowerBound * inFeatures, ldc: inFeatures)
        }
    }

    public func linearBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                                     batch: Int, inFeatures: Int, outFeatures: Int) {
        let x = ptr(x), dy = ptr(dy), dw = ptr(dWeight), db = ptr(dBias)
        parallelFor(outFeatures, minimumChunk: 8) { _, outs in
            GEMM.sgemm(transA: true, m: outs.count, n: inFeatures, k: batch,
                       a: dy + outs.lowerBound, lda: outFeatures, b: x, ldb: inFeatures,
                       beta: 0, c: dw + outs.lowerBound * inFeatures, ldc: inFeatures)
            for o in outs {
                var s: Float = 0
                for b in 0..<batch { s += dy[b * outFeatures + o] }
                db[o] = s
            }
        }
    }
}
