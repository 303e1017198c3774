import Foundation
import NeuralNet

/// Optimizer steps (optimizer.cl): Adam over one buffer (a tensor, or a whole model's flat parameters)
/// and SGD on one tensor.
extension OpenCLBackend {
    public func adamUpdate(param: DeviceBuffer, grad: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer,
                           count: Int, decaying: Int, step: AdamStep) {
        precondition((0...count).contains(decaying), "decaying \(decaying) of \(count)")
        // Bias corrections and the decoupled decay factor in host float, exactly as CPUBackend.
        let c1 = 1 - powf(step.beta1, Float(step.step)), c2 = 1 - powf(step.beta2, Float(step.step))
        let decay = 1 - step.learningRate * step.weightDecay
        launch1D(.adamUpdate, count: count,
                 [.buffer(param), .buffer(grad), .buffer(m), .buffer(v),
                  .float(step.learningRate), .float(step.beta1), .float(step.beta2), .float(step.epsilon),
                  .float(c1), .float(c2), .float(decay), .int(decaying), .int(count)])
    }

    public func sgdUpdate(param: DeviceBuffer, grad: DeviceBuffer, velocity: DeviceBuffer, count: Int,
                          learningRate: Float, momentum: Float, weightDecay: Float) {
        launch1D(.sgdUpdate, count: count,
                 [.buffer(param), .buffer(grad), .buffer(velocity),
                  .float(learningRate), .float(momentum), .float(weightDecay), .int(count)])
    }
}
