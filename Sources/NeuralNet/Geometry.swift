/// Shapes of a 2-D convolution over an NCHW batch. Weights are `[outChannels, inChannels, k, k]`
/// as in PyTorch; output is `[batch, outChannels, outHeight, outWidth]`.
public struct Conv2dGeometry: Equatable, Sendable {
    public var batch: Int
    public var inChannels: Int
    public var inHeight: Int
    public var inWidth: Int
    public var outChannels: Int
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int

    public init(batch: Int, inChannels: Int, inHeight: Int, inWidth: Int,
                outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0) {
        self.batch = batch; self.inChannels = inChannels
        self.inHeight = inHeight; self.inWidth = inWidth
        self.outChannels = outChannels; self.kernelSize = kernelSize
        self.stride = stride; self.padding = padding
    }

    public var outHeight: Int { (inHeight + 2 * padding - kernelSize) / stride + 1 }
    public var outWidth: Int { (inWidth + 2 * padding - kernelSize) / stride + 1 }
    /// Rows of the im2col matrix: inChannels · k · k.
    public var patchSize: Int { inChannels * kernelSize * kernelSize }
    public var inputCount: Int { batch * inChannels * inHeight * inWidth }
    public var outputCount: Int { batch * outChannels * outHeight * outWidth }
    public var weightCount: Int { outChannels * patchSize }
}

/// Shapes of a 2-D max pooling over an NCHW batch (no padding; windows that do not fit are dropped).
public struct Pool2dGeometry: Equatable, Sendable {
    public var batch: Int
    public var channels: Int
    public var inHeight: Int
    public var inWidth: Int
    public var kernelSize: Int
    public var stride: Int

    public init(batch: Int, channels: Int, inHeight: Int, inWidth: Int, kernelSize: Int, stride: Int) {
        self.batch = batch; self.channels = channels
        self.inHeight = inHeight; self.inWidth = inWidth
        self.kernelSize = kernelSize; self.stride = stride
    }

    public var outHeight: Int { (inHeight - kernelSize) / stride + 1 }
    public var outWidth: Int { (inWidth - kernelSize) / stride + 1 }
    public var inputCount: Int { batch * channels * inHeight * inWidth }
    public var outputCount: Int { batch * channels * outHeight * outWidth }
}

/// Hyper-parameters of one Adam/AdamW step (`weightDecay` is decoupled, as in AdamW).
public struct AdamStep: Equatable, Sendable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    /// 1-based step number, for bias correction.
    public var step: Int

    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, step: Int) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        self.epsilon = epsilon; self.weightDecay = weightDecay; self.step = step
    }
}
