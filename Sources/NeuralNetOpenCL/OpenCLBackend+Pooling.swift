import NeuralNet

/// Max pooling (pool.cl).
extension OpenCLBackend {
    func poolArgs(_ g: Pool2dGeometry) -> [Arg] {
        [.int(g.batch * g.channels), .int(g.inHeight), .int(g.inWidth), .int(g.outHeight), .int(g.outWidth),
         .int(g.kernelSize), .int(g.stride)]
    }

    public func maxPool2dForward(x: DeviceBuffer, y: DeviceBuffer, indices: DeviceBuffer, geometry g: Pool2dGeometry) {
        launch1D("maxpool2d_forward", count: g.outputCount, [.buffer(x), .buffer(y), .buffer(indices)] + poolArgs(g))
    }

    public func maxPool2dBackward(dy: DeviceBuffer, indices: DeviceBuffer, dx: DeviceBuffer, geometry g: Pool2dGeometry) {
        launch1D("maxpool2d_backward", count: g.inputCount, [.buffer(dy), .buffer(indices), .buffer(dx)] + poolArgs(g))
    }
}
