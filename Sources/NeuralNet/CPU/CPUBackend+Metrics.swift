/// A training step's mean loss and hits, written into a record slot (see `Backend.meanLoss`).
extension CPUBackend {
    /// Sums in element order, in float, as the host summed the read-back losses before.
    public func meanLoss(losses: DeviceBuffer, count: Int, divisor: Float, record: DeviceBuffer, index: Int) {
        let l = ptr(losses)
        var sum: Float = 0
        for i in 0..<count { sum += l[i] }
        ptr(record)[index] = sum / divisor
    }

    public func countHits(logits: DeviceBuffer, labels: DeviceBuffer, batch: Int, classes: Int,
                          record: DeviceBuffer, index: Int) {
        let z = ptr(logits), t = ptr(labels)
        var hits = 0
        for b in 0..<batch {
            let row = z + b * classes
            var best = 0
            for c in 1..<max(classes, 1) where row[c] > row[best] { best = c }
            if Float(best) == t[b] { hits += 1 }
        }
        ptr(record)[index] = Float(hits)
    }
}
