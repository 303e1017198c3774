/// Softmax cross-entropy at every position of `[N, C, H, W]` logits (C classes scored at each of the
/// H·W positions) against one class per position or none (masked), averaged over the targeted
/// positions; computed on the backend (`Backend.maskedSoftmaxCrossEntropy`). Keeps its buffers
/// between calls of the same shape.
public final class MaskedCrossEntropyLoss {
    let backend: Backend
    let buffers: PositionLossBuffers

    public init(backend: Backend) { self.backend = backend; buffers = PositionLossBuffers(backend: backend) }

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
        let (t, l, g, counted) = buffers.prepare(logits: logits, targets: targets, loss: "masked cross-entropy")
        let (n, c, p) = (logits.shape[0], logits.shape[1], logits.shape[2] * logits.shape[3])
        backend.maskedSoftmaxCrossEntropy(logits: logits.buffer, labels: t.buffer, losses: l.buffer, dLogits: g.buffer,
                                          batch: n, classes: c, positions: p, scale: 1 / Float(max(counted, 1)))
        return (l, g, counted)
    }
}

/// The buffers of a per-position loss (`MaskedCrossEntropyLoss`, `DistillationLoss`), kept between calls
/// of the same shape: the labels uploaded, the per-position losses and the logits' gradient.
final class PositionLossBuffers {
    let backend: Backend
    var labels: Tensor?, losses: Tensor?, gradient: Tensor?

    init(backend: Backend) { self.backend = backend }

    /// Checks `[N, C, H, W]` logits against `targets` `[N, H·W]` (a 0-based class, or negative for none),
    /// uploads the targets and gives the buffers, with the number of targeted positions.
    func prepare(logits: Tensor, targets: [Int], loss: String) -> (labels: Tensor, losses: Tensor, gradient: Tensor, counted: Int) {
        precondition(logits.shape.count == 4, "\(loss): logits \(logits.shape) are not [N, C, H, W]")
        let (n, p) = (logits.shape[0], logits.shape[2] * logits.shape[3])
        precondition(targets.count == n * p, "\(loss): \(targets.count) targets for \(n)×\(p) positions")
        let t = reuse(&labels, shape: [n, p], on: backend)
        let l = reuse(&losses, shape: [n, p], on: backend)
        let g = reuse(&gradient, shape: logits.shape, on: backend)
        t.copy(from: targets.map { Float(max($0, -1)) })
        return (t, l, g, targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) })
    }
}
