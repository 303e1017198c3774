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
    var labels: Tensor?, losses: Tensor?, gradient: Tensor?

    public init(backend: Backend, share: Float) {
        precondition((0...1).contains(share), "distillation: the teachers' share \(share) is not in 0…1")
        self.backend = backend; self.share = share
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
        precondition(logits.shape.count == 4, "distillation: logits \(logits.shape) are not [N, C, H, W]")
        let (n, c, p) = (logits.shape[0], logits.shape[1], logits.shape[2] * logits.shape[3])
        precondition(targets.count == n * p, "distillation: \(targets.count) targets for \(n)×\(p) positions")
        precondition(teacher.count == n * p * c, "distillation: teacher scores \(teacher.shape) for \(n)×\(p) positions of \(c) classes")
        precondition(teachers >= 1, "distillation needs a teacher")
        let t = reuse(&labels, shape: [n, p], on: backend)
        let l = reuse(&losses, shape: [n, p], on: backend)
        let g = reuse(&gradient, shape: logits.shape, on: backend)
        t.copy(from: targets.map { Float(max($0, -1)) })
        let counted = targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        backend.distillationCrossEntropy(logits: logits.buffer, teacher: teacher.buffer, labels: t.buffer, losses: l.buffer,
                                         dLogits: g.buffer, batch: n, classes: c, positions: p, share: share,
                                         teacherScale: 1 / Float(teachers), scale: 1 / Float(max(counted, 1)))
        return (l, g, counted)
    }
}
