import COpenCL
import Foundation
import NeuralNet

/// Element-wise ops (elementwise.cl).
extension OpenCLBackend {
    public func fill(_ x: DeviceBuffer, value: Float, count: Int) {
        precondition(count <= x.count, "fill of \(count) elements into \(x.count)")
        launch1D(.fill, count: count, [.buffer(x), .float(value), .int(count)])
    }

    /// `sums[j] = Σ_r m[r·columns + j]` for `m` of `rows`×`columns` (column_sums).
    func columnSums(_ m: DeviceBuffer, into sums: DeviceBuffer, rows: Int, columns: Int) {
        launch1D(.columnSums, count: columns, [.buffer(m), .buffer(sums), .int(rows), .int(columns)])
    }

    public func copy(_ src: DeviceBuffer, to dst: DeviceBuffer, count: Int) {
        precondition(count <= src.count && count <= dst.count, "copy of \(count) elements")
        launch1D(.copy, count: count, [.buffer(src), .buffer(dst), .int(count)])
    }

    public func reluForward(x: DeviceBuffer, y: DeviceBuffer, count: Int) {
        launch1D(.reluForward, count: count, [.buffer(x), .buffer(y), .int(count)])
    }

    public func reluBackward(y: DeviceBuffer, dy: DeviceBuffer, dx: DeviceBuffer, count: Int) {
        launch1D(.reluBackward, count: count, [.buffer(y), .buffer(dy), .buffer(dx), .int(count)])
    }

    public func dropoutForward(x: DeviceBuffer, mask: DeviceBuffer, y: DeviceBuffer,
                               probability: Float, seed: UInt32, count: Int) {
        // The scale is computed here, as CPUBackend does, so both backends use the same float.
        let scale: Float = probability < 1 ? 1 / (1 - probability) : 0
        launch1D(.dropoutForward, count: count,
                 [.buffer(x), .buffer(mask), .buffer(y), .float(probability), .float(scale), .uint(seed), .int(count)])
    }

    public func multiply(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int) {
        launch1D(.multiply, count: count, [.buffer(a), .buffer(b), .buffer(out), .int(count)])
    }

    public func add(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int) {
        launch1D(.addForward, count: count, [.buffer(a), .buffer(b), .buffer(out), .int(count)])
    }
}
