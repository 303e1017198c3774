import NeuralNet

/// Softmax and the cross-entropy losses built on it, plain and masked per position (softmax.cl).
extension OpenCLBackend {
    public func softmax(logits: DeviceBuffer, probabilities: DeviceBuffer, batch: Int, classes: Int) {
        launch1D(.softmaxForward, count: batch,
                 [.buffer(logits), .buffer(probabilities), .int(batch), .int(classes)])
    }

    public func logSoftmaxPositions(logits: DeviceBuffer, out: DeviceBuffer, batch: Int, classes: Int, positions: Int) {
        launch1D(.logSoftmaxPositionsForward, count: batch * positions,
                 [.buffer(logits), .buffer(out), .int(batch), .int(classes), .int(positions)])
    }

    /// As the protocol says; a label outside `0..<classes` yields a NaN loss for that sample
    /// (checked on the device, so no host round trip).
    public func softmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                    dLogits: DeviceBuffer, batch: Int, classes: Int, smoothing: Float) {
        launch1D(.softmaxCrossEntropyForward, count: batch,
                 [.buffer(logits), .buffer(labels), .buffer(losses), .buffer(dLogits), .int(batch), .int(classes),
                  .float(smoothing)])
    }

    /// As the protocol says; a label ≥ `classes` or not an integer yields a NaN loss at that position
    /// (checked on the device, so no host round trip).
    public func maskedSoftmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                          dLogits: DeviceBuffer, batch: Int, classes: Int, positions: Int,
                                          scale: Float) {
        launch1D(.maskedSoftmaxCrossEntropyForward, count: batch * positions,
                 [.buffer(logits), .buffer(labels), .buffer(losses), .buffer(dLogits),
                  .int(batch), .int(classes), .int(positions), .float(scale)])
    }

    /// As the protocol says; a label ≥ `classes` or not an integer, or more than 64 classes, yields a NaN
    /// loss at that position (checked on the device, so no host round trip).
    public func distillationCrossEntropy(logits: DeviceBuffer, teacher: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                         dLogits: DeviceBuffer, batch: Int, classes: Int, positions: Int,
                                         share: Float, teacherScale: Float, scale: Float) {
        launch1D(.distillationCrossEntropyForward, count: batch * positions,
                 [.buffer(logits), .buffer(teacher), .buffer(labels), .buffer(losses), .buffer(dLogits),
                  .int(batch), .int(classes), .int(positions), .float(share), .float(teacherScale), .float(scale)])
    }
}
