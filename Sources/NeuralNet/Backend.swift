/// A point in a backend's queued work (an OpenCL event), for a copy on another queue to wait for.
public protocol QueueMark: AnyObject {}

/// The device a network computes on. Layers call only these operations, so a network runs
/// unchanged on `CPUBackend` and `OpenCLBackend`; only `DeviceBuffer`s cross the protocol.
///
/// Conventions shared by every implementation:
/// - Tensors are float32, row-major; images are NCHW.
/// - Weights follow PyTorch: `Linear` is `[out, in]`, `Conv2d` is `[out, in, k, k]`.
/// - Every output buffer is overwritten (never accumulated into) unless the doc says otherwise.
/// - Integer data (class labels, pooling argmax) travels as exactly representable `Float`s.
/// - Operations may run asynchronously; `download` and `synchronize` wait for them.
///
/// Every operation has rows in the op-case table (`OpCases` in `Sources/BackendChecks`), which the
/// OpenCL parity tests and `letternet selftest` run against `CPUBackend`; a test fails when one has none.
public protocol Backend: AnyObject {
    /// A short human-readable name, e.g. `cpu` or `opencl:0 (pthread-skylake)`.
    var name: String { get }
    /// The first failure of the device since the backend was made, or nil while it works (see
    /// `DeviceFault`). After a fault, results read back from the device are meaningless.
    var fault: DeviceFault? { get }
    /// The device's memory, for sizing batches; nil when the backend computes in the host's memory.
    var deviceMemory: DeviceMemory? { get }

    // MARK: Memory
    /// A new zero-filled buffer of `count` floats.
    func makeBuffer(count: Int) -> DeviceBuffer
    /// One new zero-filled allocation holding a view of each of `counts` floats (see `BufferViews`):
    /// writes through a view land in the whole, and the whole can be passed to any op.
    func makeBufferViews(counts: [Int]) -> BufferViews
    /// Copies `values` into the first `values.count` elements of `buffer`.
    func upload(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer)
    /// A point in the work queued so far (on OpenCL, a marker on the compute queue), for `uploadAhead`
    /// to wait on; nil where every op has finished when it returns (the CPU backend).
    func queueMark() -> QueueMark?
    /// Copies `values` into the first `values.count` elements of `buffer` on the backend's transfer queue,
    /// beside the compute work, once the work queued before `after` is done (nil: at once); the caller
    /// may change `values` as soon as this returns. Returns the copy's mark: ops queued on the compute
    /// queue see the new values only after `awaitUploads` of it (see `AlternatingInputs`). The copy is
    /// ordered after `after` alone: a mark must cover every op that touches `buffer` before it, the
    /// zero fill of a new buffer included.
    func uploadAhead(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer, after: QueueMark?) -> QueueMark?
    /// Ops queued from now on start once the copies of `marks` have finished; the host does not wait.
    func awaitUploads(_ marks: [QueueMark])
    /// All `buffer.count` elements, after pending work finishes.
    func download(_ buffer: DeviceBuffer) -> [Float]
    /// Waits until all queued work is done.
    func synchronize()

    // MARK: Elementwise
    /// `x[0..<count] = value`.
    func fill(_ x: DeviceBuffer, value: Float, count: Int)
    /// `dst[0..<count] = src[0..<count]`.
    func copy(_ src: DeviceBuffer, to dst: DeviceBuffer, count: Int)
    /// `y = max(x, 0)`.
    func reluForward(x: DeviceBuffer, y: DeviceBuffer, count: Int)
    /// `dx = dy · [y > 0]` (uses the forward *output*).
    func reluBackward(y: DeviceBuffer, dy: DeviceBuffer, dx: DeviceBuffer, count: Int)
    /// Inverted dropout: `mask[i] = dropoutKeeps(seed, i, p) ? 1/(1-p) : 0`, `y = x · mask`.
    func dropoutForward(x: DeviceBuffer, mask: DeviceBuffer, y: DeviceBuffer,
                        probability: Float, seed: UInt32, count: Int)
    /// `out = a · b` elementwise (dropout's backward is `dx = dy · mask`).
    func multiply(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int)
    /// `out = a + b` elementwise (a residual block's sum, and the sum of its two branches' gradients);
    /// `out` may be `a` or `b`.
    func add(_ a: DeviceBuffer, _ b: DeviceBuffer, out: DeviceBuffer, count: Int)

