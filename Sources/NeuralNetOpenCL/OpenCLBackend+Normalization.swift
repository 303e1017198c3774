import NeuralNet

/// Batch normalization (normalization.cl): training passes run one work-group per channel, with the
/// statistics reduced on the device.
extension OpenCLBackend {
    public func batchNormForwardTraining(x: DeviceBuffer, gamma: DeviceBuffer, beta: DeviceBuffer, y: DeviceBuffer,
                                         mean: DeviceBuffer, invStd: DeviceBuffer,
                                         runningMean: DeviceBuffer, runningVar: DeviceBuffer,
                                         momentum: Float, epsilon: Float, batch: Int, channels: Int, spatial: Int) {
        guard channels > 0 else { return }
        let local = context.reduceLocal
        launch(.batchNormForwardTraining, global: [channels * local], local: [local],
               [.buffer(x), .buffer(gamma), .buffer(beta), .buffer(y), .buffer(mean), .buffer(invStd),
                .buffer(runningMean), .buffer(runningVar), .float(momentum), .float(epsilon),
                .int(batch), .int(channels), .int(spatial)])
    }

    public func batchNormForwardInference(x: DeviceBuffer, gamma: DeviceBuffer, beta: DeviceBuffer, y: DeviceBuffer,
                                          runningMean: DeviceBuffer, runningVar: DeviceBuffer,
                                          epsilon: Float, batch: Int, channels: Int, spatial: Int) {
        launch1D(.batchNormForwardInference, count: batch * channels * spatial,
                 [.buffer(x), .buffer(gamma), .buffer(beta), .buffer(y), .buffer(runningMean), .buffer(runningVar),
                  .float(epsilon), .int(batch), .int(channels), .int(spatial)])
    }

    public func batchNormBackward(x: DeviceBuffer, dy: DeviceBuffer, gamma: DeviceBuffer,
                                  mean: DeviceBuffer, invStd: DeviceBuffer,
                                  dx: DeviceBuffer, dGamma: DeviceBuffer, dBeta: DeviceBuffer,
                                  batch: Int, channels: Int, spatial: Int) {
        guard channels > 0 else { return }
        let local = context.reduceLocal
        launch(.batchNormBackward, global: [channels * local], local: [local],
               [.buffer(x), .buffer(dy), .buffer(gamma), .buffer(mean), .buffer(invStd),
                .buffer(dx), .buffer(dGamma), .buffer(dBeta), .int(batch), .int(channels), .int(spatial)])
    }
}
