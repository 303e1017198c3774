/// Where each output column of a chain of convolutions and poolings looks in its input, along one
/// spatial axis (the usual receptive-field arithmetic): output column `j` is centred on input column
/// `firstCentre + jump · j` (the centre of its window, in the input's column coordinates, where
/// column `x` spans `x − 0.5 … x + 0.5`) and sees `size` input columns.
public struct ReceptiveField: Equatable, Sendable {
    /// Input columns between neighbouring outputs (the product of the strides).
    public private(set) var jump = 1
    /// Input columns one output sees.
    public private(set) var size = 1
    /// Input column at the centre of output 0.
    public private(set) var firstCentre: Float = 0

    /// The field of one output column of a layer that sees nothing but its own input column.
    public init() {}

    /// The field of a sliding window of `kernel` columns moved by `stride` over an input padded by
    /// `padding` on each side (a convolution, a pooling).
    init(kernel: Int, stride: Int, padding: Int) { add(kernel: kernel, stride: stride, padding: padding) }

    /// The receptive field of `layers`, each layer's as its type says (`LayerKind.receptiveField`);
    /// nil when a layer mixes columns in another way (flatten, linear, a residual block whose
    /// branches look at different places).
    public init?(of layers: [LayerSpec]) {
        for layer in layers {
            guard let field = layer.kind.receptiveField else { return nil }
            append(field)
        }
    }

    /// This field followed by `next` (a field in this one's output columns).
    mutating func append(_ next: ReceptiveField) {
        firstCentre += next.firstCentre * Float(jump)
        size += (next.size - 1) * jump
        jump *= next.jump
    }

    mutating func add(kernel k: Int, stride s: Int, padding p: Int) {
        firstCentre += (Float(k - 1) / 2 - Float(p)) * Float(jump)
        size += (k - 1) * jump
        jump *= s
    }

    /// Input column at the centre of output `j`.
    public func centre(ofOutput j: Int) -> Float { firstCentre + Float(jump * j) }
}
