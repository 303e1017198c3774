import NeuralNet

/// Max pooling (pool.cl).
extension OpenCLBackend {
    func poolArgs(_ g: Pool2dGeometry) -> [Arg] {
        [.int(g.batch * g.channels), .int(g.inHeight), .int(g.inWidth), .int(g.outHeight), .int(g.outWidth),
         .int(g.kernelSize), .int(g.stride)]
    }

    /// Planes per work-group of the row kernels: enough work per group, enough groups per device.
    func rowGroup(_ planes: Int) -> Int {
        var n = 16
        while n > 1 && planes / n < 8 * max(device.computeUnits, 1) { n /= 2 }
        return n
    }

    public func maxPool2dForward(x: DeviceBuffer, y: DeviceBuffer, indices: DeviceBuffer, geometry g: Pool2dGeometry) {
        let planes = g.batch * g.channels
        guard planes > 0, g.outHeight > 0, g.outWidth > 0 else { return }
        launch("maxpool2d_forward", global: [g.outHeight, planes], local: [1, rowGroup(planes)], [.buffer(x), .buffer(y), .buffer(indices)] + poolArgs(g))
    }

    public func maxPool2dBackward(dy: DeviceBuffer, indices: DeviceBuffer, dx: DeviceBuffer, geometry g: Pool2dGeometry) {
        let planes = g.batch * g.channels
        guard planes > 0, g.inHeight > 0, g.inWidth > 0 else { return }
        launch("maxpool2d_backward", global: [g.inHeight, planes], local: [1, rowGroup(planes)], [.buffer(dy), .buffer(indices), .buffer(dx)] + poolArgs(g))
    }
}
