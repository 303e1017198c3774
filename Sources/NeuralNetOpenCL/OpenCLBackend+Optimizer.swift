import Foundation
import NeuralNet

/// Optimizer steps (optimizer.cl): Adam and SGD on one tensor, and Adam over several tensors in one launch.
extension OpenCLBackend {
    public func adamUpdate(param: DeviceBuffer, grad: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer,
                           count: Int, step: AdamStep) {
        // Bias corrections and the decoupled decay factor in host float, exactly as CPUBackend.
        let c1 = 1 - powf(step.beta1, Float(step.step)), c2 = 1 - powf(step.beta2, Float(step.step))
        let decay = 1 - step.learningRate * step.weightDecay
        launch1D(.adamUpdate, count: count,
                 [.buffer(param), .buffer(grad), .buffer(m), .buffer(v),
                  .float(step.learningRate), .float(step.beta1), .float(step.beta2), .float(step.epsilon),
                  .float(c1), .float(c2), .float(decay), .int(count)])
    }

    public func sgdUpdate(param: DeviceBuffer, grad: DeviceBuffer, velocity: DeviceBuffer, count: Int,
                          learningRate: Float, momentum: Float, weightDecay: Float) {
        launch1D(.sgdUpdate, count: count,
                 [.buffer(param), .buffer(grad), .buffer(velocity),
                  .float(learningRate), .float(momentum), .float(weightDecay), .int(count)])
    }

    /// Tensors per launch of `adam_update_tensors` (`ADAM_SLOTS` in optimizer.cl).
    static let adamSlots = 8

    /// Up to `adamSlots` tensors per launch, each in whole work-groups of its own.
    public func adamUpdateTensors(_ tensors: [AdamTensor], step: AdamStep) {
        // Bias corrections and the decay factors in host float, exactly as CPUBackend.
        let c1 = 1 - powf(step.beta1, Float(step.step)), c2 = 1 - powf(step.beta2, Float(step.step))
        let live = tensors.filter { $0.count > 0 }, local = elementwiseLocal
        for start in stride(from: 0, to: live.count, by: Self.adamSlots) {
            let group = live[start..<min(start + Self.adamSlots, live.count)]
            var args: [Arg] = [], groups = 0
            for k in 0..<Self.adamSlots {
                let used = k < group.count, t = group[start + (used ? k : 0)]
                if used { groups += (t.count + local - 1) / local }
                args += [.buffer(t.param), .buffer(t.grad), .buffer(t.m), .buffer(t.v), .int(groups), .int(t.count),
                         .float(1 - step.learningRate * t.weightDecay)]
            }
            args += [.float(step.learningRate), .float(step.beta1), .float(step.beta2), .float(step.epsilon),
                     .float(c1), .float(c2)]
            launch(.adamUpdateTensors, global: [groups * local], local: [local], args)
        }
    }
}