    // MARK: Dense
    /// `y[b,o] = Σᵢ x[b,i]·w[o,i] + bias[o]`.
    func linearForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                       batch: Int, inFeatures: Int, outFeatures: Int)
    /// `linearForward` followed by ReLU, for inference (see `Sequential.foldedForInference`); the
    /// default runs the two ops, a backend may fuse them into its output pass.
    func linearForwardReLU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                           batch: Int, inFeatures: Int, outFeatures: Int)
    /// `dx[b,i] = Σₒ dy[b,o]·w[o,i]`.
    func linearBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer,
                             batch: Int, inFeatures: Int, outFeatures: Int)
    /// `dWeight[o,i] = Σ_b dy[b,o]·x[b,i]`, `dBias[o] = Σ_b dy[b,o]`.
    func linearBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                              batch: Int, inFeatures: Int, outFeatures: Int)

    // MARK: Convolution
    /// Cross-correlation with zero padding plus bias, as `torch.nn.Conv2d`.
    func conv2dForward(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                       geometry: Conv2dGeometry)
    /// `conv2dForward` followed by ReLU, for inference (see `Sequential.foldedForInference`); the
    /// default runs the two ops, a backend may fuse them into its output pass.
    func conv2dForwardReLU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                           geometry: Conv2dGeometry)
    /// Gradient with respect to the input.
    func conv2dBackwardInput(dy: DeviceBuffer, weight: DeviceBuffer, dx: DeviceBuffer, geometry: Conv2dGeometry)
    /// Gradients with respect to weight and bias (summed over the batch).
    func conv2dBackwardWeight(x: DeviceBuffer, dy: DeviceBuffer, dWeight: DeviceBuffer, dBias: DeviceBuffer,
                              geometry: Conv2dGeometry)

    // MARK: Pooling
    /// Max pooling; `indices` gets, per output, the argmax's flat index `h·W + w` within its input plane
    /// (the first maximum in row-major window order wins ties). Without `indices` (inference) they are
    /// not kept.
    func maxPool2dForward(x: DeviceBuffer, y: DeviceBuffer, indices: DeviceBuffer?, geometry: Pool2dGeometry)
    /// Routes `dy` to the argmax positions; `dx` is overwritten (zero elsewhere, sums where windows overlap).
    func maxPool2dBackward(dy: DeviceBuffer, indices: DeviceBuffer, dx: DeviceBuffer, geometry: Pool2dGeometry)

    // MARK: Normalization
    /// Batch statistics per channel over (N, H, W) with biased variance for normalising;
    /// saves `mean` and `invStd = 1/sqrt(var + eps)`; updates running statistics as PyTorch does
    /// (`running = (1-momentum)·running + momentum·batch`, unbiased variance).
    func batchNormForwardTraining(x: DeviceBuffer, gamma: DeviceBuffer, beta: DeviceBuffer, y: DeviceBuffer,
                                  mean: DeviceBuffer, invStd: DeviceBuffer,
                                  runningMean: DeviceBuffer, runningVar: DeviceBuffer,
                                  momentum: Float, epsilon: Float, batch: Int, channels: Int, spatial: Int)
    /// Normalises with the running statistics.
    func batchNormForwardInference(x: DeviceBuffer, gamma: DeviceBuffer, beta: DeviceBuffer, y: DeviceBuffer,
                                   runningMean: DeviceBuffer, runningVar: DeviceBuffer,
                                   epsilon: Float, batch: Int, channels: Int, spatial: Int)
    /// Gradients of the training-mode forward.
    func batchNormBackward(x: DeviceBuffer, dy: DeviceBuffer, gamma: DeviceBuffer,
                           mean: DeviceBuffer, invStd: DeviceBuffer,
                           dx: DeviceBuffer, dGamma: DeviceBuffer, dBeta: DeviceBuffer,
                           batch: Int, channels: Int, spatial: Int)

    // MARK: Softmax and loss
    /// Row-wise softmax, computed stably.
    func softmax(logits: DeviceBuffer, probabilities: DeviceBuffer, batch: Int, classes: Int)
    /// Log-softmax over the classes at every position of `[batch, classes, positions]` logits, written
    /// transposed, `out[(b·positions + j)·classes + c]`: a position's log-probabilities side by side (the
    /// strip reader's scores, computed where the network ran).
    func logSoftmaxPositions(logits: DeviceBuffer, out: DeviceBuffer, batch: Int, classes: Int, positions: Int)
    /// Softmax cross-entropy with integer targets smoothed by ε = `smoothing` (0: none), the target being
    /// q_b = (1 − ε)·onehot(label_b) + ε/C: `losses[b] = logsumexp(z_b) − (1 − ε)·z_b[label_b] − (ε/C)·Σ_c z_b[c]`
    /// (−Σ q log softmax, PyTorch's `label_smoothing`), `dLogits[b] = (softmax(z_b) − q_b) / batch` (the gradient
    /// of the mean loss). With ε = 0, `logsumexp(z_b) − z_b[label_b]` exactly.
    func softmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                             dLogits: DeviceBuffer, batch: Int, classes: Int, smoothing: Float)
    /// Softmax cross-entropy over the classes at every position of `[batch, classes, positions]` logits
    /// (NCHW with `positions` = H·W), against `labels` `[batch, positions]`: a class, or a negative
    /// value for no target there (masked). `losses[b,j] = logsumexp(z_bj) − z_bj[label_bj]` and
    /// `dLogits[b,·,j] = (softmax(z_bj) − onehot(label_bj)) · scale` (with `scale` = 1 / targeted
    /// positions, the gradient of the mean loss); both are 0 at masked positions.
    func maskedSoftmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                   dLogits: DeviceBuffer, batch: Int, classes: Int, positions: Int, scale: Float)
    /// Knowledge distillation at every position of `[batch, classes, positions]` logits: softmax
    /// cross-entropy against the target q_bj = α·t_bj + (1 − α)·onehot(label_bj), where α = `share`,
    /// t_bj = softmax(`teacherScale`·teacher_bj) for `teacher` `[batch, positions, classes]` (teachers'
    /// log-probabilities, summed: `teacherScale` = 1 / teachers makes t their normalised geometric mean),
    /// and a masked position (label < 0) keeps only its α·t_bj. `losses[b,j] = Σ_c q_c·(logsumexp(z_bj) − z_c)`
    /// and `dLogits[b,·,j] = (Σq·softmax(z_bj) − q_bj) · scale`. With α = 0 this is
    /// ``maskedSoftmaxCrossEntropy(logits:labels:losses:dLogits:batch:classes:positions:scale:)``.
    func distillationCrossEntropy(logits: DeviceBuffer, teacher: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                  dLogits: DeviceBuffer, batch: Int, classes: Int, positions: Int,
                                  share: Float, teacherScale: Float, scale: Float)

    // MARK: Training metrics
    /// `record[index] = (Σ_{i<count} losses[i]) / divisor`, summed in float (in any order): a step's mean
    /// loss, kept on the device; a loss that is not finite leaves it not finite. Nothing else of `record` changes.
    func meanLoss(losses: DeviceBuffer, count: Int, divisor: Float, record: DeviceBuffer, index: Int)
    /// `record[index]` = how many rows `b` of `logits` `[batch, classes]` have their largest value (the
    /// first one, on ties) at class `labels[b]`: a step's hits, kept on the device.
    func countHits(logits: DeviceBuffer, labels: DeviceBuffer, batch: Int, classes: Int, record: DeviceBuffer, index: Int)

    // MARK: Optimizers
    /// One Adam/AdamW step on `count` elements, in place on `param`, `m` and `v`: the first `decaying`
    /// elements take the decoupled weight decay `step.weightDecay`, the others none. One call updates a
    /// whole model when its parameters live in one buffer, those that decay first (`FlatParameters`).
    func adamUpdate(param: DeviceBuffer, grad: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer,
                    count: Int, decaying: Int, step: AdamStep)
    /// SGD with (PyTorch-style) momentum and L2 weight decay:
    /// `g = grad + wd·param; velocity = momentum·velocity + g; param -= lr·velocity`.
    func sgdUpdate(param: DeviceBuffer, grad: DeviceBuffer, velocity: DeviceBuffer, count: Int,
                   learningRate: Float, momentum: Float, weightDecay: Float)
}

