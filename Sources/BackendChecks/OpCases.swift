import NeuralNet

/// The table of op cases: every op of the `Backend` protocol, forward and backward, on shapes chosen
/// to be awkward (odd sizes, sizes around work-group and tile sizes, empty batches, ties).
///
/// The ops come in `families`; family F has its kernels in `Kernels/<f>.cl`, its launchers in
/// `OpenCLBackend+<F>.swift`, its reference in `CPUBackend+<F>.swift` and its cases in
/// `OpCases+<F>.swift`. Adding an op to `Backend` means adding its cases to its family here; the
/// OpenCL parity tests and `letternet selftest` then check it on every device.
public enum OpCases {
    /// The op families, in the order their cases run.
    public static let families = ["elementwise", "dense", "convolution", "pooling", "normalization", "softmax",
                                  "metrics", "optimizer"]

    /// The cases of `family` (one of `families`; any other name has none).
    public static func cases(of family: String) -> [OpCase] {
        switch family {
        case "elementwise": elementwise
        case "dense": dense
        case "convolution": convolution
        case "pooling": pooling
        case "normalization": normalization
        case "softmax": softmax
        case "metrics": metrics
        case "optimizer": optimizer
        default: []
        }
    }

    /// Every case, family by family.
    public static var all: [OpCase] { families.flatMap(cases(of:)) }

    /// Element counts around and off the work-group size (256).
    static let counts = [1, 7, 255, 256, 257, 1000, 4099]
}
