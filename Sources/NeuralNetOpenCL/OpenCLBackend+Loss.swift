import NeuralNet

/// The masked, per-position softmax cross-entropy (softmax.cl, beside the plain one).
extension OpenCLBackend {
    /// As the protocol says; a label ≥ `classes` or not an integer yields a NaN loss at that position
    /// (checked on the device, so no host round trip).
    public func maskedSoftmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                          dLogits: DeviceBuffer, batch: Int, classes: Int, positions: Int,
                                          scale: Float) {
        launch1D(.maskedSoftmaxCrossEntropyForward, count: batch * positions,
                 [.buffer(logits), .buffer(labels), .buffer(losses), .buffer(dLogits),
                  .int(batch), .int(classes), .int(positions), .float(scale)])
    }
}
