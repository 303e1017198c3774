import NeuralNet

/// Batch normalization (normalization.cl): training passes reduce the statistics on the device, in one
/// work-group per channel, or in two stages of `ReductionPlan.groups` work-groups per channel when
/// the channels alone would leave the device idle.
extension OpenCLBackend {
    public func batchNormForwardTraining(x: DeviceBuffer, gamma: DeviceBuffer, beta: DeviceBuffer, y: DeviceBuffer,
                                         mean: DeviceBuffer, invStd: DeviceBuffer,
                                         runningMean: DeviceBuffer, runningVar: DeviceBuffer,
                                         momentum: Float, epsilon: Float, batch: Int, channels: Int, spatial: Int) {
        guard channels > 0 else { return }
        let local = context.reduceLocal, plan = reductionPlan(batch: batch, channels: channels, spatial: spatial)
        if plan.twoStage {
            let groups = plan.groups, global = [groups * local, channels], size = [local, 1]
            let sums = scratch("batchnorm.sums", count: channels * groups)
            let squares = scratch("batchnorm.squares", count: channels * groups)
            let shape: [Arg] = [.int(batch), .int(channels), .int(spatial)]
            launch(.batchNormForwardPartialSums, global: global, local: size, [.buffer(x), .buffer(sums)] + shape)
            launch(.batchNormForwardPartialSquares, global: global, local: size,
                   [.buffer(x), .buffer(sums), .buffer(squares)] + shape)
            launch(.batchNormForwardNormalize, global: global, local: size,
                   [.buffer(x), .buffer(gamma), .buffer(beta), .buffer(y), .buffer(mean), .buffer(invStd),
                    .buffer(runningMean), .buffer(runningVar), .buffer(sums), .buffer(squares),
                    .float(momentum), .float(epsilon)] + shape)
            return
        }
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
        let local = context.reduceLocal, plan = reductionPlan(batch: batch, channels: channels, spatial: spatial)
        if plan.twoStage {
            let groups = plan.groups, global = [groups * local, channels], size = [local, 1]
            let sums = scratch("batchnorm.sums", count: 2 * channels * groups)
            let shape: [Arg] = [.int(batch), .int(channels), .int(spatial)]
            launch(.batchNormBackwardPartialSums, global: global, local: size,
                   [.buffer(x), .buffer(dy), .buffer(mean), .buffer(invStd), .buffer(sums)] + shape)
            launch(.batchNormBackwardInput, global: global, local: size,
                   [.buffer(x), .buffer(dy), .buffer(gamma), .buffer(mean), .buffer(invStd), .buffer(sums),
                    .buffer(dx), .buffer(dGamma), .buffer(dBeta)] + shape)
            return
        }
        launch(.batchNormBackward, global: [channels * local], local: [local],
               [.buffer(x), .buffer(dy), .buffer(gamma), .buffer(mean), .buffer(invStd),
                .buffer(dx), .buffer(dGamma), .buffer(dBeta), .int(batch), .int(channels), .int(spatial)])
    }

    /// Work-groups per channel for `channels` sums of `batch·spatial` values on this device.
    func reductionPlan(batch: Int, channels: Int, spatial: Int) -> ReductionPlan {
        ReductionPlan(values: batch * spatial, channels: channels, local: context.reduceLocal,
                      computeUnits: device.computeUnits)
    }
}
