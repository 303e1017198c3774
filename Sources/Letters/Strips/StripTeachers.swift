import NeuralNet

/// The teachers of a distilled strip reader (`train-reader --teacher`): trained readers that read each
/// training batch beside the student, whose averaged log-probabilities per window position become part
/// of the student's targets (`DistillationLoss`). An ensemble taught into one reader reads as well as
/// the ensemble, ideally, in the time of one. Everything stays on the backend; nothing is read back.
/// A ``LetterTeacher`` (a letter classifier that read each letter clean) may join them, or teach alone:
/// its scores are made with the batch on the host and uploaded beside it.
public final class StripTeachers {
    public let readers: [StripReader]
    public let letterTeacher: LetterTeacher?
    let loss: DistillationLoss
    var sum: Tensor?, one: Tensor?
    /// How many teachers' log-probabilities each target averages.
    public var count: Int { readers.count + (letterTeacher == nil ? 0 : 1) }

    /// The input value of the teachers' pixel ceiling when it lies below the student's (a student that sees
    /// overlapping letters' sums, taught by readers that clip them): the teachers read the student's input
    /// clipped there. nil when they read the student's input as it is.
    public let inputClip: Float?

    /// `readers` must normalize pixels as the student does but for a lower ceiling (then they read its
    /// input clipped, ``inputClip``), agree among themselves, and live on the student's backend; `share`
    /// is α, the teachers' part of each target; `letterTeacher` joins them.
    public init(readers: [StripReader], letterTeacher: LetterTeacher? = nil, share: Float, student: StripReader) throws {
        guard !readers.isEmpty || letterTeacher != nil else { throw TrainingError.badTeacher("no teacher given") }
        let m = student.normalization, first = readers.first?.normalization ?? m
        for (k, r) in readers.enumerated() {
            let n = r.normalization
            guard n.mean == m.mean, n.std == m.std, n.effectiveCeiling <= m.effectiveCeiling, n == first else {
                throw TrainingError.badTeacher("teacher \(k + 1) normalizes pixels otherwise than the student or the first teacher "
                                               + "(mean \(n.mean), std \(n.std), ceiling \(n.effectiveCeiling); the student: \(m.mean), \(m.std), "
                                               + "\(m.effectiveCeiling); teachers may clip lower than the student, not higher)")
            }
            guard r.model.backend === student.model.backend else {
                throw TrainingError.badTeacher("teacher \(k + 1) is on another backend than the student")
            }
        }
        inputClip = first.effectiveCeiling < m.effectiveCeiling ? first.apply(first.effectiveCeiling) : nil
        self.readers = readers
        self.letterTeacher = letterTeacher
        loss = DistillationLoss(backend: student.model.backend, share: share)
    }

    /// What the teachers read of a batch the student reads as `input` (host values): nil when the same.
    func teacherInput(_ input: [Float]) -> [Float]? {
        inputClip.map { clip in input.map { min($0, clip) } }
    }

    /// Every teacher's log-probabilities of the batch `input` (`[N, 28, padded width]`), summed, `[N, P, 27]`;
    /// `letterScores`: the letter teacher's, made on the host (``LetterTeacher/scores(sources:centers:targets:)``).
    func scores(_ input: Tensor, letterScores: [Float]?) -> Tensor {
        let backend = loss.backend
        for (k, reader) in readers.enumerated() {
            let out = reader.inference.network.forward(input, training: false)
            let (n, p) = (out.shape[0], out.shape[3]), shape = [n, p, StripReader.classes]
            // Kept at the widest batch's size as the widths change step by step (no allocation after it).
            let target = k == 0 ? reuse(&sum, shape: shape, on: backend) : reuse(&one, shape: shape, on: backend)
            backend.logSoftmaxPositions(logits: out.buffer, out: target.buffer, batch: n, classes: StripReader.classes, positions: p)
            if k > 0 { backend.add(sum!.buffer, target.buffer, out: sum!.buffer, count: target.count) }
        }
        if let letterScores {
            let n = input.shape[0], shape = [n, letterScores.count / (n * StripReader.classes), StripReader.classes]
            let target = readers.isEmpty ? reuse(&sum, shape: shape, on: backend) : reuse(&one, shape: shape, on: backend)
            target.copy(from: letterScores)
            if !readers.isEmpty { backend.add(sum!.buffer, target.buffer, out: sum!.buffer, count: target.count) }
        }
        return sum!
    }

    /// The student's loss gradient for its logits `out` of the batch `input` with hard `targets` (and the
    /// letter teacher's `letterScores`); the mean loss goes to `record[index]`.
    func gradient(student out: Tensor, input: Tensor, targets: [Int], letterScores: [Float]?,
                  meanInto record: DeviceBuffer, at index: Int) -> Tensor {
        precondition((letterScores != nil) == (letterTeacher != nil), "the letter teacher's scores come with its batches")
        return loss.gradient(logits: out, teacher: scores(input, letterScores: letterScores), teachers: count, targets: targets,
                             meanInto: record, at: index)
    }
}
