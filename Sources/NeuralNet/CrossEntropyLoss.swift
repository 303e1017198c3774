/// Softmax cross-entropy with integer class targets, averaged over the batch; computed stably
/// (log-sum-exp) on the backend. With `smoothing` ε > 0 the targets are smoothed (label smoothing,
/// Szegedy et al. 2016): (1 − ε) on the label and ε/C spread over all C classes. Keeps its buffers
/// between calls of the same batch size.
public final class CrossEntropyLoss {
    let backend: Backend
    public let smoothing: Float
    var losses: Tensor?, gradient: Tensor?

    public init(backend: Backend, smoothing: Float = 0) {
        precondition(smoothing >= 0 && smoothing < 1, "label smoothing \(smoothing) outside 0..<1")
        self.backend = backend
        self.smoothing = smoothing
    }

    /// Returns the mean loss and dL/d(logits) for `logits` `[N, C]` and `labels` `[N]` (0-based class
    /// indices stored as floats). Only the N per-sample losses come back to the host.
    public func callAsFunction(logits: Tensor, labels: Tensor) -> (loss: Float, gradient: Tensor) {
        let (l, g) = queue(logits: logits, labels: labels)
        let values = l.toArray()
        return (values.reduce(0, +) / Float(l.count), g)
    }

    /// dL/d(logits) as ``callAsFunction(logits:labels:)`` gives it, without reading anything back: the
    /// mean loss goes to `record[index]` on the device (`Backend.meanLoss`, the same float sum).
    public func gradient(logits: Tensor, labels: Tensor, meanInto record: DeviceBuffer, at index: Int) -> Tensor {
        let (l, g) = queue(logits: logits, labels: labels)
        backend.meanLoss(losses: l.buffer, count: l.count, divisor: Float(l.count), record: record, index: index)
        return g
    }

    /// Queues the per-sample losses and the gradient.
    func queue(logits: Tensor, labels: Tensor) -> (losses: Tensor, gradient: Tensor) {
        precondition(logits.shape.count == 2 && labels.count == logits.shape[0],
                     "crossEntropy: logits \(logits.shape) vs labels \(labels.shape)")
        let (n, c) = (logits.shape[0], logits.shape[1])
        let l = reuse(&losses, shape: [n], on: backend)
        let g = reuse(&gradient, shape: [n, c], on: backend)
        backend.softmaxCrossEntropy(logits: logits.buffer, labels: labels.buffer, losses: l.buffer,
                                    dLogits: g.buffer, batch: n, classes: c, smoothing: smoothing)
        return (l, g)
    }
}

/// Mean softmax cross-entropy of `logits` `[N, C]` against 0-based `labels`, with its gradient.
public func crossEntropy(logits: Tensor, labels: Tensor) -> (loss: Float, gradient: Tensor) {
    CrossEntropyLoss(backend: logits.backend)(logits: logits, labels: labels)
}

/// Row-wise softmax of `logits` `[N, C]`, returned to the host.
public func softmaxProbabilities(_ logits: Tensor) -> [Float] {
    let p = Tensor(zeros: logits.shape, on: logits.backend)
    logits.backend.softmax(logits: logits.buffer, probabilities: p.buffer, batch: logits.shape[0],
                           classes: logits.shape[1])
    return p.toArray()
}
