import Foundation
import NeuralNet

/// The one training loop every trainer runs (see `TrainingTask` for what a trainer supplies): periods
/// of steps, each step scheduled and taken (`TrainingStep`) without waiting for the device, its loss and
/// hits kept there (`StepRecord`) and read, checked and reported step by step every
/// `StepRecord.readEvery` steps and at the end of each period; then a validation, the best model kept,
/// and the resumable state written.
///
/// Its state (step, best model and score, the scores so far) carries over between runs and through
/// a checkpoint (`TrainingLoop+Resume.swift`), so a resumed run continues exactly where the saved one stood.
final class TrainingLoop {
    let model: Sequential
    let optimizer: Optimizer
    var step = 0
    /// The best validation score so far, and that period's model.
    var bestScore = -1.0
    var best: Checkpoint?
    /// Every finished period's validation score.
    var scores: [Double] = []

    /// Whether the next batch is made on a worker thread while the device takes a step: where the device
    /// runs apart from the host (OpenCL); the CPU backend computes on the calling thread and its own pool.
    var prefetchesBatches: Bool

    init(model: Sequential, optimizer: Optimizer) {
        self.model = model; self.optimizer = optimizer
        prefetchesBatches = !(model.backend is CPUBackend)
    }

    /// Runs the periods left in `plan`.
    /// - `shouldStop` is asked after every step; when it says yes the run ends with
    ///   `TrainingError.interrupted`, and the last checkpoint stays as it is.
    /// - `progress` gets every step, in bursts as the record is read; a loss that is not finite ends the
    ///   run there (`TrainingError.diverged`, naming its step); `validated` every period's metrics and score, before anything is kept.
    /// - When the score beats the best so far, `bestModel` makes the checkpoint kept in `best` and
    ///   handed to `keep`; then `checkpoint`, when given, is rewritten with the resumable state.
    /// - Nothing read from a failed device is kept or written: the run ends with its `DeviceFault`.
    func run<Task: TrainingTask>(_ task: Task, plan: TrainingPlan, shouldStop: () -> Bool = { false },
                                 progress: (TrainingProgress) -> Void = { _ in },
                                 validated: (TrainingPeriod, Task.Score) -> Void = { _, _ in },
                                 bestModel: (TrainingPeriod, Task.Score) -> Checkpoint,
                                 keep: (Checkpoint) throws -> Void = { _ in },
                                 checkpoint: (url: URL, state: () throws -> Checkpoint)? = nil,
                                 periodDone: (TrainingPeriod) throws -> Void = { _ in }) throws {
        let backend = model.backend
        let stepper = TrainingStep(model: model, optimizer: optimizer, schedule: plan.schedule)
        let throughput = Throughput(step: step, batchSize: plan.examplesPerStep)
        let record = StepRecord(backend: backend)
        while scores.count < plan.periods && step < plan.totalSteps && !stoppedEarly(patience: plan.patience) {
            let start = Date()
            task.beginPeriod()
            var lossSum = 0.0, correct = 0, seen = 0
            // Reads the steps recorded on the device, checks their losses and reports each of them.
            func readRecord() throws {
                try record.read { r in
                    lossSum += r.loss * Double(r.step.examples); seen += r.step.examples
                    correct += r.hits
                    let rate = throughput.perSecond(atStep: r.step.number)
                    progress(TrainingProgress(epoch: scores.count + 1, epochs: plan.periods, batch: r.step.batchIndex + 1,
                                              batches: plan.stepsPerPeriod, loss: lossSum / Double(seen),
                                              accuracy: Double(correct) / Double(seen), imagesPerSecond: rate,
                                              eta: Double((plan.totalSteps - r.step.number) * plan.examplesPerStep) / max(rate, 1e-9),
                                              step: r.step.number, stepLoss: r.loss))
                }
            }
            // Batch k + 1 is made on the host while step k runs; none is left in flight between periods,
            // so the random state a checkpoint saves is the one a serial loop would have.
            let first = step, count = max(0, min(plan.stepsPerPeriod, plan.totalSteps - step))
            let prefetch = BatchPrefetch<Task.HostBatch>(overlaps: prefetchesBatches)
            defer { prefetch.drain() }
            if count > 0 { prefetch.start { task.prepareBatch(index: 0, step: first) } }
            for index in 0..<count {
                let host = prefetch.take()
                if index + 1 < count { prefetch.start { task.prepareBatch(index: index + 1, step: first + index + 1) } }
                let batch = task.deviceBatch(host)
                let slots = (loss: record.lossIndex, hits: record.hitsIndex)
                let output = try stepper.take(batch.input, step: &step) { batch.loss($0, record.values.buffer, slots.loss) }
                batch.hits?(output, record.values.buffer, slots.hits)
                record.append(.init(number: step, learningRate: optimizer.learningRate, examples: batch.examples,
                                    batchIndex: index, countsHits: batch.hits != nil))
                if record.isFull { try readRecord() }
                if shouldStop() { throw TrainingError.interrupted(epochsDone: scores.count) }
            }
            try readRecord()
            let score = try task.validate()
            try backend.checkHealthy()
            let seconds = Date().timeIntervalSince(start)
            let period = TrainingPeriod(number: scores.count + 1, step: step, loss: lossSum / Double(max(seen, 1)),
                                        accuracy: Double(correct) / Double(max(seen, 1)),
                                        learningRate: optimizer.learningRate,
                                        examplesPerSecond: Double(seen) / max(seconds, 1e-9), seconds: seconds)
            let value = task.value(of: score)
            scores.append(value)
            validated(period, score)
            if value > bestScore || plan.keepsLatest {
                bestScore = value
                let kept = bestModel(period, score)
                best = kept
                try backend.checkHealthy()
                try keep(kept)
            }
            if let checkpoint {
                let state = try checkpoint.state()
                try backend.checkHealthy()
                try state.write(to: checkpoint.url)
            }
            try periodDone(period)
        }
    }

    /// Whether the score has not improved for `patience` periods: the run is over, also when it is
    /// resumed from its last checkpoint.
    func stoppedEarly(patience: Int) -> Bool {
        guard patience > 0, let last = scores.lastIndex(where: { $0 >= bestScore }) else { return false }
        return scores.count - 1 - last >= patience
    }
}
