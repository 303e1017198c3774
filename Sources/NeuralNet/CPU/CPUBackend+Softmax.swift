import Foundation

/// Softmax and the cross-entropy losses built on it: the plain one (a row per sample) and the masked,
/// per-position one (the strip reader's loss).
extension CPUBackend {
    public func softmax(logits: DeviceBuffer, probabilities: DeviceBuffer, batch: Int, classes: Int) {
        let z = ptr(logits), p = ptr(probabilities)
        for b in 0..<batch {
            let row = z + b * classes, out = p + b * classes
            var m = -Float.infinity
            for c in 0..<classes { m = max(m, row[c]) }
            var s: Float = 0
            for c in 0..<classes { out[c] = expf(row[c] - m); s += out[c] }
            for c in 0..<classes { out[c] /= s }
        }
    }

    public func logSoftmaxPositions(logits: DeviceBuffer, out: DeviceBuffer, batch: Int, classes: Int, positions p: Int) {
        let z = ptr(logits), o = ptr(out)
        for b in 0..<batch {
            let base = z + b * classes * p, rows = o + b * p * classes
            for j in 0..<p {
                var m = -Float.infinity
                for c in 0..<classes { m = max(m, base[c * p + j]) }
                var s: Float = 0
                for c in 0..<classes { s += expf(base[c * p + j] - m) }
                let lse = m + logf(s)
                for c in 0..<classes { rows[j * classes + c] = base[c * p + j] - lse }
            }
        }
    }

    public func softmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                    dLogits: DeviceBuffer, batch: Int, classes: Int, smoothing: Float) {
        let z = ptr(logits), t = ptr(labels), l = ptr(losses), d = ptr(dLogits)
        for b in 0..<batch {
            let label = Int(t[b])
            precondition(label >= 0 && label < classes, "label \(t[b]) outside 0..<\(classes)")
            l[b] = Self.crossEntropyColumn(z + b * classes, d + b * classes, stride: 1, classes: classes,
                                           label: label, scale: 1 / Float(batch), smoothing: smoothing)
        }
    }

    /// The loss of one score column `z[c·stride]` (`c < classes`) against `label`, logsumexp(z) − z[label],
    /// with its gradient `g[c·stride] = (softmax(z) − onehot(label)) · scale`: the plain cross-entropy
    /// (a row per sample) and the masked one (a column per sample and position) both. With `smoothing` ε > 0
    /// the target is (1 − ε)·onehot + ε/C: the loss logsumexp(z) − (1 − ε)·z[label] − (ε/C)·Σz and the
    /// gradient (softmax(z) − target) · scale; ε = 0 takes none of those steps (the plain loss, bit for bit).
    static func crossEntropyColumn(_ z: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, stride: Int,
                                   classes: Int, label: Int, scale: Float, smoothing: Float = 0) -> Float {
        var m = -Float.infinity
        for c in 0..<classes { m = max(m, z[c * stride]) }
        var s: Float = 0
        for c in 0..<classes { g[c * stride] = expf(z[c * stride] - m); s += g[c * stride] }
        for c in 0..<classes { g[c * stride] = g[c * stride] / s * scale }
        guard smoothing > 0 else {
            g[label * stride] -= scale
            return (logf(s) + m) - z[label * stride]
        }
        let uniform = smoothing / Float(classes)
        var sum: Float = 0
        for c in 0..<classes { sum += z[c * stride]; g[c * stride] -= uniform * scale }
        g[label * stride] -= (1 - smoothing) * scale
        return (logf(s) + m) - (1 - smoothing) * z[label * stride] - uniform * sum
    }

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
                l[b * p + j] = Self.crossEntropyColumn(row + j, g + j, stride: p, classes: classes, label: label, scale: scale)
            }
        }
    }
}
