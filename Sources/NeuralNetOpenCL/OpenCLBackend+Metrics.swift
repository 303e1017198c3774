import Foundation
import NeuralNet

/// A training step's mean loss and hits into a record slot (metrics.cl), and Adam over several tensors
/// in one launch (optimizer.cl).
extension OpenCLBackend {
    /// The lanes of the one work-group that the metrics kernels run as (metrics.cl allows up to 256).
    var metricsLanes: Int { min(64, device.maxWorkGroupSize) }

    public func meanLoss(losses: DeviceBuffer, count: Int, divisor: Float, record: DeviceBuffer, index: Int) {
        precondition(index < record.count, "record slot \(index) outside \(record.count)")
        launch(.meanLossForward, global: [metricsLanes], local: [metricsLanes],
               [.buffer(losses), .int(count), .float(divisor), .buffer(record), .int(index)])
    }

    public func countHits(logits: DeviceBuffer, labels: DeviceBuffer, batch: Int, classes: Int,
                          record: DeviceBuffer, index: Int) {
        precondition(index < record.count, "record slot \(index) outside \(record.count)")
        launch(.countHitsForward, global: [metricsLanes], local: [metricsLanes],
               [.buffer(logits), .buffer(labels), .int(batch), .int(classes), .buffer(record), .int(index)])
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
