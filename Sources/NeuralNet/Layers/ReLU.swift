/// Rectified linear unit, `max(x, 0)`.
public final class ReLU: Layer {
    let backend: Backend
    var output: Tensor?, inputGradient: Tensor?

    public init(backend: Backend) { self.backend = backend }

    public var spec: LayerSpec { .relu }
    public func outputShape(for s: [Int]) -> [Int] { s }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = reuse(&output, shape: x.shape, on: backend)
        backend.reluForward(x: x.buffer, y: y.buffer, count: x.count)
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let y = savedInput(output, "ReLU")
        let dx = reuse(&inputGradient, shape: y.shape, on: backend)
        backend.reluBackward(y: y.buffer, dy: dy.buffer, dx: dx.buffer, count: y.count)
        return dx
    }
}
