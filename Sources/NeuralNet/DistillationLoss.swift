/// Knowledge distillation's loss at every position of `[N, C, H, W]` logits: softmax cross-entropy
/// against α·(the teachers' distribution) + (1 − α)·(the hard label), where positions without a label
/// learn from the teachers alone (weighted α), averaged over the labelled positions as
/// `MaskedCrossEntropyLoss` is; α = `share` = 0 is that loss. The teachers' distribution is the
/// normalised geometric mean of their probabilities (their log-probabilities averaged), computed on the
/// backend (`Backend.distillationCrossEntropy`). Keeps its buffers between calls of the same shape.
public final class DistillationLoss {
    public let backend: Backend
    /// α: the teachers' part of each target.
    public let share: Float
    let buffers: PositionLossBuffers

    public init(backend: Backend, share: Float) {
        precondition((0...1).contains(share), "distillation: the teachers' share \(share) is not in 0…1")
        self.backend = backend; self.share = share
        buffers = PositionLossBuffers(backend: backend)
    }

    /// dL/d(logits) for `targets` `[N, H·W]` (a 0-based class, or negative for none) and `teacher`, the
    /// sum of `teachers` teachers' log-probabilities `[N, H·W, C]` (`Backend.logSoftmaxPositions`'s layout);
    /// the mean loss goes to `record[index]` on the device, nothing is read back.
    public func gradient(logits: Tensor, teacher: Tensor, teachers: Int, targets: [Int],
                         meanInto record: DeviceBuffer, at index: Int) -> Tensor {
        let (l, g, counted) = queue(logits: logits, teacher: teacher, teachers: teachers, targets: targets)
        backend.meanLoss(losses: l.buffer, count: l.count, divisor: Float(max(counted, 1)), record: record, index: index)
        return g
    }

    /// The mean loss (summed on the host in double) and dL/d(logits), as ``gradient(logits:teacher:teachers:targets:meanInto:at:)``.
    public func callAsFunction(logits: Tensor, teacher: Tensor, teachers: Int, targets: [Int]) -> (loss: Double, gradient: Tensor) {
        let (l, g, counted) = queue(logits: logits, teacher: teacher, teachers: teachers, targets: targets)
        let total = l.toArray().reduce(0.0) { $0 + Double($1) }
        return (total / Double(max(counted, 1)), g)
    }

    func queue(logits: Tensor, teacher: Tensor, teachers: Int, targets: [Int]) -> (losses: Tensor, gradient: Tensor, counted: Int) {
        let (t, l, g, counted) = buffers.prepare(logits: logits, targets: targets, loss: "distillation")
        let (n, c, p) = (logits.shape[0], logits.shape[1], logits.shape[2] * logits.shape[3])
        precondition(teacher.count == n * p * c, "distillation: teacher scores \(teacher.shape) for \(n)×\(p) positions of \(c) classes")
        precondition(teachers >= 1, "distillation needs a teacher")
        backend.distillationCrossEntropy(logits: logits.buffer, teacher: teacher.buffer, labels: t.buffer, losses: l.buffer,
                                         dLogits: g.buffer, batch: n, classes: c, positions: p, share: share,
                                         teacherScale: 1 / Float(teachers), scale: 1 / Float(max(counted, 1)))
        return (l, g, counted)
    }
}
