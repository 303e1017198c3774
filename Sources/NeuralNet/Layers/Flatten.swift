/// Flattens `[N, …]` to `[N, product(…)]`; a view, no copy.
public final class Flatten: Layer {
    var inputShape: [Int]?
    public init() {}
    public var spec: LayerSpec { .flatten }
    public func outputShape(for s: [Int]) -> [Int] { [s[0], s.dropFirst().reduce(1, *)] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        return x.reshaped(outputShape(for: x.shape))
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let s = inputShape else { preconditionFailure("Flatten.backward called before forward") }
        return dy.reshaped(s)
    }
}
