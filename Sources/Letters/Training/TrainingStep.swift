import Foundation
import NeuralNet

/// The optimisation step every trainer takes, in one place: the scheduled learning rate, forward pass,
/// the loss's gradient, backward pass, parameter update, the device's health check, and the step count.
/// Nothing is read back: the loss queues its value into the loop's `StepRecord`, which is checked there.
struct TrainingStep {
    let model: Sequential
    let optimizer: Optimizer
    let schedule: LearningRateSchedule

    /// One step on `input` (the step numbered `step`, which it then counts); `loss` queues the loss of
    /// the network's output and returns its gradient. Returns the output. Throws the backend's
    /// `DeviceFault` when the device fails.
    func take(_ input: Tensor, step: inout Int, loss: (Tensor) -> Tensor) throws -> Tensor {
        optimizer.learningRate = schedule.rate(at: step)
        let output = model.forward(input, training: true)
        model.backward(loss(output))
        optimizer.update(model.parameters)
        try model.backend.checkHealthy()
        step += 1
        return output
    }
}

/// Examples (images, strips) per second since a run started or resumed.
struct Throughput {
    let start = Date()
    let firstStep: Int
    let batchSize: Int

    init(step: Int, batchSize: Int) { firstStep = step; self.batchSize = batchSize }

    func perSecond(atStep step: Int) -> Double {
        Double((step - firstStep) * batchSize) / max(Date().timeIntervalSince(start), 1e-9)
    }
}
