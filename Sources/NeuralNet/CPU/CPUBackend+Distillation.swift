import Foundation

/// Knowledge distillation's loss at every position (the protocol's `distillationCrossEntropy`): the
/// student's softmax against a mix of the teachers' distribution and the hard label. Mirrors
/// `distillation_cross_entropy_forward` in `Kernels/softmax.cl` operation for operation.
extension CPUBackend {
    public func distillationCrossEntropy(logits: DeviceBuffer, teacher: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                         dLogits: DeviceBuffer, batch: Int, classes: Int, positions p: Int,
                                         share: Float, teacherScale: Float, scale: Float) {
        let z = ptr(logits), t = ptr(teacher), y = ptr(labels), l = ptr(losses), d = ptr(dLogits)
        var q = [Float](repeating: 0, count: classes)
        for b in 0..<batch {
            for j in 0..<p {
                let i = b * p + j
                let col = z + b * classes * p + j, g = d + b * classes * p + j, row = t + i * classes
                // The target: α·softmax(teacherScale·teacher) plus (1 − α)·onehot(label) where there is a label.
                var tm = -Float.infinity
                for c in 0..<classes { tm = max(tm, teacherScale * row[c]) }
                var ts: Float = 0
                for c in 0..<classes { q[c] = expf(teacherScale * row[c] - tm); ts += q[c] }
                for c in 0..<classes { q[c] = share * (q[c] / ts) }
                var total = share
                if y[i] >= 0 {
                    let label = Int(y[i])
                    precondition(label < classes && Float(label) == y[i], "label \(y[i]) outside 0..<\(classes)")
                    q[label] += 1 - share
                    total += 1 - share
                }
                var m = -Float.infinity
                for c in 0..<classes { m = max(m, col[c * p]) }
                var s: Float = 0
                for c in 0..<classes { s += expf(col[c * p] - m) }
                let lse = m + logf(s)
                var loss: Float = 0
                for c in 0..<classes {
                    loss += q[c] * (lse - col[c * p])
                    g[c * p] = (total * (expf(col[c * p] - m) / s) - q[c]) * scale
                }
                l[i] = loss
            }
        }
    }
}
