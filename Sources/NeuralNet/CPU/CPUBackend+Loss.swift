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
                l[b * p + j] = Self.crossEntropyColumn(row + j, g + j, stride: p, classes: classes, label: label, scale: scale)
            }
        }
    }
}
