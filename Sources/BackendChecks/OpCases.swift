import NeuralNet

/// The table of op cases: every op of the `Backend` protocol, forward and backward, on shapes chosen
/// to be awkward (odd sizes, sizes around work-group and tile sizes, empty batches, ties).
///
/// Adding an op to `Backend` means adding its cases here; the OpenCL parity tests and
/// `letternet selftest` then check it on every device.
public enum OpCases {
    /// Every case, family by family.
    public static var all: [OpCase] {
        elementwise + optimizers + adamTensors + softmax + maskedLoss + metrics + dense + convolution + pooling
            + normalization
    }

    /// Element counts around and off the work-group size (256).
    static let counts = [1, 7, 255, 256, 257, 1000, 4099]
}
