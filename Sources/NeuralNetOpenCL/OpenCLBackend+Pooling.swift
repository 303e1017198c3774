import NeuralNet

/// Max pooling (pooling.cl).
extension OpenCLBackend {
    func poolArgs(_ g: Pool2dGeometry) -> [Arg] {
        [.int(g.batch * g.channels), .int(g.inHeight), .int(g.inWidth), .int(g.outHeight), .int(g.outWidth),
         .int(g.kernelSize), .int(g.stride)]
    }

    /// The work-group of a kernel over grid (rows, planes), one work-item per row of a plane: every
    /// row of a few planes, so that groups are few and large (each work-group costs PoCL a task)
    /// while leaving at least 8 groups per compute unit.
    func planeRowsLocal(rows: Int, planes: Int) -> [Int] {
        let r = rows <= 256 ? max(rows, 1) : 1
        return [r, max(1, min(256 / r, planes / (8 * max(device.computeUnits, 1))))]
    }

    /// Without `indices`, the kernel writes them to a scratch buffer.
    public func maxPool2dForward(x: DeviceBuffer, y: DeviceBuffer, indices: DeviceBuffer?, geometry g: Pool2dGeometry) {
        let planes = g.batch * g.channels
        guard planes > 0, g.outHeight > 0, g.outWidth > 0 else { return }
        let indices = indices ?? scratch("maxpool2d.indices", count: planes * g.outHeight * g.outWidth)
        launch(.maxPool2dForward, global: [g.outHeight, planes], local: planeRowsLocal(rows: g.outHeight, planes: planes),
               [.buffer(x), .buffer(y), .buffer(indices)] + poolArgs(g))
    }

    public func maxPool2dBackward(dy: DeviceBuffer, indices: DeviceBuffer, dx: DeviceBuffer, geometry g: Pool2dGeometry) {
        let planes = g.batch * g.channels
        guard planes > 0, g.inHeight > 0, g.inWidth > 0 else { return }
        if g.kernelSize == g.stride && g.outHeight > 0 && g.outWidth > 0 {
            launch(.maxPool2dBackwardDisjoint, global: [g.outHeight, planes],
                   local: planeRowsLocal(rows: g.outHeight, planes: planes),
                   [.buffer(dy), .buffer(indices), .buffer(dx)] + poolArgs(g))
            return
        }
        launch(.maxPool2dBackward, global: [g.inHeight, planes], local: planeRowsLocal(rows: g.inHeight, planes: planes),
               [.buffer(dy), .buffer(indices), .buffer(dx)] + poolArgs(g))
    }
}
