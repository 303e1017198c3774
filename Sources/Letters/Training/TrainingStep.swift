import Foundation
import NeuralNet

/// The optimisation step every trainer takes, in one place: the scheduled learning rate, forward pass,
/// loss and its gradient, backward pass, parameter update, the device's health check, and the step
/// count; a loss that is not finite ends the run (`TrainingError.diverged`).
struct TrainingStep {
    let model: Sequential
    let optimizer: Optimizer
    let schedule: LearningRateSchedule

    /// One step on `input` (the step numbered `step`, which it then counts); `loss` gives the mean loss
    /// of the network's output and its gradient. Returns the loss and the output. Throws the backend's
    /// `DeviceFault` when the device fails.
    func take(_ input: Tensor, step: inout Int, loss: (Tensor) -> (value: Double, gradient: Tensor)) throws
        -> (loss: Double, output: Tensor) {
        optimizer.learningRate = schedule.rate(at: step)
        let output = model.forward(input, training: true)
        let (value, gradient) = loss(output)
        model.backward(gradient)
        optimizer.update(model.parameters)
        try model.backend.checkHealthy()
        step += 1
        guard value.isFinite else { throw TrainingError.diverged(step: step, learningRate: optimizer.learningRate) }
        return (value, output)
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
