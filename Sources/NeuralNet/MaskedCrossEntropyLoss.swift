/// Softmax cross-entropy at every position of `[N, C, H, W]` logits (C classes scored at each of the
/// H·W positions) against one class per position or none (masked), averaged over the targeted
/// positions; computed on the backend (`Backend.maskedSoftmaxCrossEntropy`). Keeps its buffers
/// between calls of the same shape.
public final class MaskedCrossEntropyLoss {
    let backend: Backend
    var labels: Tensor?, losses: Tensor?, gradient: Tensor?

    public init(backend: Backend) { self.backend = backend }

    /// The mean loss over targeted positions and dL/d(logits), for `targets` `[N, H·W]` in row-major
    /// order: a 0-based class, or a negative number for no target. Only the per-position losses come
    /// back to the host; the mean is summed there in double, sample by sample, position by position.
    public func callAsFunction(logits: Tensor, targets: [Int]) -> (loss: Double, gradient: Tensor) {
        let (l, g, counted) = queue(logits: logits, targets: targets)
        // Masked positions hold 0, which leaves the sum as the targeted ones alone make it.
        let total = l.toArray().reduce(0.0) { $0 + Double($1) }
        return (total / Double(max(counted, 1)), g)
    }

    /// dL/d(logits) as ``callAsFunction(logits:targets:)`` gives it, without reading anything back: the
    /// mean loss goes to `record[index]` on the device (`Backend.meanLoss`, summed in float).
    public func gradient(logits: Tensor, targets: [Int], meanInto record: DeviceBuffer, at index: Int) -> Tensor {
        let (l, g, counted) = queue(logits: logits, targets: targets)
        backend.meanLoss(losses: l.buffer, count: l.count, divisor: Float(max(counted, 1)), record: record, index: index)
        return g
    }

    /// Uploads the targets and queues the per-position losses and the gradient; `counted` targeted positions.
    func queue(logits: Tensor, targets: [Int]) -> (losses: Tensor, gradient: Tensor, counted: Int) {
        precondition(logits.shape.count == 4, "masked cross-entropy: logits \(logits.shape) are not [N, C, H, W]")
        let (n, c, p) = (logits.shape[0], logits.shape[1], logits.shape[2] * logits.shape[3])
        precondition(targets.count == n * p, "masked cross-entropy: \(targets.count) targets for \(n)×\(p) positions")
        let t = reuse(&labels, shape: [n, p], on: backend)
        let l = reuse(&losses, shape: [n, p], on: backend)
        let g = reuse(&gradient, shape: logits.shape, on: backend)
        t.copy(from: targets.map { Float(max($0, -1)) })
        let counted = targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        backend.maskedSoftmaxCrossEntropy(logits: logits.buffer, labels: t.buffer, losses: l.buffer, dLogits: g.buffer,
                                          batch: n, classes: c, positions: p, scale: 1 / Float(max(counted, 1)))
        return (l, g, counted)
    }
}
