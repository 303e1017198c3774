import Foundation
import NeuralNet

/// A training step's mean loss and hits into a record slot (metrics.cl).
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
}