/// The dropout decision shared by every backend, so that a seed gives the same mask on each:
/// a 32-bit integer hash (lowbias32) of `index · 0x9E3779B1 + seed`, its top 24 bits as a uniform
/// number `u` in [0, 1); the element is kept when `u ≥ probability`.
@inlinable
public func dropoutKeeps(seed: UInt32, index: UInt32, probability: Float) -> Bool {
    var h = index &* 0x9E37_79B1 &+ seed
    h ^= h >> 16
    h &*= 0x7FEB_352D
    h ^= h >> 15
    h &*= 0x846C_A68B
    h ^= h >> 16
    let u = Float(h >> 8) * (1.0 / 16_777_216.0)
    return u >= probability
}

extension Backend {
    /// One queue, in order on the host: nothing to mark, and a copy ahead is a plain upload.
    public func queueMark() -> QueueMark? { nil }

    public func uploadAhead(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer, after: QueueMark?) -> QueueMark? {
        upload(values, to: buffer)
        return nil
    }

    public func awaitUploads(_ marks: [QueueMark]) {}

    public func conv2dForwardReLU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                                  geometry g: Conv2dGeometry) {
        conv2dForward(x: x, weight: weight, bias: bias, y: y, geometry: g)
        reluForward(x: y, y: y, count: g.batch * g.outChannels * g.outHeight * g.outWidth)
    }

    public func linearForwardReLU(x: DeviceBuffer, weight: DeviceBuffer, bias: DeviceBuffer, y: DeviceBuffer,
                                  batch: Int, inFeatures: Int, outFeatures: Int) {
        linearForward(x: x, weight: weight, bias: bias, y: y, batch: batch, inFeatures: inFeatures, outFeatures: outFeatures)
        reluForward(x: y, y: y, count: batch * outFeatures)
    }

    /// `adamUpdate` with every element decaying.
    public func adamUpdate(param: DeviceBuffer, grad: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer,
                           count: Int, step: AdamStep) {
        adamUpdate(param: param, grad: grad, m: m, v: v, count: count, decaying: count, step: step)
    }

    /// The plain softmax cross-entropy (no label smoothing).
    public func softmaxCrossEntropy(logits: DeviceBuffer, labels: DeviceBuffer, losses: DeviceBuffer,
                                    dLogits: DeviceBuffer, batch: Int, classes: Int) {
        softmaxCrossEntropy(logits: logits, labels: labels, losses: losses, dLogits: dLogits,
                            batch: batch, classes: classes, smoothing: 0)
    }
}
