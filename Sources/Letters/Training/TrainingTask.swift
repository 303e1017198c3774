import NeuralNet

/// What differs between trainers, supplied to the one `TrainingLoop`: the batches and their loss, and
/// the validation metric. The loop owns everything else: the schedule, the step, health checks,
/// metrics and progress, when to validate, which model to keep, checkpoints and early stopping.
protocol TrainingTask: AnyObject {
    /// What a validation measures (e.g. loss and accuracy, or a strip score).
    associatedtype Score
    /// A batch on the host, before it goes to the device.
    associatedtype HostBatch
    /// Called as each period (an epoch, or the steps between two validations) starts.
    func beginPeriod()
    /// The host side of the `index`-th batch of the period, the one step `step` takes. Host work only (no
    /// backend call, nothing the step reads): the loop runs it on its worker thread while the device takes
    /// the step before (`BatchPrefetch`), always one batch at a time and in step order.
    func prepareBatch(index: Int, step: Int) -> HostBatch
    /// Queues the uploads of a prepared batch (they never wait) and returns the batch on the device.
    func deviceBatch(_ host: HostBatch) -> TrainingBatch
    /// Measures the network on held-out data.
    func validate() throws -> Score
    /// The number the best model is chosen by (higher is better).
    func value(of score: Score) -> Double
}

/// One batch on the device: the network's input, how many examples it holds, its loss, and optionally
/// how many of its examples the network's output gets right; both are queued on the device into a
/// slot of the loop's `StepRecord`, never read back by the batch.
struct TrainingBatch {
    var input: Tensor
    var examples: Int
    /// Queues the mean loss of the network's output into `record[index]` and returns its gradient.
    var loss: (_ output: Tensor, _ record: DeviceBuffer, _ index: Int) -> Tensor
    /// Queues how many examples the output gets right into `record[index]`.
    var hits: ((_ output: Tensor, _ record: DeviceBuffer, _ index: Int) -> Void)?
}

/// The shape of a run: its learning-rate schedule, where it ends, how its steps are grouped into
/// periods (each ends with a validation), and when it stops early.
struct TrainingPlan {
    var schedule: LearningRateSchedule
    /// The run ends after this many steps in all, or this many periods, whichever comes first.
    var totalSteps: Int
    var periods: Int
    var stepsPerPeriod: Int
    /// Examples per step, for the throughput.
    var examplesPerStep: Int
    /// Stop when the validation score has not improved for this many periods (0: never).
    var patience = 0
    /// Keep every period's model as the best (when there is nothing to validate on, or when the run's
    /// end is wanted rather than its best validation: `train-reader --keep last`).
    var keepsLatest = false
}

/// A finished period: its number (from 1), the step it ended at, and its training metrics.
struct TrainingPeriod {
    var number: Int
    var step: Int
    /// Mean loss and share of hits over the period's examples.
    var loss: Double, accuracy: Double
    var learningRate: Float
    var examplesPerSecond: Double
    /// From the period's start to the end of its validation.
    var seconds: Double
}
