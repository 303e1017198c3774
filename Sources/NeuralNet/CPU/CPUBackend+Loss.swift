import Foundation

/// The masked, per-position softmax cross-entropy (the strip reader's loss).
extension CPUBackend {
    public func maskedSoftmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                          dLogits: DeviceBuffer, batch: Int, classes: Int, positions p: Int,
                                          scale: Float) {
        let z = ptr(logits), t = ptr(labels), l = ptr(losses), d = ptr(dLogits)
        for b in 0..<batch {
            let row = z + b * classes * p, g = d + b * classes * p
            for j in 0..<p {
                guard t[b * p + j] >= 0 else {
                    l[b * p + j] = 0
                    for c in 0..<classes { g[c * p + j] = 0 }
                    continue
                }
                let label = Int(t[b * p + j])
                precondition(label < classes && Float(label) == t[b * p + j], "label \(t[b * p + j]) outside 0..<\(classes)")
                var m = -Float.infinity
                for c in 0..<classes { m = max(m, row[c * p + j]) }
                var s: Float = 0
                for c in 0..<classes { g[c * p + j] = expf(row[c * p + j] - m); s += g[c * p + j] }
                l[b * p + j] = (m + logf(s)) - row[label * p + j]
                for c in 0..<classes { g[c * p + j] = g[c * p + j] / s * scale }
                g[label * p + j] -= scale
            }
        }
    }
}
