/// Every kernel entry point the backend launches, named as in its `.cl` file, with that file.
///
/// `OpenCLBackend.init` builds every file and creates every kernel of this list, so a kernel that a
/// file lacks (renamed, misspelt, an old copy of `Kernels/`) fails when the backend starts, naming
/// the kernel and the file, never at its first launch; and a launch can only name a kernel listed here.
enum OpenCLKernel: String, CaseIterable, Sendable, CustomStringConvertible {
    // elementwise.cl
    case fill, copy, multiply
    case reluForward = "relu_forward", reluBackward = "relu_backward", dropoutForward = "dropout_forward"
    case addForward = "add_forward", columnSums = "column_sums"
    // dense.cl
    case linearForward = "linear_forward", linearBackwardInput = "linear_backward_input"
    case linearBackwardWeight = "linear_backward_weight"
    // convolution.cl
    case conv2dForward = "conv2d_forward", conv2dBackwardInputPrepare = "conv2d_backward_input_prepare"
    case conv2dBackwardInput = "conv2d_backward_input", conv2dBackwardInputDirect = "conv2d_backward_input_direct"
    case conv2dBackwardWeight = "conv2d_backward_weight"
    case conv2dBackwardBias = "conv2d_backward_bias"
    // pooling.cl
    case maxPool2dForward = "maxpool2d_forward", maxPool2dBackward = "maxpool2d_backward"
    case maxPool2dBackwardDisjoint = "maxpool2d_backward_disjoint"
    // softmax.cl
    case softmaxForward = "softmax_forward", softmaxCrossEntropyForward = "softmax_cross_entropy_forward"
    case maskedSoftmaxCrossEntropyForward = "masked_softmax_cross_entropy_forward"
    case logSoftmaxPositionsForward = "log_softmax_positions_forward"
    case distillationCrossEntropyForward = "distillation_cross_entropy_forward"
    // normalization.cl
    case batchNormForwardTraining = "batchnorm_forward_training"
    case batchNormForwardInference = "batchnorm_forward_inference", batchNormBackward = "batchnorm_backward"
    case batchNormForwardPartialSums = "batchnorm_forward_partial_sums"
    case batchNormForwardPartialSquares = "batchnorm_forward_partial_squares"
    case batchNormForwardNormalize = "batchnorm_forward_normalize"
    case batchNormBackwardPartialSums = "batchnorm_backward_partial_sums", batchNormBackwardInput = "batchnorm_backward_input"
    // optimizer.cl
    case adamUpdate = "adam_update", sgdUpdate = "sgd_update"
    // metrics.cl
    case meanLossForward = "mean_loss_forward", countHitsForward = "count_hits_forward"

    /// The kernel's name in its file.
    var name: String { rawValue }
    var description: String { rawValue }

    /// The `.cl` file of `Kernels/` that defines the kernel.
    var file: String {
        switch self {
        case .fill, .copy, .multiply, .reluForward, .reluBackward, .dropoutForward, .addForward,
             .columnSums: return "elementwise.cl"
        case .linearForward, .linearBackwardInput, .linearBackwardWeight: return "dense.cl"
        case .conv2dForward, .conv2dBackwardInputPrepare, .conv2dBackwardInput, .conv2dBackwardInputDirect,
             .conv2dBackwardWeight, .conv2dBackwardBias: return "convolution.cl"
        case .maxPool2dForward, .maxPool2dBackward, .maxPool2dBackwardDisjoint: return "pooling.cl"
        case .softmaxForward, .softmaxCrossEntropyForward, .maskedSoftmaxCrossEntropyForward, .logSoftmaxPositionsForward,
             .distillationCrossEntropyForward:
            return "softmax.cl"
        case .batchNormForwardTraining, .batchNormForwardInference, .batchNormBackward, .batchNormForwardPartialSums,
             .batchNormForwardPartialSquares, .batchNormForwardNormalize, .batchNormBackwardPartialSums,
             .batchNormBackwardInput: return "normalization.cl"
        case .adamUpdate, .sgdUpdate: return "optimizer.cl"
        case .meanLossForward, .countHitsForward: return "metrics.cl"
        }
    }

    /// The kernel files, in the order the backend builds them.
    static var files: [String] {
        var files = [String]()
        for k in allCases where !files.contains(k.file) { files.append(k.file) }
        return files
    }
}
