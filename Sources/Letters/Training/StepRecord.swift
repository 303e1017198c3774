import NeuralNet

/// The mean losses and hits of the last few training steps, kept on the device so that a step never
/// waits for the host: each step's loss and hit count are written into its slot by kernels
/// (`Backend.meanLoss`, `Backend.countHits`), and the loop reads the whole record in one download every
/// `readEvery` steps and at the end of each period. Reading checks every loss: the first one that is
/// not finite ends the run at its own step (`TrainingError.diverged`, as when each step was read).
public final class StepRecord {
    /// Steps between two reads of the record.
    public static let readEvery = 16

    /// A step written into the record and not yet read: its number (counted, from 1), learning rate,
    /// examples, and whether its hits were counted.
    struct Step {
        var number: Int
        var learningRate: Float
        var examples: Int
        var batchIndex: Int
        var countsHits: Bool
    }

    /// A step as read back: what the loop reports for it.
    struct Reading {
        var step: Step
        var loss: Double
        var hits: Int
    }

    /// `[readEvery, 2]`: each slot's mean loss, then its hits.
    let values: Tensor
    private(set) var steps: [Step] = []

    init(backend: Backend) { values = Tensor(zeros: [Self.readEvery, 2], on: backend) }

    /// Where the next step writes its mean loss, and its hits.
    var lossIndex: Int { 2 * steps.count }
    var hitsIndex: Int { 2 * steps.count + 1 }

    var isFull: Bool { steps.count == Self.readEvery }
    var isEmpty: Bool { steps.isEmpty }

    /// Notes a step whose values are now queued into its slot.
    func append(_ step: Step) {
        precondition(!isFull, "the step record is full: read it first")
        steps.append(step)
    }

    /// Downloads the record (one blocking read), empties it and hands `each` its steps in order. Throws
    /// the backend's `DeviceFault`, or `TrainingError.diverged` at the first step whose loss is not
    /// finite (after handing over the steps before it).
    func read(_ each: (Reading) -> Void) throws {
        guard !steps.isEmpty else { return }
        let v = values.toArray()
        try values.backend.checkHealthy()
        defer { steps.removeAll(keepingCapacity: true) }
        for (k, s) in steps.enumerated() {
            let loss = v[2 * k]
            guard loss.isFinite else { throw TrainingError.diverged(step: s.number, learningRate: s.learningRate) }
            each(Reading(step: s, loss: Double(loss), hits: s.countsHits ? Int(v[2 * k + 1]) : 0))
        }
    }
}
