import COpenCL
import Foundation
import NeuralNet

/// Element-wise ops (elementwise.cl), softmax (softmax.cl) and optimizer steps (optimizer.cl).
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

    // MARK: Softmax and loss

    public func softmax(logits: DeviceBuffer, probabilities: DeviceBuffer, batch: Int, classes: Int) {
        launch1D(.softmaxForward, count: batch,
                 [.buffer(logits), .buffer(probabilities), .int(batch), .int(classes)])
    }

    /// As the protocol says; a label outside `0..<classes` yields a NaN loss for that sample
    /// (checked on the device, so no host round trip).
    public func softmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                    dLogits: DeviceBuffer, batch: Int, classes: Int, smoothing: Float) {
        launch1D(.softmaxCrossEntropyForward, count: batch,
                 [.buffer(logits), .buffer(labels), .buffer(losses), .buffer(dLogits), .int(batch), .int(classes),
                  .float(smoothing)])
    }

    // MARK: Optimizers

    public func adamUpdate(param: DeviceBuffer, grad: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer,
                           count: Int, step: AdamStep) {
        // Bias corrections and the decoupled decay factor in host float, exactly as CPUBackend.
        let c1 = 1 - powf(step.beta1, Float(step.step)), c2 = 1 - powf(step.beta2, Float(step.step))
        let decay = 1 - step.learningRate * step.weightDecay
        launch1D(.adamUpdate, count: count,
                 [.buffer(param), .buffer(grad), .buffer(m), .buffer(v),
                  .float(step.learningRate), .float(step.beta1), .float(step.beta2), .float(step.epsilon),
                  .float(c1), .float(c2), .float(decay), .int(count)])
    }

    public func sgdUpdate(param: DeviceBuffer, grad: DeviceBuffer, velocity: DeviceBuffer, count: Int,
                          learningRate: Float, momentum: Float, weightDecay: Float) {
        launch1D(.sgdUpdate, count: count,
                 [.buffer(param), .buffer(grad), .buffer(velocity),
                  .float(learningRate), .float(momentum), .float(weightDecay), .int(count)])
    }
}
